"""Filters shared by the 任务督办 pages and API: one definition of each list's filters."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.filtersets import SearchFilterSet, UnderUnitFilter, VillageFilter, date_range, yes_no_filter
from reports.plugins import work_line_choices

from . import selectors
from .models import Item, Priority, Task

RED, YELLOW = "red", "yellow"
GENERAL = "-"  # the work-line filter's value for tasks of no line (综合)
CARDS = ((RED, _("红牌（逾期未上报）")), (YELLOW, _("黄牌（临近时限未上报）")))


class TaskFilterSet(SearchFilterSet):
    search_fields = ("title",)
    work_line = django_filters.ChoiceFilter(choices=work_line_choices, label=_("工作条线"), empty_label=_("全部"))
    priority = django_filters.ChoiceFilter(choices=Priority.choices, label=_("紧急程度"), empty_label=_("全部"))
    issued_after, issued_before = date_range("issued_on", _("下达起始日期"), _("下达截止日期"))
    mine = yes_no_filter(_("我下达的"), method="filter_mine")

    class Meta:
        model = Task
        fields = []

    def filter_mine(self, queryset, name, value):
        user = getattr(getattr(self, "request", None), "user", None)
        if value is None or user is None:
            return queryset
        return queryset.filter(issued_by=user.pk) if value else queryset.exclude(issued_by=user.pk)


class ItemFilterSet(SearchFilterSet):
    search_fields = ("task__title", "unit__name")
    task = django_filters.NumberFilter(label=_("任务"), widget=forms.HiddenInput)
    status = django_filters.ChoiceFilter(choices=Item.Status.choices, label=_("办理状态"), empty_label=_("全部"))
    village = VillageFilter()
    under = UnderUnitFilter()
    card = django_filters.ChoiceFilter(choices=CARDS, label=_("红黄牌"), empty_label=_("全部"), method="filter_card")
    work_line = django_filters.ChoiceFilter(choices=lambda: [(GENERAL, _("综合")), *work_line_choices()],
                                            label=_("工作条线"), empty_label=_("全部"), method="filter_work_line")

    class Meta:
        model = Item
        fields = []

    def filter_work_line(self, queryset, name, value: str):
        """The items of tasks of a work line, or of the general ones (综合: no line)."""
        return queryset.filter(task__work_line="" if value == GENERAL else value)

    def filter_card(self, queryset, name, value):
        """The cards of today, by the one rule of selectors (red_q, yellow_q)."""
        today = timezone.localdate()
        if value == RED:
            return queryset.filter(selectors.red_q(today))
        if value == YELLOW:
            return queryset.filter(selectors.yellow_q(today))
        return queryset
