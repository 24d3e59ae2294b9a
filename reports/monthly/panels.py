"""The reporting panel on home and village pages (registered with branches.panels, so branches needn't know us):
returned reports first, then reminders, then this month's reports or the review queue."""

from branches.scoping import CHANGE, REVIEW, can_act_on_unit, is_admin

from .. import periods, worklines
from ..models import MonthlyReport
from ..notifications import selectors as notification_selectors
from . import selectors


def reports_panel(request, unit):
    user = request.user
    if not user.is_authenticated:
        return None
    month = periods.last_complete_month()
    context = {
        "returned": list(selectors.returned_reports(user).filter(unit__path__startswith=unit.path)[:10]),
        "notifications": list(notification_selectors.unread_notifications(user)),
        # An admin sees how many notifications could not be sent out (failed, or given up), with the admin's list.
        "undelivered": notification_selectors.troubled_delivery_count() if is_admin(user) else 0,
        "month": month,
        "deadline": periods.deadline_for(month),
        "month_reports": month_reports(unit, month) if can_act_on_unit(user, unit, CHANGE) else [],
        "queue_count": selectors.review_queue(user).count() if can_act_on_unit(user, unit, REVIEW) else None,
        "unit": unit,
        "month_key": periods.month_key(month),
    }
    return "reports/_panel.html", context


def month_reports(unit, month):
    """The unit's reports of `month` in every work line it reports in (None where not opened yet)."""
    if selectors.reporting_level(unit) is None:
        return []
    existing = {r.work_line: r for r in MonthlyReport.objects.filter(unit=unit, month=month)}
    return [(code, label, existing.get(code)) for code, label in worklines.choices() if selectors.specs_for(unit, code)]
