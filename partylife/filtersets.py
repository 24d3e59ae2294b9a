"""Filters shared by the 支部建设 pages and API."""


import django_filters
from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from branches.filtersets import (
    IdChoiceFilter,
    SearchFilterSet,
    UnderUnitFilter,
    VillageFilter,
    date_range,
    yes_no_filter,
)
from branches.models import PartyOrganisation

from .models import Applicant, Appraisal, Attendance, DuesPayment, Meeting, MeetingKind, MonthlyTheme, Term
from .selectors import due_for_renewal

# --- meetings (三会一课, 主题党日, 组织生活会) ------------------------------------------------------------------------


def visible_organisations(request):
    return PartyOrganisation.objects.restrict(request.user) if request else PartyOrganisation.objects.none()


class MeetingFilterSet(SearchFilterSet):
    search_fields = ("topic", "place")
    village = VillageFilter()
    under = UnderUnitFilter()
    organisation = IdChoiceFilter(queryset=visible_organisations, label=_("党组织"), empty_label=_("全部"))
    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices, label=_("会议类型"), empty_label=_("全部"))
    date_after, date_before = date_range("held_on", _("起始日期"), _("截止日期"))

    class Meta:
        model = Meeting
        fields = []


class AttendanceFilterSet(SearchFilterSet):
    search_fields = ("member__name", "meeting__topic", "away_at")
    village = VillageFilter()
    under = UnderUnitFilter()
    status = django_filters.ChoiceFilter(choices=Attendance.Status.choices, label=_("出席情况"), empty_label=_("全部"))
    kind = django_filters.ChoiceFilter(field_name="meeting__kind", choices=MeetingKind.choices, label=_("会议类型"),
                                       empty_label=_("全部"))  # fmt: skip
    meeting = django_filters.NumberFilter(label=_("会议"), widget=forms.HiddenInput)
    member = django_filters.NumberFilter(label=_("党员"), widget=forms.HiddenInput)
    date_after, date_before = date_range("meeting__held_on", _("起始日期"), _("截止日期"))

    class Meta:
        model = Attendance
        fields = []


class MonthlyThemeFilterSet(SearchFilterSet):
    search_fields = ("title", "content")
    date_after, date_before = date_range("month", _("起始月份"), _("截止月份"))

    class Meta:
        model = MonthlyTheme
        fields = []


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
