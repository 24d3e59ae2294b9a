"""Filters shared by the governance pages and API."""

from datetime import timedelta

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.filtersets import SearchFilterSet, UnderUnitFilter, VillageFilter, date_range, yes_no_filter

from .models import (
    Checkpoint,
    CheckpointStaff,
    DisputeCase,
    DoorKnock,
    Hazard,
    KeyPerson,
    KeyPersonKeeper,
    MediationCommittee,
    PassRecord,
    PatrolMember,
    PatrolTeam,
    PeopleIssue,
    PetitionCase,
    SafetyAction,
    VisitLog,
)
from .selectors import (
    disputes_open_before,
    disputes_overdue_on,
    hazards_open_before,
    hazards_overdue_on,
    petitions_open_before,
    petitions_overdue_on,
)


def open_on_filter():
    """?open_on=YYYY-MM-DD: the rows still open at the end of that day (a backlog indicator's rows)."""
    return django_filters.DateFilter(method="filter_open_on", label=_("截至当日在办"))


def overdue_filter(queryset, rule, value):
    """已超期 (or not) today, by the ledger's own rule (reports.deadlines)."""
    overdue = rule(queryset, timezone.localdate())
    return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))


class PatrolTeamFilterSet(SearchFilterSet):
    search_fields = ("name", "leader_name")
    under = UnderUnitFilter()

    class Meta:
        model = PatrolTeam
        fields = []


class PatrolMemberFilterSet(SearchFilterSet):
    search_fields = ("name", "phone")
    team = django_filters.NumberFilter(label=_("队伍"), widget=forms.HiddenInput)
    under = UnderUnitFilter()

    class Meta:
        model = PatrolMember
        fields = []


class SafetyActionFilterSet(SearchFilterSet):
    search_fields = ("place", "partners", "note")
    village = VillageFilter()
    under = UnderUnitFilter()
    kind = django_filters.ChoiceFilter(choices=SafetyAction.Kind.choices, label=_("类型"), empty_label=_("全部"))
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("起始日期"))
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("截止日期"))

    class Meta:
        model = SafetyAction
        fields = []


class HazardFilterSet(SearchFilterSet):
    search_fields = ("item", "location", "responsible")
    village = VillageFilter()
    under = UnderUnitFilter()
    status = django_filters.ChoiceFilter(choices=Hazard.Status.choices, label=_("状态"), empty_label=_("全部"))
    overdue = yes_no_filter(_("已逾期"), method="filter_overdue")
    found_after = django_filters.DateFilter(field_name="found_on", lookup_expr="gte", label=_("发现起始"))
    found_before = django_filters.DateFilter(field_name="found_on", lookup_expr="lte", label=_("发现截止"))
    rectified_after = django_filters.DateFilter(field_name="rectified_on", lookup_expr="gte", label=_("整改起始"))
    rectified_before = django_filters.DateFilter(field_name="rectified_on", lookup_expr="lte", label=_("整改截止"))
    open_on = open_on_filter()

    class Meta:
        model = Hazard
        fields = []

    def filter_open_on(self, queryset, name, value):
        return hazards_open_before(queryset, value + timedelta(days=1))

    def filter_overdue(self, queryset, name, value):
        return overdue_filter(queryset, hazards_overdue_on, value)


class MediationCommitteeFilterSet(SearchFilterSet):
    search_fields = ("name", "director", "legal_adviser")
    village = VillageFilter()
    under = UnderUnitFilter()

    class Meta:
        model = MediationCommittee
        fields = []


class DisputeCaseFilterSet(SearchFilterSet):
    # Searching by a party's name would reveal it to users who see it masked: only the summary and the mediator.
    search_fields = ("summary", "mediator")
    village = VillageFilter()
    under = UnderUnitFilter()
    kind = django_filters.ChoiceFilter(choices=DisputeCase.Kind.choices, label=_("类型"), empty_label=_("全部"))
    result = django_filters.ChoiceFilter(choices=DisputeCase.Result.choices, label=_("结果"), empty_label=_("全部"))
    received_after = django_filters.DateFilter(field_name="received_on", lookup_expr="gte", label=_("受理起始"))
    received_before = django_filters.DateFilter(field_name="received_on", lookup_expr="lte", label=_("受理截止"))
    closed_after = django_filters.DateFilter(field_name="closed_on", lookup_expr="gte", label=_("办结起始"))
    closed_before = django_filters.DateFilter(field_name="closed_on", lookup_expr="lte", label=_("办结截止"))
    open_on = open_on_filter()
    overdue = yes_no_filter(_("已超期"), method="filter_overdue")

    class Meta:
        model = DisputeCase
        fields = []

    def filter_open_on(self, queryset, name, value):
        return disputes_open_before(queryset, value + timedelta(days=1))
    def filter_overdue(self, queryset, name, value):
        return overdue_filter(queryset, disputes_overdue_on, value)


