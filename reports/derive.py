"""Helpers for the `derive(unit, month)` functions work lines declare: which ledger rows a reporting unit counts, and
how they are counted.

A village counts every row under it; the town counts the rows kept at the town itself, because its roll-up is its
own figures plus its villages' and must not count a village's rows twice.

`derive()` returns a `Measure` — the rows and the aggregate over them, not yet counted — so that a report's derived
figures are counted together in one statement (`figures()`, a scalar subquery each) instead of one query per
indicator: the entry page stays within its query budget however many derived indicators a work line declares.
"""

import functools
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from itertools import product

from django.db import connection
from django.db.models import DateField, F, Func, IntegerField, Subquery
from django.urls import get_script_prefix, reverse
from django.utils import timezone

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


def earliest(queryset, field):
    """The earliest date of `field` (a name or an expression) among the rows: a nearest deadline."""
    expression = F(field) if isinstance(field, str) else field
    return Measure(queryset, Func(expression, function="MIN", output_field=DateField()))


def measured(anchor, measures):
    """{key: value as the database gives it (None over no rows)} for {key: Measure}, every measure a scalar subquery
    of one statement read from `anchor`, a queryset of one row."""
    if not measures:
        return {}
    aliases = {f"m{index}": key for index, key in enumerate(measures)}
    row = anchor.values(**{alias: measures[key].subquery() for alias, key in aliases.items()}).get()
    return {key: row[alias] for alias, key in aliases.items()}


def figures(unit, measures):
    """{key: figure} for {key: Measure or plain number}, the measures counted in one statement."""
    pending = {key: measure for key, measure in measures.items() if isinstance(measure, Measure)}
    counted = measured(Unit.objects.filter(pk=unit.pk), pending)
    values = {}
    for key, measure in measures.items():
        value = counted[key] if key in pending else measure
        values[key] = Decimal(str(value or 0))
    return values


# How a month may enter a derive()'s statement: as itself, or as the first day of the next month, the last day of the
# month or the first day of the month before (the ledgers' "in the month" and "at the month's end" filters).
MONTH_FORMS = (
    lambda month: month,
    lambda month: add_months(month, 1),
    lambda month: add_months(month, 1) - timedelta(days=1),
    lambda month: add_months(month, -1),
    lambda month: local_midnight(month),
    lambda month: local_midnight(add_months(month, 1)),
)
# How a parameter may be written: as the value itself, or adapted for the database as Django's lookups adapt it.
SPELLINGS = (
    lambda value: value,
    lambda value: connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime) else connection.ops.adapt_datefield_value(value),
)
STATEMENT_COLUMNS = 200  # scalar subqueries per statement: well inside SQLite's and PostgreSQL's limits


@dataclass
class Compiled:
    """One measure as SQL, with the month's parameters marked so it can be run for any month."""

    sql: str
    params: tuple
    month_forms: dict  # parameter index → (index into MONTH_FORMS, index into SPELLINGS)
    expression: Subquery
    converters: list

    def params_for(self, month):
        params = list(self.params)
        for index, (form, spelling) in self.month_forms.items():
            params[index] = SPELLINGS[spelling](MONTH_FORMS[form](month))
        return tuple(params)

    def convert(self, value):
        for converter in self.converters:
            value = converter(value, self.expression, connection)
        return value


def _compile(measure):
    subquery = measure.subquery()
    sql, params = subquery.query.sql_with_params()
    converters = connection.ops.get_db_converters(subquery) + subquery.get_db_converters(connection)
    return Compiled(sql=sql, params=tuple(params), month_forms={}, expression=subquery, converters=converters)


def _month_form(a, b, first_month, last_month):
    """(form, spelling) by which parameters `a` and `b` are the two months, or None."""
    for form, spelling in product(range(len(MONTH_FORMS)), range(len(SPELLINGS))):
        spell = SPELLINGS[spelling]
        if spell(MONTH_FORMS[form](first_month)) == a and spell(MONTH_FORMS[form](last_month)) == b:
            return form, spelling
    return None


def _month_forms(first, last, first_month, last_month):
    """{parameter index: (form, spelling)} explaining every parameter that differs between two months' statements,
    or None."""
    if first.sql != last.sql or len(first.params) != len(last.params):
        return None
    forms = {}
    for index, (a, b) in enumerate(zip(first.params, last.params, strict=True)):
        if a == b:
            continue
        forms[index] = _month_form(a, b, first_month, last_month)
        if forms[index] is None:
            return None
    return forms


