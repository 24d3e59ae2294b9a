"""Reads of 支部建设, scoped by the user."""

import calendar
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Prefetch, Q, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils.translation import gettext as _

from branches.models import PartyMember, PartyOrganisation, Unit
from branches.scoping import CHANGE, VIEW, any_of
from reports.plugins import add_months

from .models import Attendance, Every, Meeting, MeetingKind, MeetingRule, MonthlyTheme

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


def _missed_conditions(on):
    """{(kind, every): condition on PartyOrganisation}: the rule asks `every` of `kind` (MeetingRule, as the admin set
    it) and the organisation, founded before the period ended, held none in the last complete period."""
    conditions = {}
    for kind in MeetingKind.values:
        for every in RHYTHMS:
            start, end = last_complete_period(every, on)
            ruled = Exists(MeetingRule.objects.filter(kind=kind, every=every))
            held = Exists(Meeting.objects.filter(organisation=OuterRef("pk"), kind=kind, held_on__gte=start,
                                                 held_on__lt=end))  # fmt: skip
            founded = Q(founded__isnull=True) | Q(founded__lt=end)
            conditions[kind, every] = Q(ruled) & ~Q(held) & founded
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
    ancestors = [unit.path[:end] for end in range(Unit.steplen, len(unit.path) + 1, Unit.steplen)]
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
    return [[(first.replace(day=day), by_day.get(day, [])) if day else None for day in week]
            for week in calendar.Calendar(firstweekday=0).monthdayscalendar(first.year, first.month)]  # fmt: skip


# (end of meetings)

# --- dues, 民主评议, 发展党员, 换届 ----------------------------------------------------------------------------------
# (end of dues, 民主评议, 发展党员, 换届)

# --- 党员先锋积分 ---------------------------------------------------------------------------------------------------
# (end of points)
