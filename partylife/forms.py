from django import forms
from django.utils.translation import gettext_lazy as _lazy

from branches.forms import DateInput, ScopedModelForm
from branches.models import Unit
from branches.scoping import VIEW

from .models import Attendance, Meeting, MonthlyTheme

# --- meetings (三会一课, 主题党日, 组织生活会) ------------------------------------------------------------------------


class MeetingForm(ScopedModelForm):
    class Meta:
        model = Meeting
        fields = ["organisation", "kind", "held_on", "place", "host", "topic", "theme", "minutes", "resolutions"]
        help_texts = {"theme": _lazy("主题党日可留空：自动关联镇党委设定的当月主题")}
        widgets = {
            "held_on": DateInput(), "minutes": forms.Textarea(attrs={"rows": 4}),
            "resolutions": forms.Textarea(attrs={"rows": 3}),
        }  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        # The town's themes are every branch's to record against, though only the town changes them.
        self.fields["theme"].queryset = MonthlyTheme.objects.restrict(user, VIEW).order_by("-month")
        self.fields["host"].queryset = self.fields["host"].queryset.filter(is_active=True).order_by("name")


class MonthlyThemeForm(ScopedModelForm):
    unit_kinds = (Unit.Kind.TOWN, Unit.Kind.COUNTY)

    class Meta:
        model = MonthlyTheme
        fields = ["unit", "month", "title", "content"]
        labels = {"unit": _lazy("镇")}
        help_texts = {"month": _lazy("选该月任意一天即可")}
        widgets = {"month": DateInput(), "content": forms.Textarea(attrs={"rows": 4})}


class AttendanceForm(ScopedModelForm):
    class Meta:
        model = Attendance
        fields = ["meeting", "member", "status", "reason", "away_at"]


class AttendanceRowsForm(forms.Form):
    """One row per member: a big radio choice (出席 / 远程参会 / 请假 / 缺席), the reason for leave and where a member
    away is. The rules (a reason, a place) are the service's; this form only gathers the rows."""

    change_reason = forms.CharField(
        label=_lazy("修改原因"), max_length=100, required=False,
        help_text=_lazy("会议所属月份的月报已审核时必须填写，记入修改记录"),
    )  # fmt: skip

    def __init__(self, *args, members, existing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        existing = existing or {}
        for member in self.members:
            row = existing.get(member.pk)
            self.fields[f"s{member.pk}"] = forms.ChoiceField(
                label=member.name, choices=Attendance.Status.choices, widget=forms.RadioSelect,
                initial=row.status if row else Attendance.Status.PRESENT,
                error_messages={"required": _lazy("请选择出席情况。"), "invalid_choice": _lazy("请选择出席情况。")},
            )  # fmt: skip
            self.fields[f"r{member.pk}"] = forms.CharField(label=_lazy("请假事由"), max_length=200, required=False,
                                                           initial=row.reason if row else "")  # fmt: skip
            self.fields[f"a{member.pk}"] = forms.CharField(label=_lazy("外出所在地"), max_length=200, required=False,
                                                           initial=row.away_at if row else "")  # fmt: skip

    def rows(self):
        """[(member, status field, reason field, place field)] for the template."""
        return [(member, self[f"s{member.pk}"], self[f"r{member.pk}"], self[f"a{member.pk}"])
                for member in self.members]  # fmt: skip

    def attendance(self):
        """The rows as meeting_attendance_save takes them."""
        data = self.cleaned_data
        return [{"member": member, "status": data[f"s{member.pk}"], "reason": data[f"r{member.pk}"],
                 "away_at": data[f"a{member.pk}"]} for member in self.members]  # fmt: skip


# (end of meetings)

# --- dues, 民主评议, 发展党员, 换届 ----------------------------------------------------------------------------------
# (end of dues, 民主评议, 发展党员, 换届)

# --- 党员先锋积分 ---------------------------------------------------------------------------------------------------
# (end of points)
