"""Filters shared by the environment pages and API."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.filtersets import SearchFilterSet, UnderUnitFilter, VillageFilter, date_range, yes_no_filter

from .models import (
    Campaign,
    CleanupRecord,
    EnvironmentProblem,
    HollowHouse,
    InfrastructureProject,
    Pledge,
    ProjectProgress,
    ToiletRenovation,
    VillageRules,
    WorkMethod,
)
from .selectors import problems_overdue_on


class VillageRulesFilterSet(SearchFilterSet):
    search_fields = ("title", "text")
    village = VillageFilter()
    under = UnderUnitFilter()

    class Meta:
        model = VillageRules
        fields = []


class WorkMethodFilterSet(SearchFilterSet):
    search_fields = ("unit__name", "mechanism")
    is_pilot = yes_no_filter(_("试点村"))
    under = UnderUnitFilter()

    class Meta:
        model = WorkMethod
        fields = []


class CampaignFilterSet(SearchFilterSet):
    search_fields = ("name", "description")
    under = UnderUnitFilter()

    class Meta:
        model = Campaign
        fields = []


class CleanupRecordFilterSet(SearchFilterSet):
    search_fields = ("place", "note")
    village = VillageFilter()
    under = UnderUnitFilter()
    side = django_filters.ChoiceFilter(choices=CleanupRecord.Side.choices, label=_("类别"), empty_label=_("全部"))
    campaign = django_filters.NumberFilter(label=_("活动"), widget=forms.HiddenInput)
    date_after, date_before = date_range("date", _("起始日期"), _("截止日期"))

    class Meta:
        model = CleanupRecord
        fields = []


class EnvironmentProblemFilterSet(SearchFilterSet):
    search_fields = ("description", "place")
    village = VillageFilter()
    under = UnderUnitFilter()
    status = django_filters.ChoiceFilter(choices=EnvironmentProblem.Status.choices, label=_("状态"),
                                         empty_label=_("全部"))  # fmt: skip
    found_after, found_before = date_range("found_on", _("发现起始"), _("发现截止"))
    overdue = yes_no_filter(_("已超期"), method="filter_overdue")

    class Meta:
        model = EnvironmentProblem
        fields = []

    def filter_overdue(self, queryset, name, value):
        overdue = problems_overdue_on(queryset, timezone.localdate())
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))


class PledgeFilterSet(SearchFilterSet):
    search_fields = ("household__head_name", "household__house_number")
    village = VillageFilter()
    under = UnderUnitFilter()
    status = django_filters.ChoiceFilter(choices=Pledge.Status.choices, label=_("状态"), empty_label=_("全部"))

    class Meta:
        model = Pledge
        fields = []


class HollowHouseFilterSet(SearchFilterSet):
    search_fields = ("location", "owner__head_name")
    village = VillageFilter()
    under = UnderUnitFilter()
    status = django_filters.ChoiceFilter(choices=HollowHouse.Status.choices, label=_("状态"), empty_label=_("全部"))
    demolished_after, demolished_before = date_range("demolished_on", _("拆除起始"), _("拆除截止"))

    class Meta:
        model = HollowHouse
        fields = []


class ToiletRenovationFilterSet(SearchFilterSet):
    search_fields = ("household__head_name",)
    village = VillageFilter()
    under = UnderUnitFilter()
    kind = django_filters.ChoiceFilter(choices=ToiletRenovation.Kind.choices, label=_("类型"), empty_label=_("全部"))
    accepted = yes_no_filter(_("已验收"))
    accepted_after, accepted_before = date_range("accepted_on", _("验收起始"), _("验收截止"))

    class Meta:
        model = ToiletRenovation
        fields = []


class InfrastructureProjectFilterSet(SearchFilterSet):
    search_fields = ("name", "description")
    under = UnderUnitFilter()

    class Meta:
        model = InfrastructureProject
        fields = []


class ProjectProgressFilterSet(SearchFilterSet):
    search_fields = ("milestone", "project__name")
    under = UnderUnitFilter()
    project = django_filters.NumberFilter(label=_("项目"), widget=forms.HiddenInput)
    date_after, date_before = date_range("date", _("起始日期"), _("截止日期"))

    class Meta:
        model = ProjectProgress
        fields = []
