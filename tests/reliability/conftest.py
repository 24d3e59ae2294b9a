"""Shared helpers of the reliability tests (issue 10, DESIGN §7): threads lined up on a barrier, each with its own
database connection; roll-up snapshots compared with a from-scratch rebuild; and the requirements — PostgreSQL,
Redis, the machine's service commands — which skip with the reason on a developer machine and fail under CI."""

import threading
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connections

from reports import periods
from reports.models import MonthlyReport, Rollup
from reports.monthly import selectors, services
from reports.rollup import build as rollup
from tests.processes import unavailable

LINE = "governance"  # the work line the tests fill: two entered flows, gov.leaflets and gov.booster_doses
THREAD_TIMEOUT = 60  # seconds a group of threads may take before the test fails (they usually take well under 1 s)


def is_postgres():
    return "postgresql" in settings.DATABASES["default"]["ENGINE"]


@pytest.fixture
def postgres(transactional_db):
    """The races are about PostgreSQL's row and advisory locks, which production runs on. SQLite's in-memory test
    database shares one cache between connections and answers a second writer with "database table is locked" at
    once, and `select_for_update` is a no-op there, so the threads below cannot race on it meaningfully."""
    if not is_postgres():
        unavailable(
            f"needs PostgreSQL (DATABASE_URL=postgres://…), not {settings.DATABASES['default']['ENGINE']}: "
            "the races need real row locks and separate connections, the faults other processes on the test database"
        )


# --- threads -----------------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    value: object = None
    error: BaseException | None = None

    @property
    def ok(self):
        return self.error is None


def run_together(*calls, timeout=THREAD_TIMEOUT):
    """Run each call in its own thread (so each has its own database connection), all released at once by a
    barrier; return their outcomes in order. Each thread closes its connection when done."""
    barrier = threading.Barrier(len(calls))
    outcomes = [Outcome() for _call in calls]

    def run(index, call):
        try:
            barrier.wait(timeout)
            outcomes[index].value = call()
        except BaseException as error:  # noqa: BLE001 — reported to the test, which decides
            outcomes[index].error = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, call), daemon=True) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    stuck = [index for index, thread in enumerate(threads) if thread.is_alive()]
    assert not stuck, f"threads {stuck} still running after {timeout} s (a deadlock?)"
    return outcomes


class Background:
    """One call in a thread of its own, started now; `result()` joins it."""

    def __init__(self, call):
        self.outcome = Outcome()

        def run():
            try:
                self.outcome.value = call()
            except BaseException as error:  # noqa: BLE001
                self.outcome.error = error
            finally:
                connections.close_all()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def done(self, timeout=0):
        self.thread.join(timeout)
        return not self.thread.is_alive()

    def result(self, timeout=THREAD_TIMEOUT):
        assert self.done(timeout), f"background call still running after {timeout} s"
        return self.outcome


# --- reports and roll-ups ----------------------------------------------------------------------------------------


def months_back(count):
    """The last `count` complete months, oldest first."""
    last = periods.last_complete_month()
    return [periods.add_months(last, -offset) for offset in range(count - 1, -1, -1)]


def entered_values(unit, leaflets, doses):
    values = {"gov.leaflets": Decimal(leaflets), "gov.booster_doses": Decimal(doses)}
    codes = {spec.code for spec in selectors.specs_for(unit, LINE) if spec.is_entered}
    assert set(values) == codes, f"the governance form's entered figures changed: {sorted(codes)}"
    return values


def fresh(report):
    """The report as another request would load it."""
    return MonthlyReport.objects.select_related("unit").get(pk=report.pk)


def submitted(unit, month, secretary, leaflets=300, doses=40):
    report = services.report_open(unit=unit, work_line=LINE, month=month)
    report = services.report_save_values(
        report=report, user=secretary, values=entered_values(unit, leaflets, doses), version=report.version
    )
    return services.report_submit(report=report, user=secretary, version=report.version)


def stored_values(report):
    return {code: row.value for code, row in selectors.values_by_code(report).items() if row.indicator.spec.is_entered}


def rollup_rows():
    """Every stored roll-up row, comparable across runs."""
    rows = Rollup.objects.values_list("period", "period_type", "unit_id", "indicator_id", "value")
    return {(period, kind, unit, code): Decimal(value).normalize() for period, kind, unit, code, value in rows}


def assert_rollups_match_a_rebuild():
    """The stored roll-ups equal a from-scratch rebuild of them (which replaces them: the check is the last step)."""
    before = rollup_rows()
    rollup.rebuild_all()
    after = rollup_rows()
    missing = {key: value for key, value in after.items() if before.get(key) != value}
    extra = {key: value for key, value in before.items() if after.get(key) != value}
    assert before == after, f"roll-ups differ from a rebuild: stale or missing {missing}; wrong or extra {extra}"
    return after


def town_figure(town, period, code):
    row = Rollup.objects.filter(unit=town.unit, period=period, indicator__code=code).first()
    return row.value if row else None
