"""One layout for every document the portal writes: 党政机关公文格式, GB/T 9704-2012, with python-docx.

A4; margins (天头 37 mm, 下白边 35 mm, 订口 28 mm, 翻口 26 mm) leaving the 156 × 225 mm 版心; a grid of 22 lines of
28 characters; body 三号 仿宋 at a fixed line spacing (the grid's pitch); title 二号 小标宋; headings 黑体 (一、),
楷体 (（一）), 仿宋 (1. and （1）); the 版头 — the issuing body's name in red, from the unit's data — with the
文号 (or a 简报's 期号) and the red separating line; the 落款 and the date; page numbers “— 1 —” in 四号 宋体,
odd pages at the right and even pages at the left, one character in from the edge.

The fonts are written as the standard names them (仿宋_GB2312, 方正小标宋简体 …) with their usual substitutes in the
file's font table (w:altName), so an office PC with the fonts shows them and one without shows the nearest.

python-docx sets all of it but three things, written as a few lines of XML here: the text grid (w:docGrid), the
PAGE field of the footers, the red line (a paragraph border) and the font table's substitutes.

    document = OfficialDocument()
    document.head(mark="中共双峰县井字镇委员会文件", number="井发〔2026〕12号")
    document.title("关于……的通报")
    document.paragraph("……")
    document.signature("中共双峰县井字镇委员会", date(2026, 12, 6))
    return document.response("通报")
"""

import math
from dataclasses import dataclass, field
from io import BytesIO
from urllib.parse import quote

from django.http import HttpResponse
from django.shortcuts import render
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor, Twips
from lxml import etree

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)  # A4
TOP, BOTTOM, LEFT, RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
TEXT_WIDTH, TEXT_HEIGHT = Emu(PAGE_WIDTH - LEFT - RIGHT), Emu(PAGE_HEIGHT - TOP - BOTTOM)  # 版心 156 × 225 mm
LINES, CHARS = 22, 28

BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
PAGE_NUMBER_SIZE = Pt(14)  # 四号
TABLE_SIZE = Pt(12)  # 小四: a table's cells
MARK_SIZE = Pt(42)  # 初号 at most: a long name is set smaller, to fit the 版心's width
RED = RGBColor(0xFF, 0x00, 0x00)

# The grid's line pitch (twips) and the fixed line spacing of the text: 22 lines fill the 版心's height.
LINE_PITCH = math.floor(TEXT_HEIGHT.twips / LINES)  # 579 twips = 28.95 pt
# The character pitch: 28 characters of 三号 fill its width; Word writes it as the difference from the font's size,
# in 4096ths of a point.
CHAR_SPACE = math.floor((TEXT_WIDTH.pt / CHARS - BODY_SIZE.pt) * 4096)


@dataclass(frozen=True)
class Face:
    """A font as the standard names it, and what an office PC without it shows instead."""

    name: str
    fallbacks: tuple
    family: str = "modern"


SONG = Face("宋体", ("SimSun", "Songti SC"), family="auto")
FANGSONG = Face("仿宋_GB2312", ("仿宋", "FangSong", "STFangsong"))
XIAOBIAOSONG = Face("方正小标宋简体", ("方正小标宋_GBK", "华文中宋", "宋体"), family="script")
HEITI = Face("黑体", ("SimHei", "STHeiti"))
KAITI = Face("楷体_GB2312", ("楷体", "KaiTi", "STKaiti"))
FACES = (SONG, FANGSONG, XIAOBIAOSONG, HEITI, KAITI)

BODY_FACE, TITLE_FACE, MARK_FACE, PAGE_NUMBER_FACE = FANGSONG, XIAOBIAOSONG, XIAOBIAOSONG, SONG
HEADING_FACES = {1: HEITI, 2: KAITI, 3: FANGSONG, 4: FANGSONG}  # 一、 （一） 1. （1）


