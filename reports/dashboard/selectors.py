"""Reads for the leaders' dashboard (领导驾驶舱 / 工作台) of a town, an area or a village: KPI cards, 12-month trends,
village rankings, and the exceptions panel on top.

Every figure comes from stored roll-ups (approved reports only); nothing here computes a roll-up. The page's query
count does not grow with the number of villages: each kind of read is one query over all of them (the unit tree, the
unit's roll-ups, the villages' roll-ups, the reports, the outlier flags, one per registered alert).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Unit
from branches.scoping import VIEW

from .. import cache, periods, targets, worklines
from ..models import MonthlyReport, ReportValue, Rollup
from ..monthly import selectors
from ..monthly.selectors import Cell, SummaryRow, over_months, summary_keys, summary_rows, work_line_label
from ..registry import FLOW, RATIO, TOWN, VILLAGE, registry
from ..rollup.build import REPORTING_KINDS, ROLLUP_KINDS
from ..rollup.selectors import read_rollups
from . import alerts

GREEN, YELLOW, RED, GREY = "green", "yellow", "red", "grey"
TREND_MONTHS = 12
# A rate (coverage, rectification, mediation success) is good at 95 % and worrying below 80 %.
RATIO_GOOD, RATIO_FAIR = Decimal(95), Decimal(80)
# Without a target a figure is judged against the same period last year; within 10 % below is "watch".
LAST_YEAR_FAIR = Decimal("0.9")
OUTLIER_READ_LIMIT = 50  # flagged figures read for the panel (it shows ten and says "50+" beyond)
ALERTS_SHOWN = 5  # alerts listed on the exceptions panel before "另有 N 项"
RANKING_CHART_MAX = 40  # more villages than this: the chart shows the top and bottom 20, the table lists all


def ytd(year):
    return periods.Period(periods.YTD, year)


def default_period():
    return ytd(periods.current_month().year)


def dashboard_url(unit, period):
    return f"{reverse('reports:dashboard')}?unit={unit.pk}&period={period.key}"


def drill_url(spec, unit, period):
    return f"{reverse('reports:dashboard_indicator', args=[spec.code])}?unit={unit.pk}&period={period.key}"


# --- the unit and what lies around it ------------------------------------------------------------------------------


@dataclass
class Tree:
    """The unit's visible neighbourhood: the breadcrumb above it, the units one level down (areas or villages), and
    every reporting unit under it (itself included when it reports)."""

    unit: Unit
    ancestors: list
    children: list
    reporting: list

    @property
    def villages(self):
        return [u for u in self.reporting if u.is_village and u.pk != self.unit.pk]


def unit_tree(user, unit):
    """One query for the unit's ancestors, children and reporting units, all scoped to what the user may see."""
    ancestor_paths = Unit.path_prefixes(unit.path)[:-1]
    under = Q(path__startswith=unit.path) & ~Q(pk=unit.pk)
    wanted = (
        Q(path__in=ancestor_paths)
        | Q(pk=unit.pk)
        | (under & Q(kind__in=REPORTING_KINDS))
        | (under & Q(depth=unit.depth + 1, kind__in=ROLLUP_KINDS))
    )
    units = list(Unit.objects.restrict(user, VIEW).filter(wanted).order_by("code", "path"))
    below = [u for u in units if u.is_under(unit) and u.pk != unit.pk]
    return Tree(
        unit=unit,
        ancestors=sorted((u for u in units if u.path in ancestor_paths), key=lambda u: u.depth),
        children=[u for u in below if u.depth == unit.depth + 1 and u.kind in ROLLUP_KINDS],
        reporting=[u for u in units if u.is_under(unit) and u.kind in REPORTING_KINDS],
    )


def specs_shown(unit, work_line):
    """The work line's indicators that someone at or below `unit` reports (a town-only figure has no place on an
    area's or a village's dashboard)."""
    levels = {VILLAGE} if unit.kind in (Unit.Kind.AREA, *Unit.VILLAGE_KINDS) else {VILLAGE, TOWN}
    return [spec for spec in registry.for_work_line(work_line) if levels & set(spec.reported_by)]


