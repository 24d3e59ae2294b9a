"""Edit forms of 支部建设: each offers only the records the user may write to (branches.forms.ScopedModelForm)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_lazy as _lazy

from branches.forms import DateInput, ScopedModelForm
from branches.models import Unit, User
from branches.params import BadQuery, parse_month
from branches.scoping import CHANGE, VIEW
from reports.plugins import current_month, month_key

from .models import Applicant, Appraisal, Attendance, DuesPayment, Meeting, MonthlyTheme, PointRule, Term
from .services import DuesEntry

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


# --- dues, 民主评议, 发展党员, 换届 ----------------------------------------------------------------------------------


class DuesPaymentForm(ScopedModelForm):
    class Meta:
        model = DuesPayment
        fields = ["member", "month", "due", "paid", "paid_on"]
        widgets = {"month": DateInput(), "paid_on": DateInput()}

    def _get_validation_exclusions(self):
        """The model's one-row constraint is left to the service, which refuses a second row with the member named
        (the form's member choice is checked already)."""
        return {*super()._get_validation_exclusions(), "member"}


class AppraisalForm(ScopedModelForm):
    class Meta:
        model = Appraisal
        fields = ["member", "year", "result", "decided_on", "decision"]
        widgets = {"decided_on": DateInput(), "decision": forms.Textarea(attrs={"rows": 3})}

    def _get_validation_exclusions(self):
        """The model's one-row constraint is left to the service, which refuses a second row with the member named
        (the form's member choice is checked already)."""
        return {*super()._get_validation_exclusions(), "member"}


class ApplicantForm(ScopedModelForm):
    class Meta:
        model = Applicant
        fields = ["organisation", "name", "gender", "birth_date", "id_number", "phone", "applied_on", "activist_on",
                  "candidate_on", "probationary_on", "full_on", "introducers", "note"]  # fmt: skip
        widgets = {
            **{name: DateInput() for name in ("birth_date", "applied_on", "activist_on", "candidate_on",
                                              "probationary_on", "full_on")},
            "introducers": forms.SelectMultiple(attrs={"size": 6}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }  # fmt: skip
        help_texts = {"introducers": _("接收为预备党员时须选两名正式党员。")}


class TermForm(ScopedModelForm):
    class Meta:
        model = Term
        fields = ["organisation", "starts_on", "ends_on", "secretary", "note"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"ends_on": _("留空则为起始日期后五年。")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ends_on"].required = False


class DuesSheetForm(forms.Form):
    """The month's dues of a branch on one page: per member on the roll, due, paid, the day and how many months."""

    def __init__(self, *args, sheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        for member, row in sheet:
            key = member.pk
            self.fields[f"due_{key}"] = forms.DecimalField(
                label=_("应缴"), min_value=0, max_value=100000, decimal_places=2, required=False,
                initial=row.due if row else None)  # fmt: skip
            self.fields[f"paid_{key}"] = forms.DecimalField(
                label=_("实缴（每月）"), min_value=0, max_value=100000, decimal_places=2, required=False,
                initial=row.paid if row else None)  # fmt: skip
            self.fields[f"paid_on_{key}"] = forms.DateField(
                label=_("缴纳日期"), required=False, widget=DateInput(), initial=row.paid_on if row else None)
            self.fields[f"months_{key}"] = forms.IntegerField(
                label=_("缴纳月数"), min_value=1, max_value=12, initial=1, required=False,
                help_text=_("预缴多个月时填写"))  # fmt: skip
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control form-control-sm")

    def rows(self):
        """[(member, row, {name: bound field})] for the template."""
        return [(member, row, {name: self[f"{name}_{member.pk}"] for name in ("due", "paid", "paid_on", "months")})
                for member, row in self.sheet]  # fmt: skip

    def entries(self):
        """The filled lines as services.DuesEntry (a line left with no due amount is skipped)."""
        found = []
        for member, _row in self.sheet:
            due = self.cleaned_data.get(f"due_{member.pk}")
            if due is None:
                continue
            found.append(DuesEntry(
                member=member, due=due, paid=self.cleaned_data.get(f"paid_{member.pk}") or 0,
                paid_on=self.cleaned_data.get(f"paid_on_{member.pk}"),
                months=self.cleaned_data.get(f"months_{member.pk}") or 1))  # fmt: skip
        return found


class HandoverForm(forms.Form):
    """书记交接 (the admin's): the village, the new secretary's login (or a new one), the day and the reason."""

    village = forms.ModelChoiceField(label=_("村（社区）"), queryset=Unit.objects.none())
    new_user = forms.ModelChoiceField(label=_("新书记的账号"), queryset=User.objects.none(), required=False,
                                      help_text=_("已有账号时选择；没有则在下面新建。"))  # fmt: skip
    username = forms.CharField(label=_("新建账号：用户名"), max_length=150, required=False)
    full_name = forms.CharField(label=_("新书记姓名"), max_length=150, required=False)
    password = forms.CharField(label=_("新建账号：初始密码"), required=False, widget=forms.PasswordInput)
    on = forms.DateField(label=_("交接日期"), widget=DateInput())
    reason = forms.CharField(label=_("交接原因"), max_length=80, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Unit.objects.restrict(user, CHANGE).villages().order_by("path")
        self.fields["new_user"].queryset = User.objects.filter(is_superuser=False).exclude(
            role=User.Role.ADMIN).order_by("username")  # fmt: skip
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


# --- 党员先锋积分 ---------------------------------------------------------------------------------------------------


def point_month(text):
    """The month a ranking is asked for (`YYYY-MM`; this month when blank): a malformed month or one still to come
    is a BadQuery with its reason in Chinese (a 400 on the page, a field error in the API)."""
    if not text:
        return current_month()
    month = parse_month(text if text.isascii() else "?")  # "²" passes isdigit() but is no number
    if month > current_month():
        raise BadQuery(_("月份“%(value)s”尚未到来，积分只能查看本月及以前。") % {"value": month_key(month)})
    return month


class PointRuleForm(forms.ModelForm):
    """One point source's rule on the admin's page (each source's form carries its code as its prefix)."""

    class Meta:
        model = PointRule
        fields = ["points", "monthly_cap"]
        widgets = {
            "points": forms.NumberInput(attrs={"class": "form-control form-control-sm", "step": "0.01", "min": 0}),
            "monthly_cap": forms.NumberInput(attrs={"class": "form-control form-control-sm", "step": "0.01",
                                                    "min": 0}),
        }  # fmt: skip
