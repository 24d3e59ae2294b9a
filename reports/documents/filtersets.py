"""Filters of the register of issued documents (发文登记)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from branches.filtersets import SearchFilterSet, date_range

from ..models import IssuedDocument


class IssuedDocumentFilterSet(SearchFilterSet):
    search_fields = ("reference", "title")
    kind = django_filters.ChoiceFilter(choices=IssuedDocument.Kind.choices, label=_("文种"), empty_label=_("全部"))
    year = django_filters.NumberFilter(label=_("年度"), min_value=2000, max_value=2999)
    issued_after, issued_before = date_range("issued_on", _("成文起始日期"), _("成文截止日期"))

    class Meta:
        model = IssuedDocument
        fields = []
