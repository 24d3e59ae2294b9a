"""Roll-ups: approved monthly figures summed up the unit tree for every period, as stored rows.

The work happens in the database, beside two small helper tables: the calendar (which months each period holds) and
the unit closure (each reporting unit with every unit above it). Flows sum; stocks take each reporting unit's last
reported month in the period, then sum over units; ratios are recomputed from their summed parts.

How it is built (issues 9 and 24, docs/performance.md):

1. `own`: each reporting unit's (village, community, town) figure for each period. The approved values are read once
   (`facts`: one per unit, indicator and month); month periods are those rows, the longer periods are hash-aggregated
   from them over the calendar — flows summed, stocks the value of the last month reported.
2. `fresh`: the tree climbed one depth at a time, deepest first. A unit's figure is its own plus the sum of its
   children's (the roll-up units one level down: village → area → town → county). Summing the children's stocks is
   summing each reporting unit's last month, so flows and stocks climb alike. Each row is added up once per level,
   not once per ancestor (the fan-out of a flat `facts × calendar × closure` join), and each level reads only the
   rows of the level below.
3. Ratios recomputed from the summed parts.
4. `fresh` compared with the stored rows: on PostgreSQL first by a count and a sum of hashes per (unit, period) on
   both sides, then row by row only where those differ; only rows that changed are deleted, updated or inserted. The
   nightly rebuild of an unchanged county writes nothing, and readers are never blocked.

The nightly rebuild on PostgreSQL runs per town (`rebuild_scope(town_scope(…))`, a Celery task each) and then for the
units above the towns from the towns' stored rows (`top_scope`); each part holds its town's (or county's) advisory
lock, as an approval's roll-up holds those of its town and county, always taken in ascending id order.

An approval (`rebuild_for_report`) builds only its chain — its unit and each unit above it — from the chain's own
figures and the other children's stored roll-ups: a few hundred rows whatever the size of the county. The nightly
full rebuild puts right anything the chains missed (a unit moved in the tree, say).

A rebuild runs in one transaction: run twice, same rows; killed half-way, nothing changes. The roll-up kinds sit at
the top of the tree (county → town → area → village; branches.services.CHILD_KINDS), so a roll-up unit's children are
the roll-up units one level below it.
"""

import secrets
from dataclasses import dataclass

from django.db import connection, transaction

from branches.models import Unit

from .. import periods
from ..models import Indicator, MonthlyReport, PeriodMonth, ReportValue, Rollup, RollupVersion, UnitAncestor
from ..registry import FLOW, RATIO, STOCK, registry

ROLLUP_LOCK = 431321102  # PostgreSQL advisory locks (ROLLUP_LOCK, town or county id): one writer per town's rows
CLOSURE_LOCK = 431321103  # and one refresher of the unit closure at a time
ROLLUP_KINDS = (Unit.Kind.COUNTY, Unit.Kind.TOWN, Unit.Kind.AREA, *Unit.VILLAGE_KINDS)
REPORTING_KINDS = (Unit.Kind.TOWN, *Unit.VILLAGE_KINDS)
VERSIONED_KINDS = (Unit.Kind.COUNTY, Unit.Kind.TOWN)  # a roll-up lock and a cache version each
ROLLUP_WORK_MEM = "256MB"  # PostgreSQL work_mem for a full or period rebuild (the hash aggregates stay in memory)

T = {
    "rollup": Rollup._meta.db_table,
    "value": ReportValue._meta.db_table,
    "report": MonthlyReport._meta.db_table,
    "indicator": Indicator._meta.db_table,
    "calendar": PeriodMonth._meta.db_table,
    "closure": UnitAncestor._meta.db_table,
    "unit": Unit._meta.db_table,
    # temporary tables of one rebuild
    "own": "rollup_own",
    "fresh": "rollup_fresh",
    "upper": "rollup_upper",
    "parents": "rollup_parents",
    "ratios": "rollup_ratios",
    "changes": "rollup_changes",
    "differ": "rollup_differ",
    "facts": "rollup_facts",
}

ROWS = ("(period varchar(10) NOT NULL, period_type varchar(8) NOT NULL, unit_id bigint NOT NULL, "
        "indicator_id bigint NOT NULL, value numeric(20, 4) NOT NULL)")  # fmt: skip