# --- reading roll-ups ----------------------------------------------------------------------------------------------


def trend_months(period):
    """The 12 months ending with the period's last month (or the last complete month for an empty period)."""
    months = period.months()
    end = months[-1] if months else periods.last_complete_month()
    return [periods.add_months(end, offset) for offset in range(1 - TREND_MONTHS, 1)]


def unit_period_keys(period):
    """Every period key the unit's cards, trends and targets need, so that one query reads them all."""
    month = targets.judged_month(period)
    judged = targets.month_keys(month) if month else []
    return {*summary_keys(period), *(periods.month_key(month) for month in trend_months(period)), *judged}


def read_village_values(village_ids, period, rank_codes, months):
    """The villages' roll-ups the page needs, in one query: the period's figure of each ranked indicator, and the
    monthly figures the targets are judged on as of each of `months` (targets.figure_from)."""
    wanted = Q(period=period.key, indicator__code__in=sorted(rank_codes))
    target_codes = sorted(spec.code for spec in targets.targeted_specs())
    month_keys = sorted({key for month in months if month for key in targets.month_keys(month)})
    if target_codes and month_keys:
        wanted |= Q(period__in=month_keys, indicator__code__in=target_codes)
    rows = Rollup.objects.filter(unit__in=village_ids).filter(wanted)
    return {(u, p, c): v for u, p, c, v in rows.values_list("unit_id", "period", "indicator__code", "value")}


def village_standings(villages, values, month):
    """{code: [Standing]} of the villages against each target reported by villages, as of `month`."""
    if month is None:
        return {}
    return {
        spec.code: [targets.standing_from(values, village, spec, month) for village in villages]
        for spec in targets.targeted_specs()
        if VILLAGE in spec.reported_by
    }


# --- KPI cards -----------------------------------------------------------------------------------------------------


@dataclass
class Kpi:
    row: SummaryRow
    status: str
    reason: str
    drill_url: str
    month: date | None = None
    month_value: Decimal | None = None
    month_before: Decimal | None = None

    @property
    def spec(self):
        return self.row.spec

    @property
    def change_month(self):
        return SummaryRow._change(self.month_value, self.month_before)


def status_by_villages(standings):
    """A target that each village must reach, seen from the town or area: the worst village's colour, and how many
    villages are behind the pace."""
    red = sum(standing.colour == RED for standing in standings)
    behind = sum(standing.behind for standing in standings)
    month = standings[0].month.month
    if red:
        return RED, _("%(n)s 个村（社区）落后于进度，其中 %(red)s 个不足序时进度的一半（截至%(m)s月）") % {
            "n": behind, "red": red, "m": month,
        }  # fmt: skip
    if behind:
        return YELLOW, _("%(n)s 个村（社区）落后于进度（截至%(m)s月）") % {"n": behind, "m": month}
    return GREEN, _("%(n)s 个村（社区）均达到序时进度（截至%(m)s月）") % {"n": len(standings), "m": month}


def status_by_ratio(value):
    if value >= RATIO_GOOD:
        return GREEN, _("达到 %(good)s%%") % {"good": RATIO_GOOD}
    if value >= RATIO_FAIR:
        return YELLOW, _("低于 %(good)s%%") % {"good": RATIO_GOOD}
    return RED, _("低于 %(fair)s%%") % {"fair": RATIO_FAIR}


def status_by_last_year(row):
    if row.last_year is None:
        return GREY, _("无去年同期数据，不作评价")
    if row.last_year == 0:
        return GREY, _("去年同期为 0，不作评价")
    change = {"change": row.change_last_year}
    if not row.spec.judged_by_last_year:
        return GREY, _("较去年同期 %(change)s%%，多少随实际情况，不作好坏评价") % change
    if row.value >= row.last_year:
        return GREEN, _("不低于去年同期")
    if row.value >= row.last_year * LAST_YEAR_FAIR:
        return YELLOW, _("略低于去年同期（%(change)s%%）") % change
    return RED, _("明显低于去年同期（%(change)s%%）") % change


