"""The ledgers of 支部+环境整治, each declared once: its pages, API and routes are derived (branches.ledgers)."""

from django.utils.translation import gettext_lazy as _

from branches.ledgers import Ledger
from branches.services import record_delete
from reports.plugins import listing

from . import filtersets, forms, selectors, services, tables
from .api import serializers
from .api.views import ClosesThroughService, PhotoActionsMixin
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


class PhotographedLedger(Ledger):
    """A ledger whose records carry photos (before and after): its API lists and takes them at …/{id}/photos/."""

    api_mixins = (PhotoActionsMixin,)


class VillageRulesLedger(Ledger):
    model = VillageRules
    prefix = "environment/rules"
    selector = selectors.rules_list
    table = tables.VillageRulesTable
    filterset = filtersets.VillageRulesFilterSet
    form = forms.VillageRulesForm
    save = services.village_rules_save
    fields = ("unit", "title", "version", "adopted_on", "text")
    serializer = serializers.VillageRulesSerializer
    api_name, api_basename = "rules", "rules"


class WorkMethodLedger(Ledger):
    model = WorkMethod
    prefix = "environment/131"
    selector = selectors.work_method_list
    table = tables.WorkMethodTable
    filterset = filtersets.WorkMethodFilterSet
    form = forms.WorkMethodForm
    save = services.work_method_save
    fields = ("unit", "is_pilot", "started_on", "mechanism", "volunteers")
    serializer = serializers.WorkMethodSerializer
    api_name, api_basename = "work-methods", "work-method"


class CampaignLedger(Ledger):
    model = Campaign
    prefix = "environment/campaigns"
    selector = selectors.campaign_list
    table = tables.CampaignTable
    filterset = filtersets.CampaignFilterSet
    form = forms.CampaignForm
    save = services.campaign_save
    fields = ("name", "unit", "start", "end", "description")
    serializer = serializers.CampaignSerializer
    api_name = "campaigns"


class CleanupRecordLedger(PhotographedLedger):
    model = CleanupRecord
    dated_by = ("date",)
    prefix = "environment/cleanups"
    selector = selectors.cleanup_list
    table = tables.CleanupRecordTable
    filterset = filtersets.CleanupRecordFilterSet
    form = forms.CleanupRecordForm
    save = services.cleanup_save
    delete = services.cleanup_delete
    fields = ("date", "unit", "campaign", "side", "place", "garbage_tons", "billboards", "road_km", "river_km",
              "participants", "note")  # fmt: skip
    detail_template = "generic/object_detail_deletable.html"
    serializer = serializers.CleanupRecordSerializer
    api_name, api_basename = "cleanups", "cleanup"
    api_mixins = (ClosesThroughService, *PhotographedLedger.api_mixins)

    @classmethod
    def save_form(cls, request, form):
        closes = list(form.cleaned_data.get("closes") or ())
        return services.cleanup_save(user=request.user, instance=form.save(commit=False), closes=closes)

    @classmethod
    def detail_context(cls, request, obj, context):
        closed = listing(str(problem) for problem in obj.problems.order_by("id"))
        return {"field_rows": [*context["field_rows"], (_("销号的环境问题"), closed or "—")]} if closed else {}


class EnvironmentProblemLedger(PhotographedLedger):
    """A problem the village must clean, with its time limit; a cleanup record closes it (cleanups/ `closes`)."""

    model = EnvironmentProblem
    prefix = "environment/problems"
    selector = selectors.problem_list
    table = tables.EnvironmentProblemTable
    filterset = filtersets.EnvironmentProblemFilterSet
    tab_filter = "status"
    form = forms.EnvironmentProblemForm
    save = services.problem_save
    fields = ("description", "unit", "place", "found_on", "deadline", "status", "cleaned_on", "cleanup", "note")
    serializer = serializers.EnvironmentProblemSerializer
    api_name, api_basename = "problems", "problem"

    @classmethod
    def detail_context(cls, request, obj, context):
        return {"deadline_state": selectors.problem_state(obj)}


class PledgeLedger(Ledger):
    model = Pledge
    prefix = "environment/pledges"
    selector = selectors.pledge_list
    table = tables.PledgeTable
    filterset = filtersets.PledgeFilterSet
    form = forms.PledgeForm
    save = services.pledge_save
    fields = ("household", "unit", "signed_on", "status", "hygiene", "greening", "order")
    serializer = serializers.PledgeSerializer
    api_name = "pledges"

    @classmethod
    def viewset(cls):
        # The API has always deleted a pledge while the pages never offered to; declaring `delete` would add a delete
        # page, so only the viewset gains it.
        viewset = super().viewset()
        attributes = {"delete_service": staticmethod(record_delete), "__doc__": viewset.__doc__}
        return type(viewset.__name__, (viewset,), attributes)


class HollowHouseLedger(PhotographedLedger):
    model = HollowHouse
    dated_by = ("demolished_on",)
    prefix = "environment/hollow-houses"
    selector = selectors.hollow_house_list
    table = tables.HollowHouseTable
    filterset = filtersets.HollowHouseFilterSet
    form = forms.HollowHouseForm
    save = services.hollow_house_save
    fields = ("location", "unit", "owner", "area_m2", "status", "demolished_on")
    serializer = serializers.HollowHouseSerializer
    api_name, api_basename = "hollow-houses", "hollow-house"


class ToiletRenovationLedger(Ledger):
    model = ToiletRenovation
    dated_by = ("accepted_on",)
    prefix = "environment/toilets"
    selector = selectors.toilet_list
    table = tables.ToiletRenovationTable
    filterset = filtersets.ToiletRenovationFilterSet
    form = forms.ToiletRenovationForm
    save = services.toilet_save
    fields = ("household", "unit", "kind", "completed_on", "accepted", "accepted_on")
    serializer = serializers.ToiletRenovationSerializer
    api_name, api_basename = "toilets", "toilet"


class InfrastructureProjectLedger(PhotographedLedger):
    model = InfrastructureProject
    prefix = "environment/projects"
    selector = selectors.project_list
    table = tables.InfrastructureProjectTable
    filterset = filtersets.InfrastructureProjectFilterSet
    form = forms.InfrastructureProjectForm
    save = services.infrastructure_project_save
    fields = ("name", "unit", "planned_investment", "planned_pipe_km", "yearly_capacity", "start", "planned_end",
              "description")  # fmt: skip
    detail_template = "environment/project_detail.html"
    serializer = serializers.InfrastructureProjectSerializer
    api_name, api_basename = "projects", "project"

    @classmethod
    def detail_context(cls, request, obj, context):
        return {"state": selectors.project_states([obj])[0], "steps": obj.progress.order_by("date", "id")}


class ProjectProgressLedger(Ledger):
    model = ProjectProgress
    dated_by = ("date",)
    prefix = "environment/progress"
    selector = selectors.progress_list
    table = tables.ProjectProgressTable
    filterset = filtersets.ProjectProgressFilterSet
    form = forms.ProjectProgressForm
    save = services.project_progress_save
    fields = ("project", "date", "investment", "pipe_km", "percent_done", "milestone")
    serializer = serializers.ProjectProgressSerializer
    api_name, api_basename = "progress", "progress"


LEDGERS = (VillageRulesLedger, WorkMethodLedger, CampaignLedger, CleanupRecordLedger, EnvironmentProblemLedger,
           PledgeLedger, HollowHouseLedger, ToiletRenovationLedger, InfrastructureProjectLedger,
           ProjectProgressLedger)  # fmt: skip
