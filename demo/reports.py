"""Monthly reports of the demo 井字镇 (`manage.py load_demo` runs this last, after every ledger is in place).

For the town and each of its villages/communities, and each work line that has indicators for it, one report per
month from January of last year to the last complete month, filed the way a secretary and a leader would: opened
(derived figures counted from the ledgers), entered figures saved and submitted by the village's secretary (the
`admin` login for the town's own reports), approved by `leader`. Then one full roll-up.

The entered figures are the article's (DESIGN §5): each year-to-date total of this year is split over units and
months by a deterministic integer partition, so the town's year-to-date roll-up shows exactly the demo's total;
last year runs at about 85 % of this year's monthly level, which keeps every month clear of the outlier check.
Reports already approved are left alone, so loading twice changes nothing.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from branches.models import Unit, User
from reports import periods, rollup, services
from reports.checks import display
from reports.models import MonthlyReport, ReportEvent, Rollup
from reports.registry import registry

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
    "env.participants": Flow(Decimal(586), CLEANUP_SEASON, town_weight=3),  # article: 500余人次
    "env.leaflets": Flow(Decimal(10_860), CLEANUP_SEASON, town_weight=2),  # 1万余份
    "gov.leaflets": Flow(Decimal(52_400), OUTREACH_SEASON, town_weight=2),  # 5万余份
    "gov.booster_doses": Flow(Decimal(7779), DOSE_SEASON, town_weight=4),  # 7779剂次 (卫生院 counts as the town's)
    "ind.enterprise_tax": Flow(Decimal("2136.45"), TAX_SEASON, decimals=2),  # 2000余万元, the town only
}
JOBS_NOW = 60  # ind.enterprise_jobs (a stock) at the end of the last complete month: 带动就业岗位60个
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
    """Split `total` into shares proportional to the (positive integer) `weights`, in steps of 10^-decimals: each
    share rounded down, then the steps left over go to the largest remainders (ties: the earlier share)."""
    step = Decimal(1).scaleb(-decimals)
    steps = int(Decimal(total) / step)
    whole = sum(weights)
    shares, remainders = [], []
    for weight in weights:
        share, remainder = divmod(steps * weight, whole)
        shares.append(share)
        remainders.append(remainder)
    for index in sorted(range(len(weights)), key=lambda i: (-remainders[i], i))[: steps - sum(shares)]:
        shares[index] += 1
    return [Decimal(share) * step for share in shares]


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
    return [s for s in services.specs_for(unit, spec.work_line) if s.code == code]


# ── filing the reports ──────────────────────────────────────────────────────────────────────────────────────────


@dataclass
class Filing:
    approved: list  # reports approved by this run
    failed: list  # (report, reason) for those that could not be submitted or approved


def reporting_units():
    town = Unit.objects.get(code=TOWN_CODE, kind=Unit.Kind.TOWN)
    villages = list(Unit.objects.under(town).villages().order_by("code", "path"))
    return town, villages


def entrant_for(unit, admin):
    """Who types a unit's figures: its secretary (the first by id), or `admin` for the town's own reports."""
    if unit.kind == Unit.Kind.TOWN:
        return admin
    secretary = User.objects.filter(role=User.Role.SECRETARY, unit=unit, is_active=True).order_by("id").first()
    return secretary or admin


def file_report(unit, work_line, month, entered, *, entrant, leader, filing):
    """Open, fill, submit and approve one report (from whatever stage it was left at)."""
    report = services.report_open(unit=unit, work_line=work_line, month=month)
    try:
        if report.is_editable:
            specs = [spec for spec in services.specs_for(unit, work_line) if spec.is_entered]
            # An entered indicator the demo has no figure for (a work line added it later) is filed as 0.
            values = {spec.code: entered.get(spec.code, Decimal(0)) for spec in specs}
            report = services.report_save_values(report=report, user=entrant, values=values)
            report = services.report_submit(report=report, user=entrant)
        report = services.report_approve(report=report, user=leader)
    except ValidationError as error:
        filing.failed.append((report, "；".join(error.messages)))
        return
    filing.approved.append(report)


def file_all(town, villages, last):
    admin = User.objects.get(username="admin")
    leader = User.objects.filter(username="leader").first() or admin
    units = [*villages, town]
    figures = plan(units, last)
    entrants = {unit.pk: entrant_for(unit, admin) for unit in units}
    lines = {unit.pk: [wl for wl, _label in settings.WORK_LINES if services.specs_for(unit, wl)] for unit in units}
    first = date(last.year - 1, 1, 1)
    approved = set(
        MonthlyReport.objects.filter(
            unit__in=units, month__gte=first, month__lte=last, status=MonthlyReport.Status.APPROVED
        ).values_list("unit_id", "work_line", "month")
    )
    filing = Filing(approved=[], failed=[])
    month = first
    while month <= last:
        for unit in units:
            entered, entrant = figures.get((unit.code, month), {}), entrants[unit.pk]
            for work_line in lines[unit.pk]:
                if (unit.pk, work_line, month) not in approved:
                    file_report(unit, work_line, month, entered, entrant=entrant, leader=leader, filing=filing)
        month = periods.add_months(month, 1)
    return filing


def backdate(reports, since):
    """Give the reports this load approved the dates a punctual town would have: submitted by the 5th of the next
    month, approved a day or two later (never in the future); their workflow events since `since` follow."""
    now = timezone.now()
    zone = timezone.get_current_timezone()
    for report in reports:
        rng = random.Random(f"{SEED}:{report.unit_id}:{report.work_line}:{report.month}")
        day = services.deadline_for(report.month) - timedelta(days=rng.randint(0, 4))
        submitted = min(datetime.combine(day, time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=zone), now)
        approved = min(submitted + timedelta(days=rng.randint(1, 2), hours=rng.randint(0, 3)), now)
        report.submitted_at, report.approved_at, report.updated_at = submitted, approved, approved
    MonthlyReport.objects.bulk_update(reports, ["submitted_at", "approved_at", "updated_at"], batch_size=500)
    ids = [report.pk for report in reports]
    for actions, field in (((ReportEvent.Action.APPROVE,), "approved_at"), (None, "submitted_at")):
        events = ReportEvent.objects.filter(report_id__in=ids, at__gte=since)
        events = events.filter(action__in=actions) if actions else events.exclude(action=ReportEvent.Action.APPROVE)
        events.update(at=Subquery(MonthlyReport.objects.filter(pk=OuterRef("report_id")).values(field)[:1]))


# ── the whole load and its summary ──────────────────────────────────────────────────────────────────────────────


def load(*, password, reset_passwords=False):
    """The demo protocol (see the load_demo command): file the reports, roll up, return what to print."""
    last = periods.last_complete_month()
    started = timezone.now()
    with transaction.atomic(), services.rollups_deferred():
        town, villages = reporting_units()
        filing = file_all(town, villages, last)
        backdate(filing.approved, since=started)
        rows = rollup.rebuild_all()
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
        reasons = "；".join(f"{report}：{reason}" for report, reason in filing.failed[:3])
        lines.append(f"注意：{len(filing.failed)} 份月报未能提交或审核（{reasons}）。")
    return "\n".join(lines)
