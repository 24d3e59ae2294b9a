"""The register of issued documents (发文登记): search, filters, pages, the Excel export; each document downloads as
the file that went out. Scoped: a reader sees the documents of the units he may see."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.http import require_GET

from branches.generic_views import ObjectListView

from ..models import IssuedDocument
from . import selectors
from .filtersets import IssuedDocumentFilterSet
from .layout import docx_response
from .tables import IssuedDocumentTable


class IssuedDocumentList(ObjectListView):
    model = IssuedDocument
    selector = staticmethod(selectors.issued_documents)
    table_class = IssuedDocumentTable
    filterset_class = IssuedDocumentFilterSet

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = False  # a document is issued from its own page (the brief, the 通报, a task)
        return context


@login_required
@require_GET
def issued_file(request, pk):
    document = selectors.issued_file(request.user, pk)
    if document is None:
        raise Http404
    return docx_response(bytes(document.content), document.filename.removesuffix(".docx"))
