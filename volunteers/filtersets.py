"""Filters shared by the 文明实践 pages and API."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from branches.filtersets import SearchFilterSet, UnderUnitFilter, VillageFilter, date_range, yes_no_filter

from .models import Activity, ActivityType, Participation, Station, Volunteer, VolunteerTeam


def visible_teams(request):
    return VolunteerTeam.objects.restrict(request.user) if request else VolunteerTeam.objects.none()


class StationFilterSet(SearchFilterSet):
    search_fields = ("name", "address", "person_in_charge")
    village = VillageFilter()
    under = UnderUnitFilter()
    is_active = yes_no_filter(_("运行中"))

    class Meta:
        model = Station
        fields = []


class VolunteerTeamFilterSet(SearchFilterSet):
    search_fields = ("name", "leader_name", "description")
    village = VillageFilter()
    under = UnderUnitFilter()
    is_professional = yes_no_filter(_("专业志愿服务队"))
    is_active = yes_no_filter(_("在册"))

    class Meta:
        model = VolunteerTeam
        fields = []


class VolunteerFilterSet(SearchFilterSet):
    search_fields = ("name", "skills")
    village = VillageFilter()
    under = UnderUnitFilter()
    team = django_filters.ModelChoiceFilter(field_name="teams", label=_("团队"), empty_label=_("全部"),
                                            queryset=visible_teams)  # fmt: skip
    is_active = yes_no_filter(_("在册"))
    party = yes_no_filter(_("党员"), method="filter_party")
    joined_after, joined_before = date_range("joined_on", _("注册起始"), _("注册截止"))

    class Meta:
        model = Volunteer
        fields = []

    def filter_party(self, queryset, name, value):
        return queryset.filter(party_member__isnull=not value)


class ActivityFilterSet(SearchFilterSet):
    search_fields = ("title", "place", "description")
    village = VillageFilter()
    under = UnderUnitFilter()
    status = django_filters.ChoiceFilter(choices=Activity.Status.choices, label=_("状态"), empty_label=_("全部"))
    type = django_filters.ModelChoiceFilter(queryset=ActivityType.objects.all(), label=_("活动类型"),
                                            empty_label=_("全部"))  # fmt: skip
    station = django_filters.NumberFilter(label=_("所（站）"), widget=forms.HiddenInput)
    date_after, date_before = date_range("starts_at__date", _("起始日期"), _("截止日期"))

    class Meta:
        model = Activity
        fields = []


class ParticipationFilterSet(SearchFilterSet):
    search_fields = ("volunteer__name", "activity__title")
    village = VillageFilter()
    under = UnderUnitFilter()
    status = django_filters.ChoiceFilter(choices=Participation.Status.choices, label=_("审核状态"),
                                         empty_label=_("全部"))  # fmt: skip
    volunteer = django_filters.NumberFilter(label=_("志愿者"), widget=forms.HiddenInput)
    activity = django_filters.NumberFilter(label=_("活动"), widget=forms.HiddenInput)
    date_after, date_before = date_range("activity__starts_at__date", _("起始日期"), _("截止日期"))

    class Meta:
        model = Participation
        fields = []
