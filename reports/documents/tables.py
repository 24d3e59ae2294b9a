"""The register's table (page and Excel export): the 文号, title, issuing unit, kind, date and who signed it off."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from ..models import IssuedDocument


class IssuedDocumentTable(tables.Table):
    # The headers are the model's verbose names; only the link and the date's format are said here.
    title = tables.Column(linkify=("reports:issueddocument_file", [tables.A("pk")]))
    issued_on = tables.DateColumn(format="Y-m-d")

    class Meta:
        model = IssuedDocument
        fields = ("reference", "title", "unit", "kind", "issued_on", "issued_by")
        orderable = False
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("暂无已签发的公文")
