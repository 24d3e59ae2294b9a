import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from branches.tables import PersonalColumn
from reports.plugins import DeadlineColumn

from .models import (
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
from .selectors import DISPUTE_DATES, HAZARD_DATES, PETITION_DATES, hazard_state


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
    return hazard_state(hazard).is_over


class HazardTable(tables.Table):
    item = tables.Column(linkify=detail_link("hazard"))
    deadline = DeadlineColumn(**HAZARD_DATES, verbose_name=_("定时限"))

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
    deadline = DeadlineColumn(**DISPUTE_DATES, verbose_name=_("调解时限"))

    class Meta:
        model = DisputeCase
        fields = ("summary", "kind", "unit", "parties", "received_on", "deadline", "mediator", "result", "closed_on")


class PetitionCaseTable(tables.Table):
    title = tables.Column(linkify=detail_link("petitioncase"))
    petitioner = PersonalColumn(verbose_name=_("信访人"))
    deadline = DeadlineColumn(**PETITION_DATES, verbose_name=_("化解时限"))

    class Meta:
        model = PetitionCase
        fields = ("title", "unit", "petitioner", "received_on", "taken_on", "deadline", "leader", "status",
                  "resolved_on")  # fmt: skip


class VisitLogTable(tables.Table):
    date = tables.Column(linkify=detail_link("visitlog"))

    class Meta:
        model = VisitLog
        fields = ("date", "member", "grid_worker", "household", "aspect", "raised", "unit")


class PeopleIssueTable(tables.Table):
    content = tables.Column(linkify=detail_link("peopleissue"))

    class Meta:
        model = PeopleIssue
        fields = ("content", "household", "unit", "raised_on", "handler", "status", "closed_on")


class KeyPersonTable(tables.Table):
    name = PersonalColumn(verbose_name=_("姓名"), linkify=detail_link("keyperson"))
    keeper_count = tables.Column(verbose_name=_("五包一责任人"), orderable=False)

    class Meta:
        model = KeyPerson
        fields = ("name", "category", "unit", "since", "released_on", "keeper_count")


class KeyPersonKeeperTable(tables.Table):
    keeper_name = tables.Column(linkify=detail_link("keypersonkeeper"))

    class Meta:
        model = KeyPersonKeeper
        fields = ("keeper_name", "role", "person", "phone")


class DoorKnockTable(tables.Table):
    date = tables.Column(linkify=detail_link("doorknock"))

    class Meta:
        model = DoorKnock
        fields = ("date", "unit", "household", "by", "result")


class CheckpointTable(tables.Table):
    name = tables.Column(linkify=detail_link("checkpoint"))
    staff_count = tables.Column(verbose_name=_("值守人员"), orderable=False)

    class Meta:
        model = Checkpoint
        fields = ("name", "kind", "unit", "location", "opened_on", "closed_on", "staff_count")


class CheckpointStaffTable(tables.Table):
    name = tables.Column(linkify=detail_link("checkpointstaff"))

    class Meta:
        model = CheckpointStaff
        fields = ("name", "checkpoint", "shifts", "is_active")


class PassRecordTable(tables.Table):
    at = tables.Column(linkify=detail_link("passrecord"))
    person_name = PersonalColumn(verbose_name=_("姓名"))
    phone = PersonalColumn(verbose_name=_("电话"), kind="number")

    class Meta:
        model = PassRecord
        fields = ("at", "checkpoint", "direction", "person_name", "phone", "from_place", "plate")
