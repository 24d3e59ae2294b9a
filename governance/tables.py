import django_tables2 as tables
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.tables import PersonalColumn

from .models import DisputeCase, Hazard, MediationCommittee, PatrolMember, PatrolTeam, PetitionCase, SafetyAction


def detail_link(name):
    return (f"governance:{name}_detail", [tables.A("pk")])


class PatrolTeamTable(tables.Table):
    name = tables.Column(linkify=detail_link("patrolteam"))
    member_count = tables.Column(verbose_name=_("队员"), orderable=False)

    class Meta:
        model = PatrolTeam
        fields = ("name", "unit", "leader_name", "founded_on", "member_count", "is_active")


class PatrolMemberTable(tables.Table):
    name = tables.Column(linkify=detail_link("patrolmember"))

    class Meta:
        model = PatrolMember
        fields = ("name", "team", "unit", "phone", "is_active")


class SafetyActionTable(tables.Table):
    date = tables.Column(linkify=detail_link("safetyaction"))
    hazard_count = tables.Column(verbose_name=_("发现隐患"), orderable=False)

    class Meta:
        model = SafetyAction
        fields = ("date", "kind", "unit", "team", "partners", "place", "umbrellas_removed", "helmet_persuasions",
                  "hazard_count")  # fmt: skip


def is_overdue(hazard):
    return hazard.is_open and hazard.deadline < timezone.localdate()


class HazardTable(tables.Table):
    item = tables.Column(linkify=detail_link("hazard"))

    class Meta:
        model = Hazard
        fields = ("item", "unit", "found_on", "responsible", "deadline", "status", "rectified_on", "verified_on")
        row_attrs = {"class": lambda record: "table-danger" if is_overdue(record) else ""}


class MediationCommitteeTable(tables.Table):
    name = tables.Column(linkify=detail_link("mediationcommittee"))

    class Meta:
        model = MediationCommittee
        fields = ("name", "unit", "director", "room", "legal_adviser", "auxiliary_police", "established_on")


class DisputeCaseTable(tables.Table):
    summary = tables.Column(linkify=detail_link("disputecase"))
    parties = PersonalColumn(verbose_name=_("当事人"))

    class Meta:
        model = DisputeCase
        fields = ("summary", "kind", "unit", "parties", "received_on", "mediator", "result", "closed_on")


class PetitionCaseTable(tables.Table):
    title = tables.Column(linkify=detail_link("petitioncase"))
    petitioner = PersonalColumn(verbose_name=_("信访人"))

    class Meta:
        model = PetitionCase
        fields = ("title", "unit", "petitioner", "received_on", "leader", "status", "resolved_on")
