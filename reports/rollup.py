"""Roll-ups: approved monthly figures summed up the unit tree for every period, as stored rows.

The work happens in the database, one `INSERT … SELECT … GROUP BY` per indicator kind, over two small helper tables
kept beside it: the calendar (which months each period holds) and the unit closure (each reporting unit with every
unit above it). Flows sum; stocks take each unit's last reported month in the period, then sum over units; ratios
are recomputed from their summed parts. A rebuild runs in one transaction: run twice, same rows; killed half-way,
nothing changes.
"""

from django.db import connection, transaction

from branches.models import Unit

from . import periods
from .models import Indicator, MonthlyReport, PeriodMonth, ReportValue, Rollup, UnitAncestor
from .registry import FLOW, RATIO, STOCK, registry

ROLLUP_LOCK = 431321102  # one roll-up at a time (PostgreSQL advisory lock id)
ROLLUP_KINDS = (Unit.Kind.COUNTY, Unit.Kind.TOWN, Unit.Kind.AREA, *Unit.VILLAGE_KINDS)
REPORTING_KINDS = (Unit.Kind.TOWN, *Unit.VILLAGE_KINDS)

T = {
    "rollup": Rollup._meta.db_table,
    "value": ReportValue._meta.db_table,
    "report": MonthlyReport._meta.db_table,
    "indicator": Indicator._meta.db_table,
    "calendar": PeriodMonth._meta.db_table,
    "closure": UnitAncestor._meta.db_table,
}

FACTS = """
    FROM {value} v
    JOIN {report} r ON r.id = v.report_id
    JOIN {indicator} i ON i.id = v.indicator_id
    JOIN {calendar} pm ON pm.month = r.month
    WHERE r.status = 'approved' AND v.approved_value IS NOT NULL AND i.kind = %s {fact_filter}
"""

FLOW_SQL = (
    """
INSERT INTO {rollup} (period, period_type, unit_id, indicator_id, value)
SELECT pm.period, pm.period_type, ua.ancestor_id, v.indicator_id, SUM(v.approved_value)
"""
    + FACTS.replace("WHERE", "JOIN {closure} ua ON ua.unit_id = r.unit_id\n    WHERE")
    + """ {ancestor_filter}
GROUP BY pm.period, pm.period_type, ua.ancestor_id, v.indicator_id
"""
)

STOCK_SQL = (
    """
INSERT INTO {rollup} (period, period_type, unit_id, indicator_id, value)
SELECT last.period, last.period_type, ua.ancestor_id, last.indicator_id, SUM(last.approved_value)
FROM (
    SELECT pm.period, pm.period_type, r.unit_id, v.indicator_id, v.approved_value,
           ROW_NUMBER() OVER (PARTITION BY pm.period, r.unit_id, v.indicator_id ORDER BY r.month DESC) AS rn
    """
    + FACTS
    + """
) last
JOIN {closure} ua ON ua.unit_id = last.unit_id
WHERE last.rn = 1 {ancestor_filter}
GROUP BY last.period, last.period_type, ua.ancestor_id, last.indicator_id
"""
)

RATIO_SQL = """
INSERT INTO {rollup} (period, period_type, unit_id, indicator_id, value)
SELECT n.period, n.period_type, n.unit_id, %s, n.value * 100.0 / d.value
FROM {rollup} n
JOIN {rollup} d ON d.period = n.period AND d.unit_id = n.unit_id AND d.indicator_id = %s
WHERE n.indicator_id = %s AND d.value <> 0 {ratio_filter}
"""


def _in(column, values):
    return f" AND {column} IN ({', '.join(['%s'] * len(values))})", list(values)


def _lock(cursor):
    if connection.vendor == "postgresql":
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ROLLUP_LOCK])


# --- helper tables ---------------------------------------------------------------------------------------------


def refresh_calendar(months=None):
    """Make the calendar hold every period of `months` (default: every month any report has)."""
    if months is None:
        months = MonthlyReport.objects.values_list("month", flat=True).distinct()
    rows = periods.all_periods_for_months(sorted(set(months)))
    wanted = {(key, month): kind for key, kind, month in rows}
    have = set(PeriodMonth.objects.filter(month__in={month for _k, month in wanted}).values_list("period", "month"))
    stale_ytd = PeriodMonth.objects.filter(period_type=periods.YTD).exclude(month__lte=periods.last_complete_month())
    stale_ytd.delete()
    PeriodMonth.objects.bulk_create(
        [PeriodMonth(period=key, period_type=kind, month=month) for (key, month), kind in wanted.items()
         if (key, month) not in have],
        ignore_conflicts=True,
    )  # fmt: skip