TEMP_TABLES = {
    "own": ROWS,
    "upper": ROWS,
    "fresh": ROWS,
    "parents": "(unit_id bigint NOT NULL, depth integer NOT NULL, parent_id bigint, parent_depth integer, "
    "is_leaf integer NOT NULL, built integer NOT NULL)",
    "ratios": "(ratio_id bigint NOT NULL, part_id bigint NOT NULL, is_numerator integer NOT NULL, "
    "scale integer NOT NULL)",
    "facts": "(unit_id bigint NOT NULL, indicator_id bigint NOT NULL, month date NOT NULL, "
    "value numeric(20, 4) NOT NULL, is_stock integer NOT NULL)",
}

# Step 1 reads every approved value once, into `facts` (one row per unit, indicator and month: a report per unit,
# work line and month, a value per report and indicator). The month periods are those rows as they are; the longer
# periods (quarter, year, year-to-date) are hash-aggregated from them over the calendar — flows summed, stocks the
# value of the last month reported. PostgreSQL would rather sort the millions of rows the calendar fans out (its
# estimate of the groups is several times too high) and spill the sort to disk: 3× slower (docs/performance.md).
FACTS_SQL = """
INSERT INTO {facts} (unit_id, indicator_id, month, value, is_stock)
SELECT r.unit_id, v.indicator_id, r.month, v.approved_value, CASE WHEN i.kind = %s THEN 1 ELSE 0 END
FROM {value} v
JOIN {report} r ON r.id = v.report_id
JOIN {indicator} i ON i.id = v.indicator_id {scope_join}
WHERE r.status = 'approved' AND v.approved_value IS NOT NULL AND i.kind IN (%s, %s) {fact_filter}
"""
OWN_MONTHS_SQL = """
INSERT INTO {target} (period, period_type, unit_id, indicator_id, value)
SELECT pm.period, pm.period_type, f.unit_id, f.indicator_id, f.value
FROM {facts} f JOIN {calendar} pm ON pm.month = f.month AND pm.period_type = %s {period_filter}
"""
OWN_FLOWS_SQL = """
INSERT INTO {target} (period, period_type, unit_id, indicator_id, value)
SELECT pm.period, pm.period_type, f.unit_id, f.indicator_id, SUM(f.value)
FROM {facts} f JOIN {calendar} pm ON pm.month = f.month AND pm.period_type <> %s {period_filter}
WHERE f.is_stock = 0
GROUP BY pm.period, pm.period_type, f.unit_id, f.indicator_id
"""
OWN_STOCKS_SQL = """
INSERT INTO {target} (period, period_type, unit_id, indicator_id, value)
SELECT l.period, l.period_type, l.unit_id, l.indicator_id, f.value
FROM (
    SELECT pm.period, pm.period_type, f.unit_id, f.indicator_id, MAX(f.month) AS month
    FROM {facts} f JOIN {calendar} pm ON pm.month = f.month AND pm.period_type <> %s {period_filter}
    WHERE f.is_stock = 1
    GROUP BY pm.period, pm.period_type, f.unit_id, f.indicator_id
) l
JOIN {facts} f ON f.unit_id = l.unit_id AND f.indicator_id = l.indicator_id AND f.month = l.month
"""

# Full and period rebuilds put every reporting unit's own figures into `fresh` (a unit with no roll-up children,
# a village, is done then); those of a unit with children (a town) move to `own`, to be added to its children's.
MOVE_OWN_SQL = """
INSERT INTO {own} (period, period_type, unit_id, indicator_id, value)
SELECT f.period, f.period_type, f.unit_id, f.indicator_id, f.value
FROM {fresh} f WHERE f.unit_id IN (SELECT unit_id FROM {parents} WHERE is_leaf = 0)
"""
DROP_MOVED_SQL = "DELETE FROM {fresh} WHERE unit_id IN (SELECT unit_id FROM {parents} WHERE is_leaf = 0)"

