from django import forms
from django.utils.translation import gettext_lazy as _

from branches.forms import REASON_HELP, DateInput, ScopedModelForm
from branches.models import Unit

from .models import ANSWER, Enterprise, FeaturedProject, IncomeEntry, Problem, SalesRecord, ServiceVisit


class EnterpriseForm(ScopedModelForm):
    unit_kinds = (Unit.Kind.TOWN, *Unit.VILLAGE_KINDS)

    class Meta:
        model = Enterprise
        fields = [
            "unit", "name", "kind", "sector", "chain", "is_leading", "contact_name", "contact_phone", "address",
            "yearly_tax", "jobs", "note",
        ]  # fmt: skip
        labels = {"unit": _("所在镇或村（社区）")}


class ServiceVisitForm(ScopedModelForm):
    """Only the enterprises the user answers for (包企) can be chosen."""

    class Meta:
        model = ServiceVisit
        fields = ["enterprise", "date", "policies", "note"]
        widgets = {"date": DateInput(), "policies": forms.Textarea(attrs={"rows": 3}),
                   "note": forms.Textarea(attrs={"rows": 3})}  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.restrict(user, ANSWER)


class ProblemForm(forms.ModelForm):
    class Meta:
        model = Problem
        fields = ["description", "responsible", "deadline"]
        widgets = {"description": forms.TextInput(attrs={"class": "form-control", "placeholder": _("企业反映的问题")}),
                   "responsible": forms.TextInput(attrs={"class": "form-control"}),
                   "deadline": DateInput(attrs={"class": "form-control"})}  # fmt: skip


ProblemFormSet = forms.formset_factory(ProblemForm, extra=3, max_num=10)


class ProblemEditForm(ScopedModelForm):
    reason_help = REASON_HELP  # a changed time limit needs a reason

    class Meta:
        model = Problem
        fields = ["description", "responsible", "deadline"]
        widgets = {"deadline": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}


class ProblemStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("改为"), choices=Problem.Status.choices)
    resolution = forms.CharField(
        label=_("办理结果 / 未解决原因"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class IncomeEntryForm(ScopedModelForm):
    unit_kinds = Unit.VILLAGE_KINDS

    class Meta:
        model = IncomeEntry
        fields = ["unit", "date", "source", "amount", "project", "note"]
        labels = {"unit": _("村（社区）")}
        widgets = {"date": DateInput()}


class FeaturedProjectForm(ScopedModelForm):
    unit_kinds = Unit.VILLAGE_KINDS

    class Meta:
        model = FeaturedProject
        fields = ["unit", "name", "cooperative", "products", "brand", "started", "households", "note"]
        labels = {"unit": _("村（社区）")}
        widgets = {"started": DateInput(), "households": forms.SelectMultiple(attrs={"size": 10})}


class SalesRecordForm(ScopedModelForm):
    unit_kinds = Unit.VILLAGE_KINDS

    class Meta:
        model = SalesRecord
        fields = ["unit", "date", "project", "product", "channel", "platform", "kg", "amount"]
        labels = {"unit": _("村（社区）")}
        widgets = {"date": DateInput()}
