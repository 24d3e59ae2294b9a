"""Reads of the industry ledgers, scoped by the user; the 包企 rule (a cadre acts on the enterprises he answers for)."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from branches.models import Cadre, Unit
from branches.scoping import VIEW, is_admin
from reports.plugins import case_state, overdue_q, periods, registry, targets

from .models import (
    ANSWER,
    Enterprise,
    FeaturedProject,
    IncomeEntry,
    Problem,
    SalesRecord,
    ServiceVisit,
    enterprise_assignments,
)

INCOME = "ind.collective_income"


def weak_line():
    """消薄: the yearly collective income a village must reach, as declared on its indicator (indicators.py)."""
    return registry.get(INCOME).target


def strong_line():
    """The article's second line (2个村达10万元以上): twice the 消薄 line."""
    return 2 * weak_line()


def answers_for(user, enterprise):
    """Is the user the cadre (包企) of this enterprise — or an admin? The model's ANSWER rule (models.py)."""
    return Enterprise.objects.restrict(user, ANSWER).filter(pk=enterprise.pk).exists()


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
    overdue = Problem.objects.filter(problem_overdue_q(today), enterprise=OuterRef("pk"))
    return (
        Enterprise.objects.restrict(user, action)
        .select_related("unit")
        .annotate(open_problems=_open_problems(), has_overdue=Exists(overdue))
        .order_by("-is_leading", "name")
    )


def my_enterprises(user):
    """The cadre's workbench: the enterprises he answers for, with open and overdue problems."""
    return enterprise_list(user).restrict(user, ANSWER)


def enterprise_page(user, enterprise):
    """What an enterprise's page shows besides its fields: its cadres, recent visits, open problems, whether the user
    answers for it, and (for an admin) the cadres he may assign to it."""
    return {
        "cadres": cadres_by_enterprise([enterprise.pk]).get(enterprise.pk, []),
        "visits": visit_list(user).filter(enterprise=enterprise)[:20],
        "problems": problem_list(user).filter(enterprise=enterprise),
        "answers_for": answers_for(user, enterprise),
        "assignable": Cadre.objects.restrict(user).order_by("name") if is_admin(user) else None,
    }


def visit_list(user, action=VIEW):
    """Visits the user may see; to change one he must answer for its enterprise (the model's CHANGE rule)."""
    visits = ServiceVisit.objects.select_related("enterprise", "cadre", "unit")
    return visits.restrict(user, action).order_by("-date", "-id")


def problem_list(user, action=VIEW):
    """Problems the user may see; to change one he must answer for its enterprise (the model's CHANGE rule)."""
    problems = Problem.objects.select_related("enterprise", "visit", "unit")
    return problems.restrict(user, action).order_by("deadline", "id")


# A problem's time runs from when it was raised (its visit) — its row knows only its deadline and when it closed.
PROBLEM_DATES = {"start": None, "closed": "resolved_on"}


def problem_state(problem):
    """One problem's state against its own deadline (red over, yellow near: reports.deadlines)."""
    return case_state(problem, **PROBLEM_DATES)


def problem_overdue_q(on):
    """A problem past its deadline and still open on the day `on` (reports.deadlines)."""
    return overdue_q(on, open_q=Q(status__in=Problem.OPEN_STATUSES), closed_field="resolved_on")


def problems_overdue_on(problems, on):
    """Those of `problems` overdue on the day `on` (the dashboard asks about today, the monthly bulletin about the
    day it is built)."""
    return problems.filter(problem_overdue_q(on))


def overdue_problems(user):
    return problems_overdue_on(problem_list(user), timezone.localdate())


def my_open_problems(user):
    """The open problems of the enterprises the user answers for (his home page's "today" line)."""
    return problem_list(user).filter(enterprise__in=my_enterprises(user).values("pk"),
                                     status__in=Problem.OPEN_STATUSES)  # fmt: skip


def cadre_users_of(enterprise):
    """The logins of the cadres who answer for `enterprise` today (whom its news is for)."""
    cadres = enterprise_assignments().filter(target_id=enterprise.pk).exclude(cadre__user=None)
    return [assignment.cadre.user for assignment in cadres.select_related("cadre__user")]


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
        "weak_line": weak_line(),
        "strong_line": strong_line(),
        "by_source": list(
            IncomeEntry.objects.filter(unit__path__startswith=unit.path, date__year=year)
            .values("source")
            .annotate(total=Sum("amount"))
            .order_by("-total")
        ),
    }


@dataclass
class BoardRow:
    """A village on the 消薄 board: its income from the ledger (today's, approved or not) against the lines, and its
    standing against the pace of the 消薄 target (reports/targets.py: approved figures, as of the judged month)."""

    unit: Unit
    last_year: Decimal = Decimal(0)
    this_year: Decimal = Decimal(0)
    line: Decimal = Decimal(0)  # weak_line()
    standing: targets.Standing | None = None  # None: no month of the year is due yet
    notes: list = field(default_factory=list)

    @property
    def was_weak(self):
        return self.last_year < self.line

    @property
    def above_line(self):
        return self.this_year >= self.line

    @property
    def above_strong(self):
        return self.this_year >= strong_line()

    @property
    def colour(self):
        return self.standing.colour if self.standing else ""

    @property
    def off_pace(self):
        return self.standing is not None and self.standing.behind

    @property
    def share_of_line(self):
        return min(100, int(self.this_year * 100 / self.line)) if self.line else 100


def xiaobo_board(user, year, today=None):
    """消薄: every village the user may see, its income last year and this year so far (one grouped query), and its
    standing against the pace as of the year's judged month (one more)."""
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
    month = targets.judged_month(periods.Period(periods.YEAR, year), today)
    spec = registry.get(INCOME)
    standings = targets.standings(villages, [spec], month) if month else {}
    board = [
        BoardRow(unit=village, last_year=totals[(path, year - 1)], this_year=totals[(path, year)],
                 line=spec.target, standing=standings.get((village.pk, spec.code)))  # fmt: skip
        for path, village in by_path.items()
    ]
    return {
        "rows": board,
        "lifted": [row for row in board if row.was_weak and row.above_line],
        "off_pace": [row for row in board if row.off_pace],
        "weak_last_year": [row for row in board if row.was_weak],
        "above_strong": [row for row in board if row.above_strong],
        "year": year,
        "line": spec.target,
        "strong_line": strong_line(),
        "month": month,
        "pace_note": targets.note(month) if month else "",
    }


# --- the 包企 problems' backlog (the monthly balance's stock and the list behind it) ---------------------------------


def problems_open_before(queryset, day):
    """Problems open at the start of `day`: raised before it and not solved or closed before it."""
    return queryset.filter(raised_on__lt=day).exclude(status__in=Problem.DONE_STATUSES, resolved_on__lt=day)
