"""Excel export of a roll-up report: one sheet per work line with value, target and changes, and the units below."""

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from branches.exports import safe_cell, workbook_response

HEAD_FILL = PatternFill("solid", fgColor="FDE9E7")
THIN = Side(style="thin", color="BBBBBB")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def number(value):
    return float(value) if value is not None else None


def _write_row(sheet, values, bold=False, fill=None):
    sheet.append([safe_cell(value) if not isinstance(value, float) else value for value in values])
    for cell in sheet[sheet.max_row]:
        cell.border = BOX
        if bold:
            cell.font = Font(bold=True)
        if fill:
            cell.fill = fill
        if isinstance(cell.value, float):
            cell.number_format = "#,##0.##"


def summary_workbook(unit, period, tables):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(table["label"][:31])
        sheet.append([f"{unit} · {period.label} · {table['label']}"])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append([])
        headers = ["指标", "代码", "计量单位", "数值", "目标", "上期", "环比(%)", "去年同期", "同比(%)"]
        _write_row(sheet, headers, bold=True, fill=HEAD_FILL)
        for row in table["rows"]:
            _write_row(
                sheet,
                [row.spec.name, row.spec.code, row.spec.unit, number(row.value), number(row.target),
                 number(row.previous), number(row.change_previous), number(row.last_year),
                 number(row.change_last_year)],
            )  # fmt: skip
        children = table["children"]
        if children["rows"]:
            sheet.append([])
            _write_row(sheet, ["下级单位", *[f"{spec.name}（{spec.unit}）" for spec in children["specs"]]],
                       bold=True, fill=HEAD_FILL)  # fmt: skip
            for child, values in children["rows"]:
                _write_row(sheet, [child.name, *[number(value) for value in values]])
        for column, width in zip("ABCDEFGHI", (24, 24, 10, 14, 12, 14, 10, 14, 10), strict=True):
            sheet.column_dimensions[column].width = width
        sheet.freeze_panes = "A4"
        for row in sheet.iter_rows(min_row=3):
            for cell in row:
                cell.alignment = Alignment(vertical="center")
    return workbook_response(workbook, f"{unit}-{period.key}-汇总")
