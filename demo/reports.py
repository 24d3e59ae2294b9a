"""Monthly reports of the demo 井字镇 (`manage.py load_demo` runs this last, after every ledger is in place).

For the town and each of its villages/communities, and each work line that has indicators for it, one report per
month from January of last year to the last complete month, ending as the services leave a report that was opened
(derived figures counted from the ledgers), filled and submitted by the village's secretary (the `admin` login for
the town's own reports) and approved by `leader`: the same values, flags, versions, workflow events and history
rows. Then one full roll-up. The services themselves would take a minute for the two thousand reports; this loader
writes them in bulk (`reports.scale.Writer`), counts each unit's derived figures for every month in a few statements
(`reports.derive.figures_by_month`) and runs the same checks (`reports.checks.problems`) in memory.
tests/demo/test_reports_loader.py files one village's months both ways and compares them.

The entered figures are the article's (DESIGN §5): each year-to-date total of this year is split over units and
months by a deterministic integer partition, so the town's year-to-date roll-up shows exactly the demo's total;
last year runs at about 85 % of this year's monthly level, which keeps every month clear of the outlier check.
A report approved already is left alone, so loading twice changes nothing; one left half-way (returned, unlocked,
a draft) is finished through the services themselves.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from branches.models import Unit, User
from branches.services import live_versions_renew_all
from demo import article
from demo.common import split
from reports import checks, periods, worklines
from reports.checks import display
from reports.derive import figures_by_month
from reports.models import Indicator, MonthlyReport, ReportEvent, ReportValue, Rollup
from reports.monthly import selectors, services
from reports.registry import registry
from reports.rollup import build as rollup
from reports.rollup import services as rollup_services
from reports.scale import Writer

Status = MonthlyReport.Status

SEED = 431321102
TOWN_CODE = "431321102"
LAST_YEAR_LEVEL = Decimal("0.85")  # last year's monthly level against this year's

# Month factors (January … December): mild, so no month stands out against a unit's own history.
CLEANUP_SEASON = (1.15, 0.85, 1.2, 1.1, 1.0, 0.9, 0.85, 0.9, 1.0, 1.05, 0.95, 1.1)  # 春节前大扫除, 春季整治
OUTREACH_SEASON = (1.2, 1.15, 1.0, 0.95, 0.9, 0.9, 0.95, 1.0, 1.0, 1.05, 1.0, 1.1)  # 春节返乡前后宣传最多
DOSE_SEASON = (1.15, 1.1, 1.05, 1.0, 0.95, 0.9, 0.9, 0.9, 0.95, 1.0, 1.05, 1.1)
TAX_SEASON = (0.85, 0.8, 1.0, 1.05, 1.0, 1.05, 0.95, 0.95, 1.05, 1.05, 1.0, 1.2)


@dataclass(frozen=True)
class Flow:
    """An entered flow: the town's total (its own report plus its villages') from January to the last complete
    month of this year, and how it spreads."""

    total: Decimal
    season: tuple
    town_weight: float = 1.0  # the town's own report, against a village's 0.85–1.15
    decimals: int = 0


FLOWS = {
    "env.participants": Flow(Decimal(article.ENV_PARTICIPANTS), CLEANUP_SEASON, town_weight=3),
    "env.leaflets": Flow(Decimal(article.ENV_LEAFLETS), CLEANUP_SEASON, town_weight=2),
    "gov.leaflets": Flow(Decimal(article.GOV_LEAFLETS), OUTREACH_SEASON, town_weight=2),
    "gov.booster_doses": Flow(Decimal(article.BOOSTER_DOSES), DOSE_SEASON, town_weight=4),  # 卫生院 is the town
    "ind.enterprise_tax": Flow(article.ENTERPRISE_TAX, TAX_SEASON, decimals=2),  # the town only
}
JOBS_NOW = article.ENTERPRISE_JOBS  # ind.enterprise_jobs (a stock) at the end of the last complete month
JOBS_GROWTH = 1.25  # jobs added per month on average

# What the printout shows of the town's year-to-date roll-up, in this order.
SUMMARY_CODES = (
    "ind.enterprise_cadres", "ind.enterprises_assigned", "ind.enterprise_tax", "ind.enterprise_jobs",
    "ind.collective_income", "ind.featured_income", "ind.ecommerce_kg",
    "env.participants", "env.leaflets", "env.garbage_tons", "env.billboards_removed", "env.road_km", "env.river_km",
    "env.sewage_investment", "env.pipe_km", "env.sewage_capacity", "env.hollow_houses", "env.toilets",
    "org.grids", "gov.covering_members", "gov.micro_grids", "gov.leaflets", "gov.booster_doses",
    "gov.household_coverage_rate",
    "vol.stations", "vol.teams", "vol.professional_teams", "vol.volunteers", "vol.activities", "vol.people_served",
)  # fmt: skip


# ── the figures ─────────────────────────────────────────────────────────────────────────────────────────────────


def partition(total, weights, decimals=0):
    """Split `total` into shares proportional to the (positive integer) `weights`, in steps of 10^-decimals
    (common.split: the steps left over go to the largest remainders)."""
    return split(total, weights, Decimal(1).scaleb(-decimals))

def year_months(year, last):
    """January to `last` in `last`'s year; the whole of an earlier year."""
    final = last.month if year == last.year else 12
    return [date(year, month, 1) for month in range(1, final + 1)]


