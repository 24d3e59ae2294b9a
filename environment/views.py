"""Pages of 支部+环境整治: the village's environment page (its four-level chain, rules, engines, pledges and the
month's cleanup), the town's campaigns and projects, the gaps in the chain, and every ledger (shared generic views)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from branches.generic_views import ledger_views
from branches.models import Assignment, Unit
from branches.scoping import VIEW
from branches.selectors import households_without_keeper, responsibility_chain
from reports.plugins import add_months, current_month

from . import filtersets, forms, selectors, services, tables
from .models import (
    Campaign,
    CleanupRecord,
    HollowHouse,
    InfrastructureProject,
    Pledge,
    ProjectProgress,
    ToiletRenovation,
    VillageRules,
    WorkMethod,
)

DELETABLE = "generic/object_detail_deletable.html"

RULES = ledger_views(
    VillageRules,
    selectors.rules_list,
    tables.VillageRulesTable,
    filtersets.VillageRulesFilterSet,
    forms.VillageRulesForm,
    services.village_rules_save,
    ("unit", "title", "version", "adopted_on", "text"),
)
METHODS = ledger_views(
    WorkMethod,
    selectors.work_method_list,
    tables.WorkMethodTable,
    filtersets.WorkMethodFilterSet,
    forms.WorkMethodForm,
    services.work_method_save,
    ("unit", "is_pilot", "started_on", "mechanism", "volunteers"),
)
CAMPAIGNS = ledger_views(
    Campaign,
    selectors.campaign_list,
    tables.CampaignTable,
    filtersets.CampaignFilterSet,
    forms.CampaignForm,
    services.campaign_save,
    ("name", "unit", "start", "end", "description"),
)
CLEANUPS = ledger_views(
    CleanupRecord,
    selectors.cleanup_list,
    tables.CleanupRecordTable,
    filtersets.CleanupRecordFilterSet,
    forms.CleanupRecordForm,
    services.cleanup_save,
    (
        "date",
        "unit",
        "campaign",
        "side",
        "place",
        "garbage_tons",
        "billboards",
        "road_km",
        "river_km",
        "participants",
        "note",
    ),
    deletable=True,
    detail_template=DELETABLE,
)
PLEDGES = ledger_views(
    Pledge,
    selectors.pledge_list,
    tables.PledgeTable,
    filtersets.PledgeFilterSet,
    forms.PledgeForm,
    services.pledge_save,
    ("household", "unit", "signed_on", "status", "hygiene", "greening", "order"),
)
HOLLOW_HOUSES = ledger_views(
    HollowHouse,
    selectors.hollow_house_list,
    tables.HollowHouseTable,
    filtersets.HollowHouseFilterSet,
    forms.HollowHouseForm,
    services.hollow_house_save,
    ("location", "unit", "owner", "area_m2", "status", "demolished_on"),
)
TOILETS = ledger_views(
    ToiletRenovation,
    selectors.toilet_list,
    tables.ToiletRenovationTable,
    filtersets.ToiletRenovationFilterSet,
    forms.ToiletRenovationForm,
    services.toilet_save,
    ("household", "unit", "kind", "completed_on", "accepted", "accepted_on"),
)
PROJECTS = ledger_views(
    InfrastructureProject,
    selectors.project_list,
    tables.InfrastructureProjectTable,
    filtersets.InfrastructureProjectFilterSet,
    forms.InfrastructureProjectForm,
    services.infrastructure_project_save,
    ("name", "unit", "planned_investment", "planned_pipe_km", "yearly_capacity", "start", "planned_end", "description"),
    detail_template="environment/project_detail.html",
)
PROGRESS = ledger_views(ProjectProgress, selectors.progress_list, tables.ProjectProgressTable,
                        filtersets.ProjectProgressFilterSet, forms.ProjectProgressForm, services.project_progress_save,
                        ("project", "date", "investment", "pipe_km", "percent_done", "milestone"))  # fmt: skip


class ProjectDetail(PROJECTS["detail"]):
    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        context["state"] = selectors.project_states([obj])[0]
        context["steps"] = obj.progress.order_by("date", "id")
        return context


PROJECTS["detail"] = ProjectDetail


@login_required
def village(request, unit_id):
    """A village's environment: who answers for what, its rules and engines, pledges, and this month's cleanup."""
    unit = get_object_or_404(Unit.objects.restrict(request.user, VIEW).villages(), pk=unit_id)
    month = current_month()
    overview = selectors.village_overview(unit, month, add_months(month, 1))
    group_keepers = {
        assignment.unit_id: assignment.person
        for assignment in Assignment.objects.active()
        .filter(kind=Assignment.Kind.GROUP, unit__in=overview["groups"])
        .select_related("cadre", "member")
    }
    context = {
        "unit": unit,
        "month": month,
        "chain": responsibility_chain(unit=unit),
        "group_rows": [(group, group_keepers.get(group.pk)) for group in overview["groups"]],
        "gaps": households_without_keeper(request.user, unit).count(),
        **overview,
    }
    return render(request, "environment/village.html", context)


@login_required
def town(request):
    """The town's campaigns and infrastructure projects, with the campaigns' cleanup totals."""
    user = request.user
    context = {
        "campaigns": selectors.campaign_list(user)[:20],
        "projects": selectors.project_states(selectors.project_list(user)),
        "villages": Unit.objects.restrict(user).villages().order_by("code", "path"),
        "today": timezone.localdate(),
    }
    return render(request, "environment/town.html", context)


@login_required
def gaps(request):
    """Households nobody answers for (no 包户 in force), to be closed by naming a party member on the household."""
    unit = None
    if request.GET.get("under", "").isdigit():
        unit = get_object_or_404(Unit.objects.restrict(request.user, VIEW), pk=request.GET["under"])
    households = households_without_keeper(request.user, unit)
    page = Paginator(households, 50).get_page(request.GET.get("page"))
    return render(request, "environment/gaps.html", {"page": page, "unit": unit, "count": households.count()})
