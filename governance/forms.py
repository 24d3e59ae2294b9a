from django import forms
from django.utils.translation import gettext_lazy as _

from branches.forms import DateInput, ScopedModelForm

from .models import Hazard, PatrolMember, PatrolTeam, SafetyAction
from .services import ANYWHERE_BELOW_TOWN, TOWN_OR_VILLAGE


class PatrolTeamForm(ScopedModelForm):
    unit_kinds = TOWN_OR_VILLAGE

    class Meta:
        model = PatrolTeam
        fields = ["unit", "name", "leader_name", "founded_on", "is_active"]
        widgets = {"founded_on": DateInput()}


class PatrolMemberForm(ScopedModelForm):
    class Meta:
        model = PatrolMember
        fields = ["team", "name", "phone", "party_member", "is_active"]


class SafetyActionForm(ScopedModelForm):
    unit_kinds = ANYWHERE_BELOW_TOWN

    class Meta:
        model = SafetyAction
        fields = [
            "unit",
            "kind",
            "date",
            "team",
            "partners",
            "place",
            "umbrellas_removed",
            "helmet_persuasions",
            "note",
        ]
        widgets = {"date": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}


class HazardForm(ScopedModelForm):
    unit_kinds = ANYWHERE_BELOW_TOWN

    class Meta:
        model = Hazard
        fields = ["unit", "action", "found_on", "item", "location", "measures", "funds", "responsible", "deadline",
                  "reviewer", "note"]  # fmt: skip
        labels = {"unit": _("所在村（社区）或网格")}
        widgets = {"found_on": DateInput(), "deadline": DateInput(), "measures": forms.Textarea(attrs={"rows": 3}),
                   "note": forms.Textarea(attrs={"rows": 2})}  # fmt: skip
