"""Reads of 支部建设, scoped by the user."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from branches.models import HouseholdLink, PartyMember, Unit
from branches.scoping import VIEW
from reports.plugins import PointRecord, add_months, point_records, point_sources

from .models import Attendance, MeetingKind, PointRule

# --- meetings (三会一课, 主题党日, 组织生活会) ------------------------------------------------------------------------
# (end of meetings)

# --- dues, 民主评议, 发展党员, 换届 ----------------------------------------------------------------------------------
# (end of dues, 民主评议, 发展党员, 换届)

# --- 党员先锋积分 ---------------------------------------------------------------------------------------------------
# The branch's point sources (a meeting attended, a 包户 household kept for a month) and the ONE rule turning every
# line's point records into a member's points for a month (`month_points`): the ranking, a member's detail, the
# Excel, the API and the indicators all call it.
#
# Where a record counts: where it is kept, as every derived figure counts its rows (reports.plugins.own). A member's
# points for a month are worked out from the records kept in the units asked about that name him: a village's
# figures from its own records, the town's ranking from the whole town's.


def _meeting_url(meeting_id):
    try:
        return reverse("partylife:meeting_detail", args=[meeting_id])
    except NoReverseMatch:  # the meetings' pages are not routed (yet): the record is still listed, unlinked
        return ""


def meetings_attended(units, start, end):
    """[PointRecord]: one per meeting a member attended (present, or remotely from where he works away), held in
    `units` from `start` to `end`. An excused or absent member earns nothing."""
    rows = (
        Attendance.objects.filter(meeting__unit__in=units, meeting__held_on__gte=start, meeting__held_on__lte=end,
                                  status__in=Attendance.ATTENDED)
        .values_list("member_id", "meeting_id", "meeting__held_on", "meeting__kind", "meeting__topic")
        .order_by("meeting__held_on", "meeting_id", "member_id")
    )  # fmt: skip
    kinds = dict(MeetingKind.choices)
    return [PointRecord(member_id=member_id, quantity=Decimal(1), on=held_on, text=f"{kinds.get(kind, kind)}：{topic}",
                        url=_meeting_url(meeting_id))
            for member_id, meeting_id, held_on, kind, topic in rows]  # fmt: skip


def households_kept(units, start, end):
    """[PointRecord]: each 包户 household a member keeps (党员联户, kept in `units`), one record for every month from
    `start` to `end` in which the link stood by the month's end (dated on the month's first day, or `start`)."""
    links = (
        HouseholdLink.objects.filter(unit__in=units)
        .filter(Q(since__isnull=True) | Q(since__lte=end))
        .values_list("member_id", "household_id", "since", "household__head_name", "household__house_number")
        .order_by("member_id", "household_id")
    )  # fmt: skip
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = add_months(month, 1)
    records = []
    for member_id, household_id, since, head_name, house_number in links:
        url = reverse("branches:household_detail", args=[household_id])
        text = f"{head_name}户" + (_("（%(number)s号）") % {"number": house_number} if house_number else "")
        for month in months:
            month_end = add_months(month, 1) - timedelta(days=1)
            if since is None or since <= month_end:
                records.append(PointRecord(member_id=member_id, quantity=Decimal(1), on=max(month, start), text=text,
                                           url=url))  # fmt: skip
    return records


@dataclass
class SourcePoints:
    """One source's part of a member's month: its records, their quantity, and the points the rule gives them."""

    source: object  # reports.plugins.PointSource
    rule: object  # PointRule, or None: the source has no rule and earns nothing
    records: list = field(default_factory=list)
    quantity: Decimal = Decimal(0)
    uncapped: Decimal = Decimal(0)  # points per unit × quantity
    points: Decimal = Decimal(0)  # after the monthly cap

    @property
    def capped(self):
        return self.points < self.uncapped


@dataclass
class MemberPoints:
    member: object  # PartyMember
    total: Decimal = Decimal(0)
    sources: list = field(default_factory=list)  # [SourcePoints] in the work lines' order, those with records
    rank: int = 0

    @property
    def records(self):
        return [record for part in self.sources for record in part.records]


def point_rules():
    """{source code: PointRule} of every rule the admin keeps."""
    return {rule.source: rule for rule in PointRule.objects.all()}


def source_points(source, rule, records):
    """The rule applied: points per unit × the quantity of the member's records of one source in a month, capped
    at the rule's monthly cap; a source without a rule earns nothing."""
    quantity = sum((Decimal(record.quantity) for record in records), Decimal(0))
    part = SourcePoints(source=source, rule=rule, records=list(records), quantity=quantity)
    if rule is not None:
        part.uncapped = rule.points * quantity
        part.points = part.uncapped if rule.monthly_cap is None else min(part.uncapped, rule.monthly_cap)
    return part


