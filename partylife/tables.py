"""List tables of 支部建设 (each page's columns are also its Excel export's)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Attendance, Meeting, MonthlyTheme

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


# (end of meetings)

# --- dues, 民主评议, 发展党员, 换届 ----------------------------------------------------------------------------------
# (end of dues, 民主评议, 发展党员, 换届)

# --- 党员先锋积分 ---------------------------------------------------------------------------------------------------
# (end of points)
