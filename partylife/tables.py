"""List tables of 支部建设 (each page's columns are also its Excel export's)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Applicant, Appraisal, Attendance, DuesPayment, Meeting, MonthlyTheme, Term

# --- meetings (三会一课, 主题党日, 组织生活会) ------------------------------------------------------------------------


class MeetingTable(tables.Table):
    held_on = tables.DateColumn(format="Y-m-d", linkify=("partylife:meeting_detail", [tables.A("pk")]))
    topic = tables.Column(linkify=("partylife:meeting_detail", [tables.A("pk")]))
    attended_count = tables.Column(verbose_name=_("实到（含远程）"), orderable=False)
    expected_count = tables.Column(verbose_name=_("应到（不含请假）"), orderable=False)

    class Meta:
        model = Meeting
        fields = ("held_on", "kind", "organisation", "topic", "place", "host", "theme", "attended_count",
                  "expected_count")  # fmt: skip


class AttendanceTable(tables.Table):
    held_on = tables.DateColumn(verbose_name=_("召开日期"), accessor="meeting__held_on", format="Y-m-d")
    meeting = tables.Column(linkify=("partylife:meeting_detail", [tables.A("meeting_id")]))
    organisation = tables.Column(verbose_name=_("党组织"), accessor="meeting__organisation")
    member = tables.Column(linkify=("branches:partymember_detail", [tables.A("member_id")]))

    class Meta:
        model = Attendance
        fields = ("held_on", "meeting", "organisation", "member", "status", "reason", "away_at")


class MonthlyThemeTable(tables.Table):
    month = tables.DateColumn(format="Y年n月", linkify=("partylife:monthlytheme_detail", [tables.A("pk")]))
    title = tables.Column(linkify=("partylife:monthlytheme_detail", [tables.A("pk")]))

    class Meta:
        model = MonthlyTheme
        fields = ("month", "title", "unit")


# --- dues, 民主评议, 发展党员, 换届 ----------------------------------------------------------------------------------


def _detail(name):
    return (f"partylife:{name}_detail", [tables.A("pk")])


class DuesPaymentTable(tables.Table):
    member = tables.Column(linkify=_detail("duespayment"))
    month = tables.DateColumn(format="Y-m")
    state = tables.Column(verbose_name=_("状态"), empty_values=(), orderable=False)

    class Meta:
        model = DuesPayment
        fields = ("unit", "member", "month", "due", "paid", "paid_on", "state")

    def render_state(self, record):
        if record.paid >= record.due:
            return _("预缴") if record.paid_on and record.paid_on < record.month else _("已缴清")
        return _("未缴清")

    def value_state(self, record):
        return str(self.render_state(record))


class AppraisalTable(tables.Table):
    member = tables.Column(linkify=_detail("appraisal"))

    class Meta:
        model = Appraisal
        fields = ("year", "unit", "member", "result", "decided_on")


class ApplicantTable(tables.Table):
    name = tables.Column(linkify=_detail("applicant"))

    class Meta:
        model = Applicant
        fields = ("unit", "name", "gender", "birth_date", "phone", "id_number", "stage", "applied_on", "activist_on",
                  "candidate_on", "probationary_on", "full_on")  # fmt: skip


class TermTable(tables.Table):
    organisation = tables.Column(linkify=_detail("term"))

    class Meta:
        model = Term
        fields = ("unit", "organisation", "starts_on", "ends_on", "secretary")
