"""The Excel round trip of monthly figures: a pre-filled template for a unit (or a whole town) and a month, and the
import of that template once filled.

The workbook describes itself, so an import never depends on the column order a person left behind:

- sheet 说明: instructions in Chinese, the month (row "月份"), the list of indicators;
- one sheet per work line that has entered indicators, named after the work line's label. Row 1 is the title and
  holds "月份：YYYY-MM"; row 2 the Chinese headers (单位代码, 单位, 状态, 版本, then "名称（计量单位）" per
  indicator); row 3 the machine keys (unit_code, unit_name, status, version, then each indicator's code); one row
  per reporting unit below.

Derived figures are never in the file. Reports already submitted or approved are shown greyed and locked; their values
may come back unchanged, any difference is refused. Blank cells mean "leave unchanged". An import validates every
sheet, row and cell first and saves nothing unless all of it is clean; then each report is saved through
`services.report_save_values(action=IMPORT)` inside one transaction.
"""

import logging
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from branches.exports import safe_cell
from branches.models import Unit
from branches.scoping import CHANGE, can_act_on_unit

from ... import checks, periods, worklines
from ...models import MonthlyReport, ReportEvent, ReportValue
from ...registry import registry
from ..selectors import reporting_units, specs_for
from ..services import report_open, report_save_values

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 80 * 1024 * 1024  # a 5 MB .xlsx that inflates beyond this is not a template
MAX_ROWS = 5000  # per sheet; a county has ~440 reporting units
MAX_COLUMNS = 200
MAX_ERRORS = 500

GUIDE_SHEET = "说明"
TITLE_ROW, HEADER_ROW, CODE_ROW, FIRST_DATA_ROW = 1, 2, 3, 4
KEY_UNIT, KEY_NAME, KEY_STATUS, KEY_VERSION = "unit_code", "unit_name", "status", "version"
FIXED_COLUMNS = ((KEY_UNIT, "单位代码"), (KEY_NAME, "单位"), (KEY_STATUS, "状态"), (KEY_VERSION, "版本"))
NEW_REPORT_VERSION = MonthlyReport._meta.get_field("version").default  # a report nobody has saved yet
MONTH_IN_TITLE = re.compile(r"月份\s*[:：]\s*(\d{4})\s*-\s*(\d{1,2})")
MONTH_TEXT = re.compile(r"^\s*(\d{4})\s*-\s*(\d{1,2})\s*$")

HEADER_FILL = PatternFill("solid", fgColor="FDE9E7")
LOCKED_FILL = PatternFill("solid", fgColor="E7E6E6")
NOT_REPORTED_FILL = PatternFill("solid", fgColor="BFBFBF")
CODE_FONT = Font(color="808080", size=9)
UNLOCKED = Protection(locked=False)


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


@dataclass
class SavedReport:
    unit: Unit
    work_line: str
    work_line_label: str
    month_key: str
    changed: int
    url: str


@dataclass
class ImportResult:
    month: date
    errors: list = field(default_factory=list)
    saved: list = field(default_factory=list)
    unchanged: int = 0  # reports present in the file whose values were all already stored

    @property
    def ok(self):
        return not self.errors

    @property
    def units(self):
        return len({saved.unit.pk for saved in self.saved})

    @property
    def values_changed(self):
        return sum(saved.changed for saved in self.saved)


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


# --- what the user may download --------------------------------------------------------------------------------


def changeable_units(user):
    """Reporting units (villages, communities, towns) the user may change, in tree order."""
    return list(reporting_units().restrict(user, CHANGE))


def template_choices(user):
    """(unit, label) a user may ask a template for: each town holding a unit he may change, then those units."""
    units = changeable_units(user)
    if not units:
        return []
    towns = [
        town
        for town in Unit.objects.filter(kind=Unit.Kind.TOWN)
        if any(unit.is_under(town) for unit in units)
    ]
    choices = [(town, _("%(town)s（整镇，全部可填报单位）") % {"town": town.name}) for town in towns]
    choices += [(unit, unit.name) for unit in units if unit.kind != Unit.Kind.TOWN]
    return choices


