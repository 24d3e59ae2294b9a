"""The demo's one load order and its runner.

Each generator module offers `load(*, password, reset_passwords) -> str` (what to print). The shared model comes
first, then the work lines' ledgers, and the monthly reports last, since their derived figures count those ledgers.
"""

from importlib import import_module

LOAD_ORDER = (
    "demo.branches",
    "demo.industry",
    "demo.environment",
    "demo.governance",
    "demo.volunteers",
    "demo.reports",
)


def generators():
    return [import_module(name) for name in LOAD_ORDER]


def load(*, password, reset_passwords=False, write=print):
    """Run every generator in LOAD_ORDER, writing what each reports as it finishes."""
    for module in generators():
        text = module.load(password=password, reset_passwords=reset_passwords)
        if text:
            write(text)
