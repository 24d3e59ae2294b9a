"""Reading the register of issued documents: only what the reader may see (the documents of the units in his
scope), the file left unread for a list."""

from django.utils import timezone
from django.utils.translation import gettext as _

from branches.scoping import VIEW

from .. import worklines
from ..models import IssuedDocument
from .layout import OfficialDocument, issuer_name
from .numbers import reference_text


def issued_documents(user, action=VIEW):
    rows = IssuedDocument.objects.restrict(user, action).select_related("unit", "issued_by")
    return rows.defer("content").order_by("-issued_on", "-pk")


def issued_file(user, pk):
    """The document `pk` with its file, if `user` may see it; else None."""
    return IssuedDocument.objects.restrict(user, VIEW).filter(pk=pk).first()


# --- the documents the work lines declare (worklines.DocumentKind) ---------------------------------------------------


def declared(code):
    """The line's declaration of document `code`."""
    found = [kind for kind in worklines.hooks("documents") if kind.code == code]
    if not found:
        raise LookupError(f"no work line declares a document {code!r}")
    return found[0]


def source_of(code, record):
    return f"{code}:{record.pk}"


def document_issued(code, record):
    """The register's entry of `record`'s document `code` (its 文号 and date, not its file), or None."""
    return IssuedDocument.objects.filter(source=source_of(code, record)).defer("content").order_by("pk").first()


def declared_document(code, record, user, *, reference=None, day=None):
    """`record`'s document `code` as `user` may read it: the 版头 of its issuing unit with the 文号 (the one it was
    issued under, else `reference`, else a draft's blank number), the title, the line's parts, the 落款."""
    kind = declared(code)
    unit = kind.unit(record)
    issued = document_issued(code, record) if reference is None else None
    if issued is not None:
        reference, day = issued.reference, issued.issued_on
    day = day or timezone.localdate()
    document = OfficialDocument()
    document.head(mark=_("%(issuer)s文件") % {"issuer": issuer_name(unit)},
                  number=reference or reference_text(unit, kind.kind, day.year))  # fmt: skip
    document.title(kind.title(record))
    kind.write(document, record, user)
    document.signature(issuer_name(unit), day)
    return document


def document_download(code, record, user, filename):
    """The document as a .docx response (a GET: nothing is written, no number given)."""
    return declared_document(code, record, user).response(filename)