def _statement_for_months(spec, unit, months):
    """The spec's statement compiled once for `months` (checked against a third month), or None when its derive()
    does not take the month as plain parameters."""
    probes = [months[0], months[-1], months[len(months) // 2]]
    measures = [spec.derive(unit, month) for month in probes]
    if not all(isinstance(measure, Measure) for measure in measures):
        return None
    first, last, middle = (_compile(measure) for measure in measures)
    forms = _month_forms(first, last, probes[0], probes[1])
    if forms is None:
        return None
    first.month_forms = forms
    if (middle.sql, middle.params) != (first.sql, first.params_for(probes[2])):
        return None
    return first


def _statement_like(known, spec, unit, month):
    """`known` — a spec's statement compiled for another unit of the same kind — for `unit`: one probe of `unit` in
    `month` gives the parameters that name the unit; the month's own parameters must be where `known` has them, with
    the values it gives that month. None when the probe differs otherwise."""
    measure = spec.derive(unit, month)
    if not isinstance(measure, Measure):
        return None
    probe = _compile(measure)
    expected = known.params_for(month)
    if probe.sql != known.sql or len(probe.params) != len(expected):
        return None
    if any(probe.params[index] != expected[index] for index in known.month_forms):
        return None
    probe.month_forms = known.month_forms
    return probe


def _statement(spec, unit, months, statements):
    """The spec's statement for `unit` and `months`: compiled in full (`_statement_for_months`) for the first unit of
    its kind in `statements` (the caller's, kept across units), then only probed once for each other unit."""
    if statements is None:
        return _statement_for_months(spec, unit, months)
    key = (spec.code, unit.is_village)
    known = statements.get(key)
    compiled = _statement_like(known, spec, unit, months[len(months) // 2]) if known is not None else None
    if compiled is None:
        compiled = _statement_for_months(spec, unit, months)
        if compiled is not None:
            statements[key] = compiled
    return compiled


def figures_by_month(unit, specs, months, statements=None):
    """{(code, month): figure} of derived `specs` for one unit over several months, as `figure()` would count each.

    A bulk load (the demo) counts thousands of unit-months: building and compiling a queryset per unit-month costs
    more than running it. So each spec's derive() is compiled from two months and run for every month with that
    month's parameters, all in a few statements; identical statements (a stock that ignores the month) run once. A
    derive() whose statement is not of that shape is asked month by month. A caller counting many units passes one
    dict as `statements` for all of them: a statement compiled for one village (or town) then serves the others,
    each probed once for the parameters that name it."""
    months = sorted(months)
    values, columns = {}, {}
    for spec in specs:
        if spec.derive_months is not None:
            counted = spec.derive_months(unit, months)
            values.update({(spec.code, month): Decimal(str(counted.get(month) or 0)) for month in months})
            continue
        compiled = _statement(spec, unit, months, statements) if len(months) > 2 else None
        for month in months:
            if compiled is None:
                values[spec.code, month] = figure(spec, unit, month)
            else:
                key = (compiled.sql, compiled.params_for(month))
                columns.setdefault(key, (compiled, []))[1].append((spec.code, month))
    pending = list(columns.items())
    for start in range(0, len(pending), STATEMENT_COLUMNS):
        chunk = pending[start : start + STATEMENT_COLUMNS]
        sql = "SELECT " + ", ".join(f"({statement})" for (statement, _params), _cells in chunk)
        params = [param for (_statement, statement_params), _cells in chunk for param in statement_params]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        for raw, (_key, (compiled, cells)) in zip(row, chunk, strict=True):
            value = Decimal(str(compiled.convert(raw) or 0))
            for cell in cells:
                values[cell] = value
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


def local_midnight(day):
    """The start of `day` in the portal's time zone (Asia/Shanghai): month boundaries of times such as `starts_at`."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def month_rows(url_name, after="date_after", before="date_before", **query):
    """`rows_url(unit, month)` for an indicator: the ledger page filtered to the unit and the month's dates."""

    def rows_url(unit, month):
        last_day = add_months(month, 1) - timedelta(days=1)
        params = {**query, "under": unit.pk, after: month.isoformat(), before: last_day.isoformat()}
        return f"{ledger_path(url_name, get_script_prefix())}?" + "&".join(f"{k}={v}" for k, v in params.items())

    return rows_url


@functools.lru_cache(maxsize=256)
def ledger_path(url_name, prefix):
    """reverse(url_name), once per name and script prefix: a drill-down links every cell of a year to its rows."""
    return reverse(url_name)
