"""The one task a service enqueues: a report's incremental roll-up after its approval or unlock.

It lives apart from `tasks.py` because `tasks.py` imports the services it wraps: were `rollup.services.enqueue_rollup`
to import it from there, services and tasks would import each other (the cycle `make lint` refuses). This module imports
neither. `tasks.py` re-exports the task, and its registered name stays `reports.tasks.rollup_report`, so messages
already queued under that name and the routes of a running deployment still find it.
"""

from celery import shared_task

from ..models import MonthlyReport
from . import build as rollup


@shared_task(name="reports.tasks.rollup_report", autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def rollup_report(report_id):
    report = MonthlyReport.objects.filter(pk=report_id).first()
    if report is not None:
        rollup.rebuild_for_report(report)