# One depth of the tree (full and period rebuilds): the units at that depth, their own figures plus their children's
# — the rows climbed at the depth below (`upper`) and, where leaves hang at this depth, the leaves' (`fresh`, read
# only then: it holds most of the rows).
LEVEL_SQL = """
INSERT INTO {upper} (period, period_type, unit_id, indicator_id, value)
SELECT x.period, x.period_type, x.unit_id, x.indicator_id, SUM(x.value)
FROM (
    SELECT o.period, o.period_type, o.unit_id, o.indicator_id, o.value
    FROM {own} o JOIN {parents} p ON p.unit_id = o.unit_id
    WHERE p.depth = %s
    UNION ALL
    SELECT u.period, u.period_type, p.parent_id, u.indicator_id, u.value
    FROM {upper} u JOIN {parents} p ON p.unit_id = u.unit_id
    WHERE p.parent_depth = %s
    {leaves}
) x
GROUP BY x.period, x.period_type, x.unit_id, x.indicator_id
"""
LEVEL_LEAVES = """UNION ALL
    SELECT f.period, f.period_type, p.parent_id, f.indicator_id, f.value
    FROM {fresh} f JOIN {parents} p ON p.unit_id = f.unit_id
    WHERE p.parent_depth = %s"""
CLIMBED_SQL = "INSERT INTO {fresh} (period, period_type, unit_id, indicator_id, value) SELECT * FROM {upper}"

# A ratio wherever both parts are there and the denominator is not 0 (one pass over the parts' rows, each part
# joined to its ratios by equality).
RATIO_SQL = """
INSERT INTO {fresh} (period, period_type, unit_id, indicator_id, value)
SELECT x.period, x.period_type, x.unit_id, x.ratio_id, x.numerator * 1.0 * x.scale / x.denominator
FROM (
    SELECT f.period, f.period_type, f.unit_id, q.ratio_id, q.scale,
           SUM(CASE WHEN q.is_numerator = 1 THEN f.value END) AS numerator,
           SUM(CASE WHEN q.is_numerator = 0 THEN f.value END) AS denominator
    FROM {fresh} f JOIN {ratios} q ON q.part_id = f.indicator_id
    GROUP BY f.period, f.period_type, f.unit_id, q.ratio_id, q.scale
) x
WHERE x.numerator IS NOT NULL AND x.denominator IS NOT NULL AND x.denominator <> 0
"""