def kpi_status(row, own, villages):
    """(green/yellow/red/grey, reason) of one card: the target where the indicator has one (the village's own
    standing, or its villages' seen from above: reports/targets.py), a rate against its thresholds, any other figure
    against the same period last year."""
    spec = row.spec
    if spec.code in own:
        return own[spec.code].colour, own[spec.code].reason
    if villages.get(spec.code):
        return status_by_villages(villages[spec.code])
    if row.value is None:
        return GREY, _("暂无已审核数据")
    if spec.kind == RATIO and spec.scale == 100:  # a rate; a plain quotient (points per member) is judged as any figure
        return status_by_ratio(row.value)
    return status_by_last_year(row)


def own_standings(unit, period, specs, values):
    """{code: Standing} of a village's own targets as of the period's judged month (from the unit's roll-ups, which
    hold the months it needs: unit_period_keys)."""
    month = targets.judged_month(period)
    if month is None or not unit.is_village:
        return {}
    return {spec.code: targets.standing_from(values, unit, spec, month) for spec in specs if spec.target is not None}


def kpis_for(unit, period, specs, values, villages):
    months = trend_months(period)
    last, before = periods.month_key(months[-1]), periods.month_key(months[-2])
    own = own_standings(unit, period, specs, values)
    cards = []
    for row in summary_rows(unit, period, specs, values):
        status, reason = kpi_status(row, own, villages)
        cards.append(
            Kpi(
                row=row,
                status=status,
                reason=reason,
                drill_url=drill_url(row.spec, unit, period),
                month=months[-1],
                month_value=values.get((unit.pk, last, row.spec.code)),
                month_before=values.get((unit.pk, before, row.spec.code)),
            )
        )
    return cards


# --- charts --------------------------------------------------------------------------------------------------------


def number(value):
    """A Decimal as JSON can carry it for a chart (DjangoJSONEncoder would write a string)."""
    return None if value is None else float(value)


def month_label(month, first=False):
    """The axis label ("3月"); the first month and each January say their year."""
    if first or month.month == 1:
        return _("%(y)s年%(m)s月") % {"y": month.year, "m": month.month}
    return _("%(m)s月") % {"m": month.month}


def trend_chart(unit, period, specs, values):
    """The unit's monthly figures over the last 12 months for the work line's main indicators (flows and rates;
    a stock's monthly line says little). One series is shown at a time: the legend switches between them."""
    months = trend_months(period)
    main = [spec for spec in specs if spec.kind in (FLOW, RATIO)] or specs
    series = []
    for spec in main:
        points = [number(values.get((unit.pk, periods.month_key(month), spec.code))) for month in months]
        has_data = any(point is not None for point in points)
        series.append({"name": f"{spec.name}（{spec.unit}）", "values": points, "has_data": has_data})
    if not any(item["has_data"] for item in series):
        return None
    return {
        "labels": [month_label(month, first=index == 0) for index, month in enumerate(months)],
        "series": series,
        "urls": [dashboard_url(unit, periods.month_period(month)) for month in months],
    }


@dataclass
class Ranking:
    """The villages under a unit ranked by one indicator (highest first; villages with no figure last)."""

    spec: object
    choices: list
    rows: list  # [(village, value, url)]
    pace: Decimal | None = None  # the target's pace as of the judged month (a line across the bars)

    @property
    def chart(self):
        rows = self.rows
        if len(rows) > RANKING_CHART_MAX:
            half = RANKING_CHART_MAX // 2
            rows = rows[:half] + rows[-half:]
        return {
            "names": [village.name for village, _value, _url in rows],
            "values": [number(value) for _village, value, _url in rows],
            "urls": [url for _village, _value, url in rows],
            "unit": self.spec.unit,
            "target": number(self.spec.target),
            "pace": number(self.pace) if self.pace != self.spec.target else None,
            "target_label": _("目标"),
            "pace_label": _("序时进度"),
        }

    @property
    def height(self):
        """Pixels for the bar chart: enough for each village's name on a phone."""
        return 80 + 24 * min(len(self.rows), RANKING_CHART_MAX)


