"""The edited 工作简报 as a Word file, in the portal's one 公文 layout (reports/documents/layout.py): the 简报
masthead (工作简报 in red, its 期号, the unit it comes from and the date, the red line), the title, the sections."""

from django.utils import timezone
from django.utils.translation import gettext as _

from ..documents.layout import DOCX_TYPE, OfficialDocument, chinese_date, issuer_name
from ..documents.numbers import Kind, reference_text

__all__ = ["DOCX_TYPE", "brief_document", "brief_docx", "issuer_name"]


def brief_document(*, unit, title, sections, issue=None, day=None):
    """The brief as a document: `sections` is [(heading or '', [paragraph, …]), …]; `issue` its 期号 as printed
    (第12期) once issued (documents.services.reference_text); a draft's is left blank (第　　期)."""
    document = OfficialDocument()
    day = day or timezone.localdate()
    issue = issue or reference_text(unit, Kind.JIANBAO, day.year)
    document.head(mark=_("工作简报"), number=issue, left=issuer_name(unit), right=chinese_date(day))
    document.title(title)
    for heading, texts in sections:
        if heading:
            document.heading(heading, level=1)
        for text in texts:
            document.paragraph(text)
    return document


def brief_docx(*, unit, title, sections, filename):
    """The draft (no 期号: only an issued brief takes one)."""
    return brief_document(unit=unit, title=title, sections=sections).response(filename)