# Applying `fresh` to the stored rows, within a slice (None: everything): only what changed is written.
SAME_KEY = "f.unit_id = {rollup}.unit_id AND f.period = {rollup}.period AND f.indicator_id = {rollup}.indicator_id"
APPLY_DELETE_SQL = (
    "DELETE FROM {rollup} WHERE NOT EXISTS (SELECT 1 FROM {fresh} f WHERE " + SAME_KEY + ") {slice}"
)
APPLY_UPDATE_SQL = (
    "UPDATE {rollup} SET value = f.value, period_type = f.period_type FROM {fresh} f WHERE " + SAME_KEY
    + " AND ({rollup}.value <> f.value OR {rollup}.period_type <> f.period_type)"
)
APPLY_INSERT_SQL = """
INSERT INTO {rollup} (period, period_type, unit_id, indicator_id, value)
SELECT f.period, f.period_type, f.unit_id, f.indicator_id, f.value FROM {fresh} f
WHERE NOT EXISTS (SELECT 1 FROM {rollup} r WHERE r.unit_id = f.unit_id AND r.period = f.period
                  AND r.indicator_id = f.indicator_id)
ORDER BY f.unit_id, f.period, f.indicator_id
"""
# PostgreSQL: each (unit, period)'s rows are reduced, on both sides, to a count and a sum of 64-bit hashes of
# (indicator, value, period type); only the groups whose sums differ are compared row by row, in one full join, then
# written in three small statements. An unchanged county compares 100,000 sums, not 7 million rows.
# (PostgreSQL's own 64-bit hash functions of a numeric and a text, seeded with the indicator: half the time of hashing
# a text built of the three.)
GROUP_SUMS = (
    "unit_id, period, COUNT(*) AS n, "
    "SUM(hash_numeric_extended(value, indicator_id) # hashtextextended(period_type, indicator_id)) AS h"
)
DIFFER_SQL = """
CREATE TEMP TABLE {differ} AS
SELECT COALESCE(f.unit_id, s.unit_id) AS unit_id, COALESCE(f.period, s.period) AS period
FROM (SELECT {sums} FROM {fresh} GROUP BY unit_id, period) f
FULL JOIN (SELECT {sums} FROM {rollup} WHERE 1 = 1 {slice} GROUP BY unit_id, period) s
    ON s.unit_id = f.unit_id AND s.period = f.period
WHERE f.unit_id IS NULL OR s.unit_id IS NULL OR f.n <> s.n OR f.h <> s.h
"""
IN_DIFFER = "(unit_id, period) IN (SELECT unit_id, period FROM {differ})"
CHANGES_SQL = """
CREATE TEMP TABLE {changes} AS
SELECT r.id AS rollup_id, f.period, f.period_type, f.unit_id, f.indicator_id, f.value
FROM (SELECT id, period, period_type, unit_id, indicator_id, value FROM {rollup} WHERE {in_differ} {slice}) r
FULL JOIN (SELECT * FROM {fresh} WHERE {in_differ}) f
    ON f.unit_id = r.unit_id AND f.period = r.period AND f.indicator_id = r.indicator_id
WHERE r.id IS NULL OR f.unit_id IS NULL OR r.value <> f.value OR r.period_type <> f.period_type
"""
FILL_SQL = """
INSERT INTO {rollup} (period, period_type, unit_id, indicator_id, value)
SELECT period, period_type, unit_id, indicator_id, value FROM {fresh} ORDER BY unit_id, period, indicator_id
"""
CHANGES_DELETE_SQL = "DELETE FROM {rollup} WHERE id IN (SELECT rollup_id FROM {changes} WHERE unit_id IS NULL)"
CHANGES_UPDATE_SQL = (
    "UPDATE {rollup} SET value = c.value, period_type = c.period_type FROM {changes} c "
    "WHERE {rollup}.id = c.rollup_id AND c.unit_id IS NOT NULL"
)
CHANGES_INSERT_SQL = """
INSERT INTO {rollup} (period, period_type, unit_id, indicator_id, value)
SELECT period, period_type, unit_id, indicator_id, value FROM {changes} WHERE rollup_id IS NULL
ORDER BY unit_id, period, indicator_id
"""


def _in(column, values):
    return f" AND {column} IN ({', '.join(['%s'] * len(values))})", list(values)


def _lock(cursor, unit_ids):
    """Hold the roll-up locks of these towns and counties until the transaction ends. Every writer takes its locks
    in ascending id order, so two writers never wait for each other in a circle."""
    if connection.vendor == "postgresql":
        for unit_id in sorted(set(unit_ids)):
            cursor.execute("SELECT pg_advisory_xact_lock(%s::int, %s::int)", [ROLLUP_LOCK, unit_id])


def _lock_closure(cursor):
    """Taken last by whoever refreshes the closure, and never held while waiting for a town's lock."""
    if connection.vendor == "postgresql":
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CLOSURE_LOCK])


def versioned_units(unit_ids=None):
    """The towns and counties among `unit_ids` (None: all of them): each has a roll-up lock guarding its rows and a
    roll-up version keying its cached pages."""
    units = Unit.objects.filter(kind__in=VERSIONED_KINDS)
    if unit_ids is not None:
        units = units.filter(pk__in=unit_ids)
    return list(units.values_list("pk", flat=True))


def _tune(cursor):
    """A full or period rebuild aggregates millions of rows: let PostgreSQL hash them in memory."""
    if connection.vendor == "postgresql":
        cursor.execute(f"SET LOCAL work_mem = '{ROLLUP_WORK_MEM}'")
        cursor.execute("SET LOCAL enable_sort = off")


def _analyze(cursor, *names):
    """Temporary tables get no statistics from autovacuum: give the planner some before the big joins."""
    if connection.vendor == "postgresql":
        for name in names:
            cursor.execute(f"ANALYZE {T[name]}")


# --- helper tables ---------------------------------------------------------------------------------------------


