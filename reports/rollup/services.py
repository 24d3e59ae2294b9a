"""Roll-up writes a report's workflow sets off: the incremental roll-up enqueued after an approval or unlock (or
deferred during a bulk load), and the catch-up of those the broker could not take."""

import logging
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, transaction

from branches.models import Unit

from ..models import MonthlyReport
from . import build
from .queue import enqueue_split, rollup_report

logger = logging.getLogger(__name__)

_rollups_deferred = ContextVar("rollups_deferred", default=False)


@contextmanager
def rollups_deferred():
    """Approvals inside queue no roll-up of their own; the caller promises one full rebuild at the end (a bulk load
    approving a thousand reports would otherwise run a thousand incremental roll-ups after its commit)."""
    token = _rollups_deferred.set(True)
    try:
        yield
    finally:
        _rollups_deferred.reset(token)


def enqueue_rollup(report):
    """Roll up this report's month once the approval commits. If the broker is down the approval still stands: the
    report is marked pending and the every-ten-minutes job rolls it up once the broker answers again."""
    if _rollups_deferred.get():
        return

    def send():
        try:
            rollup_report.delay(report.pk)
        except Exception:  # noqa: BLE001 — any broker failure: keep the work, let the pending job catch up
            logger.exception("could not enqueue the roll-up of report %s; marked pending", report.pk)
            MonthlyReport.objects.filter(pk=report.pk).update(rollup_pending=True)

    transaction.on_commit(send)


def rollup_pending_reports():
    """Roll up every report whose roll-up could not be enqueued; return how many.

    Each report's mark is cleared *before* its roll-up, in one transaction with it: the cleared mark holds the
    report's row lock until the roll-up commits, so an unlock or re-approval waits and, if its own enqueue fails,
    marks it again for the next run (clearing it afterwards could wipe the mark of an approval this run never saw).
    A second run at the same time finds the mark gone and skips the report."""
    done = 0
    for report in MonthlyReport.objects.filter(rollup_pending=True):
        with transaction.atomic():
            if not MonthlyReport.objects.filter(pk=report.pk, rollup_pending=True).update(rollup_pending=False):
                continue
            build.rebuild_for_report(report)
        done += 1
    return done


def rollups_rebuild_nightly():
    """The nightly rebuild; return how many town tasks were queued (0: done in this process).

    On PostgreSQL it is split per town across the workers (rollup/queue.py): the helper tables are refreshed here
    first, then each part commits on its own, so until the county's part runs the county shows the towns' sums of
    the night before — as it does while one approval's roll-up is on its way. On SQLite, one writer at a time, it
    runs here in one transaction."""
    if connection.vendor != "postgresql":
        build.rebuild_all()
        return 0
    build.refresh_helpers()
    towns = list(Unit.objects.filter(kind=Unit.Kind.TOWN).order_by("pk").values_list("pk", flat=True))
    enqueue_split(towns)
    return len(towns)