# What follows w:pBdr in a paragraph's properties (ECMA-376 CT_PPrBase), where python-docx has no setter for it.
PBDR_SUCCESSORS = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def set_face(target, face, *, size=None, bold=None, color=None):
    """`face` on a run or a style, for Chinese text too: Word reads w:eastAsia for Chinese characters, not the Latin
    name python-docx sets, and a theme font (…Theme) would win over both, so it is dropped."""
    target.font.name = face.name
    fonts = target.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), face.name)
    if size is not None:
        target.font.size = size
    if bold is not None:
        target.font.bold = bold
    if color is not None:
        target.font.color.rgb = color


def off_grid(paragraph):
    """Let a paragraph set larger than the body (the 版头's name, the title) keep its own character spacing instead
    of snapping each character to two or three cells of the 28-character grid (w:snapToGrid off)."""
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    properties = paragraph._p.get_or_add_pPr()
    properties.insert_element_before(snap, *PBDR_SUCCESSORS[PBDR_SUCCESSORS.index("w:snapToGrid") + 1:])


def text_width(text):
    """The width of `text` in characters of its size: Chinese characters count one, ASCII (the date's digits) half."""
    return sum(0.5 if ord(char) < 128 else 1 for char in text)


def issuer_name(unit):
    """The name a unit's documents go out under: the body it issues as (the admin's data), else the unit's name."""
    return unit.issuing_name or unit.name


def chinese_date(day):
    """The 成文日期 as the 2012 standard writes it, in Arabic figures: 2026年12月6日."""
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass
class Block:
    """One part of a document as written, for its print view."""

    kind: str  # head, title, addressee, heading, paragraph, table, signature, page_break
    text: str = ""
    level: int = 0
    extra: dict = field(default_factory=dict)