def refresh_calendar(months=None):
    """Make the calendar hold every period of `months` (default: every month any report has)."""
    if months is None:
        months = MonthlyReport.objects.order_by().values_list("month", flat=True).distinct()
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


@transaction.atomic
def refresh_closure():
    """Rebuild the unit closure for every reporting unit (village, community, town)."""
    with connection.cursor() as cursor:
        _lock_closure(cursor)
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


def _create_temp_tables(cursor, *names):
    for name in names:
        cursor.execute(f"DROP TABLE IF EXISTS {T[name]}")
        cursor.execute(f"CREATE TEMP TABLE {T[name]} {TEMP_TABLES[name]}")


def _drop_temp_tables(cursor, *names):
    for name in names:
        cursor.execute(f"DROP TABLE IF EXISTS {T[name]}")


SCOPE_JOIN = "JOIN {parents} sp ON sp.unit_id = r.unit_id AND sp.built = 1"


def _build_own(cursor, *, target, period_keys=None, unit_ids=None, indicator_ids=None, scoped=False):
    """Step 1: the reporting units' own figures for each period, into `target` (own or fresh); `scoped`: only those
    of the units the rebuild builds (`parents.built`)."""
    fact_filter, params = "", []
    if period_keys is not None:
        clause, keys = _in("period", period_keys)
        fact_filter, params = f" AND r.month IN (SELECT month FROM {T['calendar']} WHERE 1 = 1 {clause})", keys
    for column, values in (("r.unit_id", unit_ids), ("v.indicator_id", indicator_ids)):
        if values is not None:
            clause, values = _in(column, values)
            fact_filter, params = fact_filter + clause, params + values
    scope_join = SCOPE_JOIN.format(**T) if scoped else ""
    _create_temp_tables(cursor, "facts")
    cursor.execute(FACTS_SQL.format(**T, scope_join=scope_join, fact_filter=fact_filter), [STOCK, FLOW, STOCK, *params])
    if unit_ids is None:  # millions of rows: give the planner their statistics (an approval's chain has a few hundred)
        _analyze(cursor, "facts")
    period_filter, period_params = _in("pm.period", period_keys) if period_keys is not None else ("", [])
    names = {**T, "target": T[target], "period_filter": period_filter}
    for sql in (OWN_MONTHS_SQL, OWN_FLOWS_SQL, OWN_STOCKS_SQL):
        cursor.execute(sql.format(**names), [periods.MONTH, *period_params])
    _drop_temp_tables(cursor, "facts")


def _ratio_specs(indicator_ids=None):
    """[(ratio id, numerator id, denominator id, scale)] of the declared ratios (within `indicator_ids`, if
    given)."""
    ids = dict(Indicator.objects.values_list("code", "pk"))
    specs = []
    for spec in registry.all():
        if spec.kind != RATIO or not {spec.code, spec.numerator, spec.denominator} <= ids.keys():
            continue
        if indicator_ids is not None and ids[spec.code] not in indicator_ids:
            continue
        specs.append((ids[spec.code], ids[spec.numerator], ids[spec.denominator], spec.scale))
    return specs


def _build_ratios(cursor, specs):
    """Step 3: ratios from the summed parts in `fresh`."""
    if not specs:
        return
    parts = [(ratio, part, is_numerator, scale) for ratio, numerator, denominator, scale in specs
             for is_numerator, part in ((1, numerator), (0, denominator))]  # fmt: skip
    cursor.executemany(
        f"INSERT INTO {T['ratios']} (ratio_id, part_id, is_numerator, scale) VALUES (%s, %s, %s, %s)", parts
    )
    cursor.execute(RATIO_SQL.format(**T))


