from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from branches.api.base import MaskedSerializerMixin, ScopedPrimaryKeyField
from branches.models import PartyMember, PartyOrganisation, Unit
from branches.scoping import VIEW

from ..models import Applicant, Appraisal, Attendance, DuesPayment, Meeting, MonthlyTheme, Term

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


# --- dues, 民主评议, 发展党员, 换届 ----------------------------------------------------------------------------------


def _member_field():
    return ScopedPrimaryKeyField(queryset=PartyMember.objects.all(), label=_("党员"))


class DuesPaymentSerializer(serializers.ModelSerializer):
    member = _member_field()

    class Meta:
        model = DuesPayment
        fields = ["id", "unit", "member", "month", "due", "paid", "paid_on"]
        read_only_fields = ["unit"]
        validators = []  # one row a month per member: services.dues_save refuses a second, in Chinese


class AppraisalSerializer(serializers.ModelSerializer):
    member = _member_field()

    class Meta:
        model = Appraisal
        fields = ["id", "unit", "member", "year", "result", "decided_on", "decision"]
        read_only_fields = ["unit"]
        validators = []  # once a year per member: services.appraisal_save refuses a second, in Chinese


class ApplicantSerializer(MaskedSerializerMixin, serializers.ModelSerializer):
    organisation = ScopedPrimaryKeyField(queryset=PartyOrganisation.objects.all(), label=_("党组织"))
    introducers = ScopedPrimaryKeyField(queryset=PartyMember.objects.all(), many=True, required=False,
                                        label=_("入党介绍人"))  # fmt: skip

    class Meta:
        model = Applicant
        fields = ["id", "unit", "organisation", "name", "gender", "birth_date", "id_number", "phone", "stage",
                  "applied_on", "activist_on", "candidate_on", "probationary_on", "full_on", "introducers", "note"]
        read_only_fields = ["unit", "stage"]  # the stage follows the furthest dated step (services.applicant_save)


class TermSerializer(serializers.ModelSerializer):
    organisation = ScopedPrimaryKeyField(queryset=PartyOrganisation.objects.all(), label=_("党组织"))
    secretary = ScopedPrimaryKeyField(queryset=PartyMember.objects.all(), required=False, allow_null=True,
                                      label=_("书记"))  # fmt: skip

    class Meta:
        model = Term
        fields = ["id", "unit", "organisation", "starts_on", "ends_on", "secretary", "note"]
        read_only_fields = ["unit"]
        extra_kwargs = {"ends_on": {"required": False}}  # five years after starts_on by default (services.term_save)


# --- 党员先锋积分 ---------------------------------------------------------------------------------------------------


def _points():
    return serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=False)


class PointRecordSerializer(serializers.Serializer):
    """One record behind a member's points (PointRecord), with the page showing it."""

    on = serializers.DateField()
    quantity = _points()
    text = serializers.CharField()
    url = serializers.CharField()


class SourcePointsSerializer(serializers.Serializer):
    code = serializers.CharField(source="source.code")
    label = serializers.CharField(source="source.label")
    measure = serializers.CharField(source="source.measure")
    per_unit = serializers.DecimalField(source="rule.points", max_digits=6, decimal_places=2, coerce_to_string=False,
                                        allow_null=True, default=None, help_text="每项积分；未设规则为 null")
    monthly_cap = serializers.DecimalField(source="rule.monthly_cap", max_digits=7, decimal_places=2, allow_null=True,
                                           coerce_to_string=False, default=None, help_text="每月上限；null 不设上限")
    quantity = _points()
    uncapped = _points()
    points = _points()
    capped = serializers.BooleanField()
    records = PointRecordSerializer(many=True)


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MemberPointsSerializer(serializers.Serializer):
    """A member's 党员先锋积分 for the month: total, per source (the rule applied) and every record behind it."""

    member = serializers.IntegerField(source="member.pk")
    name = serializers.CharField(source="member.name")
    unit = UnitRefSerializer(source="member.unit")
    rank = serializers.IntegerField()
    total = _points()
    sources = SourcePointsSerializer(many=True)
