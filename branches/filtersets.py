"""Filter sets shared by the pages and the API (as NetBox does): one definition of every list's filters."""

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .masking import personal_fields_of
from .models import (
    Assignment,
    Cadre,
    GridWorker,
    Household,
    HouseholdLink,
    MicroGrid,
    PartyMember,
    PartyOrganisation,
    Unit,
)
from .params import DATE_MAX, DATE_MIN, ID_MAX, YEAR_MAX, YEAR_MIN
from .scoping import CHANGE, any_of
from .selectors import households_kept
from .validators import EarliestDate, LatestDate

YES_NO = (("true", _("是")), ("false", _("否")))


def date_range(field, label_after=None, label_before=None):
    """A pair of filters bounding a date field: `…_after` and `…_before`."""
    return (
        django_filters.DateFilter(field_name=field, lookup_expr="gte", label=label_after or _("起始日期")),
        django_filters.DateFilter(field_name=field, lookup_expr="lte", label=label_before or _("截止日期")),
    )


class YesNoField(django_filters.fields.ChoiceField):
    def clean(self, value):
        value = super().clean(value)
        return None if value in ("", None) else value == "true"


class YesNoFilter(django_filters.ChoiceFilter):
    """A yes/no/any filter labelled in Chinese (django-filter's own select says "Unknown")."""

    field_class = YesNoField


def yes_no_filter(label, **kwargs):
    return YesNoFilter(label=label, choices=YES_NO, empty_label=_("全部"), **kwargs)


def visible_villages(request):
    if request is None:
        return Unit.objects.none()
    return Unit.objects.restrict(request.user).filter(kind__in=(Unit.Kind.AREA, *Unit.VILLAGE_KINDS))


class UnderUnitFilter(django_filters.NumberFilter):
    """Rows anywhere under the given unit id (a village, a group, a grid…), by materialised path.

    Drill-down links and the API use it; on the page it travels as a hidden field, next to the village picker.
    """

    def __init__(self, *args, path_lookup="unit__path", **kwargs):
        self.path_lookup = path_lookup
        kwargs.setdefault("label", _("所属单位（含下级）"))
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        path = Unit.objects.filter(pk=value).values_list("path", flat=True).first()
        if path is None:
            return qs.none()
        return qs.filter(**{f"{self.path_lookup}__startswith": path})


@extend_schema_field(OpenApiTypes.INT)
class IdChoiceFilter(django_filters.ModelChoiceFilter):
    """A choice among records by id, whose queryset depends on the request (the API schema says: an integer)."""


class VillageFilter(IdChoiceFilter):
    """Pick one of the villages (or areas) the user may see; rows under it match."""

    def __init__(self, *args, path_lookup="unit__path", **kwargs):
        self.path_lookup = path_lookup
        kwargs.setdefault("label", _("村（社区）"))
        kwargs.setdefault("empty_label", _("全部"))
        super().__init__(*args, queryset=visible_villages, method=self.filter_under, **kwargs)

    def filter_under(self, queryset, name, unit):
        return queryset.filter(**{f"{self.path_lookup}__startswith": unit.path})


def year_bounds():
    message = _("年份应在 %(low)s 至 %(high)s 之间。") % {"low": YEAR_MIN, "high": YEAR_MAX}
    return [MinValueValidator(YEAR_MIN, message), MaxValueValidator(YEAR_MAX, message)]


def id_bounds():
    message = _("编号应为 1 至 %(high)s 之间的整数。") % {"high": ID_MAX}
    return [MinValueValidator(1, message), MaxValueValidator(ID_MAX, message)]


def bound(filter_):
    """Hold one filter's parameter to the range its column can answer: a year lookup to YEAR_MIN…YEAR_MAX, any other
    number (they are ids) to 1…ID_MAX, a date to DATE_MIN…DATE_MAX. Out of range is a form error — a 400 in Chinese in
    the API, on the page and on its Excel export — where the database would otherwise fail (a year 99999, an id past
    what the column holds)."""
    if getattr(filter_, "bounded", False):  # a parent's declared filter, shared with its subclasses
        return filter_
    filter_.bounded = True
    extra = filter_.extra
    if isinstance(filter_, django_filters.NumberFilter):
        lookup = filter_.lookup_expr or ""
        extra["validators"] = [*extra.get("validators", ()), *(year_bounds() if "year" in lookup else id_bounds())]
    elif isinstance(filter_, (django_filters.DateFilter, django_filters.DateTimeFilter)):
        extra["validators"] = [*extra.get("validators", ()), EarliestDate(DATE_MIN), LatestDate(DATE_MAX)]
    return filter_


