"""The nightly rebuild split per town (issue 24): one task per town, each writing only its own units' rows under its
town's lock, then one for the county from the towns' rows — the same rows as the rebuild in one process.

A small seeded county (2 towns × 3 villages, a year of approved reports: reports/scale.py) is rolled up by
`rebuild_all`; its rows are the reference. The split rebuild must write exactly those rows from an empty table, put
right rows that drifted, and leave the other towns' rows alone. The last test runs the chord on real Celery workers
(two processes, standing for two worker machines) through Redis, on PostgreSQL, as production does.
"""

import re
import time
from decimal import Decimal

import pytest
from celery import signals

from branches.models import Unit
from reports import scale
from reports import tasks as report_tasks
from reports.models import Indicator, Rollup
from reports.rollup import build as rollup
from tests.processes import celery_worker_process, routed_broker

SPLIT_TIMEOUT = 60  # seconds for two workers to rebuild the small county
SUCCEEDED = r"Task reports\.tasks\.{}\[[^\]]+\] succeeded"


def rows():
    return sorted(Rollup.objects.values_list("unit_id", "period", "period_type", "indicator_id", "value"))


def seed_small_county():
    seeded = scale.seed_county(scale="small", log=lambda text: None)  # ends with rollup.rebuild_all()
    return seeded, rows()


def towns():
    return list(Unit.objects.filter(kind=Unit.Kind.TOWN).order_by("pk").values_list("pk", flat=True))


def split_rebuild():
    for town_id in towns():
        rollup.rebuild_scope(rollup.town_scope(town_id))
    rollup.rebuild_scope(rollup.top_scope())


@pytest.mark.django_db
def test_the_split_rebuild_writes_the_rows_of_the_rebuild_in_one_process():
    seeded, expected = seed_small_county()
    assert len({unit for unit, *_rest in expected}) > len(seeded.towns) + 1, "villages, areas, towns and the county"
    assert Rollup.objects.filter(unit__kind=Unit.Kind.COUNTY, indicator__kind="ratio").exists()

    Rollup.objects.all().delete()
    split_rebuild()
    assert rows() == expected

    split_rebuild()  # run again: nothing to change
    assert rows() == expected


@pytest.mark.django_db
def test_the_split_rebuild_puts_right_rows_that_drifted():
    seeded, expected = seed_small_county()
    first, second = (town.unit for town in seeded.towns[:2])
    village = seeded.towns[0].villages[0].unit
    flow = Rollup.objects.filter(unit=village, indicator__kind="flow").first()
    Rollup.objects.filter(pk=flow.pk).update(value=flow.value + Decimal(5))
    Rollup.objects.filter(unit=second, period_type="quarter").delete()
    county = Unit.objects.get(kind=Unit.Kind.COUNTY)
    Rollup.objects.create(unit=county, period="1999", period_type="year", value=1,
                          indicator=Indicator.objects.filter(kind="flow").first())  # fmt: skip

    rollup.rebuild_scope(rollup.town_scope(first.pk))
    assert Rollup.objects.get(pk=flow.pk).value == flow.value, "the town's part mends its village's row"
    assert not Rollup.objects.filter(unit=second, period_type="quarter").exists(), "…and touches no other town's"
    assert Rollup.objects.filter(unit=county, period="1999").exists(), "…nor the county's"

    rollup.rebuild_scope(rollup.town_scope(second.pk))
    rollup.rebuild_scope(rollup.top_scope())
    assert rows() == expected


@pytest.mark.django_db
def test_the_nightly_task_runs_one_task_per_town_then_the_county():
    """Celery runs eagerly in the suite: the chord's tasks run here, in order. On SQLite (one writer at a time) the
    nightly task rebuilds in one process instead."""
    from django.db import connection

    _seeded, expected = seed_small_county()
    Rollup.objects.all().delete()
    ran = []

    def on_prerun(sender=None, **kwargs):
        ran.append(sender.name)

    signals.task_prerun.connect(on_prerun, weak=False)
    try:
        queued = report_tasks.rollup_full.delay().get()
    finally:
        signals.task_prerun.disconnect(on_prerun)
    assert rows() == expected
    if connection.vendor == "postgresql":
        assert queued == len(towns()) == 2
        town_tasks = ["reports.tasks.rollup_town"] * queued
        assert ran == ["reports.tasks.rollup_full", *town_tasks, "reports.tasks.rollup_top"]
    else:
        assert (queued, ran) == (0, ["reports.tasks.rollup_full"])


@pytest.fixture
def two_workers(redis_url, settings, monkeypatch, transactional_db, tmp_path):
    """Two `celery worker` processes (two worker machines) on a queue of this test's own, on the test database."""
    tasks = [report_tasks.rollup_full, report_tasks.rollup_town, report_tasks.rollup_top]
    with routed_broker(redis_url, tasks, settings, monkeypatch) as broker:
        with celery_worker_process(broker, tmp_path / "worker-a.log", name="a") as first:
            with celery_worker_process(broker, tmp_path / "worker-b.log", name="b") as second:
                yield first, second


def test_real_workers_share_the_nightly_rebuild(two_workers):
    _seeded, expected = seed_small_county()
    Rollup.objects.all().delete()
    started = time.monotonic()
    report_tasks.rollup_full.delay()
    first, second = two_workers

    def logs():
        return first.log() + second.log()

    first.wait_for(
        "the county's part of the split rebuild to succeed in a worker",
        lambda: re.search(SUCCEEDED.format("rollup_top"), logs()),
        SPLIT_TIMEOUT,
    )
    assert len(re.findall(SUCCEEDED.format("rollup_town"), logs())) == len(towns()), logs()
    assert rows() == expected, f"after {time.monotonic() - started:.1f} s the rows differ from the single rebuild"
