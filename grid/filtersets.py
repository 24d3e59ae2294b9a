"""The filters of the event list, shared by its page and the API."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.filtersets import SearchFilterSet, UnderUnitFilter, VillageFilter, date_range, yes_no_filter

from . import selectors
from .models import GridEvent, Kind


class EventFilterSet(SearchFilterSet):
    search_fields = ("description", "place", "unit__name")
    kind = django_filters.ChoiceFilter(choices=Kind.choices, label=_("事件类型"), empty_label=_("全部"))
    status = django_filters.ChoiceFilter(choices=GridEvent.Status.choices, label=_("状态"), empty_label=_("全部"))
    village = VillageFilter()
    under = UnderUnitFilter(label=_("单位"))
    reported_after, reported_before = date_range("reported_at__date", _("上报起始日期"), _("上报截止日期"))
    overdue = yes_no_filter(_("逾期"), method="filter_overdue")
    mine = yes_no_filter(_("我上报的"), method="filter_mine")

    class Meta:
        model = GridEvent
        fields = []

    def filter_overdue(self, queryset, name, value: bool | None):
        if value is None:
            return queryset
        condition = selectors.overdue_events_q(timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_mine(self, queryset, name, value: bool | None):
        user = getattr(getattr(self, "request", None), "user", None)
        if value is None or user is None:
            return queryset
        return queryset.filter(reporter=user.pk) if value else queryset.exclude(reporter=user.pk)
