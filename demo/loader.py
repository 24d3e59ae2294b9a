"""The demo's one load order and its runner.

Each generator module offers `load(*, password, reset_passwords) -> str` (what to print). The shared model comes
first, then the ledgers of every declared work line (its `WorkLine.demo`, in the lines' order), and the monthly
reports last, since their derived figures count those ledgers.
"""

from importlib import import_module

from reports.worklines import plugins

FIRST = ("demo.branches",)
LAST = ("demo.reports",)


def load_order():
    return (*FIRST, *(line.demo for line in plugins() if line.demo), *LAST)


def generators():
    return [import_module(name) for name in load_order()]


def load(*, password, reset_passwords=False, write=print):
    """Run every generator in the load order, writing what each reports as it finishes."""
    for module in generators():
        text = module.load(password=password, reset_passwords=reset_passwords)
        if text:
            write(text)
