"""A fifth work line, for tests only: 支部+人才回引 (people who came home to work), with one ledger (返乡人才), two
indicators (one counted from the ledger, one typed in), its pages, API, demo module and a hook.

It proves that adding a work line touches only its own app, its demo module and one line in `INSTALLED_APPS`:
`settings.py` here is the project's settings plus that one line, and `check_line.py` runs against it in a process
of its own (tests/test_fifth_line.py), where the line must show up everywhere the four real ones do.
"""
