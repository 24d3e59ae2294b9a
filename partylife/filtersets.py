"""Filter sets of 支部建设, shared by the pages and the API (branches.filtersets)."""

import django_filters
from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from branches.filtersets import SearchFilterSet, UnderUnitFilter, VillageFilter, date_range, yes_no_filter

from .models import Applicant, Appraisal, DuesPayment, Term
from .selectors import due_for_renewal

# --- meetings (三会一课, 主题党日, 组织生活会) ------------------------------------------------------------------------
# (end of meetings)

# --- dues, 民主评议, 发展党员, 换届 ----------------------------------------------------------------------------------

class DuesPaymentFilterSet(SearchFilterSet):
    search_fields = ("member__name",)
    village = VillageFilter()
    under = UnderUnitFilter()
    member = django_filters.NumberFilter(label=_("党员"), widget=forms.HiddenInput)
    month_after, month_before = date_range("month", _("起始月份"), _("截止月份"))
    unpaid = yes_no_filter(_("未足额缴纳"), method="filter_unpaid")

    class Meta:
        model = DuesPayment
        fields = []

    def filter_unpaid(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(paid__lt=F("due")) if value else queryset.filter(paid__gte=F("due"))


class AppraisalFilterSet(SearchFilterSet):
    search_fields = ("member__name",)
    village = VillageFilter()
    under = UnderUnitFilter()
    member = django_filters.NumberFilter(label=_("党员"), widget=forms.HiddenInput)
    year = django_filters.NumberFilter(label=_("评议年度"))
    result = django_filters.ChoiceFilter(choices=Appraisal.Result.choices, label=_("评议结果"), empty_label=_("全部"))
    decided_after, decided_before = date_range("decided_on")

    class Meta:
        model = Appraisal
        fields = []


class ApplicantFilterSet(SearchFilterSet):
    search_fields = ("name", "phone", "id_number")
    village = VillageFilter()
    under = UnderUnitFilter()
    stage = django_filters.ChoiceFilter(choices=Applicant.Stage.choices, label=_("所处阶段"), empty_label=_("全部"))
    full_after, full_before = date_range("full_on", _("转正起始日期"), _("转正截止日期"))

    class Meta:
        model = Applicant
        fields = []


class TermFilterSet(SearchFilterSet):
    search_fields = ("organisation__name", "secretary__name")
    village = VillageFilter()
    under = UnderUnitFilter()
    due = yes_no_filter(_("任期将满（六个月内）"), method="filter_due")

    class Meta:
        model = Term
        fields = []

    def filter_due(self, queryset, name, value):
        if value is None:
            return queryset
        due = due_for_renewal(queryset)
        return due if value else queryset.exclude(pk__in=due.values("pk"))


# (end of dues, 民主评议, 发展党员, 换届)

# --- 党员先锋积分 ---------------------------------------------------------------------------------------------------
# (end of points)