class FilterSet(django_filters.FilterSet):
    """The base of every filter set: each parameter held to a range (`bound`), whether declared or generated."""

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        for filter_ in filters.values():
            bound(filter_)
        return filters


class SearchFilterSet(FilterSet):
    """A FilterSet with a free-text `q` over `search_fields`."""

    search_fields = ()
    q = django_filters.CharFilter(method="search", label=_("搜索"))

    def search(self, queryset, name, value):
        """Rows matching `value` in any search field. A personal field (the model's `personal_fields`) is searched
        only among the rows the user may change, that is sees whole: one who sees phones masked must not find out
        whose a phone number is by searching for it."""
        value = value.strip()
        if not value:
            return queryset
        personal = personal_fields_of(queryset.model)
        plain, private = [], []
        for field in self.search_fields:
            (private if field in personal else plain).append(Q(**{f"{field}__icontains": value}))
        user = getattr(getattr(self, "request", None), "user", None)
        if private and user is not None and user.is_authenticated:
            changeable = queryset.model._default_manager.restrict(user, CHANGE).values("pk")
            plain.append(any_of(*private) & Q(pk__in=changeable))
        return queryset.filter(any_of(*plain)) if plain else queryset.none()


class UnitFilterSet(SearchFilterSet):
    search_fields = ("name", "code")
    kind = django_filters.ChoiceFilter(choices=Unit.Kind.choices, label=_("类型"), empty_label=_("全部"))
    parent = django_filters.NumberFilter(method="filter_parent", label=_("上级单位"), widget=forms.HiddenInput)
    village = VillageFilter(path_lookup="path")
    under = UnderUnitFilter(path_lookup="path")

    class Meta:
        model = Unit
        fields = ["kind"]

    def filter_parent(self, queryset, name, value):
        parent = Unit.objects.filter(pk=value).only("path", "depth").first()
        if parent is None:
            return queryset.none()
        return queryset.filter(path__startswith=parent.path, depth=parent.depth + 1)


class HouseholdFilterSet(SearchFilterSet):
    search_fields = ("head_name", "house_number", "phone")
    village = VillageFilter()
    under = UnderUnitFilter()
    covered = yes_no_filter(_("已有党员联系"), method="filter_covered")
    kept = yes_no_filter(_("已落实包户党员"), method="filter_kept")

    class Meta:
        model = Household
        fields = []

    def filter_kept(self, queryset, name, value):
        kept = Exists(households_kept())
        return queryset.filter(kept if value else ~kept)

    def filter_covered(self, queryset, name, value):
        linked = HouseholdLink.objects.filter(household=OuterRef("pk"))
        return queryset.filter(Exists(linked) if value else ~Exists(linked))


class PartyOrganisationFilterSet(SearchFilterSet):
    search_fields = ("name", "secretary_name")
    level = django_filters.ChoiceFilter(choices=PartyOrganisation.Level.choices, label=_("级别"), empty_label=_("全部"))
    village = VillageFilter()
    under = UnderUnitFilter()

    class Meta:
        model = PartyOrganisation
        fields = ["level"]


class PartyMemberFilterSet(SearchFilterSet):
    search_fields = ("name", "phone")
    village = VillageFilter()
    under = UnderUnitFilter()
    organisation = django_filters.NumberFilter(label=_("党组织"), widget=forms.HiddenInput)
    is_group_leader = yes_no_filter(_("党员组长"))
    is_active = yes_no_filter(_("在册"))
    gender = django_filters.ChoiceFilter(choices=PartyMember.Gender.choices, label=_("性别"), empty_label=_("全部"))

    class Meta:
        model = PartyMember
        fields = []


class MicroGridFilterSet(SearchFilterSet):
    search_fields = ("name", "leader__name")
    village = VillageFilter()
    under = UnderUnitFilter()

    class Meta:
        model = MicroGrid
        fields = []


class CadreFilterSet(SearchFilterSet):
    search_fields = ("name", "position")
    is_leader = yes_no_filter(_("党政领导班子成员"))

    class Meta:
        model = Cadre
        fields = []


class GridWorkerFilterSet(SearchFilterSet):
    search_fields = ("name", "phone")
    village = VillageFilter()
    under = UnderUnitFilter()

    class Meta:
        model = GridWorker
        fields = []


class AssignmentFilterSet(SearchFilterSet):
    search_fields = ("cadre__name", "member__name", "unit__name", "household__head_name", "role_title")
    kind = django_filters.ChoiceFilter(choices=Assignment.Kind.choices, label=_("类型"), empty_label=_("全部"))
    village = VillageFilter()
    under = UnderUnitFilter()
    cadre = django_filters.NumberFilter(label=_("镇干部"), widget=forms.HiddenInput)

    class Meta:
        model = Assignment
        fields = ["kind"]