def ranking_choices(work_line):
    return [spec for spec in registry.for_work_line(work_line) if VILLAGE in spec.reported_by]


def ranking_spec(work_line, chosen):
    """The indicator to rank by: the one asked for, else the first with a target, else the first flow."""
    choices = ranking_choices(work_line)
    by_code = {spec.code: spec for spec in choices}
    if chosen in by_code:
        return by_code[chosen]
    for test in (lambda spec: spec.target is not None, lambda spec: spec.kind == FLOW, lambda spec: True):
        for spec in choices:
            if test(spec):
                return spec
    return None


def ranking(villages, period, spec, values):
    if spec is None or not villages:
        return None
    rows = [(village, values.get((village.pk, period.key, spec.code))) for village in villages]
    rows.sort(key=lambda row: (row[1] is None, -(row[1] or 0)))
    pace, month = None, targets.judged_month(period)
    if spec.target is not None and month is not None:
        pace = targets.pace(spec.target, month)
    return Ranking(
        spec=spec,
        choices=ranking_choices(spec.work_line),
        rows=[(village, value, dashboard_url(village, period)) for village, value in rows],
        pace=pace,
    )


# --- exceptions first ----------------------------------------------------------------------------------------------


def due_month(today=None):
    """The latest month whose reports are already due (its deadline has passed)."""
    return periods.last_due_month(today)


@dataclass
class Exceptions:
    due_month: date
    deadline: date
    overdue: list = field(default_factory=list)  # [(unit, work line label, report or None)] not submitted in time
    late: list = field(default_factory=list)  # [report] submitted after the deadline
    returned: list = field(default_factory=list)  # [report]
    changed: list = field(default_factory=list)  # [report] approved, then its ledgers changed: to approve again
    outliers: list = field(default_factory=list)  # [ReportValue] flagged by checks.outlier_flag
    off_pace: list = field(default_factory=list)  # [targets.Standing] behind the pace as of due_month
    alerts: list = field(default_factory=list)  # [alerts.Alert] with something to act on
    outliers_more: bool = False

    @property
    def count(self):
        lists = (self.overdue, self.late, self.returned, self.changed, self.outliers, self.off_pace)
        return sum(len(items) for items in lists) + sum(alert.count for alert in self.alerts)

    # The panel stays short for a county of towns: the first few alerts in full, the others behind one more line.
    @property
    def shown_alerts(self):
        return self.alerts[:ALERTS_SHOWN]

    @property
    def more_alerts(self):
        return self.alerts[ALERTS_SHOWN:]


def report_exceptions(user, unit, reporting, month):
    """(overdue, late, returned, changed since approval) for the reporting units under `unit`: one query."""
    deadline = periods.deadline_for(month)
    reports = (
        MonthlyReport.objects.restrict(user, VIEW)
        .filter(unit__path__startswith=unit.path)
        .filter(
            Q(status=MonthlyReport.Status.RETURNED)
            | Q(status=MonthlyReport.Status.APPROVED, changed_since_approval=True)
            | Q(month=month)
        )
        .select_related("unit")
        .order_by("-month", "unit__code", "unit__path", "work_line")
    )
    returned, changed, due = [], [], {}
    for report in reports:
        if report.status == MonthlyReport.Status.RETURNED:
            returned.append(report)
        elif report.changed_since_approval and report.status == MonthlyReport.Status.APPROVED:
            changed.append(report)
        if report.month == month and report.status != MonthlyReport.Status.RETURNED:
            due[(report.unit_id, report.work_line)] = report
    returned_now = {(report.unit_id, report.work_line) for report in returned if report.month == month}
    overdue, late = [], []
    for reporting_unit in reporting:
        for code, label in worklines.choices():
            if not selectors.specs_for(reporting_unit, code) or (reporting_unit.pk, code) in returned_now:
                continue  # nothing to report in this line, or listed among the returned ones
            report = due.get((reporting_unit.pk, code))
            timeliness = Cell(work_line=code, report=report, deadline=deadline).timeliness
            if timeliness == "overdue":
                overdue.append((reporting_unit, label, report))
            elif timeliness == "late":
                late.append(report)
    return overdue, late, returned, changed