def flow_figures(code, flow, units, this_year_months, last_year_months):
    """{(unit code, month): value} for one flow: this year's total split exactly, last year at 85 % of the level."""
    figures = {}
    per_month = flow.total / len(this_year_months)
    last_year_total = (per_month * len(last_year_months) * LAST_YEAR_LEVEL).quantize(Decimal(1).scaleb(-flow.decimals))
    for months, total in ((last_year_months, last_year_total), (this_year_months, flow.total)):
        rng = random.Random(f"{SEED}:{code}:{months[0].year}")
        cells, weights = [], []
        for unit in units:
            level = flow.town_weight if unit.code == TOWN_CODE else unit_level(code, unit)
            for month in months:
                cells.append((unit.code, month))
                weights.append(round(level * flow.season[month.month - 1] * rng.uniform(0.9, 1.1) * 10_000))
        figures.update(zip(cells, partition(total, weights, flow.decimals), strict=True))
    return figures


def unit_level(code, unit):
    """A village's own level for an indicator (0.85–1.15), the same every year."""
    return random.Random(f"{SEED}:{code}:{unit.code}").uniform(0.85, 1.15)


def jobs_figure(month, last):
    """Jobs grow steadily and reach JOBS_NOW in the last complete month."""
    behind = (last.year - month.year) * 12 + last.month - month.month
    return Decimal(max(JOBS_NOW - round(JOBS_GROWTH * behind), 0))


def plan(units, last):
    """{(unit code, month): {code: value}} for every entered indicator the demo knows."""
    this_year = year_months(last.year, last)
    last_year = year_months(last.year - 1, last)
    figures = {}
    for code, flow in FLOWS.items():
        if code not in registry:
            continue
        reporting = [unit for unit in units if specs_of(unit, code)]
        if not reporting:
            continue
        for cell, value in flow_figures(code, flow, reporting, this_year, last_year).items():
            figures.setdefault(cell, {})[code] = value
    if "ind.enterprise_jobs" in registry:
        for unit in units:
            if specs_of(unit, "ind.enterprise_jobs"):
                for month in last_year + this_year:
                    figures.setdefault((unit.code, month), {})["ind.enterprise_jobs"] = jobs_figure(month, last)
    return figures


def specs_of(unit, code):
    spec = registry.get(code)
    return [s for s in selectors.specs_for(unit, spec.work_line) if s.code == code]


# ── filing the reports ──────────────────────────────────────────────────────────────────────────────────────────


@dataclass
class Cell:
    """One report to file."""

    unit: Unit
    work_line: str
    month: date


@dataclass
class Filing:
    approved: list  # ids of the reports approved by this run
    failed: list  # (report's name, reason) for those that could not be submitted or approved


@dataclass
class People:
    entrants: dict  # unit id → the user who types its figures
    leader: User


def reporting_units():
    town = Unit.objects.get(code=TOWN_CODE, kind=Unit.Kind.TOWN)
    villages = list(Unit.objects.under(town).villages().order_by("code", "path"))
    return town, villages


