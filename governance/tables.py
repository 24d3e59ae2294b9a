import django_tables2 as tables
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Hazard, PatrolMember, PatrolTeam, SafetyAction


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