def flagged_values(user, unit):
    """Figures the outlier check flagged (checks.outlier_flag, stored on submit) in the last two months' reports."""
    since = periods.add_months(periods.last_complete_month(), -1)
    values = (
        ReportValue.objects.restrict(user, VIEW)
        .filter(report__unit__path__startswith=unit.path, report__month__gte=since)
        .exclude(flag="")
        .select_related("report__unit", "indicator")
        .order_by("-report__month", "report__unit__code", "report__unit__path", "indicator__sort_order")
    )
    found = list(values[: OUTLIER_READ_LIMIT + 1])
    return found[:OUTLIER_READ_LIMIT], len(found) > OUTLIER_READ_LIMIT


def exceptions(user, tree, village_values, month):
    """What needs acting on; `month` is the due month (due_month), which the targets are judged as of too."""
    unit = tree.unit
    overdue, late, returned, changed = report_exceptions(user, unit, tree.reporting, month)
    outliers, more = flagged_values(user, unit)
    villages = tree.villages or ([unit] if unit.is_village else [])
    off_pace = [
        standing
        for standings in village_standings(villages, village_values, month).values()
        for standing in standings
        if standing.behind
    ]
    return Exceptions(
        due_month=month,
        deadline=periods.deadline_for(month),
        overdue=overdue,
        late=late,
        returned=returned,
        changed=changed,
        outliers=outliers,
        outliers_more=more,
        off_pace=off_pace,
        alerts=[alert for alert in alerts.alerts_for(user, unit) if alert.count],
    )


# --- the page ------------------------------------------------------------------------------------------------------


@dataclass
class Section:
    code: str
    label: str
    kpis: list
    trend: dict | None
    ranking: Ranking | None

    @property
    def headline(self):
        return headline_kpis(self.code, self.kpis)

    @property
    def statuses(self):
        return {status: sum(kpi.status == status for kpi in self.kpis) for status in STATUS_ORDER}


def dashboard(user, unit, period, rank_by=None, keys=None):
    """Everything the dashboard shows for `unit` and `period`. `rank_by` maps a work line to the indicator code its
    village ranking is ordered by (the page's `rank_<work line>` parameters). The figures come from the cache until
    the next roll-up (rollup_parts), the exceptions until the next write (cached_exceptions); the tree (the user's
    scope) is read each time. `keys`: the page's cache.PageKeys, if the page has read them already."""
    rank_by = rank_by or {}
    keys = keys or cache.keys_for(unit)
    tree = unit_tree(user, unit)
    rank_specs = {code: ranking_spec(code, rank_by.get(code)) for code, _label in worklines.choices()}
    due = due_month()
    parts = cached_rollup_parts(keys, tree, period, rank_specs, due)
    return {
        "tree": tree,
        "sections": parts["sections"],
        "status_chart": parts["status_chart"],
        "exceptions": cached_exceptions(keys, user, tree, period, parts["village_values"], due),
        "pace_note": parts["pace_note"],
        "has_data": parts["has_data"],
        "rank_by": {code: spec.code for code, spec in rank_specs.items() if spec},
    }


def cached_exceptions(keys, user, tree, period, village_values, due):
    """exceptions through the cache, keyed on the live tokens (they count reports and ledgers as they are now) as
    well as the roll-up version (the pace is judged on the period's roll-ups), per user (what he may see of them)."""
    key = keys.live_key("exceptions", user, period.key, due)
    return cache.cached(key, lambda: exceptions(user, tree, village_values, due))


