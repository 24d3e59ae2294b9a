from django import forms
from django.utils.translation import gettext as _

from branches.params import BadQuery, parse_month
from reports.plugins import current_month, month_key

from .models import PointRule

# --- meetings (三会一课, 主题党日, 组织生活会) ------------------------------------------------------------------------
# (end of meetings)

# --- dues, 民主评议, 发展党员, 换届 ----------------------------------------------------------------------------------
# (end of dues, 民主评议, 发展党员, 换届)

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


# (end of points)
