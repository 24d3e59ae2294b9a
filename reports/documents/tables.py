"""The register's table (page and Excel export): the 文号, title, issuing unit, kind, date and who signed it off."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from ..models import IssuedDocument


class IssuedDocumentTable(tables.Table):
    reference = tables.Column(verbose_name=_("文号"))
    title = tables.Column(verbose_name=_("标题"), linkify=("reports:issueddocument_file", [tables.A("pk")]))
    unit = tables.Column(verbose_name=_("发文单位"))
    kind = tables.Column(verbose_name=_("文种"))
    issued_on = tables.DateColumn(verbose_name=_("成文日期"), format="Y-m-d")
    issued_by = tables.Column(verbose_name=_("签发人"))

    class Meta:
        model = IssuedDocument
        fields = ("reference", "title", "unit", "kind", "issued_on", "issued_by")
        orderable = False
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("暂无已签发的公文")
