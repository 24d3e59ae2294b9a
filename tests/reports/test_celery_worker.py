"""A real Celery worker, fed through Redis, builds the roll-up of an approval (issue 3, DESIGN §4).

The suite runs Celery eagerly (REDIS_URL unset). This test alone points the test process's Celery app at the Redis of
``TEST_REDIS_URL``, starts ``celery -A jingzi worker`` as a subprocess on pytest's own test database, has a secretary
submit and a cadre approve a village's report, and waits for the town's roll-ups to arrive — built by the worker, not
by the test process.

It needs PostgreSQL (``DATABASE_URL=postgres://…``: the worker is another process and must see the committed rows of
the test database) and ``TEST_REDIS_URL`` (e.g. ``redis://127.0.0.1:6379/15``). Without them it is skipped with the
reason on a developer machine; in CI (``CI`` set) that is a failure, so a skip can never hide a broken worker set-up.
"""

import time
from decimal import Decimal

import pytest
from celery import signals
from django.db import connection

from reports import periods
from reports import tasks as report_tasks
from reports.models import Rollup
from reports.monthly import selectors, services
from reports.registry import FLOW, VILLAGE, registry
from tests.processes import celery_worker_process, routed_broker

TASK = "reports.tasks.rollup_report"
ROLLUP_TIMEOUT = 30
VALUE = Decimal(7)


# --- the test process publishes to Redis; a worker consumes ---------------------------------------------------------


@pytest.fixture
def real_broker(redis_url, settings, monkeypatch):
    """Celery in the test process publishing to TEST_REDIS_URL, the roll-up task on a queue of this test's own."""
    with routed_broker(redis_url, [report_tasks.rollup_report], settings, monkeypatch) as broker:
        yield broker


@pytest.fixture
def celery_worker(real_broker, transactional_db, tmp_path):
    """`celery -A jingzi worker --pool=solo` on REDIS_URL=TEST_REDIS_URL and the test database, ready to consume."""
    with celery_worker_process(real_broker, tmp_path / "celery-worker.log") as worker:
        yield worker


# --- the test ----------------------------------------------------------------------------------------------------


def entered_village_flow():
    """An entered flow indicator villages report, with no ceiling or balance to satisfy (e.g. env.participants)."""
    for spec in registry.all():
        if (
            spec.is_entered and spec.kind == FLOW and VILLAGE in spec.reported_by
            and not spec.ceiling and spec.balance is None
            and (spec.max_value is None or spec.max_value >= VALUE) and (spec.min_value or 0) <= VALUE
        ):  # fmt: skip
            return spec
    pytest.fail("no entered flow indicator reported by villages is registered (DESIGN §5 declares several)")


def test_a_real_worker_rolls_up_an_approval(real_broker, celery_worker, town, users):
    spec = entered_village_flow()
    village = town.tongliang.unit
    month = periods.last_complete_month()
    period_keys = [period.key for period in periods.periods_containing(month)]  # month, quarter, year (, YTD)

    def town_rollups():
        rows = Rollup.objects.filter(unit=town.unit, indicator__code=spec.code, period__in=period_keys)
        return dict(rows.values_list("period", "value"))

    published, ran_here = [], []

    def on_publish(sender=None, headers=None, **kwargs):
        published.append((sender, headers["id"]))

    def on_prerun(sender=None, task_id=None, **kwargs):
        ran_here.append((sender.name, task_id))

    signals.after_task_publish.connect(on_publish, weak=False)
    signals.task_prerun.connect(on_prerun, weak=False)
    try:
        # The secretary fills the month (the other entered figures are 0) and submits.
        report = services.report_open(unit=village, work_line=spec.work_line, month=month)
        values = {
            other.code: max(Decimal(0), other.min_value or Decimal(0))
            for other in selectors.specs_for(village, spec.work_line)
            if other.is_entered
        }
        values[spec.code] = VALUE
        report = services.report_save_values(report=report, user=users.tongliang, values=values, version=report.version)
        report = services.report_submit(report=report, user=users.tongliang, version=report.version)
        assert town_rollups() == {}, "a submitted (not yet approved) report must not be rolled up"
        assert published == []

        # The cadre approves: a committed transaction, whose on_commit sends the roll-up to Redis.
        assert not connection.in_atomic_block
        started = time.monotonic()
        services.report_approve(report=report, user=users.cadre)
        assert ran_here == [], f"the roll-up ran in the test process (eagerly), not in the worker: {ran_here}"
        assert [name for name, _id in published] == [TASK], "the approval must send exactly one roll-up to Redis"
        task_id = published[0][1]

        expected = dict.fromkeys(period_keys, VALUE)
        celery_worker.wait_for(
            lambda: f"the town's roll-ups of {spec.code} to be {expected}; they are {town_rollups()}",
            lambda: town_rollups() == expected,
            ROLLUP_TIMEOUT,
        )
        # The worker, not the test process, ran it: nothing ran here, and the worker logged this very task (the log
        # line follows the task's commit, so it may trail the rows by a moment).
        celery_worker.wait_for(
            f"the worker to log that {TASK}[{task_id}] succeeded",
            lambda: f"Task {TASK}[{task_id}] succeeded" in celery_worker.log(),
            max(ROLLUP_TIMEOUT - (time.monotonic() - started), 5),
        )
        assert ran_here == [], f"tasks ran in the test process (eagerly): {ran_here}"
    finally:
        signals.after_task_publish.disconnect(on_publish)
        signals.task_prerun.disconnect(on_prerun)
