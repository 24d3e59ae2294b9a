"""What the monthly-report Excel template and its import share: the layout of the file, the errors an import
reports, and the reads both sides make. template.py writes this layout, upload.py reads it back; this module imports
neither of them.

The workbook describes itself, so an import never depends on the column order a person left behind:

- sheet 说明: instructions in Chinese, the month (row "月份"), the list of indicators;
- one sheet per work line that has entered indicators, named after the work line's label. Row 1 is the title and
  holds "月份：YYYY-MM"; row 2 the Chinese headers (单位代码, 单位, 状态, 版本, then "名称（计量单位）" per
  indicator); row 3 the machine keys (unit_code, unit_name, status, version, then each indicator's code); one row
  per reporting unit below.

Derived figures are never in the file. What the user may download is in selectors.py.
"""

from dataclasses import dataclass
from decimal import Decimal

from ... import checks, worklines
from ...models import MonthlyReport, ReportValue
from ...registry import registry
from ..selectors import approved_previous, specs_for

GUIDE_SHEET = "说明"
TITLE_ROW, HEADER_ROW, CODE_ROW, FIRST_DATA_ROW = 1, 2, 3, 4
KEY_UNIT, KEY_NAME, KEY_STATUS, KEY_VERSION = "unit_code", "unit_name", "status", "version"
FIXED_COLUMNS = ((KEY_UNIT, "单位代码"), (KEY_NAME, "单位"), (KEY_STATUS, "状态"), (KEY_VERSION, "版本"))
# A work line with a month-to-month balance (an open-cases backlog) has, after its indicators, the report's 不平衡说明:
# the explanation a break needs before the report is submitted, as on the entry page.
KEY_BALANCE_NOTE, BALANCE_NOTE_HEADER = "balance_note", "不平衡说明"
NOT_INDICATORS = {key for key, _header in FIXED_COLUMNS} | {KEY_BALANCE_NOTE}


def has_balance(work_line):
    """Whether any indicator of the work line declares a balance (so its sheet has a 不平衡说明 column)."""
    return any(spec.balance for spec in registry.stored(work_line))


def balance_problems(unit, work_line, report, figures, explanation):
    """The report's balance breaks with these figures, as the entry page words them (checks.balance_problems): none
    when explained, or when there is no approved month before to balance against."""
    specs = specs_for(unit, work_line)
    if not any(spec.balance for spec in specs):
        return []
    return checks.balance_problems(specs, figures, approved_previous(report), explanation)


class ExcelError(Exception):
    """The file as a whole cannot be used (not an .xlsx, too big, unreadable)."""


@dataclass
class CellError:
    sheet: str
    row: int | None
    column: str  # the column letter, "" for a sheet- or row-wide problem
    column_label: str
    reason: str

    def __str__(self):
        where = f"工作表“{self.sheet}”"
        if self.row:
            where += f"第 {self.row} 行"
        if self.column:
            where += f" {self.column} 列"
            if self.column_label:
                where += f"（{self.column_label}）"
        return f"{where}：{self.reason}"


def work_line_labels():
    return {code: str(label) for code, label in worklines.choices()}


def entered_specs(unit, work_line):
    return [spec for spec in specs_for(unit, work_line) if spec.is_entered]


def number_for_cell(value):
    if value is None:
        return None
    value = Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return float(value)


# --- reading the current state ---------------------------------------------------------------------------------


@dataclass
class ReportState:
    report: MonthlyReport
    values: dict  # code → Decimal | None, for the value rows that exist


def load_states(unit_ids, month, work_lines):
    """{(unit_id, work_line): ReportState} for the reports that exist: two queries whatever the size."""
    reports = {
        (report.unit_id, report.work_line): ReportState(report, {})
        for report in MonthlyReport.objects.filter(
            unit_id__in=unit_ids, month=month, work_line__in=work_lines
        ).select_related("unit", "updated_by")
    }
    by_id = {state.report.pk: state for state in reports.values()}
    rows = ReportValue.objects.filter(report_id__in=list(by_id)).values_list("report_id", "indicator__code", "value")
    for report_id, code, value in rows:
        by_id[report_id].values[code] = value
    return reports


def plan_sheets(units):
    """[(work_line, label, rows, columns)] for the work lines with entered indicators: rows are (unit, codes the unit
    reports), columns the union of those indicators in registry order."""
    plan = []
    for work_line, label in work_line_labels().items():
        rows = [(unit, {spec.code for spec in entered_specs(unit, work_line)}) for unit in units]
        rows = [(unit, codes) for unit, codes in rows if codes]
        if not rows:
            continue
        used = set().union(*(codes for _unit, codes in rows))
        columns = [spec for spec in registry.stored(work_line) if spec.code in used]
        plan.append((work_line, label, rows, columns))
    return plan
