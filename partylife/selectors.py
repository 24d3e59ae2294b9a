"""Reads of 支部建设, scoped by the user."""


from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Prefetch, Q, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber, TruncMonth
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.calendars import month_weeks
from branches.models import HouseholdLink, PartyMember, PartyOrganisation, Unit
from branches.scoping import CHANGE, VIEW, any_of
from reports.plugins import PointRecord, add_months, current_month, own, point_quantities, point_records, point_sources

from .models import (
    Applicant,
    Appraisal,
    Attendance,
    DuesPayment,
    Every,
    Meeting,
    MeetingKind,
    MeetingRule,
    MonthlyTheme,
    PointRule,
    Term,
)

# --- meetings (三会一课, 主题党日, 组织生活会) ------------------------------------------------------------------------
#
# The one rule of the statutory rhythm is `missed_meetings` (with `missed_q`, the same rule as a filter): per
# MeetingRule, a kind due every month / quarter / year is missed when the organisation held none of it in the last
# complete month / quarter / year before `on`. The branch page's panel, the dashboard's exception, the 通报's part
# and the 执行情况 page all ask it.


@dataclass(frozen=True)
class Missed:
    """A statutory meeting an organisation did not hold: its kind, how often it is due, and the period."""

    kind: str
    every: str
    start: date  # the period's first day
    end: date  # the day after the period

    @property
    def kind_label(self):
        return MeetingKind(self.kind).label

    @property
    def period_label(self):
        return period_label(self.every, self.start)

    def __str__(self):
        return _("%(period)s未召开%(kind)s") % {"period": self.period_label, "kind": self.kind_label}


