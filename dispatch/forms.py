"""Forms of the 任务督办 pages: issuing a task, and each step a village's item takes. They only read and shape what
was typed; the rules live in services.py (a service's ValidationError is put back on the form)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from branches.models import PartyMember, Unit
from branches.scoping import VIEW
from branches.selectors import visible_villages
from reports.plugins import work_line_choices

from . import selectors
from .models import Task
from .services import MEASURES_MAX, MeasureSpec

DATE = {"type": "date"}
CHECK = {"class": "form-check-input"}


class Scope:
    TOWN = "town"
    AREAS = "areas"
    VILLAGES = "villages"
    CHOICES = ((TOWN, _("全镇各村（社区）")), (AREAS, _("按片区")), (VILLAGES, _("指定村（社区）")))


def measures_parse(text):
    """One "名称/单位" a line (the unit may be left out: "名称"), blank lines skipped, into MeasureSpecs; a line that
    does not read so is refused with its number."""
    specs, errors = [], []
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    for number, line in enumerate(lines, start=1):
        name, _sep, unit_label = line.replace("／", "/").partition("/")
        name, unit_label = name.strip(), unit_label.strip()
        if not name or "/" in unit_label or len(name) > 60 or len(unit_label) > 10:
            errors.append(
                _("第%(n)s行“%(line)s”格式不对：应为“名称/单位”，如“排查隐患/处”（名称不超过60字，单位不超过10字）。")
                % {"n": number, "line": line[:80]}
            )
            continue
        specs.append(MeasureSpec(name, unit_label))
    if len(lines) > MEASURES_MAX:
        errors.append(_("上报数字项最多%(n)s项。") % {"n": MEASURES_MAX})
    if errors:
        raise ValidationError(errors)
    return specs


class TaskForm(forms.ModelForm):
    """下达任务: the task's own fields, its targets (the whole town, areas, or chosen villages) and its measures."""

    scope = forms.ChoiceField(label=_("下达范围"), choices=Scope.CHOICES, initial=Scope.TOWN, widget=forms.RadioSelect)
    areas = forms.ModelMultipleChoiceField(
        label=_("片区"), queryset=Unit.objects.none(), required=False, widget=forms.CheckboxSelectMultiple(attrs=CHECK)
    )
    villages = forms.ModelMultipleChoiceField(
        label=_("村（社区）"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs=CHECK),
    )
    measures = forms.CharField(
        label=_("上报数字项"), required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("每行一项：名称/单位，如\n排查隐患/处\n整改到位/处")}),
        help_text=_("每行一项“名称/单位”，最多10项；各村上报时逐项填写数字。"),
    )  # fmt: skip

    class Meta:
        model = Task
        fields = ("title", "work_line", "description", "deadline", "near_days", "priority", "needs_text",
                  "needs_photo", "needs_verify", "every")  # fmt: skip
        widgets = {"deadline": forms.DateInput(attrs=DATE), "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["work_line"] = forms.ChoiceField(
            label=_("工作条线"), required=False, choices=[("", _("综合")), *work_line_choices()]
        )
        town = selectors.issuing_unit(user)
        areas = Unit.objects.restrict(user, VIEW).filter(kind=Unit.Kind.AREA).order_by("code", "path")
        self.fields["areas"].queryset = areas.filter(path__startswith=town.path) if town else areas.none()
        self.fields["villages"].queryset = visible_villages(user)
        for name in ("title", "description", "deadline", "near_days", "measures"):
            self.fields[name].widget.attrs.setdefault("class", "form-control")
        for name in ("needs_text", "needs_photo", "needs_verify"):
            self.fields[name].widget.attrs.setdefault("class", "form-check-input")
        for name in ("work_line", "priority", "every"):
            self.fields[name].widget.attrs.setdefault("class", "form-select")

    def clean_measures(self):
        return measures_parse(self.cleaned_data.get("measures"))

    def clean(self):
        cleaned = super().clean()
        scope = cleaned.get("scope")
        if scope == Scope.AREAS and not cleaned.get("areas"):
            self.add_error("areas", _("请选择至少一个片区。"))
        if scope == Scope.VILLAGES and not cleaned.get("villages"):
            self.add_error("villages", _("请选择至少一个村（社区）。"))
        return cleaned

    def targets(self):
        """The units the task goes to (services.task_issue finds their villages)."""
        scope = self.cleaned_data["scope"]
        if scope == Scope.AREAS:
            return list(self.cleaned_data["areas"])
        if scope == Scope.VILLAGES:
            return list(self.cleaned_data["villages"])
        town = selectors.issuing_unit(self.user)
        return [town] if town else []

    def targets_text(self):
        """下达范围 as the task keeps it: 全镇各村（社区）, or the names chosen."""
        scope = self.cleaned_data["scope"]
        if scope == Scope.TOWN:
            return str(Scope.CHOICES[0][1])
        return "、".join(unit.name for unit in self.targets())[:300]


class ReportForm(forms.Form):
    """上报: what was done, one number a measure (typed as text: a bad number comes back with a Chinese message and
    what was typed), the members who took part. Photos are read from the request (several at once)."""

    report_text = forms.CharField(label=_("办理情况"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}))  # fmt: skip
    members = forms.ModelMultipleChoiceField(
        label=_("参与党员"),
        queryset=PartyMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs=CHECK),
    )

    def __init__(self, *args, item, measures, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.measures = measures
        for measure in measures:
            self.fields[self.measure_field(measure)] = forms.CharField(
                label=str(measure), required=False, max_length=40,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control", "autocomplete": "off"}),
            )  # fmt: skip
        self.fields["members"].queryset = (
            PartyMember.objects.restrict(user, VIEW)
            .filter(unit__path__startswith=item.unit.path, is_active=True)
            .order_by("name", "pk")
        )

    @staticmethod
    def measure_field(measure):
        return f"m_{measure.pk}"

    def figures(self):
        """{measure id: what was typed} for services.item_report to parse."""
        return {measure.pk: self.cleaned_data.get(self.measure_field(measure), "") for measure in self.measures}

    def measure_fields(self):
        return [self[self.measure_field(measure)] for measure in self.measures]


class ExtensionForm(forms.Form):
    until = forms.DateField(label=_("申请延期至"), widget=forms.DateInput(attrs={**DATE, "class": "form-control"}))
    reason = forms.CharField(label=_("延期理由"), max_length=300,
                             widget=forms.TextInput(attrs={"class": "form-control"}))  # fmt: skip


class ReasonForm(forms.Form):
    """退回 (a reason is required by the service) or 核验办结 (a note may be left)."""

    reason = forms.CharField(label=_("意见"), max_length=300, required=False,
                             widget=forms.TextInput(attrs={"class": "form-control"}))  # fmt: skip


class DecisionForm(forms.Form):
    extension = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    grant = forms.TypedChoiceField(choices=(("yes", pgettext_lazy("button", "同意")),
                                            ("no", pgettext_lazy("button", "不同意"))),
                                   coerce=lambda v: v == "yes")  # fmt: skip
    note = forms.CharField(label=_("审批意见"), max_length=300, required=False,
                           widget=forms.TextInput(attrs={"class": "form-control"}))  # fmt: skip


