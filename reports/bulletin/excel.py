"""The monthly 通报 as an Excel workbook."""

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from branches.exports import safe_cell, workbook_response

from .. import targets
from ..models import BulletinRow
from .selectors import PART_LABELS, WEIGHTS

Colour = BulletinRow.Colour

FILLS = {
    Colour.GREEN.value: PatternFill("solid", fgColor="D1E7DD"),
    Colour.YELLOW.value: PatternFill("solid", fgColor="FFF3CD"),
    Colour.RED.value: PatternFill("solid", fgColor="F8D7DA"),
}


def bulletin_workbook(bulletin, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "月度通报"
    sheet.append([safe_cell(f"{bulletin.unit}{bulletin.month.year}年{bulletin.month.month}月工作通报")])
    sheet["A1"].font = Font(bold=True, size=14)
    rule = "；".join(f"{PART_LABELS[name]} {weight}" for name, weight in WEIGHTS.items())
    sheet.append([safe_cell(f"评价日期 {bulletin.as_of:%Y-%m-%d}；满分 100：{rule}。{targets.note(bulletin.month)}")])
    headers = ["名次", "村（社区）", "得分", "等次", *[str(label) for label in PART_LABELS.values()], "原因"]
    sheet.append(headers)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for view in rows:
        row = view.row
        parts = [view.parts[name]["score"] if name in view.parts else None for name in PART_LABELS]
        reasons = "；".join(item["text"] for item in view.reasons)
        values = (row.rank, row.unit.name, float(row.score), row.get_colour_display(), *parts, reasons)
        sheet.append([safe_cell(value) for value in values])
        sheet.cell(row=sheet.max_row, column=4).fill = FILLS[row.colour]
        sheet.cell(row=sheet.max_row, column=len(headers)).alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in zip("ABCDEFGH", (6, 16, 8, 6, 12, 12, 10, 80), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A4"
    return workbook_response(workbook, f"{bulletin.unit}-{bulletin.month_key}-月度通报")