class PetitionCaseFilterSet(SearchFilterSet):
    search_fields = ("title", "progress")
    village = VillageFilter()
    under = UnderUnitFilter()
    status = django_filters.ChoiceFilter(choices=PetitionCase.Status.choices, label=_("状态"), empty_label=_("全部"))
    received_after = django_filters.DateFilter(field_name="received_on", lookup_expr="gte", label=_("首次信访起始"))
    received_before = django_filters.DateFilter(field_name="received_on", lookup_expr="lte", label=_("首次信访截止"))
    resolved_after = django_filters.DateFilter(field_name="resolved_on", lookup_expr="gte", label=_("化解起始"))
    resolved_before = django_filters.DateFilter(field_name="resolved_on", lookup_expr="lte", label=_("化解截止"))
    open_on = open_on_filter()
    overdue = yes_no_filter(_("已超期"), method="filter_overdue")

    class Meta:
        model = PetitionCase
        fields = []

    def filter_open_on(self, queryset, name, value):
        return petitions_open_before(queryset, value + timedelta(days=1))
    def filter_overdue(self, queryset, name, value):
        return overdue_filter(queryset, petitions_overdue_on, value)


class VisitLogFilterSet(SearchFilterSet):
    search_fields = ("member__name", "grid_worker__name", "household__head_name", "raised")
    village = VillageFilter()
    under = UnderUnitFilter()
    aspect = django_filters.ChoiceFilter(choices=VisitLog.Aspect.choices, label=_("到户事项"), empty_label=_("全部"))
    date_after, date_before = date_range("date")

    class Meta:
        model = VisitLog
        fields = []


class PeopleIssueFilterSet(SearchFilterSet):
    search_fields = ("content", "handler")
    village = VillageFilter()
    under = UnderUnitFilter()
    status = django_filters.ChoiceFilter(choices=PeopleIssue.Status.choices, label=_("状态"), empty_label=_("全部"))

    class Meta:
        model = PeopleIssue
        fields = []


class KeyPersonFilterSet(SearchFilterSet):
    search_fields = ("category", "note")  # not the name: a masked reader must not find people by name
    village = VillageFilter()
    under = UnderUnitFilter()
    current = yes_no_filter(_("在管"), method="filter_current")

    class Meta:
        model = KeyPerson
        fields = []

    def filter_current(self, queryset, name, value):
        return queryset.filter(released_on__isnull=value)


class DoorKnockFilterSet(SearchFilterSet):
    search_fields = ("by", "result")
    village = VillageFilter()
    under = UnderUnitFilter()
    date_after, date_before = date_range("date")

    class Meta:
        model = DoorKnock
        fields = []


class CheckpointFilterSet(SearchFilterSet):
    search_fields = ("name", "location")
    under = UnderUnitFilter()
    kind = django_filters.ChoiceFilter(choices=Checkpoint.Kind.choices, label=_("位置类型"), empty_label=_("全部"))

    class Meta:
        model = Checkpoint
        fields = []


class PassRecordFilterSet(SearchFilterSet):
    search_fields = ("from_place", "plate")
    under = UnderUnitFilter()
    checkpoint = django_filters.NumberFilter(label=_("卡点"), widget=forms.HiddenInput)
    direction = django_filters.ChoiceFilter(choices=PassRecord.Direction.choices, label=_("进出"),
                                            empty_label=_("全部"))  # fmt: skip

    class Meta:
        model = PassRecord
        fields = []


class KeyPersonKeeperFilterSet(SearchFilterSet):
    search_fields = ("keeper_name",)
    under = UnderUnitFilter()
    person = django_filters.NumberFilter(label=_("重点人员"), widget=forms.HiddenInput)

    class Meta:
        model = KeyPersonKeeper
        fields = []


class CheckpointStaffFilterSet(SearchFilterSet):
    search_fields = ("name", "shifts")
    under = UnderUnitFilter()
    checkpoint = django_filters.NumberFilter(label=_("卡点"), widget=forms.HiddenInput)
    is_active = yes_no_filter(_("在岗"))

    class Meta:
        model = CheckpointStaff
        fields = []
