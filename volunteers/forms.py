from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from branches.forms import DateInput, DateTimeInput, ReasonFormMixin, ScopedModelForm, reason_field
from branches.models import User

from .models import Activity, Station, Volunteer, VolunteerTeam
from .services import TOWN_OR_VILLAGE


class StationForm(ScopedModelForm):
    unit_kinds = TOWN_OR_VILLAGE

    class Meta:
        model = Station
        fields = ["unit", "name", "address", "opening_hours", "person_in_charge", "phone", "manager",
                  "established_on", "is_active"]  # fmt: skip
        labels = {"unit": _lazy("镇或村（社区）")}
        widgets = {"established_on": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        # Accounts have no unit scope of their own: offer those attached under a unit the user may change.
        self.fields["manager"].queryset = User.objects.filter(
            unit__in=self.fields["unit"].queryset, is_active=True
        ).order_by("unit__path", "username")


class VolunteerTeamForm(ScopedModelForm):
    class Meta:
        model = VolunteerTeam
        fields = ["station", "name", "is_professional", "leader_name", "founded_on", "is_active", "description"]
        widgets = {"founded_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}


class VolunteerForm(ScopedModelForm):
    unit_kinds = TOWN_OR_VILLAGE

    class Meta:
        model = Volunteer
        fields = ["unit", "name", "gender", "phone", "skills", "party_member", "teams", "joined_on", "is_active",
                  "left_on"]  # fmt: skip
        labels = {"unit": _lazy("村（社区）")}
        help_texts = {"teams": _lazy("可选本村（社区）和本镇的团队；按住 Ctrl 多选"),
                      "left_on": _lazy("取消“在册”时填写，留空则为今天")}  # fmt: skip
        widgets = {"joined_on": DateInput(), "left_on": DateInput(), "teams": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        # A village volunteer may join the town's teams (和森故里红色宣讲队), which only the town may edit.
        self.fields["teams"].queryset = VolunteerTeam.objects.restrict(user).filter(is_active=True)


class ActivityForm(ScopedModelForm):
    class Meta:
        model = Activity
        fields = ["station", "title", "type", "teams", "starts_at", "ends_at", "place", "description",
                  "people_served"]  # fmt: skip
        help_texts = {"people_served": _lazy("活动开展后填写；计划阶段可留 0")}
        widgets = {
            "starts_at": DateTimeInput(), "ends_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 4}), "teams": forms.SelectMultiple(attrs={"size": 6}),
        }  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["type"].queryset = self.fields["type"].queryset.filter(is_active=True)
        self.fields["teams"].queryset = VolunteerTeam.objects.restrict(user).filter(is_active=True)


HOURS = {"max_digits": 4, "decimal_places": 1, "validators": [MinValueValidator(Decimal("0.5")),
                                                             MaxValueValidator(24)]}  # fmt: skip


class HeldForm(ReasonFormMixin, forms.Form):
    """Mark an activity held: people served, and a tick and the hours for each volunteer who took part."""

    people_served = forms.IntegerField(label=_lazy("服务群众（人次）"), min_value=0, max_value=100_000)

    def __init__(self, *args, candidates, existing, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for volunteer in candidates:
            taken = existing.get(volunteer.pk)
            tick = forms.BooleanField(required=False, initial=taken is not None)
            hours = forms.DecimalField(required=False, initial=taken.hours if taken else None, **HOURS)
            hours.widget.attrs.update(step="0.5", min="0.5", max="24", inputmode="decimal")
            self.fields[f"v{volunteer.pk}"], self.fields[f"h{volunteer.pk}"] = tick, hours
            self.rows.append((volunteer, taken))
        self.fields["people_served"].widget.attrs["class"] = "form-control"

    def bound_rows(self):
        return [
            (volunteer, taken, self[f"v{volunteer.pk}"], self[f"h{volunteer.pk}"]) for volunteer, taken in self.rows
        ]

    def clean(self):
        data = super().clean()
        chosen = {}
        for volunteer, _taken in self.rows:
            if not data.get(f"v{volunteer.pk}"):
                continue
            hours = data.get(f"h{volunteer.pk}")
            if hours is None:
                self.add_error(f"h{volunteer.pk}", _("请填写 %(name)s 的服务时长。") % {"name": volunteer.name})
            else:
                chosen[volunteer] = hours
        if not chosen and not self.errors:
            raise forms.ValidationError(_("请至少勾选一名参加的志愿者并填写时长。"))
        data["hours_by_volunteer"] = chosen
        return data


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=(("approve", _lazy("通过")), ("reject", _lazy("不通过"))))
    note = forms.CharField(required=False, max_length=200)
    reason = reason_field(_lazy("所选时长属于已审核的月份时必填，记入修改记录。"))