def _apply(cursor, *, slice_filter="", slice_params=()):
    """Step 4: make the stored rows of the slice equal `fresh`, writing only what differs; return how many rows were
    written."""
    names = {**T, "slice": slice_filter}
    written = 0
    if connection.vendor == "postgresql":
        _drop_temp_tables(cursor, "differ", "changes")
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {T['rollup']} WHERE 1 = 1 {slice_filter})", list(slice_params))
        if not cursor.fetchone()[0]:  # nothing stored yet (a new database, a restore): every row is new
            cursor.execute(FILL_SQL.format(**T))
            return max(cursor.rowcount, 0)
        cursor.execute(DIFFER_SQL.format(**names, sums=GROUP_SUMS), list(slice_params))
        if cursor.rowcount:
            in_differ = IN_DIFFER.format(**T)
            cursor.execute(CHANGES_SQL.format(**names, in_differ=in_differ), list(slice_params))
            for sql in (CHANGES_DELETE_SQL, CHANGES_UPDATE_SQL, CHANGES_INSERT_SQL):
                cursor.execute(sql.format(**names))
                written += max(cursor.rowcount, 0)
        _drop_temp_tables(cursor, "differ", "changes")
        return written
    # SQLite plans the anti-joins below as a scan of `fresh` per stored row unless `fresh` has an index: a full
    # rebuild of the demo town took 35 s, with the index 0.4 s.
    cursor.execute(f"CREATE INDEX IF NOT EXISTS {T['fresh']}_key ON {T['fresh']} (unit_id, period, indicator_id)")
    cursor.execute(APPLY_DELETE_SQL.format(**names), list(slice_params))
    written += max(cursor.rowcount, 0)
    cursor.execute(APPLY_UPDATE_SQL.format(**names))
    written += max(cursor.rowcount, 0)
    cursor.execute(APPLY_INSERT_SQL.format(**names))
    return written + max(cursor.rowcount, 0)


def bump_versions(unit_ids=None):
    """A new roll-up version for the towns and counties among `unit_ids` (None: all of them), in the caller's
    transaction, so the cached pages keyed on it (reports/cache.py) are recomputed from the rows just written."""
    ids = versioned_units(unit_ids)
    RollupVersion.objects.bulk_create([RollupVersion(unit_id=pk) for pk in ids], ignore_conflicts=True)
    # A fresh random token rather than a counter: a database restored from a backup, or made anew, never meets its
    # own old numbers in a cache that outlived it.
    RollupVersion.objects.filter(unit_id__in=ids).update(version=secrets.randbits(62))


@dataclass(frozen=True)
class Scope:
    """The part of the tree one rebuild writes (`built`: its roll-up units), the units just below them whose stored
    rows stand in for their whole subtrees (`feeders`: the towns, for the county's rows), and the roll-up locks it
    holds."""

    built: tuple
    feeders: tuple = ()
    locks: tuple = ()


def town_scope(town_id):
    """A town and every roll-up unit inside it: what one town's task of the split nightly rebuild writes."""
    town = Unit.objects.filter(pk=town_id, kind=Unit.Kind.TOWN).first()
    if town is None:  # removed since the task was queued: nothing of its own left to build
        return Scope(built=())
    units = Unit.objects.under(town).filter(kind__in=ROLLUP_KINDS)
    return Scope(built=tuple(units.values_list("pk", flat=True)), locks=(town.pk,))


def top_scope():
    """The roll-up units above the towns (the county), summed from the towns' stored rows."""
    units = Unit.objects.filter(kind__in=ROLLUP_KINDS)
    top = tuple(units.filter(kind=Unit.Kind.COUNTY).values_list("pk", flat=True))
    towns = tuple(units.filter(kind=Unit.Kind.TOWN).values_list("pk", flat=True))
    return Scope(built=top, feeders=towns, locks=top)


def _fill_parents(cursor, scope=None):
    """Every roll-up unit of the scope (None: of the tree) with its depth and its parent within the scope; return the
    depths that have children there, deepest first, and those among them that have leaves for children."""
    units = Unit.objects.filter(kind__in=ROLLUP_KINDS)
    if scope is not None:
        units = units.filter(pk__in=scope.built + scope.feeders)
    units = list(units.values_list("pk", "path", "depth"))
    feeders = set(scope.feeders) if scope is not None else set()
    by_path = {path: (pk, depth) for pk, path, depth in units}
    parents = {path: by_path.get(path[: -Unit.steplen]) for _pk, path, _depth in units}
    with_children = {parent[0] for parent in parents.values() if parent}
    rows = [
        (pk, depth, *(parents[path] or (None, None)), int(pk not in with_children), int(pk not in feeders))
        for pk, path, depth in units
    ]
    cursor.executemany(
        f"INSERT INTO {T['parents']} (unit_id, depth, parent_id, parent_depth, is_leaf, built) "
        "VALUES (%s, %s, %s, %s, %s, %s)",
        rows,
    )
    depths = sorted({depth for pk, _path, depth in units if pk in with_children}, reverse=True)
    leaf_parents = {parent[1] for path, parent in parents.items() if parent and by_path[path][0] not in with_children}
    return depths, leaf_parents


