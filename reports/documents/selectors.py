"""Reading the register of issued documents: only what the reader may see (the documents of the units in his
scope), the file left unread for a list."""

from branches.scoping import VIEW

from ..models import IssuedDocument


def issued_documents(user, action=VIEW):
    rows = IssuedDocument.objects.restrict(user, action).select_related("unit", "issued_by")
    return rows.defer("content").order_by("-issued_on", "-pk")


def issued_file(user, pk):
    """The document `pk` with its file, if `user` may see it; else None."""
    return IssuedDocument.objects.restrict(user, VIEW).filter(pk=pk).first()

