"""List tables of the 文明实践 ledgers (each page's columns are also its Excel export's)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from branches.tables import PersonalColumn

from .models import Activity, Participation, Station, Volunteer, VolunteerTeam


def detail_link(name, accessor="pk"):
    return (f"volunteers:{name}_detail", [tables.A(accessor)])


class StationTable(tables.Table):
    name = tables.Column(linkify=detail_link("station"))
    team_count = tables.Column(verbose_name=_("团队"), orderable=False)

    class Meta:
        model = Station
        fields = ("name", "unit", "address", "opening_hours", "person_in_charge", "established_on", "is_active",
                  "team_count")  # fmt: skip


class VolunteerTeamTable(tables.Table):
    name = tables.Column(linkify=detail_link("volunteerteam"))
    volunteer_count = tables.Column(verbose_name=_("在册志愿者"), orderable=False)

    class Meta:
        model = VolunteerTeam
        fields = ("name", "station", "is_professional", "leader_name", "founded_on", "is_active", "volunteer_count")


class VolunteerTable(tables.Table):
    name = tables.Column(linkify=detail_link("volunteer"))
    phone = PersonalColumn(kind="number", verbose_name=_("联系电话"))
    party_member = tables.BooleanColumn(verbose_name=_("党员"), accessor="party_member_id", orderable=False)
    hours = tables.Column(verbose_name=_("累计服务时长（小时）"), orderable=False)

    class Meta:
        model = Volunteer
        fields = ("name", "unit", "gender", "phone", "skills", "party_member", "joined_on", "is_active", "hours")


class ActivityTable(tables.Table):
    starts_at = tables.DateTimeColumn(format="Y-m-d H:i", linkify=detail_link("activity"))
    title = tables.Column(linkify=detail_link("activity"))
    participant_count = tables.Column(verbose_name=_("参加志愿者"), orderable=False)
    hours = tables.Column(verbose_name=_("已审核时长（小时）"), orderable=False)

    class Meta:
        model = Activity
        fields = ("starts_at", "title", "type", "station", "place", "status", "people_served", "participant_count",
                  "hours")  # fmt: skip


class ParticipationTable(tables.Table):
    activity_date = tables.DateTimeColumn(verbose_name=_("活动时间"), accessor="activity__starts_at",
                                          format="Y-m-d H:i")  # fmt: skip
    activity = tables.Column(linkify=("volunteers:activity_detail", [tables.A("activity_id")]))
    volunteer = tables.Column(linkify=("volunteers:volunteer_detail", [tables.A("volunteer_id")]))
    station = tables.Column(verbose_name=_("所（站）"), accessor="activity__station")

    class Meta:
        model = Participation
        fields = ("activity_date", "activity", "station", "volunteer", "hours", "status", "reviewed_by",
                  "reviewed_at", "review_note")  # fmt: skip
