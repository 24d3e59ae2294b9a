"""The reminder job: secretaries are told of last month's reports not yet submitted, before and after the deadline."""

from django.utils import timezone
from django.utils.translation import gettext as _

from .. import periods, worklines
from ..models import MonthlyReport
from ..monthly.selectors import reporting_units, specs_for
from ..monthly.services import report_open
from ..periods import deadline_for
from .services import notify_unit_secretaries


def send_reminders(today=None):
    """Remind secretaries of last month's reports not yet submitted: from two days before the deadline, and again
    once it has passed. Each reminder is sent once."""
    today = today or timezone.localdate()
    month = periods.last_complete_month(today)
    deadline = deadline_for(month)
    if (deadline - today).days > 2:
        return 0
    late = today > deadline
    sent = 0
    for unit in reporting_units():
        for work_line, label in worklines.choices():
            if not specs_for(unit, work_line):
                continue
            report = MonthlyReport.objects.filter(unit=unit, work_line=work_line, month=month).first()
            if report is not None and not report.is_editable:
                continue
            if report is None:
                report = report_open(unit=unit, work_line=work_line, month=month)
            stage = "late" if late else "due"
            message = (
                _("%(month)s %(line)s月报已逾期（截止 %(deadline)s），请尽快提交。")
                if late
                else _("%(month)s %(line)s月报将于 %(deadline)s 截止，请按时提交。")
            ) % {"month": periods.month_key(month), "line": label, "deadline": deadline.strftime("%m月%d日")}
            notify_unit_secretaries(report, message, key=f"{stage}-{report.pk}")
            sent += 1
    return sent