def template_units(user, unit):
    """The reporting units under `unit` (itself included) the user may change; refuses when there are none."""
    units = list(reporting_units().under(unit).restrict(user, CHANGE))
    if not units:
        raise PermissionDenied(_("您无权填报“%(unit)s”。") % {"unit": unit.name})
    return units


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


# --- the template ----------------------------------------------------------------------------------------------


def build_template(*, user, unit, month):
    """A workbook pre-filled with the current entered values of every report the user may change under `unit`."""
    units = template_units(user, unit)
    plan = plan_sheets(units)
    if not plan:
        raise PermissionDenied(_("“%(unit)s”没有需要填报的指标。") % {"unit": unit.name})
    work_lines = [work_line for work_line, *_rest in plan]
    states = load_states([u.pk for u in units], month, work_lines)
    # A download writes nothing: a report nobody has saved yet is a blank draft here, created by the upload.
    for work_line, _label, rows, _columns in plan:
        for row_unit, _codes in rows:
            if (row_unit.pk, work_line) not in states:
                draft = MonthlyReport(unit=row_unit, work_line=work_line, month=month)
                states[row_unit.pk, work_line] = ReportState(draft, {})

    key = periods.month_key(month)
    workbook = Workbook()
    guide = workbook.active
    guide.title = GUIDE_SHEET
    _write_guide(guide, user=user, unit=unit, month_key=key, plan=plan)
    for work_line, label, rows, columns in plan:
        _write_line_sheet(workbook.create_sheet(label[:31]), label, key, rows, columns, states, work_line)
    workbook.active = 0
    return workbook, f"月报填报模板-{unit.name}-{key}"


