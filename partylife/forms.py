from django import forms

from .models import PointRule

# --- meetings (三会一课, 主题党日, 组织生活会) ------------------------------------------------------------------------
# (end of meetings)

# --- dues, 民主评议, 发展党员, 换届 ----------------------------------------------------------------------------------
# (end of dues, 民主评议, 发展党员, 换届)

# --- 党员先锋积分 ---------------------------------------------------------------------------------------------------


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