# A feeder's stored rows (flows and stocks: ratios are recomputed above) stand in for its subtree's figures.
FEEDERS_SQL = """
INSERT INTO {fresh} (period, period_type, unit_id, indicator_id, value)
SELECT s.period, s.period_type, s.unit_id, s.indicator_id, s.value
FROM {rollup} s JOIN {parents} p ON p.unit_id = s.unit_id AND p.built = 0
JOIN {indicator} i ON i.id = s.indicator_id
WHERE i.kind <> %s {periods}
"""
DROP_FEEDERS_SQL = "DELETE FROM {fresh} WHERE unit_id IN (SELECT unit_id FROM {parents} WHERE built = 0)"


def _rebuild(cursor, *, period_keys=None, scope=None):
    """Steps 1–4 for every unit of the scope (None: the whole tree), every indicator, and every period (or those in
    `period_keys`)."""
    temp = ("own", "fresh", "upper", "parents", "ratios")
    _create_temp_tables(cursor, *temp)
    depths, leaf_parents = _fill_parents(cursor, scope)
    _analyze(cursor, "parents")  # a town's rebuild then reads its own units' values through their indexes
    _build_own(cursor, target="fresh", period_keys=period_keys, scoped=scope is not None)
    periods_clause, periods_params = _in("s.period", period_keys) if period_keys is not None else ("", [])
    if scope is not None and scope.feeders:
        cursor.execute(FEEDERS_SQL.format(**T, periods=periods_clause), [RATIO, *periods_params])
    cursor.execute(MOVE_OWN_SQL.format(**T))
    cursor.execute(DROP_MOVED_SQL.format(**T))
    _analyze(cursor, "own", "fresh")
    for depth in depths:
        leaves = depth in leaf_parents
        cursor.execute(LEVEL_SQL.format(**T, leaves=LEVEL_LEAVES.format(**T) if leaves else ""),
                       [depth, depth, *([depth] if leaves else [])])  # fmt: skip
    if scope is not None and scope.feeders:
        cursor.execute(DROP_FEEDERS_SQL.format(**T))
    cursor.execute(CLIMBED_SQL.format(**T))
    _build_ratios(cursor, _ratio_specs())
    _analyze(cursor, "fresh")
    slice_filter, slice_params = _in(f"{T['rollup']}.period", period_keys) if period_keys is not None else ("", [])
    if scope is not None:  # the ids themselves, so the stored rows are read through their (unit, …) index
        clause, ids = _in(f"{T['rollup']}.unit_id", scope.built or [None])
        slice_filter, slice_params = slice_filter + clause, slice_params + ids
    if _apply(cursor, slice_filter=slice_filter, slice_params=slice_params):
        bump_versions(scope.built if scope is not None else None)
    _drop_temp_tables(cursor, *temp)


# Every rebuild takes its locks first, before it refreshes the helper tables (refresh_closure takes the closure's lock
# last of all).


@transaction.atomic
def rebuild_all():
    """The nightly full rebuild in one process and one transaction: every period, unit and indicator from approved
    reports. (On PostgreSQL the nightly job splits it per town: rebuild_scope and rollup/queue.py.)"""
    with connection.cursor() as cursor:
        _lock(cursor, versioned_units())
        _tune(cursor)
        refresh_calendar()
        refresh_closure()
        _rebuild(cursor)
    return Rollup.objects.count()


@transaction.atomic
def rebuild_period(period):
    """Rebuild one period (every unit and indicator), e.g. `manage.py rollup --period 2026-Q3`."""
    with connection.cursor() as cursor:
        _lock(cursor, versioned_units())
        _tune(cursor)
        refresh_calendar(period.months())
        refresh_closure()
        _rebuild(cursor, period_keys=[period.key])
    return Rollup.objects.filter(period=period.key).count()


