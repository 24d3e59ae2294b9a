"""Reads of the monthly reports for pages, exports, the API and the services. Every function that takes a user scopes
by him."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Unit
from branches.scoping import REVIEW, VIEW

from .. import cache, checks, periods, worklines
from ..derive import figures, figures_by_month
from ..models import Indicator, MonthlyReport, ReportValue
from ..registry import FLOW, RATIO, STOCK, TOWN, VILLAGE, registry
from ..rollup.build import REPORTING_KINDS, ROLLUP_KINDS
from ..rollup.selectors import read_rollups

Status = MonthlyReport.Status


def work_line_label(code):
    return worklines.label_of(code)


def work_lines_for(unit):
    """The work lines in which `unit` reports at least one indicator."""
    return [(code, label) for code, label in worklines.choices() if specs_for(unit, code)]


def visible_reporting_units(user):
    return Unit.objects.restrict(user, VIEW).filter(kind__in=REPORTING_KINDS).order_by("path")


def ratio(numerator, denominator, scale=100):
    """numerator × scale / denominator (scale 100: a percentage), to one decimal; None without both parts."""
    if numerator is None or not denominator:
        return None
    return (Decimal(numerator) * scale / Decimal(denominator)).quantize(Decimal("0.1"))


# --- the entry form ---------------------------------------------------------------------------------------------


@dataclass
class EntryRow:
    spec: object
    value: Decimal | None = None
    approved_value: Decimal | None = None
    previous: Decimal | None = None
    flag: str = ""
    rows_url: str = ""

    @property
    def changed_since_approval(self):
        return self.approved_value is not None and self.value != self.approved_value


def report_as_shown(unit, work_line, month, *, unsaved_draft=False):
    """(report, {code: value row}) as a page or the API shows it, writing nothing: the stored report with its derived
    figures counted afresh from the ledgers (an approved one marked "changed since approval" when they moved from
    what it froze), or — when nobody has saved it yet and `unsaved_draft` — an unsaved draft with the derived figures
    counted and the entered ones blank. None when there is no report and no draft is wanted. Only a write stores
    any of it: the first save creates the report (services.report_open)."""
    report = (
        MonthlyReport.objects.filter(unit=unit, work_line=work_line, month=month).select_related("updated_by").first()
    )
    if report is None:
        if not unsaved_draft:
            return None
        report, rows = MonthlyReport(unit=unit, work_line=work_line, month=month), {}
    else:
        report.unit = unit  # the caller's, already read
        rows = values_by_code(report)
    missing = [spec.code for spec in specs_for(unit, work_line) if spec.code not in rows]
    if missing:  # what report_open would add: a row per indicator, blank until counted or typed
        rows.update({indicator.code: ReportValue(indicator=indicator)
                     for indicator in Indicator.objects.filter(code__in=missing)})  # fmt: skip
    for code, value in derived_figures(report, rows).items():
        rows[code].value = value
    if report.status == Status.APPROVED:
        report.changed_since_approval = report.changed_since_approval or moved_since_approval(report, rows)
    return report, rows


def entry_rows(report, values=None):
    """Every indicator of the report's work line for its unit, in order, with last month's figure beside it
    (`values`: the report's value rows by code as report_as_shown gives them; by default the stored ones)."""
    stored = values_by_code(report) if values is None else values
    previous = previous_values(report)
    specs = specs_for(report.unit, report.work_line)
    codes = {spec.code for spec in specs}
    rows = []
    for spec in registry.for_work_line(report.work_line):
        if spec.kind == RATIO:
            if spec.numerator in codes and spec.denominator in codes:
                rows.append(_ratio_row(spec, stored, previous))
            continue
        if spec.code not in codes:
            continue
        value = stored.get(spec.code)
        rows.append(
            EntryRow(
                spec=spec,
                value=value.value if value else None,
                approved_value=value.approved_value if value else None,
                previous=previous.get(spec.code),
                flag=value.flag if value else "",
                rows_url=spec.rows_url(report.unit, report.month) if spec.rows_url else "",
            )
        )
    return rows


def _ratio_row(spec, stored, previous):
    def part(code, source):
        row = source.get(code)
        return getattr(row, "value", row)

    return EntryRow(
        spec=spec,
        value=ratio(part(spec.numerator, stored), part(spec.denominator, stored), spec.scale),
        previous=ratio(previous.get(spec.numerator), previous.get(spec.denominator), spec.scale),
    )


def report_events(report):
    if report.pk is None:  # a draft nobody has saved: no history yet
        return []
    return report.events.select_related("user")[:30]


@dataclass
class ValueChange:
    when: object
    who: str
    name: str
    old: Decimal | None
    new: Decimal | None


def value_history(report, limit=100):
    """Every change of every figure of the report, newest first: who, when, old, new (one query)."""
    if report.pk is None:
        return []
    names = {spec.code: spec.name for spec in registry.all()}
    records = (
        ReportValue.history.filter(report_id=report.pk)
        .select_related("history_user", "indicator")
        .order_by("indicator_id", "history_date", "history_id")
    )
    changes, last = [], {}
    for record in records:
        old = last.get(record.indicator_id, None)
        if record.history_type == "+" and record.value is None:
            last[record.indicator_id] = None
            continue
        if record.history_type == "+" or record.value != old:
            who = record.history_user.display_name if record.history_user else "系统"
            code = record.indicator.code
            changes.append(ValueChange(record.history_date, who, names.get(code, code), old, record.value))
        last[record.indicator_id] = record.value
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes[:limit]


# --- review and completeness -----------------------------------------------------------------------------------


# What waits for a reviewer: a report submitted, or one approved whose ledgers changed since (to approve again).
REVIEW_STATES = {
    "submitted": Q(status=Status.SUBMITTED),
    "changed": Q(status=Status.APPROVED, changed_since_approval=True),
}


def to_review(user, state=None):
    """Reports waiting for this reviewer: submitted, or approved but changed since (`state`: only those of one of
    REVIEW_STATES)."""
    waiting = REVIEW_STATES[state] if state in REVIEW_STATES else REVIEW_STATES["submitted"] | REVIEW_STATES["changed"]
    return MonthlyReport.objects.restrict(user, REVIEW).filter(waiting)


def review_queue(user, month=None, work_line=None, state=None):
    """`to_review` for the review page, flagged values counted."""
    reports = (
        to_review(user, state)
        .select_related("unit", "updated_by")
        .annotate(flag_count=Count("values", filter=~Q(values__flag="")))
        .order_by("month", "unit__path", "work_line")
    )
    if month is not None:
        reports = reports.filter(month=month)
    if work_line:
        reports = reports.filter(work_line=work_line)
    return reports


def returned_reports(user):
    return (
        MonthlyReport.objects.restrict(user, VIEW)
        .filter(status=Status.RETURNED)
        .select_related("unit")
        .order_by("-month")
    )


@dataclass
class Cell:
    work_line: str
    report: MonthlyReport | None
    deadline: object

    @property
    def status(self):
        return self.report.status if self.report else "missing"

    @property
    def label(self):
        return self.report.get_status_display() if self.report else "未建立"

    @property
    def timeliness(self):
        """on_time / late (submitted after the deadline) / overdue (not submitted, deadline passed) / pending."""
        submitted = self.report.submitted_at if self.report else None
        if submitted is not None:
            return "late" if timezone.localtime(submitted).date() > self.deadline else "on_time"
        return "overdue" if timezone.localdate() > self.deadline else "pending"


TO_SUBMIT = ("missing", Status.DRAFT)  # a Cell's status while its report is still to submit


def unsubmitted(unit, month):
    """[(code, label, report or None)] of the unit's reports of `month` still to submit — not opened yet, or a draft —
    in every work line it reports in, as the completeness matrix's cells say (one query). A returned report is not
    among them: it waits to be corrected (`returned_reports`)."""
    if reporting_level(unit) is None:
        return []
    deadline = periods.deadline_for(month)
    existing = {report.work_line: report for report in MonthlyReport.objects.filter(unit=unit, month=month)}
    cells = [(code, label, Cell(work_line=code, report=existing.get(code), deadline=deadline))
             for code, label in worklines.choices() if specs_for(unit, code)]  # fmt: skip
    return [(code, label, cell.report) for code, label, cell in cells if cell.status in TO_SUBMIT]


@dataclass
class CompletenessRow:
    unit: Unit
    cells: list = field(default_factory=list)


def completeness(user, month):
    """A unit × work line matrix of one month's reports, for every reporting unit the user may see."""
    units = list(visible_reporting_units(user))
    lines = worklines.choices()
    deadline = periods.deadline_for(month)
    reports = {
        (report.unit_id, report.work_line): report
        for report in MonthlyReport.objects.filter(unit__in=units, month=month)
    }
    rows = []
    totals = {code: defaultdict(int) for code, _label in lines}
    for unit in units:
        row = CompletenessRow(unit=unit)
        for code, _label in lines:
            if not specs_for(unit, code):
                row.cells.append(None)
                continue
            cell = Cell(work_line=code, report=reports.get((unit.pk, code)), deadline=deadline)
            row.cells.append(cell)
            totals[code][cell.status] += 1
            totals[code][cell.timeliness] += 1
        rows.append(row)
    return {"rows": rows, "lines": lines, "totals": totals, "deadline": deadline}


# --- roll-ups ------------------------------------------------------------------------------------------------------


def over_months(values, unit_id, months, spec):
    """A figure over a run of months built from monthly roll-ups (for year-to-date last year)."""
    keys = [periods.month_key(month) for month in months]
    if spec.kind == FLOW:
        found = [values.get((unit_id, key, spec.code)) for key in keys]
        found = [value for value in found if value is not None]
        return sum(found) if found else None
    if spec.kind == STOCK:
        for key in reversed(keys):
            if values.get((unit_id, key, spec.code)) is not None:
                return values[(unit_id, key, spec.code)]
        return None
    return None


@dataclass
class SummaryRow:
    spec: object
    value: Decimal | None
    previous: Decimal | None
    last_year: Decimal | None
    applies_target: bool = False  # targets are yearly, per reporting unit

    @property
    def target(self):
        return self.spec.target if self.applies_target else None

    @staticmethod
    def _change(now, then):
        if now is None or then is None or then == 0:
            return None
        return ((Decimal(now) - Decimal(then)) * 100 / Decimal(then)).quantize(Decimal("0.1"))

    @property
    def change_previous(self):
        return self._change(self.value, self.previous)

    @property
    def change_last_year(self):
        return self._change(self.value, self.last_year)

    @property
    def target_met(self):
        if self.target is None or self.value is None:
            return None
        return self.value >= self.target


def last_year_months(period):
    """A year-to-date's months one year earlier (what it is compared with)."""
    return [month.replace(year=period.year - 1) for month in period.months()]


def summary_keys(period):
    """The period keys a summary of `period` reads: the period, the one before and the same one last year (a
    year-to-date is compared with last year's months up to the same month)."""
    keys = [period.key]
    if period.type == periods.YTD:
        keys += [periods.month_key(month) for month in last_year_months(period)]
    else:
        keys += [period.previous().key, period.same_last_year().key]
    return keys


def summary(unit, period, work_line, values=None):
    """Each indicator of a work line for `unit` and `period`, with the previous period and the same one last year
    (`values`: the roll-ups already read for every work line, see summary_tables)."""
    specs = registry.for_work_line(work_line)
    if values is None:
        values = cache.rollups(unit, [unit.pk], summary_keys(period), [spec.code for spec in specs])
    return summary_rows(unit, period, specs, values)


def summary_rows(unit, period, specs, values):
    """summary()'s rows for the given indicators from roll-ups already read ({(unit id, period key, code): value}),
    so a page showing several work lines reads them once."""
    previous = period.previous() if period.type != periods.YTD else None
    last_year = period.same_last_year()
    yearly_unit = unit.is_village and period.type in (periods.YEAR, periods.YTD)
    rows = []
    for spec in specs:
        now = values.get((unit.pk, period.key, spec.code))
        before = values.get((unit.pk, previous.key, spec.code)) if previous else None
        if period.type == periods.YTD:
            then = _ytd_last_year(values, unit.pk, last_year_months(period), spec)
        else:
            then = values.get((unit.pk, last_year.key, spec.code))
        rows.append(SummaryRow(spec=spec, value=now, previous=before, last_year=then, applies_target=yearly_unit))
    return rows


def _ytd_last_year(values, unit_id, months, spec):
    if spec.kind != RATIO:
        return over_months(values, unit_id, months, spec)
    numerator = over_months(values, unit_id, months, registry.get(spec.numerator))
    denominator = over_months(values, unit_id, months, registry.get(spec.denominator))
    return ratio(numerator, denominator, spec.scale)


def child_units(user, unit):
    """The units one level down the roll-up tree that the user may see (areas, villages; a town's own figures are
    its roll-up minus its villages' and are not a child)."""
    children = Unit.objects.get_children(unit).filter(kind__in=ROLLUP_KINDS)
    return list(children.restrict(user, VIEW).order_by("code", "path"))


def children_matrix(user, unit, period, work_line, children=None, values=None):
    """The children's figures for every indicator of the work line: one query (none when `children` and `values`
    come from summary_tables)."""
    children = child_units(user, unit) if children is None else children
    specs = registry.for_work_line(work_line)
    if values is None:
        values = cache.rollups(unit, children, [period.key], [spec.code for spec in specs])
    rows = [(child, [values.get((child.pk, period.key, spec.code)) for spec in specs]) for child in children]
    has_values = any(value is not None for _child, values in rows for value in values)
    return {"specs": specs, "rows": rows if has_values else [], "totals": _column_totals(specs, rows)}


def _column_totals(specs, rows):
    """The sum of each column over the units listed (flows and stocks add up; a ratio's does not)."""
    totals = []
    for index, spec in enumerate(specs):
        found = [values[index] for _unit, values in rows if values[index] is not None]
        totals.append(sum(found) if found and spec.kind != RATIO else None)
    return totals


def summary_tables(user, unit, period, lines):
    """The summary page's table per work line — the unit's figures, its children's, its monthly reports — in four
    queries whatever the number of work lines (not four per work line)."""
    children = child_units(user, unit)
    codes = [spec.code for code in lines for spec in registry.for_work_line(code)]
    keys = summary_keys(period)
    own, below = summary_rollups(unit, children, period, keys, codes)
    reports = None
    if unit.kind in REPORTING_KINDS:
        reports = defaultdict(list)
        rows = MonthlyReport.objects.filter(unit=unit, work_line__in=lines, month__in=period.months()).order_by("month")
        for report in rows:
            reports[report.work_line].append(report)
    return [
        {
            "code": code,
            "label": work_line_label(code),
            "rows": summary(unit, period, code, values=own),
            "children": children_matrix(user, unit, period, code, children=children, values=below),
            "reports": reports[code] if reports is not None else None,
        }
        for code in lines
    ]


def summary_rollups(unit, children, period, keys, codes):
    """(the unit's roll-ups for `keys`, its children's for the period), through the cache: one version read, no
    roll-up read until the next roll-up of the unit's town."""
    child_ids = [child.pk for child in children]
    key = cache.rollup_key("summary", unit, child_ids, period.key, sorted(keys), codes)
    return cache.cached(
        key, lambda: (read_rollups([unit.pk], keys, codes), read_rollups(child_ids, [period.key], codes))
    )


def unit_reports(unit, period, work_line):
    """A reporting unit's monthly reports in the period (drill-down below a village)."""
    return MonthlyReport.objects.filter(unit=unit, work_line=work_line, month__in=period.months()).order_by("month")


def reporting_level(unit):
    if unit.is_village:
        return VILLAGE
    if unit.kind == Unit.Kind.TOWN:
        return TOWN
    return None


def specs_for(unit, work_line):
    """The stored indicators a unit reports in a work line (ratios are computed, not stored)."""
    level = reporting_level(unit)
    return [spec for spec in registry.stored(work_line) if level in spec.reported_by]


def check_reportable(unit, work_line, month):
    if reporting_level(unit) is None:
        raise ValidationError({"unit": _("只有村（社区）和镇可以填报月报，“%(unit)s”不能。") % {"unit": unit}})
    if not worklines.is_work_line(work_line):
        raise ValidationError({"work_line": _("没有“%(line)s”这条工作线。") % {"line": work_line}})
    if month > periods.current_month():
        raise ValidationError({"month": _("不能填报未来的月份（%(month)s）。") % {"month": periods.month_key(month)}})


def values_by_code(report):
    return {value.indicator.code: value for value in report.values.select_related("indicator")}


def derived_figures(report, rows):
    """{code: figure} of the report's derived indicators that have a value row in `rows`, counted from the ledgers
    now in one statement. Writes nothing: a GET shows these, the writes below store them."""
    specs = [spec for spec in specs_for(report.unit, report.work_line) if not spec.is_entered and spec.code in rows]
    return figures(report.unit, {spec.code: spec.derive(report.unit, report.month) for spec in specs})


def moved_since_approval(report, rows):
    """Whether an approved report's derived figures in `rows` differ from the ones its approval froze."""
    if report.status != Status.APPROVED:
        return False
    derived = {spec.code for spec in specs_for(report.unit, report.work_line) if not spec.is_entered}
    return any(row.value != row.approved_value for code, row in rows.items() if code in derived)


def stale_reports(reports):
    """Those of `reports` (one unit and work line) whose stored derived figures no longer match their ledgers, or that
    moved from their approval unmarked (a mark, once made, stays until re-approval): the unit's months are recounted
    together (derive.figures_by_month), and their stored
    values read in one query, instead of a recount per report."""
    if not reports:
        return []
    unit, work_line = reports[0].unit, reports[0].work_line
    specs = [spec for spec in specs_for(unit, work_line) if not spec.is_entered]
    counted = figures_by_month(unit, specs, sorted({report.month for report in reports}))
    stored = defaultdict(dict)
    rows = ReportValue.objects.filter(report__in=reports, indicator__code__in=[spec.code for spec in specs])
    for report_id, code, value, approved in rows.values_list("report_id", "indicator__code", "value", "approved_value"):
        stored[report_id][code] = (value, approved)
    stale = []
    for report in reports:
        figures_now = {code: counted[code, report.month] for code in stored[report.pk]}
        moved = report.status == Status.APPROVED and any(
            figures_now[code] != approved for code, (_value, approved) in stored[report.pk].items()
        )
        if (moved and not report.changed_since_approval) or any(
            figures_now[code] != value for code, (value, _approved) in stored[report.pk].items()
        ):
            stale.append(report)
    return stale


def previous_values(report):
    """{code: value} of the same unit and work line's report of the month before (one query)."""
    rows = ReportValue.objects.filter(
        report__unit=report.unit, report__work_line=report.work_line, report__month=periods.add_months(report.month, -1)
    ).values_list("indicator__code", "value")
    return dict(rows)


def approved_previous(report):
    """{code: approved figure} of the same unit and work line's report of the month before, if it is approved (one
    query): the month-to-month balance's baseline. A later ledger edit or an unapproved draft never moves it."""
    rows = ReportValue.objects.filter(
        report__unit=report.unit, report__work_line=report.work_line, report__status=Status.APPROVED,
        report__month=periods.add_months(report.month, -1), approved_value__isnull=False,
    ).values_list("indicator__code", "approved_value")  # fmt: skip
    return dict(rows)


def balance_breaks(report, values=None):
    """The report's balances that do not hold against last month's approved figures (checks.balance_breaks), from
    `values` ({code: value row} as report_as_shown gives them; by default the stored ones)."""
    specs = specs_for(report.unit, report.work_line)
    if not any(spec.balance for spec in specs):
        return []
    rows = values_by_code(report) if values is None else values
    figures_now = {code: row.value for code, row in rows.items()}
    return checks.balance_breaks(specs, figures_now, approved_previous(report))


def approved_history(report):
    """{code: [approved figures]} of this unit and work line in the months before the report's (one query): the
    outlier check's baseline."""
    since = periods.add_months(report.month, -checks.OUTLIER_HISTORY_MONTHS)
    rows = ReportValue.objects.filter(
        report__unit=report.unit, report__work_line=report.work_line, report__status=Status.APPROVED,
        report__month__gte=since, report__month__lt=report.month, approved_value__isnull=False,
    ).values_list("indicator__code", "approved_value")  # fmt: skip
    history = {}
    for code, value in rows:
        history.setdefault(code, []).append(value)
    return history


def report_problems(report):
    """(errors, flags): errors block submitting; flags are outliers shown to the reviewer."""
    specs = specs_for(report.unit, report.work_line)
    values = {code: row.value for code, row in values_by_code(report).items()}
    return checks.problems(
        specs, values, approved_previous(report), approved_history(report), explanation=report.balance_note
    )


def reporting_units():
    return Unit.objects.filter(kind__in=(Unit.Kind.TOWN, *Unit.VILLAGE_KINDS))
