"""Reads of the month and year close: which closed periods a ledger row lies in, and the closed years an admin sees.

A ledger row counts in the report of its reporting unit (a row of a village's group or grid in the village's, a row
kept at the town in the town's), of the work line its app belongs to (reports.worklines.line_of_app), and of the
month each of its dating fields falls in (`Ledger.dated_by`, branches.closing)."""

from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone

from branches.closing import dated_fields
from branches.models import Unit
from branches.scoping import CHANGE, VIEW

from .. import worklines
from ..models import ClosedYear, MonthlyReport


def month_of(value):
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return date(value.year, value.month, 1)


def reporting_unit_of(unit):
    """The unit whose monthly report counts a row kept at `unit`: its village, or the town for the town's own rows
    (None for rows nobody's report counts, e.g. kept at an area)."""
    if unit is None:
        return None
    if unit.is_village or unit.kind == Unit.Kind.TOWN:
        return unit
    return unit.village


def periods_of(rows, fields):
    """{(reporting unit, month)} the rows count in, by their dating fields."""
    keys = set()
    for row in rows:
        if row is None:
            continue
        unit = reporting_unit_of(row.unit)
        if unit is None:
            continue
        for name in fields:
            value = getattr(row, name, None)
            if value:
                keys.add((unit, month_of(value)))
    return keys


def closed_years_over(keys):
    """The ClosedYear rows covering any of `keys` ({(unit, month)}): a year closed for the unit's town."""
    years = {month.year for _unit, month in keys}
    if not years:
        return []
    closed = list(ClosedYear.objects.filter(year__in=years).select_related("unit"))
    return [c for c in closed if any(month.year == c.year and unit.is_under(c.unit) for unit, month in keys)]


def approved_reports_over(keys, work_line):
    """The approved reports of `work_line` for any of `keys` ({(unit, month)})."""
    if not keys:
        return []
    wanted = Q()
    for unit, month in keys:
        wanted |= Q(unit=unit, month=month)
    reports = MonthlyReport.objects.filter(wanted, work_line=work_line, status=MonthlyReport.Status.APPROVED)
    return list(reports.select_related("unit").order_by("month", "unit__path"))


def closed_periods_of(rows, model, fields=None):
    """(work line or None, approved reports, closed years) the rows of `model` lie in, by its dating fields (or by
    `fields` of them)."""
    line = worklines.line_of_app(model._meta.app_label)
    fields = dated_fields(model) if fields is None else fields
    if line is None or not fields:
        return None, [], []
    keys = periods_of(rows, fields)
    return line, approved_reports_over(keys, line.code), closed_years_over(keys)


def closed_years(user):
    """The closed years of the towns the user may see."""
    return ClosedYear.objects.restrict(user, VIEW).select_related("unit", "closed_by")


def closable_towns(user):
    return Unit.objects.restrict(user, CHANGE).filter(kind=Unit.Kind.TOWN).order_by("path")


def year_close_log(user, limit=50):
    """The latest closes and reopenings of the years of the towns the user may see: who, when, which, why."""
    towns = Unit.objects.restrict(user, VIEW).filter(kind=Unit.Kind.TOWN).values_list("pk", flat=True)
    log = ClosedYear.history.filter(unit_id__in=list(towns)).select_related("history_user", "unit")
    return log.order_by("-history_date", "-history_id")[:limit]
