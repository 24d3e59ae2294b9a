from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from branches.forms import DateInput, ScopedModelForm
from branches.models import Unit

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
from .services import ANYWHERE_BELOW_TOWN, TOWN_OR_VILLAGE, VILLAGE


class VillageRulesForm(ScopedModelForm):
    unit_kinds = VILLAGE

    class Meta:
        model = VillageRules
        fields = ["unit", "title", "text", "adopted_on"]
        labels = {"unit": _("村（社区）")}
        help_texts = {"text": _("保存修改会生成新的版本，旧版本保留可查。")}
        widgets = {"adopted_on": DateInput(), "text": forms.Textarea(attrs={"rows": 10})}


class WorkMethodForm(ScopedModelForm):
    unit_kinds = VILLAGE

    class Meta:
        model = WorkMethod
        fields = ["unit", "is_pilot", "started_on", "mechanism", "volunteers"]
        labels = {"unit": _("村（社区）")}
        widgets = {"started_on": DateInput(), "mechanism": forms.Textarea(attrs={"rows": 4})}


class CampaignForm(ScopedModelForm):
    unit_kinds = TOWN_OR_VILLAGE

    class Meta:
        model = Campaign
        fields = ["unit", "name", "start", "end", "description"]
        widgets = {"start": DateInput(), "end": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}


class CleanupRecordForm(ScopedModelForm):
    unit_kinds = ANYWHERE_BELOW_TOWN

    class Meta:
        model = CleanupRecord
        fields = ["unit", "campaign", "date", "side", "place", "garbage_tons", "billboards", "road_km", "river_km",
                  "participants", "note"]  # fmt: skip
        labels = {"unit": _("村（社区）或网格")}
        widgets = {"date": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["campaign"].queryset = campaigns_open_to(user)


def campaigns_open_to(user):
    """A village keeps records under its own campaigns and under the town's (a town campaign is no village's data)."""
    if user.unit is None:
        return Campaign.objects.restrict(user)
    above = Unit.objects.get_ancestors(user.unit).values("pk")
    return Campaign.objects.filter(Q(pk__in=Campaign.objects.restrict(user).values("pk")) | Q(unit__in=above))


class PledgeForm(ScopedModelForm):
    class Meta:
        model = Pledge
        fields = ["household", "signed_on", "status", "hygiene", "greening", "order"]
        widgets = {"signed_on": DateInput()}


class HollowHouseForm(ScopedModelForm):
    unit_kinds = (*VILLAGE, Unit.Kind.GROUP, Unit.Kind.GRID)

    class Meta:
        model = HollowHouse
        fields = ["unit", "owner", "location", "area_m2", "status", "demolished_on"]
        widgets = {"demolished_on": DateInput()}


class ToiletRenovationForm(ScopedModelForm):
    class Meta:
        model = ToiletRenovation
        fields = ["household", "kind", "completed_on", "accepted", "accepted_on"]
        widgets = {"completed_on": DateInput(), "accepted_on": DateInput()}


class InfrastructureProjectForm(ScopedModelForm):
    unit_kinds = TOWN_OR_VILLAGE

    class Meta:
        model = InfrastructureProject
        fields = ["unit", "name", "planned_investment", "planned_pipe_km", "yearly_capacity", "start", "planned_end",
                  "description"]  # fmt: skip
        widgets = {"start": DateInput(), "planned_end": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}


class ProjectProgressForm(ScopedModelForm):
    class Meta:
        model = ProjectProgress
        fields = ["project", "date", "investment", "pipe_km", "percent_done", "milestone"]
        widgets = {"date": DateInput()}