def demo_people(units):
    """Who types each unit's figures — its secretary (the first by id), or `admin` for the town's own reports and
    a village without one — and who approves them (`leader`, else `admin`)."""
    admin = User.objects.get(username="admin")
    leader = User.objects.filter(username="leader").first() or admin
    secretaries = {}
    for user in User.objects.filter(role=User.Role.SECRETARY, unit__in=units, is_active=True).order_by("id"):
        secretaries.setdefault(user.unit_id, user)
    entrants = {unit.pk: admin if unit.kind == Unit.Kind.TOWN else secretaries.get(unit.pk, admin) for unit in units}
    return People(entrants=entrants, leader=leader)


def months_between(first, last):
    months = [first]
    while months[-1] < last:
        months.append(periods.add_months(months[-1], 1))
    return months


def missing_cells(units, months):
    """Every unit × work line (with indicators for it) × month that has no report yet (one query)."""
    existing = set(
        MonthlyReport.objects.filter(unit__in=units, month__gte=months[0], month__lte=months[-1])
        .values_list("unit_id", "work_line", "month")
    )  # fmt: skip
    return [
        Cell(unit, work_line, month)
        for unit in units
        for work_line in worklines.codes()
        if selectors.specs_for(unit, work_line)
        for month in months
        if (unit.pk, work_line, month) not in existing
    ]


def derived_figures(cells):
    """{(unit id, work line, month): {code: figure}}: each unit and work line counted for all its months at once."""
    by_line = {}
    for cell in cells:
        by_line.setdefault((cell.unit, cell.work_line), []).append(cell.month)
    counted, statements = {}, {}
    for (unit, work_line), months in by_line.items():
        specs = [spec for spec in selectors.specs_for(unit, work_line) if not spec.is_entered]
        for (code, month), value in figures_by_month(unit, specs, months, statements).items():
            counted.setdefault((unit.pk, work_line, month), {})[code] = value
    return counted


def stored_figures(cells, since):
    """What is stored already for the cells' units and work lines since `since`: {(unit id, work line, month):
    {code: value}}, and the approved {(unit id, work line, month): {code: approved value}} (the checks' baseline)."""
    values, approved = {}, {}
    rows = ReportValue.objects.filter(
        report__unit__in={cell.unit.pk for cell in cells}, report__month__gte=since,
        report__work_line__in={cell.work_line for cell in cells},
    ).values_list("report__unit_id", "report__work_line", "report__month", "report__status", "indicator__code",
                  "value", "approved_value")  # fmt: skip
    for unit_id, work_line, month, status, code, value, approved_value in rows:
        values.setdefault((unit_id, work_line, month), {})[code] = value
        if status == MonthlyReport.Status.APPROVED and approved_value is not None:
            approved.setdefault((unit_id, work_line, month), {})[code] = approved_value
    return values, approved


def approved_history(approved, cell):
    """{code: [approved figures]} of the cell's unit and work line in the months before it (checks.problems)."""
    history = {}
    for back in range(checks.OUTLIER_HISTORY_MONTHS, 0, -1):
        month = periods.add_months(cell.month, -back)
        for code, value in approved.get((cell.unit.pk, cell.work_line, month), {}).items():
            history.setdefault(code, []).append(value)
    return history


def report_dates(cell):
    """The dates a punctual town would have: submitted by the 5th of the next month, approved a day or two later
    (never in the future)."""
    now = timezone.now()
    zone = timezone.get_current_timezone()
    rng = random.Random(f"{SEED}:{cell.unit.pk}:{cell.work_line}:{cell.month}")
    day = periods.deadline_for(cell.month) - timedelta(days=rng.randint(0, 4))
    submitted = min(datetime.combine(day, time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=zone), now)
    approved = min(submitted + timedelta(days=rng.randint(1, 2), hours=rng.randint(0, 3)), now)
    return submitted, approved


