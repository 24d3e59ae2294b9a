"""Adding a fifth work line touches only its own app, its demo module and one line in INSTALLED_APPS (issue 18).

tests/fifth_line is such a line. Its checks run in a process of their own with its settings (the project's plus that
one line), since an installed app, its tables and its routes are fixed when Django starts.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINE = ROOT / "tests" / "fifth_line"
PROJECT_DIRS = ("branches", "reports", "industry", "environment", "governance", "volunteers", "partylife", "demo",
                "jingzi", "templates", "static", "locale")  # fmt: skip


def test_the_fifth_line_shows_up_everywhere_with_one_settings_line(tmp_path):
    # A database of its own: on PostgreSQL the inner run's test database would have this run's name and replace it.
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'fifth_line.sqlite3'}"}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", str(LINE / "check_line.py"), "--ds=tests.fifth_line.settings",
         "-p", "no:cacheprovider", "-q", "--no-header"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert re.search(r"^8 passed", run.stdout, re.M), run.stdout[-2000:]


def test_nothing_outside_its_app_names_it():
    """The project knows the line only through its declaration: no module, template or message names it."""
    named = [
        path.relative_to(ROOT) for folder in PROJECT_DIRS for path in (ROOT / folder).rglob("*")
        if path.is_file() and path.suffix in {".py", ".html", ".po", ".js"}
        and any(word in path.read_text(encoding="utf-8", errors="ignore") for word in ("fifth_line", "人才回引"))
    ]  # fmt: skip
    assert named == []


def test_its_settings_add_one_line_to_the_projects():
    settings = (LINE / "settings.py").read_text(encoding="utf-8")
    statements = [line for line in settings.splitlines() if line and not line.startswith(("#", '"""', "from "))]
    assert statements == ['INSTALLED_APPS = [*INSTALLED_APPS, "tests.fifth_line"]  # noqa: F405']
