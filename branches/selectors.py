"""Reads of the shared model. Every function takes the user and returns only what his scope allows."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Length, Substr

from .models import (
    Assignment,
    Cadre,
    GridWorker,
    Household,
    HouseholdLink,
    LiveVersion,
    MicroGrid,
    PartyMember,
    PartyOrganisation,
    PersonalDataAccess,
    Unit,
    User,
)
from .scoping import CHANGE, EVERYTHING, REVIEW, VIEW, can_act_on_unit, is_admin, is_grid_worker, scope_roots


def enclosing_unit_name(path_lookup, kinds):
    """An annotation: the name of the unit of `kinds` whose path is a prefix of the row's path (e.g. its village)."""
    enclosing = Unit.objects.filter(
        kind__in=kinds, path=Substr(OuterRef(path_lookup), 1, Length("path", output_field=IntegerField()))
    )
    return Subquery(enclosing.values("name")[:1])


# --- lists (pages, exports and API share these) ---------------------------------------------------------------


def unit_list(user, action=VIEW):
    parent = Unit.objects.filter(path=Substr(OuterRef("path"), 1, (OuterRef("depth") - 1) * Unit.steplen))
    return Unit.objects.restrict(user, action).annotate(
        parent_name=Subquery(parent.values("name")[:1]), parent_pk=Subquery(parent.values("pk")[:1])
    )


def household_list(user, action=VIEW):
    return (
        Household.objects.restrict(user, action)
        .select_related("unit")
        .annotate(village_name=enclosing_unit_name("unit__path", Unit.VILLAGE_KINDS))
        .prefetch_related(Prefetch("covering_members", queryset=PartyMember.objects.only("id", "name")))
    )


def party_organisation_list(user, action=VIEW):
    return (
        PartyOrganisation.objects.restrict(user, action)
        .select_related("unit", "parent")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("unit__path", "name")
    )


def party_member_list(user, action=VIEW):
    return (
        PartyMember.objects.restrict(user, action)
        .select_related("unit", "organisation", "household")
        .annotate(household_count=Count("links", distinct=True))
        .prefetch_related(Prefetch("links", queryset=HouseholdLink.objects.only("id", "member_id", "household_id")))
        .order_by("unit__path", "name", "id")
    )


def micro_grid_list(user, action=VIEW):
    return (
        MicroGrid.objects.restrict(user, action)
        .select_related("unit", "leader")
        .annotate(household_count=Count("households", distinct=True))
        .prefetch_related(Prefetch("households", queryset=Household.objects.only("id")))  # the API lists their ids
        .order_by("unit__path", "name")
    )


def cadre_list(user, action=VIEW):
    return Cadre.objects.restrict(user, action).select_related("unit", "user")


def grid_worker_list(user, action=VIEW):
    return GridWorker.objects.restrict(user, action).select_related("unit", "member")


def assignment_list(user, action=VIEW):
    return (
        Assignment.objects.restrict(user, action)
        .select_related("unit", "cadre", "member", "household", "target_type")
        .prefetch_related("target")
    )


def household_link_list(user, action=VIEW):
    return HouseholdLink.objects.restrict(user, action).select_related("member", "household", "unit")


# --- coverage (五个到户) ----------------------------------------------------------------------------------------


@dataclass
class Coverage:
    unit: Unit
    households: int = 0
    covered: int = 0
    members: int = 0
    grids: int = 0
    micro_grids: int = 0

    @property
    def uncovered(self):
        return self.households - self.covered

    @property
    def rate(self):
        """Share of households with at least one party member in contact, in percent (None with no households)."""
        return round(100 * self.covered / self.households, 1) if self.households else None


def counts_by_prefix(queryset, path_lookup, units):
    """Count rows of `queryset` under each of `units`, one grouped query per depth among them."""
    counts = {}
    by_depth = defaultdict(list)
    for unit in units:
        by_depth[unit.depth].append(unit)
    for depth, same_depth in by_depth.items():
        length = depth * Unit.steplen
        paths = {unit.path: unit.pk for unit in same_depth}
        rows = (
            queryset.annotate(prefix=Substr(path_lookup, 1, length))
            .filter(prefix__in=list(paths))
            .values("prefix")
            .annotate(n=Count("pk", distinct=True))
            .order_by()
        )
        for row in rows:
            counts[paths[row["prefix"]]] = row["n"]
    return counts


