"""List tables of the environment ledgers (each page's columns are also its Excel export's)."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reports.plugins import DeadlineColumn

from .models import (
    Campaign,
    CleanupRecord,
    EnvironmentProblem,
    HollowHouse,
    InfrastructureProject,
    Pledge,
    ProjectProgress,
    ToiletRenovation,
    VillageRules,
    WorkMethod,
)
from .selectors import PROBLEM_DATES


def detail_link(name):
    return (f"environment:{name}_detail", [tables.A("pk")])


def cleanup_link(record):
    """The page of the cleanup record that closed the problem (none while it is open)."""
    return reverse("environment:cleanuprecord_detail", args=[record.cleanup_id]) if record.cleanup_id else None


class VillageRulesTable(tables.Table):
    title = tables.Column(linkify=detail_link("villagerules"))

    class Meta:
        model = VillageRules
        fields = ("unit", "title", "version", "adopted_on")


class WorkMethodTable(tables.Table):
    unit = tables.Column(linkify=detail_link("workmethod"))

    class Meta:
        model = WorkMethod
        fields = ("unit", "is_pilot", "started_on", "volunteers")


class CampaignTable(tables.Table):
    name = tables.Column(linkify=detail_link("campaign"))
    cleanup_count = tables.Column(verbose_name=_("清理记录"), orderable=False)
    tons = tables.Column(verbose_name=_("清除垃圾（吨）"), orderable=False, default=0)

    class Meta:
        model = Campaign
        fields = ("name", "unit", "start", "end", "cleanup_count", "tons")


class CleanupRecordTable(tables.Table):
    date = tables.Column(linkify=detail_link("cleanuprecord"))

    class Meta:
        model = CleanupRecord
        fields = ("date", "unit", "campaign", "side", "place", "garbage_tons", "billboards", "road_km", "river_km",
                  "participants")  # fmt: skip


class EnvironmentProblemTable(tables.Table):
    description = tables.Column(linkify=detail_link("environmentproblem"))
    deadline = DeadlineColumn(**PROBLEM_DATES, verbose_name=_("清理时限"))
    cleanup = tables.Column(linkify=cleanup_link)

    class Meta:
        model = EnvironmentProblem
        fields = ("description", "unit", "place", "found_on", "deadline", "status", "cleaned_on", "cleanup")


class PledgeTable(tables.Table):
    household = tables.Column(linkify=detail_link("pledge"))

    class Meta:
        model = Pledge
        fields = ("household", "unit", "signed_on", "status", "hygiene", "greening", "order")


class HollowHouseTable(tables.Table):
    location = tables.Column(linkify=detail_link("hollowhouse"))

    class Meta:
        model = HollowHouse
        fields = ("location", "unit", "owner", "area_m2", "status", "demolished_on")


class ToiletRenovationTable(tables.Table):
    household = tables.Column(linkify=detail_link("toiletrenovation"))

    class Meta:
        model = ToiletRenovation
        fields = ("household", "unit", "kind", "completed_on", "accepted", "accepted_on")


class InfrastructureProjectTable(tables.Table):
    name = tables.Column(linkify=detail_link("infrastructureproject"))

    class Meta:
        model = InfrastructureProject
        fields = ("name", "unit", "planned_investment", "planned_pipe_km", "yearly_capacity", "start", "planned_end")


class ProjectProgressTable(tables.Table):
    date = tables.Column(linkify=detail_link("projectprogress"))

    class Meta:
        model = ProjectProgress
        fields = ("date", "project", "investment", "pipe_km", "percent_done", "milestone")
