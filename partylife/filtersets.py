"""Filters shared by the 支部建设 pages and API."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from branches.filtersets import IdChoiceFilter, SearchFilterSet, UnderUnitFilter, VillageFilter, date_range
from branches.models import PartyOrganisation

from .models import Attendance, Meeting, MeetingKind, MonthlyTheme

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


# (end of meetings)

# --- dues, 民主评议, 发展党员, 换届 ----------------------------------------------------------------------------------
# (end of dues, 民主评议, 发展党员, 换届)

# --- 党员先锋积分 ---------------------------------------------------------------------------------------------------
# (end of points)