class OfficialDocument:
    """A 公文 being written: add its parts in order, then `save()` or `response(filename)`."""

    def __init__(self):
        # What was written, part by part, in order: the print view (print.html) lays out the same parts.
        self.blocks = []
        self.document = Document()
        self._page()
        self._defaults()
        self._font_table()
        self._page_numbers()

    # --- the page ------------------------------------------------------------------------------------------------

    def _page(self):
        section = self.document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin, section.bottom_margin = TOP, BOTTOM
        section.left_margin, section.right_margin = LEFT, RIGHT
        # The page number's line sits about 7 mm below the 版心.
        section.header_distance, section.footer_distance = Mm(15), Mm(22)
        grid = section._sectPr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            section._sectPr.append(grid)
        grid.set(qn("w:type"), "linesAndChars")
        grid.set(qn("w:linePitch"), str(LINE_PITCH))
        grid.set(qn("w:charSpace"), str(CHAR_SPACE))

    def _defaults(self):
        """Body text by default: 三号 仿宋, fixed spacing on the grid's pitch, no space between paragraphs, Chinese."""
        styles = self.document.styles
        defaults = styles.element.find(qn("w:docDefaults"))
        run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        fonts = run_defaults.find(qn("w:rFonts"))
        for attribute in list(fonts.attrib):
            del fonts.attrib[attribute]
        for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attribute), BODY_FACE.name)
        for tag in ("w:sz", "w:szCs"):
            run_defaults.find(qn(tag)).set(qn("w:val"), str(int(BODY_SIZE.pt * 2)))
        run_defaults.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
        normal = styles["Normal"]
        set_face(normal, BODY_FACE, size=BODY_SIZE)
        form = normal.paragraph_format
        form.line_spacing = Twips(LINE_PITCH)
        form.space_before = form.space_after = Pt(0)
        form.widow_control = False

    def _font_table(self):
        """Each standard font in word/fontTable.xml with its substitutes (w:altName) and the GB2312 character set."""
        part = next(p for p in self.document.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
        table = etree.fromstring(part.blob)
        for face in FACES:
            font = etree.SubElement(table, qn("w:font"), {qn("w:name"): face.name})
            etree.SubElement(font, qn("w:altName"), {qn("w:val"): ",".join(face.fallbacks)})
            etree.SubElement(font, qn("w:charset"), {qn("w:val"): "86"})
            etree.SubElement(font, qn("w:family"), {qn("w:val"): face.family})
            etree.SubElement(font, qn("w:pitch"), {qn("w:val"): "variable"})
        part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _page_numbers(self):
        """“— 1 —” in 四号 宋体: odd pages at the right, even pages at the left, one character in from the edge."""
        self.document.settings.odd_and_even_pages_header_footer = True
        section = self.document.sections[0]
        for footer, alignment in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                                  (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):  # fmt: skip
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            paragraph.alignment = alignment
            form = paragraph.paragraph_format
            form.line_spacing, form.space_before, form.space_after = 1.0, Pt(0), Pt(0)
            if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
                form.right_indent = PAGE_NUMBER_SIZE
            else:
                form.left_indent = PAGE_NUMBER_SIZE
            self._page_field(paragraph)

    @staticmethod
    def _page_field(paragraph):
        """“— ”, the PAGE field (shown as 1 until Word updates it) and “ —”."""

        def run(text=None, field=None, instruction=None):
            made = paragraph.add_run()
            set_face(made, PAGE_NUMBER_FACE, size=PAGE_NUMBER_SIZE)
            if field:
                mark = OxmlElement("w:fldChar")
                mark.set(qn("w:fldCharType"), field)
                made._r.append(mark)
            if instruction:
                code = OxmlElement("w:instrText")
                code.set(qn("xml:space"), "preserve")
                code.text = instruction
                made._r.append(code)
            if text:
                made.add_text(text)
            return made

        run("— ")
        run(field="begin")
        run(instruction=" PAGE ")
        run(field="separate")
        run("1")
        run(field="end")
        run(" —")

    # --- the parts, in order -------------------------------------------------------------------------------------

    def _paragraph(self, text="", *, face=None, size=None, bold=None, color=None, align=None):
        paragraph = self.document.add_paragraph()
        if text:
            set_face(paragraph.add_run(text), face or BODY_FACE, size=size, bold=bold, color=color)
        if align is not None:
            paragraph.alignment = align
        return paragraph

    def blank(self, count=1):
        for _ in range(count):
            self._paragraph()

    def head(self, *, mark, number="", left="", right=""):
        """The 版头: `mark` (发文机关标志 “…文件”, or a 简报's name) in red 小标宋, centred and as large as fits;
        below it `number` (the 文号, or a 简报's 期号) centred, or `left` and `right` at the two ends of one line
        (a 简报's 编发单位 and date) — then the red separating line, as wide as the 版心."""
        size = Pt(min(MARK_SIZE.pt, math.floor(TEXT_WIDTH.pt / max(text_width(mark), 1))))
        self.blocks.append(Block("head", mark, extra={"number": number, "left": left, "right": right,
                                                      "size": size.pt}))  # fmt: skip
        top = self._paragraph(mark, face=MARK_FACE, size=size, color=RED, align=WD_ALIGN_PARAGRAPH.CENTER)
        top.paragraph_format.line_spacing = Pt(size.pt * 1.3)
        off_grid(top)
        self.blank()
        if number:
            self._paragraph(number, align=WD_ALIGN_PARAGRAPH.CENTER)
        if left or right:
            line = self._paragraph(left)
            line.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
            set_face(line.add_run(f"\t{right}"), BODY_FACE)
        self._red_line(self.document.paragraphs[-1])
        self.blank()

    @staticmethod
    def _red_line(paragraph):
        """The separating line under the 文号: a red bottom border of the paragraph, the 版心's width."""
        properties = paragraph._p.get_or_add_pPr()
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for name, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "4"), ("w:color", str(RED))):
            bottom.set(qn(name), value)
        borders.append(bottom)
        properties.insert_element_before(borders, *PBDR_SUCCESSORS)

    def title(self, text):
        """The 标题: 二号 小标宋, centred (a long one wraps onto its own lines)."""
        self.blocks.append(Block("title", text))
        paragraph = self._paragraph(text, face=TITLE_FACE, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
        off_grid(paragraph)
        self.blank()
        return paragraph

    def addressee(self, text):
        """The 主送机关, at the left edge, ending with a full-width colon."""
        text = text.rstrip("：:") + "："
        self.blocks.append(Block("addressee", text))
        return self._paragraph(text)

    def heading(self, text, level=1):
        """A heading of the body: 一、 in 黑体, （一） in 楷体, 1. and （1） in 仿宋; indented two characters."""
        self.blocks.append(Block("heading", text, level=level))
        paragraph = self._paragraph(text, face=HEADING_FACES.get(level, BODY_FACE))
        paragraph.paragraph_format.first_line_indent = Pt(BODY_SIZE.pt * 2)
        return paragraph

    def paragraph(self, text, *, indent=True):
        """A paragraph of the body, its first line indented two characters."""
        self.blocks.append(Block("paragraph", text, level=int(indent)))
        paragraph = self._paragraph(text)
        if indent:
            paragraph.paragraph_format.first_line_indent = Pt(BODY_SIZE.pt * 2)
        return paragraph

    def table(self, header, rows, *, fills=None, size=TABLE_SIZE):
        """A table in the 版心's width: `header` a list of column names, `rows` lists of cell texts; `fills` per row
        an optional hex colour (“FDE2E1”) for the row's background (a ranking's colours)."""
        self.blocks.append(Block("table", extra={"header": header, "rows": [
            ([str(text) for text in row], fills[index] if fills else None) for index, row in enumerate(rows)]}))
        table = self.document.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            self._cell(cell, text, face=HEITI, size=size)
        for index, row in enumerate(rows):
            cells = table.add_row().cells
            fill = fills[index] if fills else None
            for cell, text in zip(cells, row, strict=True):
                self._cell(cell, text, size=size, fill=fill)
        return table

    @staticmethod
    def _cell(cell, text, *, face=BODY_FACE, size, fill=None):
        paragraph = cell.paragraphs[0]
        paragraph.paragraph_format.line_spacing = 1.0
        paragraph.paragraph_format.first_line_indent = Pt(0)
        set_face(paragraph.add_run(str(text)), face, size=size)
        if fill:
            shading = OxmlElement("w:shd")
            for name, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill)):
                shading.set(qn(name), value)
            cell._tc.get_or_add_tcPr().append(shading)

    def signature(self, name, day):
        """The 落款 of a document without a seal: a blank line, the issuing body two characters in from the right,
        the date below it, its first character two characters right of the name's (the date two in from the
        right, and the name moved left, when the date is the longer)."""
        self.blank()
        date = chinese_date(day)
        self.blocks.append(Block("signature", name, extra={"date": date}))
        name_width, date_width = text_width(name), text_width(date)
        date_indent = name_width - date_width
        name_indent = 2
        if date_indent < 2:
            date_indent = 2
            name_indent = date_indent + date_width + 2 - name_width
        for text, indent in ((name, name_indent), (date, date_indent)):
            paragraph = self._paragraph(text, align=WD_ALIGN_PARAGRAPH.RIGHT)
            paragraph.paragraph_format.right_indent = Pt(BODY_SIZE.pt * indent)

    def page_break(self):
        self.blocks.append(Block("page_break"))
        self.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # --- out -----------------------------------------------------------------------------------------------------

    def save(self):
        buffer = BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()

    def response(self, filename):
        return docx_response(self.save(), filename)

    def print_response(self, request, *, title, back=""):
        """The print view: the same parts in the same order, on A4 with the standard's margins, fonts and page
        numbers (static/css/official_print.css), for printing from the browser."""
        context = {"blocks": self.blocks, "title": title, "back": back}
        return render(request, "documents/print.html", context)


def docx_response(content, filename):
    response = HttpResponse(content, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename + '.docx')}"
    return response
