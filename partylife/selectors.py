"""Reads of 支部建设, scoped by the user: each part of the branch's life keeps its own section."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import PartyMember, Unit
from branches.scoping import VIEW
from reports.plugins import add_months, current_month, own

from .models import Applicant, Appraisal, DuesPayment, Term

# --- meetings (三会一课, 主题党日, 组织生活会) ------------------------------------------------------------------------
# (end of meetings)

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
    paid = fully_paid(DuesPayment.objects.filter(month__gte=first, month__lte=month)).values("member_id")
    return on_the_roll(members, first).exclude(pk__in=paid)


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
    for stage, field in reversed(STAGE_DATES):
        if getattr(applicant, field):
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


# (end of dues, 民主评议, 发展党员, 换届)

# --- 党员先锋积分 ---------------------------------------------------------------------------------------------------
# (end of points)
