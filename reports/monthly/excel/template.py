"""The monthly-report Excel template: a workbook pre-filled with the current entered values of every report a user
may change under a unit (or a whole town) for a month, laid out as layout.py describes.

Reports already submitted or approved are shown greyed and locked; the hidden 版本 column lets an import notice that
someone saved meanwhile. A download writes nothing. Reading the file back is upload.py.
"""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from branches.exports import safe_cell

from ... import checks, periods
from ...models import MonthlyReport
from .layout import (
    BALANCE_NOTE_HEADER,
    CODE_ROW,
    FIRST_DATA_ROW,
    FIXED_COLUMNS,
    GUIDE_SHEET,
    HEADER_ROW,
    KEY_BALANCE_NOTE,
    TITLE_ROW,
    ReportState,
    balance_problems,
    has_balance,
    load_states,
    number_for_cell,
    plan_sheets,
)
from .selectors import template_units

HEADER_FILL = PatternFill("solid", fgColor="FDE9E7")
LOCKED_FILL = PatternFill("solid", fgColor="E7E6E6")
NOT_REPORTED_FILL = PatternFill("solid", fgColor="BFBFBF")
CODE_FONT = Font(color="808080", size=9)
UNLOCKED = Protection(locked=False)


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
        _("9. 有“不平衡说明”列的工作表：本月在办数与“上月已审核数 + 本月新增 − 本月办结”不符时"
          "（单元格批注中列出算式），须在该列写明原因，否则导入不予保存；空白表示不修改原有说明。"),
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
    note_column = None
    if has_balance(work_line):
        keys.append(KEY_BALANCE_NOTE)
        headers.append(BALANCE_NOTE_HEADER)
        note_column = len(keys)
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
        if note_column is not None:
            _write_balance_note(sheet.cell(row=row, column=note_column), unit, work_line, state)

    for spec in columns:
        if editable_cells[spec.code]:
            validation = _number_validation(spec)
            if validation is not None:
                for coordinate in editable_cells[spec.code]:
                    validation.add(coordinate)
                sheet.add_data_validation(validation)

    widths = [12, 16, 16, 8] + [max(12, min(30, len(header) * 2)) for header in headers[len(FIXED_COLUMNS) :]]
    if note_column is not None:
        widths[note_column - 1] = 40
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.column_dimensions["D"].hidden = True  # the version: lets an import notice someone saved meanwhile
    sheet.freeze_panes = sheet.cell(row=FIRST_DATA_ROW, column=3).coordinate
    # Greyed rows and the header rows are locked; no password, this only guards against slips.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _write_balance_note(cell, unit, work_line, state):
    """The report's 不平衡说明, editable where the report is; a break it must explain is told in the cell's comment."""
    report = state.report
    cell.value = safe_cell(report.balance_note) or None
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    if not report.is_editable:
        cell.fill = LOCKED_FILL
        return
    cell.protection = UNLOCKED
    breaks = balance_problems(unit, work_line, report, state.values, "")
    if breaks:
        cell.fill = HEADER_FILL
        cell.comment = Comment("\n".join(problem.message for problem in breaks)[:2000], _("不平衡"))


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
