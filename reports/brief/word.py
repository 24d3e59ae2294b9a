"""The edited 工作简报 as a Word file."""

from io import BytesIO
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TITLE_FONT, HEADING_FONT, BODY_FONT = "宋体", "黑体", "仿宋"


def _east_asian(run_or_style, name):
    """Set a font for Chinese characters too (Word reads w:eastAsia for them, not the Latin name)."""
    from docx.oxml.ns import qn

    run_or_style.font.name = name
    properties = run_or_style.element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = properties.makeelement(qn("w:rFonts"), {})
        properties.append(fonts)
    for attribute in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attribute), name)


def brief_docx(*, title, sections, filename):
    """A .docx of the edited brief: `sections` is [(heading or '', [paragraph, …]), …]; the title centred."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = Document()
    normal = document.styles["Normal"]
    _east_asian(normal, BODY_FONT)
    normal.font.size = Pt(16)  # 三号
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(title)
    _east_asian(run, TITLE_FONT)
    run.font.size, run.font.bold = Pt(22), True  # 二号
    stamp = document.add_paragraph(timezone.localdate().strftime("%Y年%m月%d日"))
    stamp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for section_heading, texts in sections:
        if section_heading:
            paragraph = document.add_paragraph()
            run = paragraph.add_run(section_heading)
            _east_asian(run, HEADING_FONT)
            run.font.bold = True
        for text in texts:
            paragraph = document.add_paragraph(text)
            paragraph.paragraph_format.first_line_indent = Pt(32)  # two characters
            paragraph.paragraph_format.line_spacing = Pt(28)
    buffer = BytesIO()
    document.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=DOCX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename + '.docx')}"
    return response
