"""The project's settings with the fifth work line installed: the one line adding a work line takes."""

from jingzi.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.fifth_line"]  # noqa: F405