def refresh_closure():
    """Rebuild the unit closure for every reporting unit (village, community, town)."""
    rollup_units = dict(Unit.objects.filter(kind__in=ROLLUP_KINDS).values_list("path", "pk"))
    rows = []
    for path, pk in Unit.objects.filter(kind__in=REPORTING_KINDS).values_list("path", "pk"):
        for length in range(Unit.steplen, len(path) + 1, Unit.steplen):
            ancestor = rollup_units.get(path[:length])
            if ancestor is not None:
                rows.append(UnitAncestor(unit_id=pk, ancestor_id=ancestor))
    UnitAncestor.objects.all().delete()
    UnitAncestor.objects.bulk_create(rows, batch_size=5000)


def ancestors_of(unit_id):
    ancestors = list(UnitAncestor.objects.filter(unit_id=unit_id).values_list("ancestor_id", flat=True))
    if not ancestors:
        refresh_closure()
        ancestors = list(UnitAncestor.objects.filter(unit_id=unit_id).values_list("ancestor_id", flat=True))
    return ancestors


# --- building -------------------------------------------------------------------------------------------------


def _build(cursor, *, period_keys=None, ancestor_ids=None, indicator_ids=None):
    """Insert the roll-up rows for the given slice (None = everything); the caller has deleted the old ones."""
    fact_filter, fact_params = "", []
    ancestor_filter, ancestor_params = "", []
    if period_keys is not None:
        clause, params = _in("pm.period", period_keys)
        fact_filter, fact_params = fact_filter + clause, fact_params + params
    if indicator_ids is not None:
        clause, params = _in("v.indicator_id", indicator_ids)
        fact_filter, fact_params = fact_filter + clause, fact_params + params
    if ancestor_ids is not None:
        ancestor_filter, ancestor_params = _in("ua.ancestor_id", ancestor_ids)
    names = {**T, "fact_filter": fact_filter, "ancestor_filter": ancestor_filter}
    cursor.execute(FLOW_SQL.format(**names), [FLOW, *fact_params, *ancestor_params])
    cursor.execute(STOCK_SQL.format(**names), [STOCK, *fact_params, *ancestor_params])
    _build_ratios(cursor, period_keys=period_keys, ancestor_ids=ancestor_ids, indicator_ids=indicator_ids)


def _build_ratios(cursor, *, period_keys, ancestor_ids, indicator_ids):
    ids = dict(Indicator.objects.values_list("code", "pk"))
    ratio_filter, params = "", []
    if period_keys is not None:
        clause, values = _in("n.period", period_keys)
        ratio_filter, params = ratio_filter + clause, params + values
    if ancestor_ids is not None:
        clause, values = _in("n.unit_id", ancestor_ids)
        ratio_filter, params = ratio_filter + clause, params + values
    for spec in registry.all():
        if spec.kind != RATIO or spec.code not in ids:
            continue
        if indicator_ids is not None and ids[spec.code] not in indicator_ids:
            continue
        sql = RATIO_SQL.format(**T, ratio_filter=ratio_filter)
        cursor.execute(sql, [ids[spec.code], ids[spec.denominator], ids[spec.numerator], *params])


@transaction.atomic
def rebuild_all():
    """The nightly full rebuild: every period, unit and indicator from approved reports."""
    refresh_calendar()
    refresh_closure()
    with connection.cursor() as cursor:
        _lock(cursor)
        cursor.execute(f"DELETE FROM {T['rollup']}")
        _build(cursor)
    return Rollup.objects.count()


@transaction.atomic
def rebuild_period(period):
    """Rebuild one period (every unit and indicator), e.g. `manage.py rollup --period 2026-Q3`."""
    refresh_calendar(period.months())
    refresh_closure()
    with connection.cursor() as cursor:
        _lock(cursor)
        Rollup.objects.filter(period=period.key).delete()
        _build(cursor, period_keys=[period.key])
    return Rollup.objects.filter(period=period.key).count()


@transaction.atomic
def rebuild_for_report(report):
    """After one approval (or unlock): the periods holding its month, for its unit and every unit above, for the
    indicators of its work line."""
    month_periods = [period.key for period in periods.periods_containing(report.month)]
    refresh_calendar([report.month])
    ancestor_ids = ancestors_of(report.unit_id)
    indicator_ids = list(Indicator.objects.filter(work_line=report.work_line).values_list("pk", flat=True))
    with connection.cursor() as cursor:
        _lock(cursor)
        Rollup.objects.filter(
            period__in=month_periods, unit_id__in=ancestor_ids, indicator_id__in=indicator_ids
        ).delete()
        _build(cursor, period_keys=month_periods, ancestor_ids=ancestor_ids, indicator_ids=indicator_ids)
