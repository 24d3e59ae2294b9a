from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from branches.api.base import MaskedSerializerMixin, ScopedPrimaryKeyField, reason_field
from branches.models import PartyMember, Unit

from ..models import Activity, ActivityType, Participation, Station, Volunteer, VolunteerTeam


class VisibleField(serializers.PrimaryKeyRelatedField):
    """A choice among the records the caller may see (a village volunteer may join the town's teams, which only the
    town edits); another village's id is 'does not exist'."""

    def get_queryset(self):
        return super().get_queryset().restrict(self.context["request"].user)


def unit_field():
    return ScopedPrimaryKeyField(queryset=Unit.objects.all(), label=_("所属单位"))


def station_field():
    return ScopedPrimaryKeyField(queryset=Station.objects.all(), label=_("所（站）"))


class StationSerializer(serializers.ModelSerializer):
    unit = unit_field()

    class Meta:
        model = Station
        fields = ["id", "unit", "name", "address", "opening_hours", "person_in_charge", "phone", "manager",
                  "established_on", "is_active"]  # fmt: skip


class VolunteerTeamSerializer(serializers.ModelSerializer):
    station = station_field()
    volunteer_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = VolunteerTeam
        fields = ["id", "station", "unit", "name", "is_professional", "leader_name", "founded_on", "is_active",
                  "description", "volunteer_count"]  # fmt: skip
        read_only_fields = ["unit"]


class VolunteerSerializer(MaskedSerializerMixin, serializers.ModelSerializer):
    unit = unit_field()
    party_member = ScopedPrimaryKeyField(queryset=PartyMember.objects.all(), label=_("党员"), required=False,
                                         allow_null=True)  # fmt: skip
    teams = VisibleField(queryset=VolunteerTeam.objects.all(), many=True, required=False, label=_("所属团队"))
    hours = serializers.DecimalField(max_digits=8, decimal_places=1, read_only=True, label=_("已审核服务时长"))

    class Meta:
        model = Volunteer
        fields = ["id", "unit", "name", "gender", "phone", "skills", "party_member", "teams", "joined_on",
                  "is_active", "left_on", "hours"]  # fmt: skip


class ActivityTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActivityType
        fields = ["id", "name", "order", "is_active"]


class ActivitySerializer(serializers.ModelSerializer):
    station = station_field()
    teams = VisibleField(queryset=VolunteerTeam.objects.all(), many=True, required=False, label=_("参与团队"))
    participant_count = serializers.IntegerField(read_only=True)
    hours = serializers.DecimalField(max_digits=8, decimal_places=1, read_only=True, label=_("已审核服务时长"))

    class Meta:
        model = Activity
        fields = ["id", "station", "unit", "title", "type", "teams", "starts_at", "ends_at", "place", "description",
                  "people_served", "status", "participant_count", "hours"]  # fmt: skip
        read_only_fields = ["unit", "status"]


class ParticipationSerializer(serializers.ModelSerializer):
    volunteer_name = serializers.CharField(source="volunteer.name", read_only=True)

    class Meta:
        model = Participation
        fields = ["id", "activity", "volunteer", "volunteer_name", "hours", "status", "reviewed_by", "reviewed_at",
                  "review_note"]  # fmt: skip
        read_only_fields = fields


class ParticipantSerializer(serializers.Serializer):
    volunteer = VisibleField(queryset=Volunteer.objects.all(), label=_("志愿者"))
    hours = serializers.DecimalField(max_digits=4, decimal_places=1, min_value=Decimal("0.5"), max_value=Decimal(24),
                                     label=_("服务时长（小时）"))  # fmt: skip


class HeldSerializer(serializers.Serializer):
    people_served = serializers.IntegerField(min_value=0, max_value=100_000, label=_("服务群众（人次）"))
    participants = ParticipantSerializer(many=True, allow_empty=False, label=_("参加的志愿者"))
    reason = reason_field(help_text=_("活动属于已审核的月份或已关账的年度时必填，记入修改记录。"))


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200, label=_("取消原因"))


class ReviewSerializer(serializers.Serializer):
    # ids within the database's range: a larger one went to the query and came back a 500
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), allow_empty=False,
                                max_length=1000, label=_("时长记录编号"))  # fmt: skip
    decision = serializers.ChoiceField(choices=(("approve", _("通过")), ("reject", _("不通过"))), label=_("审核结果"))
    note = serializers.CharField(required=False, allow_blank=True, max_length=200, label=_("审核意见"))
    reason = reason_field(help_text=_("所选时长属于已审核的月份时必填，记入修改记录。"))