class Rows:
    """The rows a filing writes, as `reports.scale.Writer` takes them: each report with its values, events and
    history, as services.report_open / report_save_values / report_submit / report_approve would leave them."""

    def __init__(self, writer, indicators):
        self.writer = writer
        self.indicators = indicators  # code → id
        self.reports, self.values, self.events, self.report_history, self.value_history = [], [], [], [], []

    def add(self, cell, specs, values, flags, passed, people):
        report_id = self.writer.ids(MonthlyReport, 1)[0]
        entrant, leader = people.entrants[cell.unit.pk], people.leader
        submitted, approved = report_dates(cell)
        opened = {"id": report_id, "unit_id": cell.unit.pk, "work_line": cell.work_line, "month": cell.month,
                  "status": Status.DRAFT, "updated_at": None, "updated_by_id": None, "submitted_at": None,
                  "approved_at": None, "approved_by_id": None, "return_reason": "", "changed_since_approval": False,
                  "rollup_pending": False, "balance_note": ""}  # fmt: skip
        self._history(opened, "+", submitted)
        for spec in specs:
            self.value_history.append({
                "id": None, "report_id": report_id, "indicator_id": self.indicators[spec.code],
                "value": values[spec.code], "approved_value": None, "flag": "", "history_type": "~",
                "history_date": submitted, "history_user_id": entrant.pk if spec.is_entered else None,
            })  # fmt: skip
        entered = sum(1 for spec in specs if spec.is_entered)
        self._event(report_id, ReportEvent.Action.SAVE, entrant, submitted, services.saved_reason(entered))
        if not passed:
            self.reports.append({**opened, "version": 2, "updated_at": submitted, "updated_by_id": entrant.pk})
            self._values(report_id, specs, values, {}, approved=False)
            return report_id
        submit = {**opened, "status": Status.SUBMITTED, "updated_at": submitted, "updated_by_id": entrant.pk,
                  "submitted_at": submitted}  # fmt: skip
        self._history(submit, "~", submitted)
        self._event(report_id, ReportEvent.Action.SUBMIT, entrant, submitted)
        final = {**submit, "status": Status.APPROVED, "approved_at": approved, "approved_by_id": leader.pk}
        self._history(final, "~", approved)
        self._event(report_id, ReportEvent.Action.APPROVE, leader, approved)
        self.reports.append({**final, "version": 4, "updated_at": approved, "updated_by_id": leader.pk})
        self._values(report_id, specs, values, flags, approved=True)
        return report_id

    def _values(self, report_id, specs, values, flags, *, approved):
        for spec in specs:
            value = values[spec.code]
            self.values.append({"report_id": report_id, "indicator_id": self.indicators[spec.code], "value": value,
                                "approved_value": value if approved else None, "flag": flags.get(spec.code, "")})

    def _history(self, state, kind, at):
        self.report_history.append({**state, "history_type": kind, "history_date": at, "history_user_id": None})

    def _event(self, report_id, action, user, at, reason=""):
        self.events.append({"report_id": report_id, "action": action, "user_id": user.pk, "at": at, "reason": reason})

    def write(self):
        writer = self.writer
        writer.insert(MonthlyReport, self.reports)
        value_ids = iter(writer.ids(ReportValue, len(self.values)))
        for row in self.values:
            row["id"] = next(value_ids)
        writer.insert(ReportValue, self.values)
        # A value's history row carries the value's own id: the values were numbered in the order of the rows.
        for history, value in zip(self.value_history, self.values, strict=True):
            history["id"] = value["id"]
        for model, rows in ((ReportEvent, self.events), (MonthlyReport.history.model, self.report_history),
                            (ReportValue.history.model, self.value_history)):  # fmt: skip
            for row, pk in zip(rows, writer.ids(model, len(rows)), strict=True):
                row["history_id" if model is not ReportEvent else "id"] = pk
            writer.insert(model, rows)
        writer.reset_sequences()


def unfinished_reports(units, months):
    """Reports a person or an interrupted load left before approval (one query)."""
    reports = MonthlyReport.objects.filter(unit__in=units, month__gte=months[0], month__lte=months[-1])
    return list(reports.exclude(status=Status.APPROVED).select_related("unit").order_by("month", "unit__path"))


def finish(report, figures, people, filing):
    """Open, fill, submit and approve a report left half-way, through the services themselves: there are few, and
    each may stand at any stage of the workflow."""
    unit, work_line, month = report.unit, report.work_line, report.month
    entrant = people.entrants[unit.pk]
    report = services.report_open(unit=unit, work_line=work_line, month=month)
    try:
        if report.is_editable:
            entered = figures.get((unit.code, month), {})
            specs = [spec for spec in selectors.specs_for(unit, work_line) if spec.is_entered]
            values = {spec.code: entered.get(spec.code, Decimal(0)) for spec in specs}
            report = services.report_save_values(report=report, user=entrant, values=values)
            report = services.report_submit(report=report, user=entrant)
        report = services.report_approve(report=report, user=people.leader)
    except ValidationError as error:
        filing.failed.append((str(report), "；".join(error.messages)))
        return
    filing.approved.append(report.pk)


