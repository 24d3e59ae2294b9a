"""Edit forms. Each takes the user and offers only the units and records he may write to."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .closing import REASON_MAX_LENGTH
from .models import (
    Assignment,
    Cadre,
    GridWorker,
    Household,
    HouseholdLink,
    MicroGrid,
    PartyMember,
    PartyOrganisation,
    Unit,
    User,
)
from .scoping import CHANGE, pick_action

REASON_HELP = _("修改办理时限时必须填写，记入修改记录。")


def bootstrap_widgets(form):
    """Bootstrap's class on every widget of `form` that has none yet (a select, a check box, any other input)."""
    for field in form.fields.values():
        css = "form-check-input" if isinstance(field.widget, forms.CheckboxInput) else "form-control"
        if isinstance(field.widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        field.widget.attrs.setdefault("class", css)
    return form


def reason_field(help_text=None):
    """The one 修改原因 field of a change (branches.closing stores it on the row, the history keeps it): asked for
    by a row of an approved month or a closed year, and by a case whose time limit changes."""
    return forms.CharField(
        label=_("修改原因"), required=False, max_length=REASON_MAX_LENGTH, help_text=help_text or REASON_HELP,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )  # fmt: skip


class ReasonFormMixin:
    """A form that asks one 修改原因 (`reason`) for a change: from the start when `reason_help` is set (a case whose
    time limit may change), and whenever `ask_reason` says the row lies in a closed period (a month whose report is
    approved, a closed year: branches.closing). One field serves both; the view stores it (`closing.set_reason`)."""

    reason_help = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.reason_help:
            self.fields["reason"] = reason_field(self.reason_help)

    def ask_reason(self, closed=""):
        """Give the form its reason field for a row of a closed period (`closed` says which, "" when the dates
        entered put it there): the change is saved only with a reason."""
        if closed:
            help_text = _("%(closed)s，修改须写明原因，原因记入修改记录。") % {"closed": closed}
        elif "reason" in self.fields:
            return
        else:
            help_text = _("所填日期属于已审核的月份或已关账的年度，须写明修改原因，原因记入修改记录。")
        if "reason" in self.fields:
            self.fields["reason"].help_text = help_text
        else:
            self.fields["reason"] = reason_field(help_text)

    @property
    def reason_given(self):
        return (getattr(self, "cleaned_data", None) or {}).get("reason", "")


class ScopedModelForm(ReasonFormMixin, forms.ModelForm):
    """Limits every related-record choice to what the user may change, and the unit choice to fitting kinds."""

    unit_kinds = None

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset, "restrict"):
                field.queryset = queryset.restrict(user, pick_action(user, queryset.model))
        if "unit" in self.fields and self.unit_kinds:
            self.fields["unit"].queryset = self.fields["unit"].queryset.filter(kind__in=self.unit_kinds)
        bootstrap_widgets(self)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class UnitCreateForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=Unit.Kind.choices)
    code = forms.CharField(label=_("区划代码"), max_length=32, required=False)
    # What the unit's 公文 say of it (reports/documents/): the 版头's body and the 文号's 代字.
    issuing_name = forms.CharField(label=_("发文机关名称"), max_length=60, required=False,
                                   help_text=_("公文版头上的发文机关全称，如“中共双峰县井字镇委员会”。"))  # fmt: skip
    doc_prefix = forms.CharField(label=_("发文机关代字"), max_length=8, required=False,
                                 help_text=_("文号中的机关代字，如“井”（井发〔2026〕12号）。"))  # fmt: skip
    note = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap_widgets(self)


class UnitEditForm(UnitCreateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["kind"]


class HouseholdForm(ScopedModelForm):
    unit_kinds = (Unit.Kind.GRID,)

    class Meta:
        model = Household
        fields = ["unit", "head_name", "house_number", "population", "phone", "note"]
        labels = {"unit": _("所属网格")}


class PartyOrganisationForm(ScopedModelForm):
    unit_kinds = (Unit.Kind.COUNTY, Unit.Kind.TOWN, *Unit.VILLAGE_KINDS)

    class Meta:
        model = PartyOrganisation
        fields = ["unit", "name", "level", "parent", "secretary_name", "committee", "founded"]
        widgets = {"founded": DateInput(), "committee": forms.Textarea(attrs={"rows": 3})}


class PartyMemberForm(ScopedModelForm):
    class Meta:
        model = PartyMember
        fields = [
            "organisation",
            "name",
            "gender",
            "birth_date",
            "joined_date",
            "phone",
            "household",
            "is_group_leader",
            "is_active",
        ]
        widgets = {"birth_date": DateInput(), "joined_date": DateInput()}


class HouseholdLinkForm(ScopedModelForm):
    class Meta:
        model = HouseholdLink
        fields = ["household", "since"]
        widgets = {"since": DateInput()}


class MicroGridForm(ScopedModelForm):
    unit_kinds = (Unit.Kind.GRID,)

    class Meta:
        model = MicroGrid
        fields = ["unit", "name", "leader", "households"]
        labels = {"unit": _("所属网格")}
        widgets = {"households": forms.SelectMultiple(attrs={"size": 12})}


class CadreForm(ScopedModelForm):
    unit_kinds = (Unit.Kind.TOWN, Unit.Kind.COUNTY)

    class Meta:
        model = Cadre
        fields = ["unit", "name", "position", "is_leader", "in_centre", "phone", "user"]


class GridWorkerForm(ScopedModelForm):
    unit_kinds = (Unit.Kind.GRID,)

    class Meta:
        model = GridWorker
        fields = ["unit", "name", "phone", "member", "user"]
        labels = {"unit": _("所属网格")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        # his login: a 网格员 account under what the editor may change (services.grid_worker_save checks its grid)
        self.fields["user"].queryset = User.objects.filter(
            role=User.Role.GRID_WORKER, unit__in=Unit.objects.restrict(user, CHANGE)
        ).order_by("username")


class HouseholdContactForm(forms.ModelForm):
    """What a grid worker may change of a household: how to reach it (Household.contact_fields)."""

    class Meta:
        model = Household
        fields = list(Household.contact_fields)
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")


class AssignmentForm(ScopedModelForm):
    class Meta:
        model = Assignment
        fields = ["kind", "unit", "household", "cadre", "member", "role_title", "start_date", "end_date"]
        labels = {"unit": _("包联单位（包片/包村/包组）")}
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].required = False
        self.fields["kind"].choices = [
            choice for choice in self.fields["kind"].choices if choice[0] != Assignment.Kind.ENTERPRISE
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") != Assignment.Kind.HOUSEHOLD and not cleaned.get("unit"):
            self.add_error("unit", _("请选择包联单位。"))
        return cleaned


class RevealForm(forms.Form):
    """查看完整信息: the reason a masked reader gives for seeing a record's personal data whole."""

    reason = forms.CharField(
        label=_("查看事由"),
        max_length=200,
        strip=True,
        error_messages={"required": _("请说明查看完整信息的事由。"), "max_length": _("事由最多 200 个字。")},
        widget=forms.TextInput(attrs={"placeholder": _("如：包案领导需电话联系信访人")}),
    )