def coverage_for_units(units):
    """五个到户 coverage for each unit in `units` (any kinds): a fixed number of queries however many units."""
    units = list(units)
    households = Household.objects.all()
    covered = households.filter(Exists(HouseholdLink.objects.filter(household=OuterRef("pk"))))
    counts = {
        "households": counts_by_prefix(households, "unit__path", units),
        "covered": counts_by_prefix(covered, "unit__path", units),
        "members": counts_by_prefix(PartyMember.objects.filter(is_active=True), "unit__path", units),
        "grids": counts_by_prefix(Unit.objects.filter(kind=Unit.Kind.GRID), "path", units),
        "micro_grids": counts_by_prefix(MicroGrid.objects.all(), "unit__path", units),
    }
    return [
        Coverage(unit=unit, **{name: by_unit.get(unit.pk, 0) for name, by_unit in counts.items()}) for unit in units
    ]


def coverage_total(unit):
    return coverage_for_units([unit])[0]


def _count_under(queryset, path_lookup, unit):
    """A scalar subquery counting `queryset`'s rows under `unit` (no GROUP BY: COUNT over the filtered rows)."""
    rows = queryset.filter(**{f"{path_lookup}__startswith": unit.path}).order_by()
    return Subquery(rows.values(n=Func(F("pk"), function="COUNT")), output_field=IntegerField())


def reference_counts(unit):
    """The sizes of a unit's reference lists (名录: villages, households, active members, grids), in one statement —
    for a page with a tight query budget (the leaders' dashboard) that links to them."""
    return Unit.objects.filter(pk=unit.pk).values(
        villages=_count_under(Unit.objects.filter(kind__in=Unit.VILLAGE_KINDS), "path", unit),
        households=_count_under(Household.objects.all(), "unit__path", unit),
        members=_count_under(PartyMember.objects.filter(is_active=True), "unit__path", unit),
        grids=_count_under(Unit.objects.filter(kind=Unit.Kind.GRID), "path", unit),
    ).get()


# --- pages ------------------------------------------------------------------------------------------------------


def own_unit(user):
    """The unit a page is about when none is asked for: the user's own. An admin attached to none gets the top of the
    tree; anyone else attached to none gets None (and the page says so): never the county by default, which showed
    an account with no unit the figures of every town."""
    if user.unit is not None:
        return user.unit
    return Unit.objects.filter(depth=1).first() if is_admin(user) else None


def unit_page(user, unit):
    """What a unit's page shows besides its panels: the ancestors the user may see, and for a village its overview
    (its reference lists, households, members, grids, have pages of their own); for a town or county its children's
    coverage, and for a grid its households."""
    page = {"unit": unit, "ancestors": visible_ancestors(user, unit)}
    if unit.is_village:
        page.update(village_overview(unit))
        return page
    page["children"] = coverage_for_units(Unit.objects.get_children(unit))
    page["coverage"] = coverage_total(unit)
    if unit.kind == Unit.Kind.GRID:
        page["households"] = household_list(user).filter(unit=unit)
    return page


def visible_ancestors(user, unit):
    """The units above `unit` that `user` may see: its breadcrumbs."""
    return [ancestor for ancestor in Unit.objects.get_ancestors(unit) if can_act_on_unit(user, ancestor, VIEW)]


UNITS_ABOVE_VILLAGES = (Unit.Kind.COUNTY, Unit.Kind.TOWN, Unit.Kind.AREA)


def grid_page(user, unit):
    """村民小组与网格 of a unit (a village's, mostly): the grids under it that `user` may see, each with its group, its
    workers and its 五个到户 coverage, and how many groups there are. A grid worker, who sees his grid alone, finds
    his grid alone."""
    return {
        "unit": unit,
        "ancestors": visible_ancestors(user, unit),
        "grids": grid_rows(user, unit),
        "group_count": Unit.objects.restrict(user).filter(path__startswith=unit.path, kind=Unit.Kind.GROUP).count(),
        "show_village": unit.kind in UNITS_ABOVE_VILLAGES,
    }


def grid_worker_of(user):
    """The GridWorker row a 网格员 login signs his records with (None for anyone else, or a login not yet linked)."""
    if not is_grid_worker(user):
        return None
    return GridWorker.objects.filter(user=user).select_related("unit").first()


