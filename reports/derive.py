"""Helpers for the `derive(unit, month)` functions work lines declare: which ledger rows a reporting unit counts.

A village counts every row under it; the town counts the rows kept at the town itself, because its roll-up is its
own figures plus its villages' and must not count a village's rows twice.
"""

from datetime import timedelta
from decimal import Decimal

from django.db.models import Sum
from django.urls import reverse

from .periods import add_months


def own(queryset, unit):
    if unit.is_village:
        return queryset.filter(unit__path__startswith=unit.path)
    return queryset.filter(unit=unit)


def in_month(queryset, unit, month, field="date"):
    return own(queryset, unit).filter(**{f"{field}__gte": month, f"{field}__lt": add_months(month, 1)})


def total(queryset, field):
    return queryset.aggregate(total=Sum(field))["total"] or Decimal(0)


def month_rows(url_name, after="date_after", before="date_before", **query):
    """`rows_url(unit, month)` for an indicator: the ledger page filtered to the unit and the month's dates."""

    def rows_url(unit, month):
        last_day = add_months(month, 1) - timedelta(days=1)
        params = {**query, "under": unit.pk, after: month.isoformat(), before: last_day.isoformat()}
        return f"{reverse(url_name)}?" + "&".join(f"{key}={value}" for key, value in params.items())

    return rows_url
