"""Reads of the industry ledgers, scoped by the user; the 包企 rule (a cadre acts on the enterprises he answers for)."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from branches.models import Assignment, Unit
from branches.scoping import VIEW, has_no_unit, is_admin

from .models import Enterprise, FeaturedProject, IncomeEntry, Problem, SalesRecord, ServiceVisit

WEAK_LINE = Decimal(50_000)  # 消薄: a village below this a year is weak
STRONG_LINE = Decimal(100_000)


def enterprise_assignments(on=None):
    """包企 assignments in force on a day (default today)."""
    return Assignment.objects.active(on).filter(
        kind=Assignment.Kind.ENTERPRISE, target_type=ContentType.objects.get_for_model(Enterprise)
    )


def enterprises_answered_by(user):
    """Ids of the enterprises the user answers for (包企) — everything for an admin, nothing for a login with no unit
    (whose 包企 would otherwise reach past scoping, which gives him nothing)."""
    if is_admin(user):
        return Enterprise.objects.values("pk")
    if has_no_unit(user):
        return Enterprise.objects.none().values("pk")
    return enterprise_assignments().filter(cadre__user=user).values("target_id")


def answers_for(user, enterprise):
    """Is the user the cadre (包企) of this enterprise — or an admin?"""
    if is_admin(user):
        return True
    return not has_no_unit(user) and enterprise_assignments().filter(cadre__user=user, target_id=enterprise.pk).exists()


def cadres_by_enterprise(enterprise_ids):
    """{enterprise id: [cadre names]} in one query."""
    names = defaultdict(list)
    rows = enterprise_assignments().filter(target_id__in=enterprise_ids).select_related("cadre")
    for assignment in rows.order_by("cadre__name"):
        names[assignment.target_id].append(assignment.cadre.name)
    return names


def _open_problems(prefix=""):
    return Count(f"{prefix}problems", filter=Q(**{f"{prefix}problems__status__in": Problem.OPEN_STATUSES}),
                 distinct=True)  # fmt: skip


def enterprise_list(user, action=VIEW):
    today = timezone.localdate()
    overdue = Problem.objects.filter(enterprise=OuterRef("pk"), status__in=Problem.OPEN_STATUSES, deadline__lt=today)
    return (
        Enterprise.objects.restrict(user, action)
        .select_related("unit")
        .annotate(open_problems=_open_problems(), has_overdue=Exists(overdue))
        .order_by("-is_leading", "name")
    )


def my_enterprises(user):
    """The cadre's workbench: the enterprises he answers for, with open and overdue problems."""
    return enterprise_list(user).filter(pk__in=enterprises_answered_by(user))


def visit_list(user, action=VIEW):
    """Visits the user may see; to change one he must answer for its enterprise."""
    visits = ServiceVisit.objects.select_related("enterprise", "cadre", "unit")
    if action == VIEW:
        return visits.restrict(user, VIEW).order_by("-date", "-id")
    return visits.filter(enterprise__in=enterprises_answered_by(user)).order_by("-date", "-id")


def problem_list(user, action=VIEW):
    problems = Problem.objects.select_related("enterprise", "visit", "unit")
    if action == VIEW:
        problems = problems.restrict(user, VIEW)
    else:
        problems = problems.filter(enterprise__in=enterprises_answered_by(user))
    return problems.order_by("deadline", "id")


def problems_overdue_on(problems, on):
    """Those of `problems` past their deadline and still open on the day `on` (the dashboard asks about today, the
    monthly bulletin about the day it is built)."""
    return problems.filter(deadline__lt=on).filter(Q(status__in=Problem.OPEN_STATUSES) | Q(resolved_on__gt=on))


def overdue_problems(user):
    return problems_overdue_on(problem_list(user), timezone.localdate())


def income_list(user, action=VIEW):
    return IncomeEntry.objects.restrict(user, action).select_related("unit", "project").order_by("-date", "-id")


