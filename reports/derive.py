"""Helpers for the `derive(unit, month)` functions work lines declare: which ledger rows a reporting unit counts, and
how they are counted.

A village counts every row under it; the town counts the rows kept at the town itself, because its roll-up is its
own figures plus its villages' and must not count a village's rows twice.

`derive()` returns a `Measure` — the rows and the aggregate over them, not yet counted — so that a report's derived
figures are counted together in one statement (`figures()`, a scalar subquery each) instead of one query per
indicator: the entry page stays within its query budget however many derived indicators a work line declares.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import F, Func, IntegerField, Subquery
from django.urls import reverse

from branches.models import Unit

from .periods import add_months


@dataclass(frozen=True)
class Measure:
    queryset: object
    aggregate: Func

    def subquery(self):
        # An aggregate function outside Django's aggregate machinery adds no GROUP BY: one row, even over no rows.
        rows = self.queryset.order_by().annotate(_figure=self.aggregate).values("_figure")
        return Subquery(rows[:1], output_field=self.aggregate.output_field)


def count(queryset):
    return Measure(queryset, Func(F("pk"), function="COUNT", output_field=IntegerField()))


def count_distinct(queryset, field):
    template = "%(function)s(DISTINCT %(expressions)s)"
    return Measure(queryset, Func(F(field), function="COUNT", template=template, output_field=IntegerField()))


def total(queryset, field):
    output = queryset.model._meta.get_field(field).clone()
    return Measure(queryset, Func(F(field), function="SUM", output_field=output))


def figures(unit, measures):
    """{key: figure} for {key: Measure or plain number}, the measures counted in one statement."""
    pending = {key: measure for key, measure in measures.items() if isinstance(measure, Measure)}
    counted = {}
    if pending:
        aliases = {f"m{index}": key for index, key in enumerate(pending)}
        subqueries = {alias: pending[key].subquery() for alias, key in aliases.items()}
        row = Unit.objects.filter(pk=unit.pk).values(**subqueries).get()
        counted = {key: row[alias] for alias, key in aliases.items()}
    values = {}
    for key, measure in measures.items():
        value = counted[key] if key in pending else measure
        values[key] = Decimal(str(value or 0))
    return values


def figure(spec, unit, month):
    """One derived indicator's figure for a unit and month."""
    return figures(unit, {spec.code: spec.derive(unit, month)})[spec.code]


def own(queryset, unit):
    if unit.is_village:
        return queryset.filter(unit__path__startswith=unit.path)
    return queryset.filter(unit=unit)


def in_month(queryset, unit, month, field="date"):
    return own(queryset, unit).filter(**{f"{field}__gte": month, f"{field}__lt": add_months(month, 1)})


def month_rows(url_name, after="date_after", before="date_before", **query):
    """`rows_url(unit, month)` for an indicator: the ledger page filtered to the unit and the month's dates."""

    def rows_url(unit, month):
        last_day = add_months(month, 1) - timedelta(days=1)
        params = {**query, "under": unit.pk, after: month.isoformat(), before: last_day.isoformat()}
        return f"{reverse(url_name)}?" + "&".join(f"{key}={value}" for key, value in params.items())

    return rows_url