@transaction.atomic
def refresh_helpers():
    """The calendar and the unit closure, once before the split rebuild's tasks (which read, not refresh, them)."""
    refresh_calendar()
    refresh_closure()


@transaction.atomic
def rebuild_scope(scope):
    """One part of the split nightly rebuild (a town, or the units above the towns), under that part's lock; return
    how many stored rows the part has."""
    with connection.cursor() as cursor:
        _lock(cursor, scope.locks)
        _tune(cursor)
        _rebuild(cursor, scope=scope)
    return Rollup.objects.filter(unit_id__in=scope.built).count()


CHAIN_LEVEL_SQL = """
INSERT INTO {fresh} (period, period_type, unit_id, indicator_id, value)
SELECT x.period, x.period_type, %s, x.indicator_id, SUM(x.value)
FROM (
    SELECT period, period_type, indicator_id, value FROM {own} WHERE unit_id = %s
    UNION ALL
    SELECT period, period_type, indicator_id, value FROM {fresh} WHERE 1 = 1 {chain_child}
    UNION ALL
    SELECT period, period_type, indicator_id, value FROM {rollup} WHERE 1 = 1 {other_children} {periods} {indicators}
) x
GROUP BY x.period, x.period_type, x.indicator_id
"""


@transaction.atomic
def rebuild_for_report(report):
    """After one approval (or unlock): the periods holding its month, for its unit and every unit above, for the
    indicators of its work line — each unit from its own figures and its children's roll-ups."""
    month_periods = [period.key for period in periods.periods_containing(report.month)]
    with connection.cursor() as cursor:
        # from the unit's path, not the closure (which may not hold a unit just added yet)
        _lock(cursor, versioned_units([report.unit_id, *(a.pk for a in Unit.objects.get_ancestors(report.unit))]))
        refresh_calendar([report.month])
        chain = list(
            Unit.objects.filter(pk__in=ancestors_of(report.unit_id), kind__in=ROLLUP_KINDS)
            .order_by("-depth")
            .values_list("pk", "path", "depth", "kind")
        )
        indicators = dict(Indicator.objects.filter(work_line=report.work_line).values_list("pk", "kind"))
        stored = [pk for pk, kind in indicators.items() if kind != RATIO]
        chain_ids = [pk for pk, _path, _depth, _kind in chain]
        temp = ("own", "fresh", "ratios")
        _create_temp_tables(cursor, *temp)
        if stored:
            reporting = [pk for pk, _path, _depth, kind in chain if kind in REPORTING_KINDS]
            _build_own(cursor, target="own", period_keys=month_periods, unit_ids=reporting, indicator_ids=stored)
            periods_clause, periods_params = _in("period", month_periods)
            indicators_clause, indicators_params = _in("indicator_id", stored)
            below = None
            for pk, path, depth, _kind in chain:
                children = list(
                    Unit.objects.filter(path__startswith=path, depth=depth + 1, kind__in=ROLLUP_KINDS)
                    .exclude(pk=below)
                    .values_list("pk", flat=True)
                )
                chain_child, chain_params = _in("unit_id", [below]) if below else (" AND 1 = 0", [])
                others, others_params = _in("unit_id", children) if children else (" AND 1 = 0", [])
                sql = CHAIN_LEVEL_SQL.format(
                    **T, chain_child=chain_child, other_children=others, periods=periods_clause,
                    indicators=indicators_clause,
                )  # fmt: skip
                params = [pk, pk, *chain_params, *others_params, *periods_params, *indicators_params]
                cursor.execute(sql, params)
                below = pk
        _build_ratios(cursor, _ratio_specs(set(indicators)))
        slice_filter, slice_params = "", []
        for column, values in (("unit_id", chain_ids), ("period", month_periods), ("indicator_id", list(indicators))):
            clause, params = _in(f"{T['rollup']}.{column}", values or [None])
            slice_filter, slice_params = slice_filter + clause, slice_params + params
        if _apply(cursor, slice_filter=slice_filter, slice_params=slice_params):
            bump_versions(chain_ids)
        _drop_temp_tables(cursor, *temp)