def cached_rollup_parts(keys, tree, period, rank_specs, due):
    """rollup_parts through the cache. Besides the unit and the period they depend on the villages the user sees
    under it (their names are on the ranking), the ranking choices, and the day (the pace, the due month)."""
    key = keys.rollup_key(
        "dashboard", period.key, due, timezone.localdate(),
        [(village.pk, village.name) for village in tree.villages],
        sorted((code, spec.code) for code, spec in rank_specs.items() if spec),
    )  # fmt: skip
    return cache.cached(key, lambda: rollup_parts(tree, period, rank_specs, due))


def rollup_parts(tree, period, rank_specs, due):
    """The dashboard's parts computed from the roll-ups alone: the sections' cards, trends and rankings, the status
    chart, and the villages' figures the exceptions judge the pace on."""
    unit = tree.unit
    judged = targets.judged_month(period)
    values = read_rollups([unit.pk], unit_period_keys(period))
    village_values = {}
    if tree.villages or unit.is_village:
        village_ids = [village.pk for village in tree.villages] or [unit.pk]
        rank_codes = {spec.code for spec in rank_specs.values() if spec}
        village_values = read_village_values(village_ids, period, rank_codes, [judged, due])
    villages = village_standings(tree.villages, village_values, judged) if tree.villages else {}
    sections = []
    for code, label in worklines.choices():
        specs = specs_shown(unit, code)
        if not specs:
            continue
        sections.append(
            Section(
                code=code,
                label=str(label),
                kpis=kpis_for(unit, period, specs, values, villages),
                trend=trend_chart(unit, period, specs, values),
                ranking=ranking(tree.villages, period, rank_specs[code], village_values),
            )
        )
    return {
        "sections": sections,
        "status_chart": status_chart(sections) if values else None,
        "village_values": village_values,
        "pace_note": str(targets.note(judged)) if judged and targets.targeted_specs() else "",
        "has_data": bool(values),
    }


HEADLINE = 4  # figures per work line on the dashboard's first screen and on a village's page
STATUS_ORDER = {RED: 0, YELLOW: 1, GREEN: 2, GREY: 3}


def headline_kpis(work_line, kpis):
    """The figures a work line is judged on (its declared `headline`, in order), topped up to HEADLINE with the most
    telling of the rest — what needs attention first, figures of nought left out — where the unit does not report
    a declared one (a village has no town-only figure)."""
    declared = worklines.work_line(work_line).headline
    by_code = {kpi.spec.code: kpi for kpi in kpis}
    chosen = [by_code[code] for code in declared if code in by_code]
    others = sorted(
        (kpi for kpi in kpis if kpi.row.value and kpi not in chosen), key=lambda kpi: STATUS_ORDER[kpi.status]
    )
    return (chosen + others)[:HEADLINE]


def status_chart(sections):
    """The dashboard's first chart: per work line, how many of its figures are 预警 / 关注 / 良好 / 无评价 (a bar
    opens the line's cards)."""
    return {
        "names": [section.label for section in sections],
        "urls": [f"#line-{section.code}" for section in sections],
        "series": [
            {"status": status, "name": name, "values": [section.statuses[status] for section in sections]}
            for status, name in ((RED, _("预警")), (YELLOW, _("关注")), (GREEN, _("良好")), (GREY, _("无评价")))
        ],
    }


def village_panel(unit):
    """The compact dashboard on a village's page: this year's most telling cards per work line (one query, cached
    until the next roll-up of its town)."""
    period = default_period()
    key = cache.rollup_key("village_panel", unit, period.key, timezone.localdate())
    return {"unit": unit, **cache.cached(key, lambda: village_panel_parts(unit, period))}


