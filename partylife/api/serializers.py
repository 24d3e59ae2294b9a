from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from branches.api.base import ScopedPrimaryKeyField
from branches.models import PartyMember, PartyOrganisation, Unit
from branches.scoping import VIEW

from ..models import Attendance, Meeting, MonthlyTheme

# --- meetings (三会一课, 主题党日, 组织生活会) ------------------------------------------------------------------------


class AttendanceRowSerializer(serializers.ModelSerializer):
    """One member's attendance, inside a meeting (`attendance` on meetings/)."""

    member = ScopedPrimaryKeyField(queryset=PartyMember.objects.all(), label=_("党员"))
    member_name = serializers.CharField(source="member.name", read_only=True, label=_("姓名"))

    class Meta:
        model = Attendance
        fields = ["member", "member_name", "status", "reason", "away_at"]


class MeetingSerializer(serializers.ModelSerializer):
    """A meeting; `attendance` (optional on a write) records every member's attendance at once, replacing the list:
    status present / remote (away_at required) / excused (reason required) / absent."""

    organisation = ScopedPrimaryKeyField(queryset=PartyOrganisation.objects.all(), label=_("党组织"))
    host = ScopedPrimaryKeyField(queryset=PartyMember.objects.all(), label=_("主持人"), required=False,
                                 allow_null=True)  # fmt: skip
    theme = ScopedPrimaryKeyField(queryset=MonthlyTheme.objects.all(), action=VIEW, label=_("主题党日主题"),
                                  required=False, allow_null=True)  # fmt: skip
    attendance = AttendanceRowSerializer(many=True, required=False)
    attended_count = serializers.IntegerField(read_only=True, label=_("实到（含远程）"))
    expected_count = serializers.IntegerField(read_only=True, label=_("应到（不含请假）"))

    class Meta:
        model = Meeting
        fields = ["id", "organisation", "unit", "kind", "held_on", "place", "host", "topic", "theme", "minutes",
                  "resolutions", "attendance", "attended_count", "expected_count"]  # fmt: skip
        read_only_fields = ["unit"]


class AttendanceSerializer(serializers.ModelSerializer):
    meeting = ScopedPrimaryKeyField(queryset=Meeting.objects.all(), label=_("会议"))
    member = ScopedPrimaryKeyField(queryset=PartyMember.objects.all(), label=_("党员"))

    class Meta:
        model = Attendance
        fields = ["id", "meeting", "member", "unit", "status", "reason", "away_at"]
        read_only_fields = ["unit"]


class MonthlyThemeSerializer(serializers.ModelSerializer):
    unit = ScopedPrimaryKeyField(queryset=Unit.objects.all(), label=_("镇"))

    class Meta:
        model = MonthlyTheme
        fields = ["id", "unit", "month", "title", "content"]


# (end of meetings)

# --- dues, 民主评议, 发展党员, 换届 ----------------------------------------------------------------------------------
# (end of dues, 民主评议, 发展党员, 换届)

# --- 党员先锋积分 ---------------------------------------------------------------------------------------------------
# (end of points)