def last_complete_period(every, on):
    """(first day, day after) of the last month, quarter or year that ended before `on`."""
    month = on.replace(day=1)
    if every == Every.MONTH:
        return add_months(month, -1), month
    if every == Every.QUARTER:
        quarter = month.replace(month=(month.month - 1) // 3 * 3 + 1)
        return add_months(quarter, -3), quarter
    if every == Every.YEAR:
        return date(on.year - 1, 1, 1), date(on.year, 1, 1)
    raise ValueError(every)


def period_label(every, start):
    if every == Every.MONTH:
        return _("%(y)s年%(m)s月") % {"y": start.year, "m": start.month}
    if every == Every.QUARTER:
        return _("%(y)s年第%(q)s季度") % {"y": start.year, "q": (start.month - 1) // 3 + 1}
    return _("%(y)s年") % {"y": start.year}


RHYTHMS = (Every.MONTH, Every.QUARTER, Every.YEAR)
# 三会一课 is the rule of the 党支部 (and a 党总支 over its branches); a town's 党委 meets as a committee, not to it.
RHYTHM_LEVELS = (PartyOrganisation.Level.BRANCH, PartyOrganisation.Level.GENERAL_BRANCH)


def _missed_conditions(on):
    """{(kind, every): condition on PartyOrganisation}: the rule asks `every` of `kind` (MeetingRule, as the admin set
    it) and the organisation — a branch, founded before the period ended — held none in the last complete period."""
    conditions = {}
    for kind in MeetingKind.values:
        for every in RHYTHMS:
            start, end = last_complete_period(every, on)
            ruled = Exists(MeetingRule.objects.filter(kind=kind, every=every))
            held = Exists(Meeting.objects.filter(organisation=OuterRef("pk"), kind=kind, held_on__gte=start,
                                                 held_on__lt=end))  # fmt: skip
            founded = Q(founded__isnull=True) | Q(founded__lt=end)
            conditions[kind, every] = Q(ruled) & ~Q(held) & founded & Q(level__in=RHYTHM_LEVELS)
    return conditions


def missed_q(on):
    """The organisations that missed any statutory meeting in its last complete period before `on` (a filter)."""
    return any_of(*_missed_conditions(on).values())


def missed_meetings(organisations, on):
    """{organisation id: [Missed, …]} of `organisations` (a queryset) that missed a statutory meeting in its last
    complete period before `on`; an organisation that missed none is left out. One query."""
    conditions = _missed_conditions(on)
    flags = {f"missed_{index}": ExpressionWrapper(condition, output_field=BooleanField())
             for index, condition in enumerate(conditions.values())}  # fmt: skip
    keys = list(conditions)
    found = {}
    for row in organisations.order_by().annotate(**flags).values("pk", *flags):
        missed = []
        for index, (kind, every) in enumerate(keys):
            if row[f"missed_{index}"]:
                missed.append(Missed(kind, every, *last_complete_period(every, on)))
        if missed:
            found[row["pk"]] = missed
    return found


def organisation_list(user, action=VIEW):
    return PartyOrganisation.objects.restrict(user, action).select_related("unit").order_by("unit__path", "name")


def rhythm_rows(user, on, under=None):
    """[(organisation, [Missed])] of the organisations the user may see (under `under`), those behind first."""
    organisations = organisation_list(user)
    if under is not None:
        organisations = organisations.filter(unit__path__startswith=under.path)
    missed = missed_meetings(organisations, on)
    rows = [(organisation, missed.get(organisation.pk, [])) for organisation in organisations]
    return sorted(rows, key=lambda row: (not row[1], row[0].unit.path, row[0].name))


def behind(user, unit, on):
    """The organisations under `unit` the user may see that are behind the statutory rhythm."""
    organisations = PartyOrganisation.objects.restrict(user, VIEW).filter(unit__path__startswith=unit.path)
    return organisations.filter(missed_q(on))


def missed_count(user, unit, on):
    """How many organisations under `unit` the user may see are behind the statutory rhythm (one query)."""
    return behind(user, unit, on).count()


def rule_rows():
    """[(kind label, every label)] of the kinds a rule requires, as the admin set them."""
    rules = MeetingRule.objects.exclude(every=Every.NONE)
    return [(MeetingKind(rule.kind).label, Every(rule.every).label) for rule in rules]


def _attendance_of_meeting(**conditions):
    return Attendance.objects.filter(meeting=OuterRef("pk"), **conditions).order_by().values("meeting")


def _counted(rows):
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)


def meeting_list(user, action=VIEW):
    """The meetings the user may see (or change), with how many attended (present or remote) and how many were
    expected (every member listed but the excused): counted per row shown."""
    return (
        Meeting.objects.restrict(user, action)
        .select_related("unit", "organisation", "host", "theme")
        .prefetch_related(Prefetch("attendance", queryset=Attendance.objects.select_related("member")))  # the API's
        .annotate(attended_count=_counted(_attendance_of_meeting(status__in=Attendance.ATTENDED)),
                  expected_count=_counted(_attendance_of_meeting().exclude(status=Attendance.Status.EXCUSED)))
        .order_by("-held_on", "-id")
    )  # fmt: skip


def attendance_list(user, action=VIEW):
    return (
        Attendance.objects.restrict(user, action)
        .select_related("unit", "meeting", "meeting__organisation", "member")
        .order_by("-meeting__held_on", "meeting_id", "member__name", "id")
    )


def theme_list(user, action=VIEW):
    """The 主题党日 themes: a branch sees those of its town (the model's VIEW rule); the town changes them."""
    return MonthlyTheme.objects.restrict(user, action).select_related("unit").order_by("-month", "unit__path")


def may_set_themes(user):
    """Whether the user changes a town's (or the county's) data: who sets the 主题党日 themes."""
    return Unit.objects.restrict(user, CHANGE).filter(kind__in=(Unit.Kind.TOWN, Unit.Kind.COUNTY)).exists()


def theme_for(unit, day):
    """The theme the town above `unit` (or the county) set for the month of `day`, the nearest first; None if none."""
    ancestors = Unit.path_prefixes(unit.path)
    themes = MonthlyTheme.objects.filter(unit__path__in=ancestors, month=day.replace(day=1))
    return themes.order_by("-unit__depth").first()


def members_for(organisation, meeting=None):
    """The members whose attendance a meeting of `organisation` records: its members in the register, and anyone
    already listed at the meeting."""
    condition = Q(organisation=organisation, is_active=True)
    if meeting is not None and meeting.pk:
        condition |= Q(pk__in=Attendance.objects.filter(meeting=meeting).values("member"))
    return PartyMember.objects.filter(condition).order_by("name", "id")


def attendance_of(meeting):
    return meeting.attendance.select_related("member").order_by("member__name", "id")


def meeting_page(meeting):
    """What a meeting's page shows beside its fields: each member's attendance and the counts."""
    rows = list(attendance_of(meeting))
    counts = Counter(row.status for row in rows)
    attended = counts[Attendance.Status.PRESENT] + counts[Attendance.Status.REMOTE]
    expected = len(rows) - counts[Attendance.Status.EXCUSED]
    return {
        "attendance": rows,
        "counts": [(label, counts[value]) for value, label in Attendance.Status.choices],
        "attended": attended,
        "expected": expected,
        "rate": attendance_rate(attended, expected),
    }


def attendance_rate(attended, expected):
    """出席率 (%): attended (present or remote) over expected (listed but not excused); None when none expected."""
    if not expected:
        return None
    return (Decimal(attended) * 100 / expected).quantize(Decimal("0.1"))


STREAK = 3  # absences running that put a member on the follow-up list


def absent_streaks(user, under=None):
    """[(member, [Attendance, …])]: members whose last three recorded meetings (the latest first) they all missed
    without leave, in the organisations the user may see: listed for follow-up (谈心谈话)."""
    rows = Attendance.objects.restrict(user, VIEW)
    if under is not None:
        rows = rows.filter(unit__path__startswith=under.path)
    latest = rows.annotate(
        position=Window(RowNumber(), partition_by=[F("member_id")],
                        order_by=[F("meeting__held_on").desc(), F("meeting_id").desc()])
    ).filter(position__lte=STREAK)  # fmt: skip
    latest = latest.select_related("member", "member__organisation", "meeting").order_by("member_id", "position")
    by_member = defaultdict(list)
    for row in latest:
        by_member[row.member_id].append(row)
    streaks = [(rows[0].member, rows) for rows in by_member.values()
               if len(rows) == STREAK and all(row.status == Attendance.Status.ABSENT for row in rows)]  # fmt: skip
    return sorted(streaks, key=lambda item: (item[0].unit_id, item[0].name))


def calendar_weeks(user, month, organisation=None):
    """The weeks of `month` (Monday first) as lists of (day, [meetings]) — None for days of other months."""
    first = month.replace(day=1)
    meetings = meeting_list(user).filter(held_on__gte=first, held_on__lt=add_months(first, 1))
    if organisation is not None:
        meetings = meetings.filter(organisation=organisation)
    by_day = defaultdict(list)
    for meeting in meetings.order_by("held_on", "id"):
        by_day[meeting.held_on.day].append(meeting)
    return month_weeks(first, by_day)


# --- dues, 民主评议, 发展党员, 换届 ----------------------------------------------------------------------------------


ARREARS_WINDOW = 12  # months looked back on when counting a member's unpaid months
ARREARS_FLAGGED = 3  # unpaid months (in the window) that flag a member
ARREARS_RED = 6  # unpaid months running: 连续六个月不交纳党费, treated as 自行脱党 (《中国共产党章程》第九条)


def dues_list(user, action=VIEW):
    return (
        DuesPayment.objects.restrict(user, action)
        .select_related("unit", "member")
        .order_by("-month", "unit__path", "member__name", "id")
    )


def appraisal_list(user, action=VIEW):
    return (
        Appraisal.objects.restrict(user, action)
        .select_related("unit", "member")
        .order_by("-year", "unit__path", "member__name", "id")
    )


def applicant_list(user, action=VIEW):
    return (
        Applicant.objects.restrict(user, action)
        .select_related("unit", "organisation")
        .prefetch_related("introducers")
        .order_by("unit__path", "stage", "name", "id")
    )


def term_list(user, action=VIEW):
    return Term.objects.restrict(user, action).select_related("unit", "organisation", "secretary").order_by(
        "ends_on", "id"
    )


# --- 党费: the one rule of who owes what ----------------------------------------------------------------------------


def on_the_roll(members, month):
    """Members who owe dues for `month`: on the roll (在册) and joined before the month began (a member whose date of
    joining is not recorded counts as joined long ago)."""
    return members.filter(is_active=True).filter(Q(joined_date__isnull=True) | Q(joined_date__lt=month))


def owes(member, month):
    """on_the_roll for one member already in memory (dues_arrears' months): the same two conditions."""
    return member.is_active and (member.joined_date is None or member.joined_date < month)


def fully_paid(payments):
    """Rows whose month is paid in full (what was paid covers what was due)."""
    return payments.filter(paid__gte=F("due"))


def dues_owed(unit, month):
    """The members under `unit` owing dues for `month` (a village: its members; the town: its own)."""
    return own(on_the_roll(PartyMember.objects.all(), month), unit)


def dues_paid(unit, month):
    """The fully paid rows of `month` of members owing dues for it."""
    members = on_the_roll(PartyMember.objects.all(), month)
    return own(fully_paid(DuesPayment.objects.filter(month=month, member__in=members)), unit)


@dataclass
class Arrears:
    member: object
    unpaid: list  # the months unpaid in the window, oldest first
    running: int  # unpaid months running up to the month looked at

    @property
    def red(self):
        return self.running >= ARREARS_RED

    @property
    def flagged(self):
        return self.red or len(self.unpaid) >= ARREARS_FLAGGED

    @property
    def colour(self):
        return "danger" if self.red else "warning" if self.flagged else "secondary"

    @property
    def message(self):
        if self.red:
            return _("连续 %(n)s 个月未交纳党费。党章规定：党员连续六个月不交纳党费，又没有正当理由的，视为自行脱党，"
                     "支部应及时谈话并按规定处置。") % {"n": self.running}  # fmt: skip
        if self.flagged:
            return _("近 %(window)s 个月中有 %(n)s 个月未交纳党费，请督促补交。") % {
                "window": ARREARS_WINDOW, "n": len(self.unpaid)}  # fmt: skip
        return _("有 %(n)s 个月未交纳党费。") % {"n": len(self.unpaid)}


def dues_arrears(members, month):
    """[Arrears] of the `members` (a queryset, already scoped) with any month unpaid in the window ending with
    `month`, the red first: a month counts unpaid for a member owing it (on_the_roll) with no fully paid row. Two
    queries whatever the number of members."""
    first = add_months(month, 1 - ARREARS_WINDOW)
    months = [add_months(first, offset) for offset in range(ARREARS_WINDOW)]
    members = members.filter(is_active=True)
    rows = DuesPayment.objects.filter(member__in=members.values("pk"), month__gte=first, month__lte=month)
    paid = set(fully_paid(rows).values_list("member_id", "month"))
    members = members.select_related("unit", "organisation").order_by("unit__path", "name", "id")
    found = []
    for member in members:
        owed = [m for m in months if owes(member, m)]
        unpaid = [m for m in owed if (member.pk, m) not in paid]
        running = 0
        for m in reversed(owed):
            if (member.pk, m) in paid:
                break
            running += 1
        if unpaid:
            found.append(Arrears(member=member, unpaid=unpaid, running=running))
    found.sort(key=lambda a: (not a.red, not a.flagged, a.member.unit.path, a.member.name))
    return found


def arrears_month(today=None):
    """The latest month whose dues are looked at: the last complete month (this month's may still be paid)."""
    return add_months(current_month(today), -1)


def members_under(user, unit=None):
    members = PartyMember.objects.restrict(user, VIEW)
    return members.filter(unit__path__startswith=unit.path) if unit is not None else members


def six_months_running_unpaid(members, month):
    """The `members` with no fully paid row in the six months ending with `month` though they owed every one of them
    (on the roll since before the first): dues_arrears' red, as one query for the dashboard."""
    first = add_months(month, 1 - ARREARS_RED)
    # NOT EXISTS per member (through the member's index), not NOT IN: PostgreSQL ran the NOT IN as a scan of the
    # county's every dues row on each dashboard (140–200 ms at 440 villages, docs/performance.md; now about 12 ms).
    paid = fully_paid(DuesPayment.objects.filter(member=OuterRef("pk"), month__gte=first, month__lte=month))
    return on_the_roll(members, first).exclude(Exists(paid))


def red_arrears_count(user, unit):
    """Members under `unit` (that the user may see) with dues unpaid six months running: the dashboard's alert."""
    return six_months_running_unpaid(members_under(user, unit), arrears_month()).count()


@dataclass
class BranchDues:
    unit: object
    owed: int
    paid: int
    arrears: list

    @property
    def rate(self):
        return round(Decimal(self.paid) * 100 / self.owed, 1) if self.owed else None


def dues_overview(user, month, unit=None):
    """Per village the user may see: members owing `month`'s dues, those paid in full, the collection rate, and the
    members in arrears (the one rule above)."""
    members = members_under(user, unit)
    owed = dict(on_the_roll(members, month).order_by().values_list("unit_id").annotate(n=Count("pk")))
    paid_rows = fully_paid(DuesPayment.objects.filter(month=month, member__in=on_the_roll(members, month)))
    paid = dict(paid_rows.order_by().values_list("member__unit_id").annotate(n=Count("pk")))
    arrears = defaultdict(list)
    for found in dues_arrears(members, month):
        arrears[found.member.unit_id].append(found)
    units = Unit.objects.filter(pk__in=set(owed) | set(arrears)).order_by("path")
    return [BranchDues(unit=u, owed=owed.get(u.pk, 0), paid=paid.get(u.pk, 0), arrears=arrears.get(u.pk, []))
            for u in units]  # fmt: skip


def dues_sheet(organisation, month):
    """The dues entry sheet of a branch for a month: [(member, row or None)] of the members owing it."""
    members = on_the_roll(organisation.members.all(), month).order_by("name", "id")
    rows = {row.member_id: row for row in DuesPayment.objects.filter(member__in=members, month=month)}
    return [(member, rows.get(member.pk)) for member in members]


# --- 民主评议 and 发展党员: counts per branch ------------------------------------------------------------------------


def appraisal_counts(user, year):
    """{unit: {result: n}} per village for `year`, with the town's total under None: rows the user may see."""
    rows = (appraisal_list(user).filter(year=year).order_by().values_list("unit_id", "result")
            .annotate(n=Count("pk")))  # fmt: skip
    per_unit = defaultdict(lambda: dict.fromkeys(Appraisal.Result.values, 0))
    total = dict.fromkeys(Appraisal.Result.values, 0)
    for unit_id, result, n in rows:
        per_unit[unit_id][result] += n
        total[result] += n
    units = Unit.objects.in_bulk(list(per_unit))
    table = [(units[pk], counts) for pk, counts in per_unit.items()]
    table.sort(key=lambda item: item[0].path)
    return table, total


def applicant_stage(applicant):
    """The stage an applicant stands at: that of the furthest step dated."""
    for stage, date_field in reversed(STAGE_DATES):
        if getattr(applicant, date_field):
            return stage
    return Applicant.Stage.APPLICANT


STAGE_DATES = (
    (Applicant.Stage.APPLICANT, "applied_on"),
    (Applicant.Stage.ACTIVIST, "activist_on"),
    (Applicant.Stage.CANDIDATE, "candidate_on"),
    (Applicant.Stage.PROBATIONARY, "probationary_on"),
    (Applicant.Stage.FULL, "full_on"),
)


def at_stage_on(stage, day):
    """Applicants standing at `stage` at the end of `day`'s eve (dates before `day`): the stock at a month's end."""
    fields = [field for _stage, field in STAGE_DATES]
    index = [s for s, _f in STAGE_DATES].index(stage)
    condition = Q(**{f"{fields[index]}__lt": day})
    if index + 1 < len(fields):
        following = fields[index + 1]
        condition &= Q(**{f"{following}__isnull": True}) | Q(**{f"{following}__gte": day})
    return condition


def applicant_counts(user):
    """{unit: {stage: n}} per village, and the total: applicants the user may see, by their stage today."""
    rows = applicant_list(user).order_by().values_list("unit_id", "stage").annotate(n=Count("pk"))
    per_unit = defaultdict(lambda: dict.fromkeys(Applicant.Stage.values, 0))
    total = dict.fromkeys(Applicant.Stage.values, 0)
    for unit_id, stage, n in rows:
        per_unit[unit_id][stage] += n
        total[stage] += n
    units = Unit.objects.in_bulk(list(per_unit))
    table = sorted(((units[pk], counts) for pk, counts in per_unit.items()), key=lambda item: item[0].path)
    return table, total


# --- 换届 -----------------------------------------------------------------------------------------------------------


TERM_REMINDER_MONTHS = 6


def due_for_renewal(terms, today=None):
    """Of `terms`, each organisation's latest that ends within six months (or has ended with no new term recorded):
    the one rule of the 换届 reminder."""
    today = today or timezone.localdate()
    later = Term.objects.filter(organisation=OuterRef("organisation"), starts_on__gt=OuterRef("starts_on"))
    return terms.filter(ends_on__lte=add_years(today, 0, months=TERM_REMINDER_MONTHS)).exclude(Exists(later))


def terms_due(user, today=None):
    return due_for_renewal(term_list(user), today)


def add_years(day, years, months=0):
    """`day` moved by whole years (and months); 29 February becomes 1 March in a year without one."""
    index = day.year * 12 + day.month - 1 + years * 12 + months
    year, month = index // 12, index % 12 + 1
    try:
        return day.replace(year=year, month=month)
    except ValueError:
        return add_months(date(year, month, 1), 1)


# --- 党员先锋积分 ---------------------------------------------------------------------------------------------------
# The branch's point sources (a meeting attended, a 包户 household kept for a month) and the ONE rule turning every
# line's point records into a member's points for a month (`month_points`): the ranking, a member's detail, the
# Excel, the API and the indicators all call it.
#
# Where a record counts: where it is kept, as every derived figure counts its rows (reports.plugins.own). A member's
# points for a month are worked out from the records kept in the units asked about that name him: a village's
# figures from its own records, the town's ranking from the whole town's.


def _meeting_url(meeting_id):
    # Lazy: a month's ranking builds thousands of records and shows a few of their links (a demo's reports, none).
    return reverse_lazy("partylife:meeting_detail", args=[meeting_id])


def _attended(units, start, end):
    return Attendance.objects.filter(meeting__unit__in=units, meeting__held_on__gte=start, meeting__held_on__lte=end,
                                     status__in=Attendance.ATTENDED)  # fmt: skip


def meetings_attended(units, start, end):
    """[PointRecord]: one per meeting a member attended (present, or remotely from where he works away), held in
    `units` from `start` to `end`. An excused or absent member earns nothing."""
    rows = (
        _attended(units, start, end)
        .values_list("member_id", "meeting_id", "meeting__held_on", "meeting__kind", "meeting__topic")
        .order_by("meeting__held_on", "meeting_id", "member_id")
    )  # fmt: skip
    kinds = dict(MeetingKind.choices)
    return [PointRecord(member_id=member_id, quantity=Decimal(1), on=held_on, text=f"{kinds.get(kind, kind)}：{topic}",
                        url=_meeting_url(meeting_id))
            for member_id, meeting_id, held_on, kind, topic in rows]  # fmt: skip


def meetings_attended_quantities(units, start, end):
    """`meetings_attended` counted per member and month by the database: [(member id, month, meetings)]."""
    rows = (
        _attended(units, start, end).annotate(month=TruncMonth("meeting__held_on"))
        .values_list("member_id", "month").annotate(meetings=Count("id")).order_by()
    )  # fmt: skip
    return [(member_id, _as_date(month), Decimal(meetings)) for member_id, month, meetings in rows]


def _as_date(month):
    return month.date() if isinstance(month, datetime) else month


def _kept_months(units, start, end):
    """(member id, household id, head name, house number, month) for every month from `start` to `end` in which a
    member's 包户 link (kept in `units`) stood by the month's end."""
    links = (
        HouseholdLink.objects.filter(unit__in=units)
        .filter(Q(since__isnull=True) | Q(since__lte=end))
        .values_list("member_id", "household_id", "since", "household__head_name", "household__house_number")
        .order_by("member_id", "household_id")
    )  # fmt: skip
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append((month, add_months(month, 1) - timedelta(days=1)))
        month = add_months(month, 1)
    for member_id, household_id, since, head_name, house_number in links:
        for month, month_end in months:
            if since is None or since <= month_end:
                yield member_id, household_id, head_name, house_number, month


def households_kept(units, start, end):
    """[PointRecord]: each 包户 household a member keeps (党员联户, kept in `units`), one record for every month from
    `start` to `end` in which the link stood by the month's end (dated on the month's first day, or `start`)."""
    records = []
    for member_id, household_id, head_name, house_number, month in _kept_months(units, start, end):
        text = f"{head_name}户" + (_("（%(number)s号）") % {"number": house_number} if house_number else "")
        records.append(PointRecord(member_id=member_id, quantity=Decimal(1), on=max(month, start), text=text,
                                   url=reverse_lazy("branches:household_detail", args=[household_id])))  # fmt: skip
    return records


def households_kept_quantities(units, start, end):
    """`households_kept` counted per member and month: [(member id, month, households)]."""
    kept = Counter((member_id, month) for member_id, *_link, month in _kept_months(units, start, end))
    return [(member_id, month, Decimal(count)) for (member_id, month), count in kept.items()]


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


def rule_points(rule, quantity):
    """(uncapped, points): the rule applied to a member's quantity of one source in a month — points per unit ×
    the quantity, capped at the rule's monthly cap; a source without a rule earns nothing."""
    if rule is None:
        return Decimal(0), Decimal(0)
    uncapped = rule.points * quantity
    return uncapped, uncapped if rule.monthly_cap is None else min(uncapped, rule.monthly_cap)


def source_points(source, rule, records):
    """One source's part of a member's month, by `rule_points`."""
    quantity = sum((Decimal(record.quantity) for record in records), Decimal(0))
    part = SourcePoints(source=source, rule=rule, records=list(records), quantity=quantity)
    part.uncapped, part.points = rule_points(rule, quantity)
    return part


def grouped_records(units, start, end):
    """(sources, grouped) of every line's point records kept in `units` from `start` to `end`: the sources by code in
    their declared order, and {(month, member id): {source code: [PointRecord]}} — the one grouping the ranking and
    the derived figure share."""
    sources, grouped = {}, defaultdict(lambda: defaultdict(list))
    for source, record in point_records(units, start, end):
        sources[source.code] = source
        grouped[record.on.replace(day=1), record.member_id][source.code].append(record)
    return sources, grouped


def member_parts(sources, rules, by_source):
    """[SourcePoints] of one member's month (`by_source`: {source code: [PointRecord]}), in the sources' order."""
    order = {code: index for index, code in enumerate(sources)}
    return [source_points(sources[code], rules.get(code), records)
            for code, records in sorted(by_source.items(), key=lambda item: order[item[0]])]  # fmt: skip


def month_points(units, month, members):
    """[MemberPoints] of `members` (a PartyMember queryset) for `month`, from every line's point records kept in
    `units` (a Unit queryset or list), highest total first, ranked (equal totals share a rank).

    Records naming anyone outside `members` are left out; a member with no records is listed with 0 if he is on the
    roll. A fixed number of queries: each point source once, the rules, the members."""
    sources, grouped = grouped_records(units, month, add_months(month, 1) - timedelta(days=1))
    rules = point_rules()
    found = []
    for member in members.select_related("unit", "organisation").order_by("unit__path", "name", "id"):
        parts = member_parts(sources, rules, grouped.get((month, member.pk), {}))
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


def unit_points_by_month(unit, months):
    """{month: the points the unit's members earned} for many months at once, as `unit_month_points` counts each
    (the same records, members and `rule_points`): the point sources are asked once for the whole span, not once a
    month — a bulk load (the demo's reports) counts hundreds of unit-months."""
    units = Unit.objects.under(unit) if unit.is_village else Unit.objects.filter(pk=unit.pk)
    members = set(PartyMember.objects.filter(unit__path__startswith=unit.path).values_list("pk", flat=True))
    quantities = point_quantities(units, min(months), add_months(max(months), 1) - timedelta(days=1))
    rules = point_rules()
    totals = dict.fromkeys(months, Decimal(0))
    for (month, member_id), by_source in quantities.items():
        if month in totals and member_id in members:
            totals[month] += sum((rule_points(rules.get(code), quantity)[1] for code, quantity in by_source.items()),
                                 Decimal(0))  # fmt: skip
    return totals


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