def village_panel_parts(unit, period):
    values = read_rollups([unit.pk], unit_period_keys(period))
    sections = []
    for code, label in worklines.choices():
        specs = specs_shown(unit, code)
        cards = headline_kpis(code, kpis_for(unit, period, specs, values, {})) if specs else []
        if cards:
            sections.append((code, str(label), cards))
    return {"period": period, "sections": sections, "has_data": bool(values)}


# --- drill-down: one indicator, the units behind it, month by month ------------------------------------------------


@dataclass
class DrillRow:
    unit: Unit
    own: bool  # the unit's own reports (a town reports its own work beside its villages')
    total: Decimal | None
    cells: list  # [(month, value, records url or "")]
    url: str  # the unit's dashboard


def units_behind(tree):
    """The reporting units whose figures make up the unit's: a county's towns, a town's or area's villages (through
    areas), a village itself."""
    unit = tree.unit
    if unit.is_village:
        return [unit]
    if unit.kind == Unit.Kind.COUNTY:
        return [u for u in tree.reporting if u.kind == Unit.Kind.TOWN]
    return tree.villages


def records_url(spec, unit, month, reports):
    """The page listing the rows behind one unit-month figure: the ledger for a derived figure, else the report."""
    if spec.rows_url is not None:
        return spec.rows_url(unit, month)
    if (unit.pk, month) in reports:
        return reverse("reports:entry", args=[unit.pk, spec.work_line, periods.month_key(month)])
    return ""


def own_values(unit, spec, months):
    """{(unit id, month key, code): value} of the unit's own approved reports (its roll-up also holds its villages')."""
    rows = ReportValue.objects.filter(
        report__unit=unit,
        report__work_line=spec.work_line,
        report__month__in=months,
        report__status=MonthlyReport.Status.APPROVED,
        indicator__code=spec.code,
    ).values_list("report__month", "approved_value")
    return {(unit.pk, periods.month_key(month), spec.code): value for month, value in rows if value is not None}


def indicator_drill(user, unit, period, spec):
    """The indicator for `unit` and `period`, and for each unit behind it month by month, each cell linked to the
    records behind it (a fixed number of queries)."""
    tree = unit_tree(user, unit)
    # A village that doesn't report this indicator (a town-only figure) has nothing behind it to show.
    behind = [u for u in units_behind(tree) if not u.is_village or VILLAGE in spec.reported_by]
    months = period.months()
    keys = {period.key, *(periods.month_key(month) for month in months)}
    codes = {spec.code}
    if spec.kind == RATIO:
        codes |= {spec.numerator, spec.denominator}
    values = read_rollups([unit.pk, *(u.pk for u in behind)], keys, codes)
    own = unit.kind == Unit.Kind.TOWN and TOWN in spec.reported_by and spec.kind != RATIO and unit not in behind
    reporting = [*behind, unit] if own else behind
    reports = set(
        MonthlyReport.objects.filter(unit__in=reporting, work_line=spec.work_line, month__in=months).values_list(
            "unit_id", "month"
        )
    )
    rows = [drill_row(u, spec, period, months, values, reports, own=False) for u in behind]
    rows.sort(key=lambda row: (row.total is None, -(row.total or 0)))
    if own:
        own_figures = own_values(unit, spec, months)
        row = drill_row(unit, spec, period, months, own_figures, reports, own=True)
        rows.insert(0, row)
    return {
        "tree": tree,
        "spec": spec,
        "value": values.get((unit.pk, period.key, spec.code)),
        "months": months,
        "rows": rows,
        "label": work_line_label(spec.work_line),
    }


def drill_row(unit, spec, period, months, values, reports, own):
    cells = [
        (month, values.get((unit.pk, periods.month_key(month), spec.code)), records_url(spec, unit, month, reports))
        for month in months
    ]
    if own:
        total = over_months(values, unit.pk, months, spec)
    else:
        total = values.get((unit.pk, period.key, spec.code))
    return DrillRow(unit=unit, own=own, total=total, cells=cells, url=dashboard_url(unit, period))