def _write_guide(sheet, *, user, unit, month_key, plan):
    sheet.append([safe_cell(_("井字镇月报 Excel 填报模板"))])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("月份"), month_key])
    sheet.append([_("范围"), safe_cell(unit.name)])
    sheet.append([_("下载人"), safe_cell(user.display_name)])
    sheet.append([_("下载时间"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    sheet.append([])
    sheet.append([_("填写说明")])
    sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    instructions = [
        _("1. 每个工作表对应一条工作线，每行是一个填报单位，每列是一项需要手工填报的指标。"),
        _("2. 只在白色单元格中填写数字；空白单元格表示“不修改”，没有发生请填 0。"),
        _("3. 灰色行是已提交或已审核的月报，只供查看，不能通过导入修改；深灰色单元格表示该单位不填报此项指标。"),
        _("4. 不接受公式，请直接填写数值；不能为负数，不能超过指标上限，小数位数见下表。"),
        _("5. 请勿修改工作表名称、第 1—3 行（标题、表头、指标代码）以及“单位代码”列；可以删除不需填写的行。"),
        _("6. 台账自动生成的指标不在本表中，请在系统中查看。"),
        _(
            "7. 填好后在系统“Excel 导入”页面选择同一月份（%(month)s）上传；文件有任何错误时不会保存任何数据，"
            "请按错误清单修改后重新上传。"
        )
        % {"month": month_key},
        _("8. 导入只保存数值，不会提交月报；请在系统中核对后再提交。"),
    ]
    for line in instructions:
        sheet.append([safe_cell(line)])
    sheet.append([])
    header = [_("工作表"), _("指标代码"), _("名称"), _("计量单位"), _("下限"), _("上限"), _("小数位数"), _("说明")]
    sheet.append([safe_cell(text) for text in header])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for _work_line, label, _rows, columns in plan:
        for spec in columns:
            sheet.append(
                [
                    safe_cell(label),
                    safe_cell(spec.code),
                    safe_cell(spec.name),
                    safe_cell(spec.unit),
                    number_for_cell(spec.min_value),
                    number_for_cell(spec.max_value),
                    spec.decimals,
                    safe_cell(spec.help_text),
                ]
            )
    for letter, width in zip("ABCDEFGH", (16, 24, 24, 10, 10, 12, 10, 50), strict=True):
        sheet.column_dimensions[letter].width = width


def _write_line_sheet(sheet, label, month_key, rows, columns, states, work_line):
    statuses = dict(MonthlyReport.Status.choices)
    title = _("%(line)s 月报填报表　月份：%(month)s") % {"line": label, "month": month_key}
    sheet.cell(row=TITLE_ROW, column=1, value=safe_cell(title)).font = Font(bold=True, size=13)
    keys = [key for key, _header in FIXED_COLUMNS] + [spec.code for spec in columns]
    headers = [header for _key, header in FIXED_COLUMNS] + [f"{spec.name}（{spec.unit}）" for spec in columns]
    for index, (key, header) in enumerate(zip(keys, headers, strict=True), start=1):
        head = sheet.cell(row=HEADER_ROW, column=index, value=safe_cell(header))
        head.font, head.fill = Font(bold=True), HEADER_FILL
        head.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        sheet.cell(row=CODE_ROW, column=index, value=safe_cell(key)).font = CODE_FONT
    sheet.row_dimensions[HEADER_ROW].height = 36

    first_value_column = len(FIXED_COLUMNS) + 1
    editable_cells = {spec.code: [] for spec in columns}
    for offset, (unit, codes) in enumerate(rows):
        row = FIRST_DATA_ROW + offset
        state = states[(unit.pk, work_line)]
        report = state.report
        status = str(statuses[report.status])
        if not report.is_editable:
            status = _("%(status)s（不可修改）") % {"status": status}
        fixed = [unit.pk, safe_cell(unit.name), safe_cell(status), report.version]
        for index, value in enumerate(fixed, start=1):
            cell = sheet.cell(row=row, column=index, value=value)
            if not report.is_editable:
                cell.fill = LOCKED_FILL
        for index, spec in enumerate(columns, start=first_value_column):
            cell = sheet.cell(row=row, column=index)
            if spec.code not in codes:
                cell.fill = NOT_REPORTED_FILL
                continue
            cell.value = number_for_cell(state.values.get(spec.code))
            cell.number_format = "0" if spec.decimals == 0 else "General"
            if report.is_editable:
                cell.protection = UNLOCKED
                editable_cells[spec.code].append(cell.coordinate)
            else:
                cell.fill = LOCKED_FILL

    for spec in columns:
        if editable_cells[spec.code]:
            validation = _number_validation(spec)
            if validation is not None:
                for coordinate in editable_cells[spec.code]:
                    validation.add(coordinate)
                sheet.add_data_validation(validation)

    widths = [12, 16, 16, 8] + [max(12, min(30, len(header) * 2)) for header in headers[len(FIXED_COLUMNS) :]]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.column_dimensions["D"].hidden = True  # the version: lets an import notice someone saved meanwhile
    sheet.freeze_panes = sheet.cell(row=FIRST_DATA_ROW, column=3).coordinate
    # Greyed rows and the header rows are locked; no password, this only guards against slips.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _number_validation(spec):
    low, high = spec.min_value, spec.max_value
    if low is None and high is None:
        return None
    kind = "whole" if spec.decimals == 0 else "decimal"
    what = _("整数") if spec.decimals == 0 else _("数字（最多 %(n)s 位小数）") % {"n": spec.decimals}
    if low is not None and high is not None:
        operator, formula1, formula2 = "between", checks.display(low), checks.display(high)
        rule = _("%(low)s 到 %(high)s 之间的%(what)s") % {"low": formula1, "high": formula2, "what": what}
    elif low is not None:
        operator, formula1, formula2 = "greaterThanOrEqual", checks.display(low), None
        rule = _("不小于 %(low)s 的%(what)s") % {"low": formula1, "what": what}
    else:
        operator, formula1, formula2 = "lessThanOrEqual", checks.display(high), None
        rule = _("不大于 %(high)s 的%(what)s") % {"high": formula1, "what": what}
    message = _("“%(name)s”应填写%(rule)s，单位：%(unit)s。") % {"name": spec.name, "rule": rule, "unit": spec.unit}
    return DataValidation(
        type=kind,
        operator=operator,
        formula1=formula1,
        formula2=formula2,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("数值不正确"),
        error=message[:250],
        showInputMessage=True,
        promptTitle=spec.name[:32],
        prompt=message[:250],
    )


# --- reading an upload -----------------------------------------------------------------------------------------


@dataclass
class RawCell:
    column: str
    value: object
    is_formula: bool


@dataclass
class RawRow:
    number: int
    cells: dict  # key → RawCell (fixed keys and indicator codes)


@dataclass
class RawSheet:
    name: str
    work_line: str | None
    month_text: str | None
    columns: dict  # key → (letter, header label)
    rows: list
    errors: list


def _check_file(uploaded):
    name = (getattr(uploaded, "name", "") or "").lower()
    if name.endswith(".xls"):
        raise ExcelError(_("不支持旧版 .xls 文件，请在 Excel 中“另存为” .xlsx 格式后再上传。"))
    if not name.endswith(".xlsx"):
        raise ExcelError(_("只接受 .xlsx 格式的 Excel 文件，请上传从本系统下载的模板。"))
    if uploaded.size > MAX_UPLOAD_BYTES:
        raise ExcelError(_("文件太大（%(size).1f MB），不能超过 5 MB。") % {"size": uploaded.size / 1024 / 1024})
    unreadable = ExcelError(
        _("无法读取该文件：它不是有效的 Excel（.xlsx）文件，或已损坏、加密。请重新下载模板填写后上传。")
    )
    uploaded.seek(0)
    if not zipfile.is_zipfile(uploaded):
        raise unreadable
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            inflated = sum(member.file_size for member in members)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise unreadable from None
    if "xl/workbook.xml" not in names:
        raise unreadable
    if inflated > MAX_UNCOMPRESSED_BYTES:
        raise ExcelError(_("文件内容过大，不是本系统的填报模板。"))
    uploaded.seek(0)
    return unreadable


def read_workbook(uploaded):
    """The sheets of an uploaded file as plain data, with the problems found in the file itself."""
    unreadable = _check_file(uploaded)
    try:
        workbook = load_workbook(uploaded, read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 — whatever openpyxl chokes on, the user gets one clear message
        logger.info("unreadable Excel upload", exc_info=True)
        raise unreadable from None
    try:
        return [_read_sheet(sheet) for sheet in workbook.worksheets], _guide_month(workbook)
    except ExcelError:
        raise
    except Exception:  # noqa: BLE001 — read-only mode parses lazily: a broken sheet fails here
        logger.info("unreadable Excel upload", exc_info=True)
        raise unreadable from None
    finally:
        workbook.close()


def _guide_month(workbook):
    """(row, text) of the 说明 sheet's 月份 row, or None."""
    if GUIDE_SHEET not in workbook.sheetnames:
        return None
    for number, row in enumerate(workbook[GUIDE_SHEET].iter_rows(max_row=30, max_col=2, values_only=True), start=1):
        if row and isinstance(row[0], str) and row[0].strip() == "月份":
            value = row[1] if len(row) > 1 else None
            if isinstance(value, datetime | date):  # Excel turned the typed "2026-03" into a date
                value = f"{value.year:04d}-{value.month:02d}"
            return number, "" if value is None else str(value)
    return None


def _is_formula(cell):
    return getattr(cell, "data_type", None) == "f"


def sheet_work_lines():
    """{sheet name: work line} in every language the portal speaks: a template downloaded in Chinese may come back
    while English is active, and Excel cuts a sheet name to 31 characters."""
    names = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            names.update({label[:31]: code for code, label in work_line_labels().items()})
    return names


def _read_sheet(sheet):
    name = sheet.title
    lines = sheet_work_lines()
    work_line = lines.get(name) or (name if name in lines.values() else None)
    raw = RawSheet(name=name, work_line=work_line, month_text=None, columns={}, rows=[], errors=[])
    if name == GUIDE_SHEET:
        return raw
    keys = {}  # column index → key
    labels = {}
    stray = {}  # column index of a column without a code that holds data → first row
    for number, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS), start=1):
        if number > MAX_ROWS + CODE_ROW:
            raw.errors.append(
                CellError(name, None, "", "", _("行数超过 %(n)s 行，不是本系统的填报模板。") % {"n": MAX_ROWS})
            )
            break
        if work_line is None:
            if any(cell.value not in (None, "") for cell in cells):
                raw.errors.append(
                    CellError(
                        name,
                        None,
                        "",
                        "",
                        _("无法识别的工作表“%(sheet)s”。工作表名称应为工作线名称（%(lines)s），请勿改名或新增工作表。")
                        % {"sheet": name, "lines": "、".join(lines)},
                    )
                )
                break
            continue
        if number == TITLE_ROW:
            raw.month_text = "" if not cells or cells[0].value is None else str(cells[0].value)
        elif number == HEADER_ROW:
            labels = {index: cell.value for index, cell in enumerate(cells) if cell.value not in (None, "")}
        elif number == CODE_ROW:
            for index, cell in enumerate(cells):
                if cell.value in (None, ""):
                    continue
                letter, key = get_column_letter(index + 1), str(cell.value).strip()
                if key in raw.columns:
                    raw.errors.append(
                        CellError(
                            name,
                            CODE_ROW,
                            letter,
                            key,
                            _("指标代码“%(code)s”重复出现（已在 %(col)s 列）。")
                            % {"code": key, "col": raw.columns[key][0]},
                        )
                    )
                    continue
                keys[index] = key
                raw.columns[key] = (letter, str(labels.get(index) or key))
        else:
            row = RawRow(number=number, cells={})
            for index, cell in enumerate(cells):
                value = cell.value
                if isinstance(value, str) and not value.strip():
                    value = None
                if value is None:
                    continue
                key = keys.get(index)
                if key is None:
                    stray.setdefault(index, number)
                    continue
                row.cells[key] = RawCell(get_column_letter(index + 1), value, _is_formula(cell))
            if row.cells:
                raw.rows.append(row)
    for index, number in stray.items():
        raw.errors.append(
            CellError(
                name,
                number,
                get_column_letter(index + 1),
                "",
                _("该列第 3 行没有指标代码，无法识别其中的数据。请勿新增列。"),
            )
        )
    return raw


# --- validating and saving an upload ---------------------------------------------------------------------------


@dataclass
class PlannedSave:
    unit: Unit
    work_line: str
    report: MonthlyReport | None
    version: int | None
    values: dict  # code → Decimal (only values that differ from what is stored)


def _month_of(text):
    match = MONTH_IN_TITLE.search(text or "")
    if not match:
        return None
    return f"{int(match.group(1)):04d}-{int(match.group(2)):02d}"


def _month_mismatch(found, key):
    return _("文件中的月份是 %(found)s，与所选月份 %(month)s 不一致。请下载 %(month)s 的模板，或选择正确的月份。") % {
        "found": found,
        "month": key,
    }


def import_workbook(*, user, month, uploaded):
    """Validate the whole file, then save all of it or nothing. Raises ExcelError for a file that cannot be read."""
    sheets, guide_month = read_workbook(uploaded)
    result = ImportResult(month=month)
    errors = result.errors
    key = periods.month_key(month)

    if guide_month is not None:
        number, text = guide_month
        match = MONTH_TEXT.match(text)
        found = f"{int(match.group(1)):04d}-{int(match.group(2)):02d}" if match else text
        if found != key:
            errors.append(
                CellError(
                    GUIDE_SHEET,
                    number,
                    "B",
                    _("月份"),
                    _month_mismatch(f"“{found}”", key),
                )
            )

    line_sheets = [sheet for sheet in sheets if sheet.name != GUIDE_SHEET]
    for sheet in line_sheets:
        errors.extend(sheet.errors)
    usable = []
    for sheet in line_sheets:
        if sheet.work_line is None or sheet.errors:
            continue
        found = _month_of(sheet.month_text)
        if found is None:
            errors.append(
                CellError(
                    sheet.name, TITLE_ROW, "A", _("标题"), _("标题中找不到“月份：YYYY-MM”，请使用本系统下载的模板。")
                )
            )
            continue
        if found != key:
            errors.append(
                CellError(
                    sheet.name,
                    TITLE_ROW,
                    "A",
                    _("标题"),
                    _month_mismatch(found, key),
                )
            )
            continue
        if KEY_UNIT not in sheet.columns:
            errors.append(
                CellError(
                    sheet.name,
                    CODE_ROW,
                    "",
                    "",
                    _("找不到“单位代码”列（第 3 行应有 unit_code），请使用本系统下载的模板。"),
                )
            )
            continue
        usable.append(sheet)
    if not usable and not errors:
        errors.append(CellError(GUIDE_SHEET, None, "", "", _("文件中没有任何月报工作表，请使用本系统下载的模板。")))

    # One query for the units, two for the reports and their values, whatever the size of the file.
    unit_ids = set()
    for sheet in usable:
        for row in sheet.rows:
            unit_id = _unit_id(row.cells.get(KEY_UNIT))
            if unit_id is not None:
                unit_ids.add(unit_id)
    units = Unit.objects.in_bulk(unit_ids) if unit_ids else {}
    states = load_states(list(units), month, [sheet.work_line for sheet in usable]) if units else {}

    plans = []
    for sheet in usable:
        plans.extend(_validate_sheet(sheet, user=user, month=month, units=units, states=states, errors=errors))

    if errors:
        return result
    plans = [plan for plan in plans if plan is not None]
    result.unchanged = sum(1 for plan in plans if not plan.values)
    try:
        with transaction.atomic():
            for plan in plans:
                if not plan.values:
                    continue
                report = plan.report
                version = plan.version
                if report is None or not set(plan.values) <= states[(plan.unit.pk, plan.work_line)].values.keys():
                    report = report_open(unit=plan.unit, work_line=plan.work_line, month=month)
                    # No report when the file was checked: it must still be unsaved now (someone may have opened
                    # it meanwhile, which keeps the first version; a save or submit would not).
                    version = version if plan.report is not None else NEW_REPORT_VERSION
                report_save_values(
                    report=report, user=user, values=plan.values, version=version, action=ReportEvent.Action.IMPORT
                )
                result.saved.append(
                    SavedReport(
                        unit=plan.unit,
                        work_line=plan.work_line,
                        work_line_label=work_line_labels()[plan.work_line],
                        month_key=key,
                        changed=len(plan.values),
                        url=reverse("reports:entry", args=[plan.unit.pk, plan.work_line, key]),
                    )
                )
    except (ValidationError, PermissionDenied) as error:
        # Someone saved or submitted a report between the check and the save: nothing of this file is kept.
        result.saved = []
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        errors.append(
            CellError("—", None, "", "", _("保存时出错，整个文件未保存：%(error)s") % {"error": "；".join(messages)})
        )
    return result


def _unit_id(cell):
    """A positive whole number in a cell (a unit id, a version), else None."""
    if cell is None or cell.is_formula or isinstance(cell.value, bool):
        return None
    value = cell.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and 0 < value < 2**62:
        return value
    return None


def _validate_sheet(sheet, *, user, month, units, states, errors):
    work_line = sheet.work_line
    labels = dict(sheet.columns)
    specs = {spec.code: spec for spec in registry.stored(work_line)}
    columns_ok = True
    for key, (letter, label) in sheet.columns.items():
        if key in dict(FIXED_COLUMNS):
            continue
        spec = specs.get(key) if key in registry else None
        if spec is None:
            errors.append(
                CellError(
                    sheet.name,
                    CODE_ROW,
                    letter,
                    label,
                    _("无法识别的指标代码“%(code)s”（本工作线没有这项指标）。") % {"code": key},
                )
            )
            columns_ok = False
        elif not spec.is_entered:
            errors.append(
                CellError(
                    sheet.name, CODE_ROW, letter, label, _("“%(name)s”由台账自动生成，不能导入。") % {"name": spec.name}
                )
            )
            columns_ok = False
    if not columns_ok:
        return []

    seen = {}
    plans = []
    for row in sheet.rows:
        plans.append(
            _validate_row(
                sheet,
                row,
                user=user,
                month=month,
                units=units,
                states=states,
                specs=specs,
                labels=labels,
                seen=seen,
                errors=errors,
            )
        )
        if len(errors) >= MAX_ERRORS:
            break
    return plans


def _validate_row(sheet, row, *, user, month, units, states, specs, labels, seen, errors):
    name, number, work_line = sheet.name, row.number, sheet.work_line

    def fail(key, reason):
        letter, label = labels.get(key, ("", ""))
        errors.append(CellError(name, number, letter, label, reason))

    formulas = [key for key, cell in row.cells.items() if cell.is_formula]
    for key in formulas:
        fail(key, _("不接受公式，请填写数值。"))
    if KEY_UNIT in formulas:
        return None

    code_cell = row.cells.get(KEY_UNIT)
    value_keys = [key for key in row.cells if key not in dict(FIXED_COLUMNS)]
    if code_cell is None:
        if value_keys:
            fail(KEY_UNIT, _("缺少单位代码，无法确定是哪个单位的数据。"))
        return None
    unit_id = _unit_id(code_cell)
    unit = units.get(unit_id) if unit_id is not None else None
    if unit is None:
        fail(KEY_UNIT, _("单位代码“%(code)s”在系统中不存在。") % {"code": code_cell.value})
        return None
    name_cell = row.cells.get(KEY_NAME)
    if (
        name_cell is not None
        and not name_cell.is_formula
        and str(name_cell.value).strip() not in (unit.name, safe_cell(unit.name))
    ):
        fail(
            KEY_NAME,
            _("单位代码 %(code)s 是“%(unit)s”，与本行单位名称“%(name)s”不符。请勿修改单位代码和单位名称。")
            % {"code": unit_id, "unit": unit.name, "name": name_cell.value},
        )
        return None
    if not unit.is_village and unit.kind != Unit.Kind.TOWN:
        fail(KEY_UNIT, _("“%(unit)s”不是填报单位（只有村、社区和镇填报月报）。") % {"unit": unit.name})
        return None
    if not can_act_on_unit(user, unit, CHANGE):
        fail(KEY_UNIT, _("您无权填报“%(unit)s”。") % {"unit": unit.name})
        return None
    if unit_id in seen:
        fail(
            KEY_UNIT, _("“%(unit)s”在本表中重复出现（已在第 %(row)s 行）。") % {"unit": unit.name, "row": seen[unit_id]}
        )
        return None
    seen[unit_id] = number

    reported = {spec.code for spec in entered_specs(unit, work_line)}
    state = states.get((unit.pk, work_line))
    current = state.values if state else {}
    report = state.report if state else None
    cleaned, row_ok = {}, not formulas
    for key in value_keys:
        if key in formulas:
            continue
        spec = specs[key]
        cell = row.cells[key]
        if key not in reported:
            fail(key, _("“%(unit)s”不填报“%(name)s”，该单元格应留空。") % {"unit": unit.name, "name": spec.name})
            row_ok = False
            continue
        try:
            value = checks.clean_value(spec, _raw_text(spec, cell.value))
        except ValueError as error:
            fail(key, str(error))
            row_ok = False
            continue
        if value is not None and current.get(key) != value:
            cleaned[key] = value
    if not row_ok or not cleaned:
        return PlannedSave(unit, work_line, report, None, {}) if row_ok else None

    if report is not None and not report.is_editable:
        status = report.get_status_display()
        for key in cleaned:
            fail(
                key,
                _("“%(unit)s”的%(line)s月报%(status)s，不能通过导入修改（如需修改请先退回）。")
                % {"unit": unit.name, "line": work_line_labels()[work_line], "status": status},
            )
        return None
    version = _unit_id(row.cells.get(KEY_VERSION))  # a positive whole number, as the template wrote it
    if report is not None and version is None:
        version = report.version  # the cell was cleared: at least refuse a save that lands after this check
    if report is not None and version != report.version:
        who = report.updated_by.display_name if report.updated_by else _("其他人")
        when = timezone.localtime(report.updated_at).strftime("%Y-%m-%d %H:%M") if report.updated_at else ""
        fail(
            KEY_VERSION,
            _("下载模板后，“%(unit)s”的月报已被 %(who)s 于 %(when)s 修改。为免覆盖，请重新下载模板后再填写。")
            % {"unit": unit.name, "who": who, "when": when},
        )
        return None
    return PlannedSave(unit, work_line, report, version, cleaned)


def _raw_text(spec, value):
    """What clean_value understands: text for numbers (a float as its shortest decimal form); dates are not numbers."""
    if isinstance(value, datetime | date | time):
        raise ValueError(_("“%(name)s”必须是数字，收到的是日期或时间。") % {"name": spec.name})
    if isinstance(value, float):
        return repr(value)
    return value
