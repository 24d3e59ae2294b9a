"""Filters shared by the industry pages and API."""

from datetime import timedelta

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.filtersets import IdChoiceFilter, SearchFilterSet, UnderUnitFilter, VillageFilter, yes_no_filter
from branches.models import Cadre

from .models import Enterprise, FeaturedProject, IncomeEntry, Problem, SalesRecord, ServiceVisit
from .selectors import enterprise_assignments, problem_overdue_q, problems_open_before


def town_cadres(request):
    if request is None:
        return Cadre.objects.none()
    return Cadre.objects.restrict(request.user).order_by("name")


class EnterpriseFilterSet(SearchFilterSet):
    search_fields = ("name", "sector", "chain", "contact_name")
    kind = django_filters.ChoiceFilter(choices=Enterprise.Kind.choices, label=_("类型"), empty_label=_("全部"))
    sector = django_filters.CharFilter(lookup_expr="icontains", label=_("行业"))
    cadre = IdChoiceFilter(
        queryset=town_cadres, method="filter_cadre", label=_("包企干部"), empty_label=_("全部")
    )
    village = VillageFilter()
    under = UnderUnitFilter()
    is_leading = yes_no_filter(_("龙头企业"))
    has_open_problems = yes_no_filter(_("有未办结问题"), method="filter_open_problems")

    class Meta:
        model = Enterprise
        fields = []

    def filter_cadre(self, queryset, name, cadre):
        return queryset.filter(pk__in=enterprise_assignments().filter(cadre=cadre).values("target_id"))

    def filter_open_problems(self, queryset, name, value):
        return queryset.filter(open_problems__gt=0) if value else queryset.filter(open_problems=0)


class ServiceVisitFilterSet(SearchFilterSet):
    search_fields = ("enterprise__name", "cadre__name", "policies", "note")
    enterprise = django_filters.NumberFilter(label=_("企业"), widget=django_filters.widgets.forms.HiddenInput)
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("起始日期"))
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("截止日期"))

    class Meta:
        model = ServiceVisit
        fields = []


class ProblemFilterSet(SearchFilterSet):
    search_fields = ("description", "enterprise__name", "responsible")
    status = django_filters.ChoiceFilter(choices=Problem.Status.choices, label=_("状态"), empty_label=_("全部"))
    open = yes_no_filter(_("未办结"), method="filter_open")
    overdue = yes_no_filter(_("已逾期"), method="filter_overdue")
    enterprise = django_filters.NumberFilter(label=_("企业"), widget=django_filters.widgets.forms.HiddenInput)
    under = UnderUnitFilter()
    raised_after = django_filters.DateFilter(field_name="raised_on", lookup_expr="gte", label=_("提出起始"))
    raised_before = django_filters.DateFilter(field_name="raised_on", lookup_expr="lte", label=_("提出截止"))
    resolved_after = django_filters.DateFilter(field_name="resolved_on", lookup_expr="gte", label=_("办结起始"))
    resolved_before = django_filters.DateFilter(field_name="resolved_on", lookup_expr="lte", label=_("办结截止"))
    open_on = django_filters.DateFilter(method="filter_open_on", label=_("截至当日在办"))

    class Meta:
        model = Problem
        fields = []

    def filter_open_on(self, queryset, name, value):
        return problems_open_before(queryset, value + timedelta(days=1))

    def filter_open(self, queryset, name, value):
        condition = {"status__in": Problem.OPEN_STATUSES}
        return queryset.filter(**condition) if value else queryset.exclude(**condition)

    def filter_overdue(self, queryset, name, value):
        overdue = problem_overdue_q(timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class IncomeEntryFilterSet(SearchFilterSet):
    search_fields = ("note",)
    village = VillageFilter()
    under = UnderUnitFilter()
    source = django_filters.ChoiceFilter(choices=IncomeEntry.Source.choices, label=_("来源"), empty_label=_("全部"))
    year = django_filters.NumberFilter(field_name="date", lookup_expr="year", label=_("年份"))
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("起始日期"))
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("截止日期"))

    class Meta:
        model = IncomeEntry
        fields = []


class FeaturedProjectFilterSet(SearchFilterSet):
    search_fields = ("name", "cooperative", "products", "brand")
    village = VillageFilter()
    under = UnderUnitFilter()

    class Meta:
        model = FeaturedProject
        fields = []


class SalesRecordFilterSet(SearchFilterSet):
    search_fields = ("product", "platform")
    village = VillageFilter()
    under = UnderUnitFilter()
    channel = django_filters.ChoiceFilter(choices=SalesRecord.Channel.choices, label=_("渠道"), empty_label=_("全部"))
    year = django_filters.NumberFilter(field_name="date", lookup_expr="year", label=_("年份"))

    class Meta:
        model = SalesRecord
        fields = []
