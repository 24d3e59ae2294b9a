"""The backup of docs/operations.md, tested: `scripts/backup_restore_check.sh` dumps the test database with pg_dump,
restores it into a scratch database and finds every table's rows there (issue 10)."""

import os
import re
import shutil
import subprocess

import pytest
from django.db import connection

from reports.models import MonthlyReport, ReportValue, Rollup
from reports.monthly import services
from tests.processes import PROJECT_DIR, subprocess_database_url, unavailable

from .conftest import months_back, submitted

SCRIPT = PROJECT_DIR / "scripts" / "backup_restore_check.sh"
LINE = re.compile(r"^(\S+)\s+(\d+)\s+(\S+)\s+(.+)$")

pytestmark = pytest.mark.usefixtures("postgres")


def run_script(**env):
    for tool in ("pg_dump", "pg_restore", "psql"):
        if not shutil.which(tool):
            unavailable(f"{tool} is not installed (Debian's postgresql-client)")
    return subprocess.run(
        ["bash", str(SCRIPT)], cwd=PROJECT_DIR, capture_output=True, text=True, timeout=600,
        env={**os.environ, "DATABASE_URL": subprocess_database_url(), **env}, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def test_a_dump_restores_every_row_of_every_table(town, users):
    for month in months_back(2):
        for village, secretary in ((town.tongliang.unit, users.tongliang), (town.yangqiu.unit, users.yangqiu)):
            services.report_approve(report=submitted(village, month, secretary), user=users.leader)
    assert Rollup.objects.exists()

    result = run_script(SCRATCH_DB=f"{connection.settings_dict['NAME']}_restore_check")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    summary = result.stdout.strip().splitlines()[-1]
    assert summary.startswith("backup-restore: ") and summary.endswith(": OK"), output

    tables = {}
    for line in result.stdout.splitlines()[1:-1]:
        match = LINE.match(line)
        assert match, f"unexpected line {line!r}"
        name, source, restored, verdict = match.groups()
        assert verdict == "ok" and source == restored, line
        tables[name] = int(source)
    assert tables["public.reports_monthlyreport"] == MonthlyReport.objects.count() == 4
    assert tables["public.reports_reportvalue"] == ReportValue.objects.count() > 0
    assert tables["public.reports_rollup"] == Rollup.objects.count()
    assert len(tables) > 50, "fewer tables than the portal has: the inventory missed some"

    with connection.cursor() as cursor:  # the scratch database is gone again
        cursor.execute(
            "SELECT count(*) FROM pg_database WHERE datname = %s", [f"{connection.settings_dict['NAME']}_restore_check"]
        )
        assert cursor.fetchone()[0] == 0


def test_the_script_refuses_to_restore_over_its_source(transactional_db):
    result = run_script(SCRATCH_DB=connection.settings_dict["NAME"])
    assert result.returncode == 2 and "must differ" in result.stderr
