from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from branches.forms import REASON_HELP, DateInput, ScopedModelForm
from branches.models import Unit

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
from .services import ANYWHERE_BELOW_TOWN, IN_A_VILLAGE, TOWN_OR_VILLAGE, VILLAGE


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

    # The open problems this cleanup cleaned: saving it closes them (services.cleanup_save); the user's own (the
    # scoped form keeps to what he may change), of the record's village once it has one.
    closes = forms.ModelMultipleChoiceField(
        queryset=EnvironmentProblem.objects.filter(status=EnvironmentProblem.Status.OPEN).select_related("unit"),
        required=False, label=_("销号的环境问题"), widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("本次清理解决的待清理环境问题，保存后即为已清理。"),
    )  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["campaign"].queryset = campaigns_open_to(user)
        if self.instance.pk is not None:
            village = self.instance.unit.village or self.instance.unit
            self.fields["closes"].queryset = self.fields["closes"].queryset.filter(unit__path__startswith=village.path)


def campaigns_open_to(user):
    """A village keeps records under its own campaigns and under the town's (a town campaign is no village's data)."""
    if user.unit is None:
        return Campaign.objects.restrict(user)
    above = Unit.objects.get_ancestors(user.unit).values("pk")
    return Campaign.objects.filter(Q(pk__in=Campaign.objects.restrict(user).values("pk")) | Q(unit__in=above))


class EnvironmentProblemForm(ScopedModelForm):
    reason_help = REASON_HELP  # a changed time limit needs a reason
    unit_kinds = IN_A_VILLAGE

    class Meta:
        model = EnvironmentProblem
        fields = ["unit", "found_on", "place", "description", "deadline", "status", "cleaned_on", "note"]
        labels = {"unit": _("所在村（社区）或网格")}
        help_texts = {"status": _("清理后也可在清理记录中选择本问题销号。")}
        widgets = {"found_on": DateInput(), "deadline": DateInput(), "cleaned_on": DateInput(),
                   "description": forms.Textarea(attrs={"rows": 3}),
                   "note": forms.Textarea(attrs={"rows": 2})}  # fmt: skip


class EnvironmentProblemAcceptForm(forms.Form):
    """What accepting a reported environment problem asks (the event sink, environment/workline.py): its time limit,
    if not the default one."""

    deadline = EnvironmentProblem._meta.get_field("deadline").formfield(
        widget=DateInput(), help_text=_("不填则自上报之日按默认时限计算")
    )


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
