"""The import of a filled monthly-report Excel template: reading the uploaded file (as layout.py describes it) into
plain data, validating every sheet, row and cell, then saving all of it or nothing.

Blank cells mean "leave unchanged". Reports already submitted or approved may come back unchanged, any difference is
refused. Nothing is saved unless the whole file is clean; then each report is saved through
`services.report_save_values(action=IMPORT)` inside one transaction. import_workbook is a write: views call it like
a service. Building the template is template.py.
"""

import logging
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from branches.exports import safe_cell
from branches.models import Unit
from branches.scoping import CHANGE, can_act_on_unit

from ... import checks, periods
from ...models import MonthlyReport, ReportEvent
from ...registry import registry
from ..services import clean_balance_note, report_open, report_save_values
from .layout import (
    CODE_ROW,
    GUIDE_SHEET,
    HEADER_ROW,
    KEY_BALANCE_NOTE,
    KEY_NAME,
    KEY_UNIT,
    KEY_VERSION,
    NOT_INDICATORS,
    TITLE_ROW,
    CellError,
    ExcelError,
    balance_problems,
    entered_specs,
    load_states,
    work_line_labels,
)

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 80 * 1024 * 1024  # a 5 MB .xlsx that inflates beyond this is not a template
MAX_ROWS = 5000  # per sheet; a county has ~440 reporting units
MAX_COLUMNS = 200
MAX_ERRORS = 500

NEW_REPORT_VERSION = MonthlyReport._meta.get_field("version").default  # a report nobody has saved yet
MONTH_IN_TITLE = re.compile(r"月份\s*[:：]\s*(\d{4})\s*-\s*(\d{1,2})")
MONTH_TEXT = re.compile(r"^\s*(\d{4})\s*-\s*(\d{1,2})\s*$")


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
    balance_note: str | None = None  # a new 不平衡说明 (None: leave it as it is)

    @property
    def changes(self):
        return bool(self.values) or self.balance_note is not None


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
    result.unchanged = sum(1 for plan in plans if not plan.changes)
    try:
        with transaction.atomic():
            for plan in plans:
                if not plan.changes:
                    continue
                report = plan.report
                version = plan.version
                if report is None or not set(plan.values) <= states[(plan.unit.pk, plan.work_line)].values.keys():
                    report = report_open(unit=plan.unit, work_line=plan.work_line, month=month)
                    # No report when the file was checked: it must still be unsaved now (someone may have opened
                    # it meanwhile, which keeps the first version; a save or submit would not).
                    version = version if plan.report is not None else NEW_REPORT_VERSION
                report_save_values(report=report, user=user, values=plan.values, version=version,
                                   action=ReportEvent.Action.IMPORT, balance_note=plan.balance_note)  # fmt: skip
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
        if key in NOT_INDICATORS:
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
    value_keys = [key for key in row.cells if key not in NOT_INDICATORS]
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
    note = None
    note_cell = row.cells.get(KEY_BALANCE_NOTE)
    if note_cell is not None and KEY_BALANCE_NOTE not in formulas:
        try:
            note = clean_balance_note(str(note_cell.value))
        except ValidationError as error:
            fail(KEY_BALANCE_NOTE, " ".join(error.messages))
            row_ok = False
        if note == (report.balance_note if report is not None else ""):
            note = None  # as stored: no change
    if not row_ok or not (cleaned or note is not None):
        return PlannedSave(unit, work_line, report, None, {}) if row_ok else None

    if report is not None and not report.is_editable:
        status = report.get_status_display()
        for key in [*cleaned, *([KEY_BALANCE_NOTE] if note is not None else [])]:
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
    if report is not None:
        # A balance that breaks with these figures needs the explanation, in the file or already given: the entry
        # page's words (checks.balance_problems), on the 不平衡说明 cell.
        explanation = note if note is not None else report.balance_note
        for problem in balance_problems(unit, work_line, report, {**current, **cleaned}, explanation):
            fail(KEY_BALANCE_NOTE if KEY_BALANCE_NOTE in labels else KEY_UNIT, problem.message)
            row_ok = False
        if not row_ok:
            return None
    return PlannedSave(unit, work_line, report, version, cleaned, note)


def _raw_text(spec, value):
    """What clean_value understands: text for numbers (a float as its shortest decimal form); dates are not numbers."""
    if isinstance(value, datetime | date | time):
        raise ValueError(_("“%(name)s”必须是数字，收到的是日期或时间。") % {"name": spec.name})
    if isinstance(value, float):
        return repr(value)
    return value
