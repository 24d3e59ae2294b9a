"""The API's filter backend (REST_FRAMEWORK's DEFAULT_FILTER_BACKENDS): django-filter's, whose filter sets made from a
viewset's `filterset_fields` get the bounded base of branches/filtersets.py like every declared one. Its own module:
DRF reads the setting while its generic views are being defined, so it must not import them."""

from django_filters import rest_framework as drf_filters

from ..filtersets import FilterSet


class ApiFilterSet(FilterSet, drf_filters.FilterSet):
    """A filter set generated from `filterset_fields`: its parameters bounded like every other's."""


class FilterBackend(drf_filters.DjangoFilterBackend):
    filterset_base = ApiFilterSet