def file_all(cells, figures, people, filing):
    """File every cell in bulk; a cell whose figures fail the checks stays a saved draft, as report_submit would
    leave it."""
    if not cells:
        return
    counted = derived_figures(cells)
    since = periods.add_months(min(cell.month for cell in cells), -checks.OUTLIER_HISTORY_MONTHS)
    stored, approved = stored_figures(cells, since)
    rows = Rows(Writer(), dict(Indicator.objects.values_list("code", "pk")))
    for cell in sorted(cells, key=lambda cell: (cell.unit.pk, cell.work_line, cell.month)):
        key = (cell.unit.pk, cell.work_line, cell.month)
        specs = selectors.specs_for(cell.unit, cell.work_line)
        entered = figures.get((cell.unit.code, cell.month), {})
        # An entered indicator the demo has no figure for (a work line added it later) is filed as 0.
        values = {spec.code: entered.get(spec.code, Decimal(0)) if spec.is_entered else counted[key][spec.code]
                  for spec in specs}  # fmt: skip
        # The balance's baseline is last month's approved figures, as for a report filed through the services.
        previous = approved.get((cell.unit.pk, cell.work_line, periods.add_months(cell.month, -1)), {})
        errors, flags = checks.problems(specs, values, previous, approved_history(approved, cell))
        report_id = rows.add(cell, specs, values, flags, not errors, people)
        stored[key] = values
        if errors:
            reason = "；".join(problem.message for problem in errors)
            name = str(MonthlyReport(unit=cell.unit, work_line=cell.work_line, month=cell.month))
            filing.failed.append((name, reason))
        else:
            approved[key] = values
            filing.approved.append(report_id)
    rows.write()


# ── the whole load and its summary ──────────────────────────────────────────────────────────────────────────────


def load(*, password, reset_passwords=False):
    """The demo protocol (see demo/loader.py): file the missing reports, roll up, return what to print."""
    last = periods.last_complete_month()
    months = months_between(date(last.year - 1, 1, 1), last)
    with transaction.atomic(), rollup_services.rollups_deferred():
        town, villages = reporting_units()
        units = [*villages, town]
        figures, people, filing = plan(units, last), demo_people(units), Filing(approved=[], failed=[])
        for report in unfinished_reports(units, months):
            finish(report, figures, people, filing)
        file_all(missing_cells(units, months), figures, people, filing)
        rows = rollup.rebuild_all()
        live_versions_renew_all()
    return summary(town, villages, last, filing, rows)


def town_year_to_date(town, last):
    return dict(Rollup.objects.filter(unit=town, period=f"{last.year}-YTD").values_list("indicator__code", "value"))


def summary(town, villages, last, filing, rows):
    first = date(last.year - 1, 1, 1)
    total = MonthlyReport.objects.filter(
        unit__in=[town, *villages], month__gte=first, month__lte=last, status=MonthlyReport.Status.APPROVED
    ).count()
    lines = [
        f"月报：本次审核 {len(filing.approved)} 份，已审核共 {total} 份（{periods.month_key(first)}—"
        f"{periods.month_key(last)}，镇和 {len(villages)} 个村/社区），汇总 {rows} 行。"
    ]
    ytd = town_year_to_date(town, last)
    parts = []
    for code in SUMMARY_CODES:
        if code in ytd and code in registry:
            spec = registry.get(code)
            value = ytd[code].quantize(Decimal(1).scaleb(-spec.decimals))
            parts.append(f"{spec.name} {display(value)}{'' if spec.unit == '%' else ' '}{spec.unit}")
    lines.append(f"全镇 {last.year} 年 1—{last.month} 月：" + "，".join(parts) + "。")
    if filing.failed:
        reasons = "；".join(f"{name}：{reason}" for name, reason in filing.failed[:3])
        lines.append(f"注意：{len(filing.failed)} 份月报未能提交或审核（{reasons}）。")
    return "\n".join(lines)
