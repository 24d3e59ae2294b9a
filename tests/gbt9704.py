"""Reading a generated .docx back as a cadre's Word would, and checking it against GB/T 9704-2012 (党政机关公文格式):
the values are read from the file, not taken from the code that wrote it."""

from io import BytesIO

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Emu
from lxml import etree

RED = "FF0000"


def read(content):
    return Document(BytesIO(content))


def east_asian_font(run_or_style):
    fonts = run_or_style.element.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia"))


def near(length, mm):
    return abs(length.mm - mm) < 0.1  # Word stores twips: 210 mm is 11906 twips, 209.998 mm


def check_page(document):
    """A4; margins 37 / 35 / 28 / 26 mm; a grid of 22 lines of 28 characters on the 156 × 225 mm 版心."""
    section = document.sections[0]
    assert near(section.page_width, 210) and near(section.page_height, 297)
    assert near(section.top_margin, 37) and near(section.bottom_margin, 35)
    assert near(section.left_margin, 28) and near(section.right_margin, 26)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    pitch = int(grid.get(qn("w:linePitch")))
    text_height = Emu(section.page_height - section.top_margin - section.bottom_margin).twips
    assert 22 * pitch <= text_height < 23 * pitch
    # 28 characters of 三号 (16 pt + charSpace/4096 pt each) fill the 156 mm width, a 29th does not.
    char_pitch = 16 + int(grid.get(qn("w:charSpace"))) / 4096
    text_width = Emu(section.page_width - section.left_margin - section.right_margin).pt
    assert 28 * char_pitch <= text_width < 29 * char_pitch
    return pitch


def check_body(document, pitch):
    """Body text 三号 仿宋 at a fixed line spacing equal to the grid's pitch."""
    normal = document.styles["Normal"]
    assert east_asian_font(normal) == "仿宋_GB2312"
    assert normal.font.size.pt == 16
    spacing = normal.paragraph_format
    assert spacing.line_spacing_rule == WD_LINE_SPACING.EXACTLY and spacing.line_spacing.twips == pitch


def check_title(paragraph, text):
    assert paragraph.text == text and paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.runs[0]
    assert east_asian_font(run) == "方正小标宋简体" and run.font.size.pt == 22


def check_head(document, mark, number_line):
    """The 版头: `mark` in red 小标宋, centred; the line under it (the 文号 or the 期号) and the red line below."""
    paragraphs = document.paragraphs
    top = paragraphs[0]
    assert top.text == mark and top.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert str(top.runs[0].font.color.rgb) == RED and east_asian_font(top.runs[0]) == "方正小标宋简体"
    texts = [paragraph.text for paragraph in paragraphs]
    line = paragraphs[texts.index(number_line)]
    ruled = next(paragraph for paragraph in paragraphs if paragraph._p.find(".//" + qn("w:pBdr")) is not None)
    bottom = ruled._p.find(".//" + qn("w:pBdr")).find(qn("w:bottom"))
    assert bottom.get(qn("w:color")) == RED and bottom.get(qn("w:val")) == "single"
    assert paragraphs.index(ruled) >= paragraphs.index(line) > 0
    return line


def check_page_numbers(document):
    """“— 1 —” in 四号 宋体 from a PAGE field: odd pages at the right, even pages at the left, one character in."""
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, alignment in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                              (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):  # fmt: skip
        paragraph = footer.paragraphs[0]
        assert paragraph.text == "— 1 —" and paragraph.alignment == alignment
        assert paragraph.runs[0].text == "— " and paragraph.runs[-1].text == " —"
        assert [code.text.strip() for code in paragraph._p.iter(qn("w:instrText"))] == ["PAGE"]
        assert {east_asian_font(run) for run in paragraph.runs} == {"宋体"}
        assert {run.font.size.pt for run in paragraph.runs} == {14}
        inset = paragraph.paragraph_format.right_indent if alignment == WD_ALIGN_PARAGRAPH.RIGHT else (
            paragraph.paragraph_format.left_indent)  # fmt: skip
        assert inset.pt == 14


def check_font_table(document):
    """The standard's fonts are named in the file's font table with their substitutes."""
    part = next(p for p in document.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    table = etree.fromstring(part.blob)
    fallbacks = {font.get(qn("w:name")): font.find(qn("w:altName")) for font in table.iter(qn("w:font"))}
    for name, substitute in (("仿宋_GB2312", "仿宋"), ("方正小标宋简体", "华文中宋"), ("楷体_GB2312", "楷体")):
        assert substitute in fallbacks[name].get(qn("w:val")).split(",")


def check_layout(document):
    """Everything of the layout but the parts that differ per document."""
    check_body(document, check_page(document))
    check_page_numbers(document)
    check_font_table(document)


def check_print_matches(html, document):
    """The print view has the Word file's text in the Word file's order (each paragraph's text, the table's cells),
    and is laid out by the print stylesheet."""
    assert "css/official_print.css" in html
    body = html[html.index("<main"):]
    cursor = 0
    for text in [p.text for p in document.paragraphs if p.text.strip()]:
        for piece in text.split("\t"):
            found = body.find(escape(piece), cursor)
            assert found >= 0, f"{piece!r} is not in the print view after the previous part"
            cursor = found + len(escape(piece))
    for table in document.tables:
        for cell in [cell for row in table.rows for cell in row.cells]:
            assert escape(cell.text) in body, f"{cell.text!r} of the table is not in the print view"

def escape(text):
    from django.utils.html import escape as html_escape

    return str(html_escape(text))
