"""Celery tasks: thin wrappers that take ids and call the feature sub-packages' services.

The tasks are registered under this module's name (`reports.tasks.rollup_full`, …): the beat schedules stored in the
database (setup.py) and messages already queued refer to them by that name, so they stay here whatever moves."""

from celery import shared_task

from . import periods
from .bulletin import services as bulletin_services
from .close import services as close_services
from .monthly import services as monthly_services
from .notifications import reminders
from .notifications import services as notification_services
from .notifications.queue import deliver_notification  # noqa: F401 — registered here by name; see notifications/queue.py
from .rollup import services as rollup_services
from .rollup.queue import rollup_report, rollup_top, rollup_town  # noqa: F401 — every task of the app is found here


@shared_task
def rollup_full():
    return rollup_services.rollups_rebuild_nightly()


@shared_task
def rollup_pending():
    return rollup_services.rollup_pending_reports()


@shared_task
def open_month():
    return monthly_services.open_month_drafts(periods.last_complete_month())


@shared_task
def refresh_derived():
    """Beat, nightly before the roll-up rebuild: store the derived figures the pages only show."""
    return monthly_services.reports_refresh_derived()


@shared_task
def check_closed_months():
    """Beat, nightly: recount every approved month of the current year; mark, log and tell the admins of any drift."""
    return len(close_services.approved_months_check())


@shared_task
def send_reminders():
    return reminders.send_reminders()


@shared_task
def build_bulletins():
    """Beat, the day after the reporting deadline: last month's 月度通报 for every town."""
    return bulletin_services.bulletins_build_all()


@shared_task
def retry_deliveries():
    """Beat, every five minutes: send again the notification deliveries whose next attempt is due."""
    return notification_services.deliveries_retry_due()