def grid_worker_home(user):
    """A grid worker's home: his grid and record, how many households he keeps, and his village's public
    information (its party organisation's secretary and how to reach him, the 包村 cadres)."""
    grid = user.unit
    village = grid.village
    organisation = None
    secretary_phone = ""
    village_cadres = []
    if village is not None:
        organisation = PartyOrganisation.objects.filter(unit=village).order_by("level", "id").first()
        secretary_phone = village_secretary_phone(village, organisation)
        village_cadres = list(
            Assignment.objects.active()
            .filter(kind=Assignment.Kind.VILLAGE, unit=village)
            .select_related("cadre", "member")
            .order_by("id")
        )
    return {
        "grid": grid,
        "worker": grid_worker_of(user),
        "village": village,
        "organisation": organisation,
        "secretary_phone": secretary_phone,
        "village_cadres": village_cadres,
        "household_count": Household.objects.restrict(user).count(),
    }


def village_secretary_phone(village, organisation):
    """How to reach a village's secretary: his login's phone, else that of the member of his name in the village."""
    login = User.objects.filter(role=User.Role.SECRETARY, unit=village, is_active=True).exclude(phone="").first()
    if login is not None:
        return login.phone
    if organisation is None or not organisation.secretary_name:
        return ""
    member = PartyMember.objects.filter(unit=village, name=organisation.secretary_name).exclude(phone="").first()
    return member.phone if member is not None else ""


def household_contact_list(user):
    """The households whose contact data `user` may update: those under the units he may change, his grid's for a
    grid worker (who may change nothing else of them)."""
    return household_list(user).filter(Household.objects.unit_rule(user, CHANGE))


def household_page(user, household, can_edit):
    """What a household's page shows besides its fields: its members' links, its micro-grids, who answers for it
    level by level, and, to one who may change it, the village's members who may take it on (包户; else None)."""
    keepers = None
    if can_edit:
        keepers = PartyMember.objects.restrict(user, CHANGE).filter(unit=household.unit.village, is_active=True)
    return {
        "links": household.links.select_related("member").order_by("member__name"),
        "micro_grids": household.micro_grids.select_related("leader"),
        "chain": responsibility_chain(household=household),
        "keeper_choices": keepers,
        "can_update_contact": household_contact_list(user).filter(pk=household.pk).exists(),
    }


def linkable_households(user, member):
    """The households a member may be linked to (五个到户): those the user may change under the member's unit."""
    return Household.objects.restrict(user, CHANGE).filter(unit__path__startswith=member.unit.path)


def visible_villages(user):
    return Unit.objects.restrict(user).villages().order_by("code", "path")


def cadre_assignments(user):
    """What a cadre answers for (包片/包村/包组/包户/包企), for his workbench."""
    return (
        Assignment.objects.filter(cadre__user=user)
        .select_related("unit", "household", "target_type")
        .prefetch_related("target")
        .order_by("kind", "unit__path")
    )


def village_overview(village):
    """Everything the village page shows, each as a queryset or value the template iterates once."""
    return {
        "coverage": coverage_total(village),
        "organisations": PartyOrganisation.objects.filter(unit=village)
        .annotate(member_count=Count("members", distinct=True))
        .order_by("level", "name"),
        "assignments": Assignment.objects.filter(unit__path__startswith=village.path)
        .exclude(kind=Assignment.Kind.HOUSEHOLD)
        .select_related("unit", "cadre", "member")
        .order_by("kind", "unit__path"),
    }


def grid_rows(user, unit):
    """The grids under `unit` that `user` may see, with their group, village, workers, household count and coverage."""
    grids = list(
        Unit.objects.restrict(user)
        .filter(path__startswith=unit.path, kind=Unit.Kind.GRID)
        .annotate(
            group_name=enclosing_unit_name("path", [Unit.Kind.GROUP]),
            village_name=enclosing_unit_name("path", Unit.VILLAGE_KINDS),
        )
        .order_by("path")
    )
    workers = defaultdict(list)
    for worker in GridWorker.objects.filter(unit__in=grids).order_by("name", "id").only("name", "unit_id"):
        workers[worker.unit_id].append(worker.name)
    rows = coverage_for_units(grids)
    for row in rows:
        row.workers = "、".join(workers.get(row.unit.pk, []))
    return rows


# --- the four-level chain (领导班子包片、联村干部包村、村支两委包组、党员组长包户) ------------------------------------


@dataclass
class ChainLevel:
    kind: str
    label: str
    subject: object
    people: list


