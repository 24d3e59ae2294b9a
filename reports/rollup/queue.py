"""The roll-up tasks a service enqueues: a report's incremental roll-up after its approval or unlock, and the nightly
rebuild split into one task per town and one for the county (a Celery chord, so more workers finish it sooner).

It lives apart from `tasks.py` because `tasks.py` imports the services it wraps: were `rollup.services.enqueue_rollup`
to import it from there, services and tasks would import each other (the cycle `make lint` refuses). This module imports
neither. `tasks.py` re-exports the tasks, and their registered names stay `reports.tasks.…`, so messages already
queued under those names and the routes of a running deployment still find them.
"""

from celery import chord, shared_task

from ..models import MonthlyReport
from . import build as rollup

RETRIED = dict(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)


@shared_task(name="reports.tasks.rollup_report", **RETRIED)
def rollup_report(report_id):
    report = MonthlyReport.objects.filter(pk=report_id).first()
    if report is not None:
        rollup.rebuild_for_report(report)


@shared_task(name="reports.tasks.rollup_town", **RETRIED)
def rollup_town(town_id):
    return rollup.rebuild_scope(rollup.town_scope(town_id))


@shared_task(name="reports.tasks.rollup_top", **RETRIED)
def rollup_top():
    return rollup.rebuild_scope(rollup.top_scope())


def enqueue_split(town_ids):
    """One rebuild per town and, once every town's is done, the county's (a chord: the county's sums read the towns'
    rows); return the county task's result."""
    if not town_ids:
        return rollup_top.delay()
    return chord(rollup_town.si(pk) for pk in town_ids)(rollup_top.si())