def month_points(units, month, members):
    """[MemberPoints] of `members` (a PartyMember queryset) for `month`, from every line's point records kept in
    `units` (a Unit queryset or list), highest total first, ranked (equal totals share a rank).

    Records naming anyone outside `members` are left out; a member with no records is listed with 0 if he is on the
    roll. A fixed number of queries: each point source once, the rules, the members."""
    end = add_months(month, 1) - timedelta(days=1)
    grouped = defaultdict(lambda: defaultdict(list))  # member id → source code → [PointRecord]
    sources = {}
    for source, record in point_records(units, month, end):
        sources[source.code] = source
        grouped[record.member_id][source.code].append(record)
    order = {code: index for index, code in enumerate(sources)}
    rules = point_rules()
    found = []
    for member in members.select_related("unit", "organisation").order_by("unit__path", "name", "id"):
        by_source = grouped.get(member.pk, {})
        parts = [source_points(sources[code], rules.get(code), records)
                 for code, records in sorted(by_source.items(), key=lambda item: order[item[0]])]  # fmt: skip
        total = sum((part.points for part in parts), Decimal(0))
        if member.is_active or parts:
            found.append(MemberPoints(member=member, total=total, sources=parts))
    found.sort(key=lambda row: -row.total)  # stable: equal totals keep the unit and name order
    for index, row in enumerate(found):
        row.rank = found[index - 1].rank if index and row.total == found[index - 1].total else index + 1
    return found


def unit_month_points(unit, month):
    """A reporting unit's month, as its derived figures count it: a village's members with the records kept in the
    village; the town's own figure, the records kept at the town itself (its 实践所, say) naming any member in the
    town — so the town's roll-up (its own plus its villages') counts each record once."""
    if unit.is_village:
        units = Unit.objects.under(unit)
    else:
        units = Unit.objects.filter(pk=unit.pk)
    members = PartyMember.objects.filter(unit__path__startswith=unit.path)
    return month_points(units, month, members)


def point_scope(user, under=None):
    """(units, members) the user's ranking covers: what he may see, under `under` (a unit he may see) if given."""
    units = Unit.objects.restrict(user, VIEW)
    members = PartyMember.objects.restrict(user, VIEW)
    if under is not None:
        units = units.filter(path__startswith=under.path)
        members = members.filter(unit__path__startswith=under.path)
    return units, members


def _average(total, members):
    return (total / members).quantize(Decimal("0.1")) if members else None


@dataclass
class BranchPoints:
    """A party organisation's part of the ranking: its members' points, how many are on the roll, per member."""

    organisation: object
    total: Decimal = Decimal(0)
    members: int = 0
    rank: int = 0

    @property
    def average(self):
        return _average(self.total, self.members)


@dataclass
class Ranking:
    rows: list  # [MemberPoints] shown (a name search narrows them; their ranks are in the whole ranking)
    total: Decimal  # every member's points in the scope
    members: int  # members on the roll in the scope
    branches: list = field(default_factory=list)  # [BranchPoints], highest points per member first

    @property
    def average(self):
        """Points per member on the roll (None when there is none)."""
        return _average(self.total, self.members)


def branch_points(rows):
    """[BranchPoints] of the organisations in `rows` (a whole ranking), by points per member on the roll."""
    found = {}
    for row in rows:
        branch = found.setdefault(row.member.organisation_id, BranchPoints(organisation=row.member.organisation))
        branch.total += row.total
        branch.members += 1 if row.member.is_active else 0
    ordered = sorted(found.values(), key=lambda branch: -(branch.average or 0))
    for index, branch in enumerate(ordered):
        same = index and branch.average == ordered[index - 1].average
        branch.rank = ordered[index - 1].rank if same else index + 1
    return ordered


def point_ranking(user, month, under=None, search=""):
    """The month's ranking the user may see (his scope, under `under`). A name search narrows the rows shown, not
    the ranking: a member keeps his rank among all."""
    units, members = point_scope(user, under)
    rows = month_points(units, month, members)
    total = sum((row.total for row in rows), Decimal(0))
    on_roll = sum(1 for row in rows if row.member.is_active)
    branches = branch_points(rows)
    if search:
        rows = [row for row in rows if search in row.member.name]
    return Ranking(rows=rows, total=total, members=on_roll, branches=branches)


def member_month_points(user, member, month, under=None):
    """One member's month (a member the user may see), with every record behind it."""
    units, members = point_scope(user, under)
    rows = month_points(units, month, members.filter(pk=member.pk))
    return rows[0] if rows else MemberPoints(member=member)


def point_villages(user):
    """The villages (and communities) a ranking may be narrowed to."""
    return Unit.objects.restrict(user, VIEW).villages().order_by("path")


def unruled_sources():
    """The declared point sources without a rule (they earn nothing until the admin gives them one)."""
    rules = point_rules()
    return [source for source in point_sources() if source.code not in rules]


# (end of points)