def responsibility_chain(*, unit=None, household=None):
    """Who answers for a household, a group or a village, level by level (one query for the assignments)."""
    start = household.unit if household is not None else unit
    path = [*Unit.objects.get_ancestors(start), start]
    levels = [
        (Assignment.Kind.AREA, next((u for u in path if u.kind == Unit.Kind.AREA), None)),
        (Assignment.Kind.VILLAGE, next((u for u in path if u.is_village), None)),
        (Assignment.Kind.GROUP, next((u for u in path if u.kind == Unit.Kind.GROUP), None)),
    ]
    condition = Q(pk__in=[])
    for kind, subject in levels:
        if subject is not None:
            condition |= Q(kind=kind, unit=subject)
    if household is not None:
        condition |= Q(kind=Assignment.Kind.HOUSEHOLD, household=household)
    found = defaultdict(list)
    for assignment in Assignment.objects.active().filter(condition).select_related("cadre", "member"):
        found[assignment.kind].append(assignment.person)
    chain = [
        ChainLevel(kind, Assignment.Kind(kind).label, subject, found.get(kind, []))
        for kind, subject in levels
        if subject is not None
    ]
    if household is not None:
        chain.append(ChainLevel(Assignment.Kind.HOUSEHOLD, Assignment.Kind.HOUSEHOLD.label, household,
                                found.get(Assignment.Kind.HOUSEHOLD, [])))  # fmt: skip
    return chain


def households_kept():
    """Households with a party member answering for them now (包户)."""
    return Assignment.objects.active().filter(kind=Assignment.Kind.HOUSEHOLD, household=OuterRef("pk"))


def households_without_keeper(user, unit=None):
    """The gaps: households nobody answers for (no 包户 in force)."""
    households = household_list(user).filter(~Exists(households_kept()))
    if unit is not None:
        households = households.filter(unit__path__startswith=unit.path)
    return households.order_by("unit__path", "house_number", "id")


def personal_data_access_list(user):
    """The record of every look at personal data whole (查看完整信息), newest first: the admin's alone."""
    if not is_admin(user):
        return PersonalDataAccess.objects.none()
    return PersonalDataAccess.objects.select_related("user", "record_type").order_by("-at", "-id")


# --- live tokens: the key of what pages cache of the ledgers and reports (models.LiveVersion) ---------------------


def live_units_written_by(user):
    """The towns and counties whose live token a write by `user` must change: for each root of what he may see,
    change or review, the nearest town or county at or above it (a county user's writes: the county's, which every
    page below it is keyed on too); for someone who may act everywhere, the top units. None of them for no one."""
    roots = [scope_roots(user, action) for action in (VIEW, CHANGE, REVIEW)]
    if any(found is EVERYTHING for found in roots):
        return top_live_units()
    paths = {path for found in roots for path in found}
    if not paths:
        return []
    prefixes = {prefix for path in paths for prefix in Unit.path_prefixes(path)}
    enclosing = dict(Unit.objects.filter(kind__in=LiveVersion.LIVE_KINDS, path__in=prefixes).values_list("path", "pk"))
    nearest = [next((enclosing[p] for p in reversed(Unit.path_prefixes(path)) if p in enclosing), None)
               for path in paths]  # fmt: skip
    return sorted({pk for pk in nearest if pk is not None})


def top_live_units():
    """The highest towns and counties (the counties, in a tree of counties): renewing their tokens retires every
    page's live parts, as every page is keyed on the tokens above it."""
    live = Unit.objects.filter(kind__in=LiveVersion.LIVE_KINDS)
    top = live.order_by("depth").values_list("depth", flat=True).first()
    return list(live.filter(depth=top).values_list("pk", flat=True)) if top is not None else []


def live_versions(unit):
    """(unit id, token) of the live tokens of the towns and counties at or above `unit` and below it, unevaluated and
    read from the primary (a replica a moment behind would give back the tokens before a write)."""
    return _live_versions_around([unit.path])


def _live_versions_around(paths):
    around = Q()
    for path in paths:
        around |= Q(unit__path__in=Unit.path_prefixes(path)) | Q(unit__path__startswith=path)
    return LiveVersion.objects.using(DEFAULT_DB_ALIAS).filter(around).values_list("unit_id", "token")


def scope_live_token(user):
    """The live token of everything `user` may see (the towns and counties at, above and under the roots of his
    scope), or None where none of them has a token yet: a key built on it must not meet another database's."""
    roots = scope_roots(user, VIEW)
    if roots is EVERYTHING:
        found = list(LiveVersion.objects.using(DEFAULT_DB_ALIAS).values_list("unit_id", "token"))
    else:
        found = list(_live_versions_around(roots)) if roots else []
    return live_token(found) if found else None


def live_token(versions):
    """A short string of the (unit id, token) pairs `versions` (live_versions): it changes whenever something is
    written in the unit's town or county or anywhere under the unit."""
    return hashlib.sha256(repr(sorted(versions)).encode()).hexdigest()[:16]
