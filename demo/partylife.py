"""支部建设 of the demo 井字镇 (`manage.py load_demo` runs this after branches, before reports)."""


def load(*, password, reset_passwords=False):
    return None