def project_list(user, action=VIEW):
    return (
        FeaturedProject.objects.restrict(user, action)
        .select_related("unit")
        .annotate(household_count=Count("households", distinct=True), income_total=Sum("incomes__amount"))
        .order_by("unit__path", "name")
    )


def sales_list(user, action=VIEW):
    return SalesRecord.objects.restrict(user, action).select_related("unit", "project").order_by("-date", "-id")


# --- collective economy ---------------------------------------------------------------------------------------------


def monthly_income(unit, year):
    """[12 monthly totals] of a unit's collective income in a year (ledger, not roll-up: the village sees today's)."""
    rows = (
        IncomeEntry.objects.filter(unit__path__startswith=unit.path, date__year=year)
        .annotate(month=ExtractMonth("date"))
        .values("month")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    totals = [Decimal(0)] * 12
    for row in rows:
        totals[row["month"] - 1] = row["total"]
    return totals


def village_economy(unit, year):
    """What the village economy page shows: monthly and cumulative income, the year so far against the lines."""
    months = monthly_income(unit, year)
    today = timezone.localdate()
    last_month = 12 if year < today.year else (today.month if year == today.year else 0)
    cumulative, running = [], Decimal(0)
    for number, amount in enumerate(months, start=1):
        running += amount
        cumulative.append(running if number <= last_month else None)  # the line stops at this month
    return {
        "year": year,
        "monthly": months,
        "cumulative": cumulative,
        "total": running,
        "last_year": sum(monthly_income(unit, year - 1)),
        "weak_line": WEAK_LINE,
        "strong_line": STRONG_LINE,
        "by_source": list(
            IncomeEntry.objects.filter(unit__path__startswith=unit.path, date__year=year)
            .values("source")
            .annotate(total=Sum("amount"))
            .order_by("-total")
        ),
    }


@dataclass
class BoardRow:
    unit: Unit
    last_year: Decimal = Decimal(0)
    this_year: Decimal = Decimal(0)
    months_elapsed: int = 12
    notes: list = field(default_factory=list)

    @property
    def was_weak(self):
        return self.last_year < WEAK_LINE

    @property
    def above_line(self):
        return self.this_year >= WEAK_LINE

    @property
    def above_strong(self):
        return self.this_year >= STRONG_LINE

    @property
    def projected(self):
        """This year's income if the rest of the year goes like the months so far."""
        if self.months_elapsed <= 0:
            return self.this_year
        return (self.this_year * 12 / self.months_elapsed).quantize(Decimal(1))

    @property
    def off_pace(self):
        return not self.above_line and self.projected < WEAK_LINE

    @property
    def share_of_line(self):
        return min(100, int(self.this_year * 100 / WEAK_LINE))


def xiaobo_board(user, year, today=None):
    """消薄: every village the user may see, its income last year and this year so far (one grouped query)."""
    today = today or timezone.localdate()
    villages = list(Unit.objects.restrict(user, VIEW).villages().order_by("code", "path"))
    by_path = {village.path: village for village in villages}
    totals = defaultdict(Decimal)
    rows = (
        IncomeEntry.objects.filter(
            unit__in=Unit.objects.filter(path__in=list(by_path)).values("pk"), date__year__in=(year - 1, year)
        )  # fmt: skip
        .values("unit__path", "date__year")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in rows:
        totals[(row["unit__path"], row["date__year"])] += row["total"]
    elapsed = 12 if year < today.year else max(today.month - 1, 1)  # complete months so far
    board = [
        BoardRow(
            unit=village, last_year=totals[(path, year - 1)], this_year=totals[(path, year)], months_elapsed=elapsed
        )  # fmt: skip
        for path, village in by_path.items()
    ]
    return {
        "rows": board,
        "lifted": [row for row in board if row.was_weak and row.above_line],
        "off_pace": [row for row in board if row.off_pace],
        "weak_last_year": [row for row in board if row.was_weak],
        "above_strong": [row for row in board if row.above_strong],
        "year": year,
    }
