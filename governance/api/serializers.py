from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from branches.api.base import MaskedSerializerMixin, ScopedPrimaryKeyField
from branches.models import Unit

from ..models import (
    Checkpoint,
    CheckpointStaff,
    DisputeCase,
    DoorKnock,
    Hazard,
    KeyPerson,
    KeyPersonKeeper,
    MediationCommittee,
    PassRecord,
    PatrolMember,
    PatrolTeam,
    PeopleIssue,
    PetitionCase,
    SafetyAction,
    VisitLog,
)


def unit_field():
    return ScopedPrimaryKeyField(queryset=Unit.objects.all(), label=_("所属单位"))


class PatrolTeamSerializer(serializers.ModelSerializer):
    unit = unit_field()
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = PatrolTeam
        fields = ["id", "unit", "name", "leader_name", "founded_on", "is_active", "member_count"]


class PatrolMemberSerializer(serializers.ModelSerializer):
    team = ScopedPrimaryKeyField(queryset=PatrolTeam.objects.all(), label=_("队伍"))

    class Meta:
        model = PatrolMember
        fields = ["id", "team", "unit", "name", "phone", "party_member", "is_active"]
        read_only_fields = ["unit"]


class SafetyActionSerializer(serializers.ModelSerializer):
    unit = unit_field()

    class Meta:
        model = SafetyAction
        fields = ["id", "unit", "kind", "date", "team", "partners", "place", "umbrellas_removed",
                  "helmet_persuasions", "note"]  # fmt: skip


class HazardSerializer(serializers.ModelSerializer):
    unit = unit_field()

    class Meta:
        model = Hazard
        fields = ["id", "unit", "action", "found_on", "item", "location", "measures", "funds", "responsible",
                  "deadline", "reviewer", "status", "rectified_on", "verified_on", "note"]  # fmt: skip
        read_only_fields = ["status", "rectified_on", "verified_on"]


class HazardStepSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class MediationCommitteeSerializer(serializers.ModelSerializer):
    unit = unit_field()

    class Meta:
        model = MediationCommittee
        fields = ["id", "unit", "name", "director", "members", "room", "legal_adviser", "auxiliary_police",
                  "established_on"]  # fmt: skip


class DisputeCaseSerializer(MaskedSerializerMixin, serializers.ModelSerializer):
    unit = unit_field()

    class Meta:
        model = DisputeCase
        fields = ["id", "unit", "kind", "summary", "parties", "party_phones", "party_ids", "received_on", "deadline",
                  "mediator", "steps", "result", "closed_on"]  # fmt: skip


class PetitionCaseSerializer(MaskedSerializerMixin, serializers.ModelSerializer):
    unit = unit_field()

    class Meta:
        model = PetitionCase
        fields = ["id", "unit", "title", "petitioner", "petitioner_phone", "received_on", "taken_on", "deadline",
                  "leader", "status", "progress", "resolved_on"]  # fmt: skip


def ledger_serializer(model_class, field_names, masked=False, read_only=(), optional=()):
    """A plain serializer of one ledger (personal fields masked where the model declares them; `optional` fields
    the service may fill in, checked by the model when it does not)."""
    extra = {name: {"required": False} for name in optional}
    meta = type("Meta", (), {"model": model_class, "fields": ["id", *field_names], "read_only_fields": list(read_only),
                             "extra_kwargs": extra})  # fmt: skip
    bases = (MaskedSerializerMixin, serializers.ModelSerializer) if masked else (serializers.ModelSerializer,)
    return type(f"{model_class.__name__}Serializer", bases, {"Meta": meta})


VisitLogSerializer = ledger_serializer(
    VisitLog, ["unit", "household", "member", "grid_worker", "date", "aspect", "raised"], read_only=["unit"]
)
PeopleIssueSerializer = ledger_serializer(
    PeopleIssue, ["unit", "household", "raised_on", "content", "handler", "status", "closed_on", "result"]
)
KeyPersonSerializer = ledger_serializer(
    KeyPerson, ["unit", "name", "id_number", "phone", "category", "since", "released_on", "note"], masked=True
)
KeyPersonKeeperSerializer = ledger_serializer(
    KeyPersonKeeper, ["unit", "person", "role", "keeper_name", "phone"], read_only=["unit"]
)
# A grid worker's knock is signed by the service (his record, name and grid), so he need not send `by` or `unit`.
DoorKnockSerializer = ledger_serializer(DoorKnock, ["unit", "date", "household", "person", "by", "grid_worker",
                                                   "result"], optional=["unit", "by"])  # fmt: skip
CheckpointSerializer = ledger_serializer(Checkpoint, ["unit", "name", "kind", "location", "opened_on", "closed_on"])
CheckpointStaffSerializer = ledger_serializer(
    CheckpointStaff, ["unit", "checkpoint", "name", "shifts", "is_active"], read_only=["unit"]
)
PassRecordSerializer = ledger_serializer(PassRecord, ["unit", "checkpoint", "at", "direction", "person_name", "phone",
                                                      "id_number", "from_place", "plate"], masked=True,
                                         read_only=["unit"])  # fmt: skip
