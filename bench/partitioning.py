"""Is declarative partitioning by year worth it for `reports_reportvalue` and `reports_rollup`? Measured, on a seeded
benchmark database (default `jingzi_bench_big`, 2,200 villages; docs/performance.md, "Partitioning by year"):

    python -m bench.partitioning [DATABASE] [--repeats 3] [--keep] [--out FILE.json]

Four copies in a scratch schema of the same database, built the same way from the real tables (same rows, same
order, same indexes and foreign keys, freshly analysed), so that only the partitioning differs:

- `value_plain`: reports_reportvalue as it is;
- `value_part`: the same rows with the report's month copied in (`month`: ReportValue has no month of its own),
  `PARTITION BY RANGE (month)`, a partition per year; the keys that must hold the partition key get it (primary key
  `(id, month)`, unique `(report_id, indicator_id, month)`);
- `rollup_plain`: reports_rollup as it is;
- `rollup_part`: `PARTITION BY RANGE (period)`, a partition per year from `'YYYY'` to `'YYYY+1'` — every key of a
  year (`2026`, `2026-03`, `2026-Q1`, `2026-YTD`) sorts between the two in the database's C collation, so the period
  the app already filters on is the partition key (no new column) and `period = …` / `period IN (…)` prune.

Then the queries the app runs, each against the plain and the partitioned copy (median of `--repeats` after one
warm-up): the read floor of a full rebuild (every approved value × calendar, grouped per unit × indicator × period),
the same for one year (a rebuild of the current year only), the dashboard's and summary's roll-up reads, one
approval's chain reads, a closed year's roll-ups deleted and written again, and the sizes. The scratch schema is
dropped at the end (`--keep` keeps it). Reads only the real tables; writes only the scratch schema.
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from bench.common import DB_BIG, ROOT, database_url, load_average, setup_django

SCHEMA = "scratch"
WORK_MEM = "64MB"  # the roll-up's (reports.rollup.build.ROLLUP_WORK_MEM)

VALUE_COLUMNS = ("id bigint NOT NULL, value numeric(18,4), approved_value numeric(18,4), flag varchar(200) NOT NULL,"
                 " indicator_id bigint NOT NULL, report_id bigint NOT NULL")  # fmt: skip
ROLLUP_COLUMNS = ("id bigint NOT NULL, period varchar(10) NOT NULL, period_type varchar(8) NOT NULL,"
                  " value numeric(20,4) NOT NULL, indicator_id bigint NOT NULL, unit_id bigint NOT NULL")  # fmt: skip

# (table, DDL after the rows are in: indexes and foreign keys as Django made them on the real table; a unique key of a
# partitioned table must hold its partition key)
INDEXES = {
    "value_plain": [
        "ALTER TABLE {t} ADD PRIMARY KEY (id)",
        "ALTER TABLE {t} ADD UNIQUE (report_id, indicator_id)",
        "CREATE INDEX ON {t} (indicator_id)",
        "CREATE INDEX ON {t} (report_id)",
    ],
    "value_part": [
        "ALTER TABLE {t} ADD PRIMARY KEY (id, month)",
        "ALTER TABLE {t} ADD UNIQUE (report_id, indicator_id, month)",
        "CREATE INDEX ON {t} (indicator_id)",
        "CREATE INDEX ON {t} (report_id)",
    ],
    "rollup_plain": [
        "ALTER TABLE {t} ADD PRIMARY KEY (id)",
        "ALTER TABLE {t} ADD UNIQUE (unit_id, period, indicator_id)",
        "CREATE INDEX ON {t} (period, indicator_id)",
        "CREATE INDEX ON {t} (indicator_id)",
        "CREATE INDEX ON {t} (unit_id)",
    ],
    "rollup_part": [
        "ALTER TABLE {t} ADD PRIMARY KEY (id, period)",
        "ALTER TABLE {t} ADD UNIQUE (unit_id, period, indicator_id)",
        "CREATE INDEX ON {t} (period, indicator_id)",
        "CREATE INDEX ON {t} (indicator_id)",
        "CREATE INDEX ON {t} (unit_id)",
    ],
}
FOREIGN_KEYS = {
    "value": [("indicator_id", "reports_indicator"), ("report_id", "reports_monthlyreport")],
    "rollup": [("indicator_id", "reports_indicator"), ("unit_id", "branches_unit")],
}

# The read floor: every approved value read once, grouped per reporting unit × indicator × period with the calendar,
# nothing written (the rows counted so that they are all produced). {month} is where the value's month comes from:
# the report (the plain table, and the app's SQL as it is) or the value's own copy (the partitioned table).
FLOOR_SQL = """
SELECT COUNT(*), SUM(x.total) FROM (
    SELECT pm.period, pm.period_type, r.unit_id, v.indicator_id, SUM(v.approved_value) AS total
    FROM {value} v
    JOIN reports_monthlyreport r ON r.id = v.report_id
    JOIN reports_periodmonth pm ON pm.month = {month}
    WHERE r.status = 'approved' AND v.approved_value IS NOT NULL {where}
    GROUP BY pm.period, pm.period_type, r.unit_id, v.indicator_id
) x
"""

# One approval's reads (reports.rollup.build.rebuild_for_report): the chain's reporting units' own values for the
# periods holding the month and the work line's indicators, the other children's stored roll-ups at each level, and
# the stored rows of the chain's slice the fresh ones are compared with.
CHAIN_OWN_SQL = """
SELECT pm.period, r.unit_id, v.indicator_id, SUM(v.approved_value)
FROM {value} v
JOIN reports_monthlyreport r ON r.id = v.report_id
JOIN reports_periodmonth pm ON pm.month = {month}
WHERE r.status = 'approved' AND v.approved_value IS NOT NULL AND pm.period = ANY(%(periods)s)
  AND r.unit_id = ANY(%(units)s) AND v.indicator_id = ANY(%(indicators)s) {where}
GROUP BY pm.period, r.unit_id, v.indicator_id
"""
ROLLUP_READ_SQL = ("SELECT unit_id, period, indicator_id, value FROM {rollup}"
                   " WHERE unit_id = ANY(%(units)s) AND period = ANY(%(periods)s) {indicators}")  # fmt: skip
OF_INDICATORS = "AND indicator_id = ANY(%(indicators)s)"


def connect(database):
    import psycopg2

    connection = psycopg2.connect(database_url(database))
    connection.autocommit = True
    return connection


def run(cursor, sql, params=None):
    cursor.execute(sql, params)
    return cursor.fetchall() if cursor.description else None


def timed(cursor, sql, params=None, repeats=3):
    """[seconds] of `repeats` runs after one warm-up (the warm-up's time is not kept: all copies start cached)."""
    run(cursor, sql, params)
    seconds = []
    for _round in range(repeats):
        started = time.perf_counter()
        run(cursor, sql, params)
        seconds.append(time.perf_counter() - started)
    return seconds


def ms(seconds):
    return round(statistics.median(seconds) * 1000, 2)


def log(text):
    print(text, file=sys.stderr, flush=True)


# ── the copies ───────────────────────────────────────────────────────────────────────────────────────────────────


def years(cursor):
    first, last = run(cursor, "SELECT MIN(month), MAX(month) FROM reports_monthlyreport")[0]
    return list(range(first.year, last.year + 1))


def build_copies(cursor, all_years):
    s = SCHEMA
    run(cursor, f"DROP SCHEMA IF EXISTS {s} CASCADE")
    run(cursor, f"CREATE SCHEMA {s}")
    seconds = {}
    run(cursor, f"CREATE TABLE {s}.value_plain ({VALUE_COLUMNS})")
    run(cursor, f"CREATE TABLE {s}.value_part ({VALUE_COLUMNS}, month date NOT NULL) PARTITION BY RANGE (month)")
    run(cursor, f"CREATE TABLE {s}.rollup_plain ({ROLLUP_COLUMNS})")
    run(cursor, f"CREATE TABLE {s}.rollup_part ({ROLLUP_COLUMNS}) PARTITION BY RANGE (period)")
    # No default partition: a row outside every year would make the fill fail, not hide in a catch-all.
    for year in all_years:
        run(cursor, f"CREATE TABLE {s}.value_part_{year} PARTITION OF {s}.value_part"
                    f" FOR VALUES FROM ('{year}-01-01') TO ('{year + 1}-01-01')")  # fmt: skip
        run(cursor, f"CREATE TABLE {s}.rollup_part_{year} PARTITION OF {s}.rollup_part"
                    f" FOR VALUES FROM ('{year}') TO ('{year + 1}')")  # fmt: skip
    # The copies keep the real tables' order (a report's values together, as they were written). The join that gives
    # the values their month is hashed in memory, so its output keeps the values' order; sorted anyway to be sure.
    run(cursor, "SET work_mem = '256MB'")
    fills = {
        "value_plain": f"INSERT INTO {s}.value_plain SELECT id, value, approved_value, flag, indicator_id, report_id"
                       " FROM reports_reportvalue",
        "value_part": f"INSERT INTO {s}.value_part SELECT v.id, v.value, v.approved_value, v.flag, v.indicator_id,"
                      " v.report_id, r.month FROM reports_reportvalue v JOIN reports_monthlyreport r"
                      " ON r.id = v.report_id ORDER BY v.id",
        "rollup_plain": f"INSERT INTO {s}.rollup_plain SELECT id, period, period_type, value, indicator_id, unit_id"
                        " FROM reports_rollup",
        "rollup_part": f"INSERT INTO {s}.rollup_part SELECT id, period, period_type, value, indicator_id, unit_id"
                       " FROM reports_rollup",
    }  # fmt: skip
    for table, sql in fills.items():
        started = time.perf_counter()
        run(cursor, sql)
        for ddl in INDEXES[table]:
            run(cursor, ddl.format(t=f"{s}.{table}"))
        for column, target in FOREIGN_KEYS[table.split("_")[0]]:
            run(cursor, f"ALTER TABLE {s}.{table} ADD FOREIGN KEY ({column}) REFERENCES {target} (id)"
                        " DEFERRABLE INITIALLY DEFERRED")  # fmt: skip
        run(cursor, f"VACUUM ANALYZE {s}.{table}")
        seconds[table] = round(time.perf_counter() - started, 1)
        log(f"  {table}: filled, indexed, analysed in {seconds[table]} s")
    run(cursor, "RESET work_mem")
    return seconds


def sizes(cursor):
    """Per copy: rows, table MB, index MB, total MB (a partitioned table: the sum of its partitions)."""
    out = {}
    for table in ("value_plain", "value_part", "rollup_plain", "rollup_part"):
        name = f"{SCHEMA}.{table}"
        # pg_partition_tree lists a partitioned table's partitions; a plain table is a tree of one
        relations = (f"SELECT relid FROM pg_partition_tree('{name}') WHERE isleaf" if table.endswith("part")
                     else f"SELECT '{name}'::regclass AS relid")  # fmt: skip
        rows = run(cursor, f"""
            SELECT SUM(pg_table_size(t.relid)), SUM(pg_indexes_size(t.relid)), SUM(pg_total_relation_size(t.relid)),
                   COUNT(*), SUM(c.reltuples)::bigint
            FROM ({relations}) t JOIN pg_class c ON c.oid = t.relid""")[0]  # fmt: skip
        mb = [round(float(value) / 2**20, 1) for value in rows[:3]]
        out[table] = {"rows": rows[4], "table_mb": mb[0], "indexes_mb": mb[1], "total_mb": mb[2],
                      "partitions": rows[3]}  # fmt: skip
    return out


# ── the app's reads ──────────────────────────────────────────────────────────────────────────────────────────────


def year_bounds(year):
    return f"'{year}-01-01'", f"'{year + 1}-01-01'"


def floor_reads(cursor, year, repeats):
    """The full read floor and the read of one year (periods of that year only), plain and partitioned; the
    partitioned table as the app's SQL reads it today (the report's month) and with the value's own month (pruning)."""
    s = SCHEMA
    run(cursor, f"SET work_mem = '{WORK_MEM}'")
    start, end = year_bounds(year)
    one_year = f"AND pm.period >= '{year}' AND pm.period < '{year + 1}'"
    cases = {
        "full: plain": dict(value=f"{s}.value_plain", month="r.month", where=""),
        "full: partitioned, the app's SQL (report's month)": dict(value=f"{s}.value_part", month="r.month", where=""),
        "full: partitioned, value's month": dict(value=f"{s}.value_part", month="v.month", where=""),
        "one year: plain": dict(value=f"{s}.value_plain", month="r.month", where=one_year),
        "one year: partitioned, the app's SQL (report's month)": dict(value=f"{s}.value_part", month="r.month",
                                                                      where=one_year),
        "one year: partitioned, value's month pruned": dict(
            value=f"{s}.value_part", month="v.month", where=f"{one_year} AND v.month >= {start} AND v.month < {end}"),
    }  # fmt: skip
    out = {}
    for label, names in cases.items():
        repeat = 1 if label.startswith("full") else repeats
        seconds = timed(cursor, FLOOR_SQL.format(**names), repeats=repeat)
        out[label] = {"median_s": round(statistics.median(seconds), 2), "runs_s": [round(x, 2) for x in seconds]}
        log(f"  floor, {label}: {out[label]['median_s']} s")
    run(cursor, "SET enable_partitionwise_aggregate = on")
    seconds = timed(cursor, FLOOR_SQL.format(value=f"{s}.value_part", month="v.month", where=""), repeats=1)
    label = "full: partitioned, value's month, partition-wise aggregate on"
    out[label] = {"median_s": round(statistics.median(seconds), 2), "runs_s": [round(x, 2) for x in seconds]}
    log(f"  floor, {label}: {out[label]['median_s']} s")
    run(cursor, "RESET enable_partitionwise_aggregate")
    run(cursor, "RESET work_mem")
    return out


def app_context():
    """What the pages ask for, taken from the app itself: a town, its villages, the county and its towns, the
    dashboard's period keys for the default period (this year to date) and a village report of the last month."""
    from branches.models import Unit
    from reports import periods
    from reports.dashboard.selectors import default_period, unit_period_keys
    from reports.models import Indicator, MonthlyReport
    from reports.rollup.build import ROLLUP_KINDS, ancestors_of
    from reports.scale import COUNTY_CODE

    county = Unit.objects.get(code=COUNTY_CODE)
    towns = list(Unit.objects.filter(kind=Unit.Kind.TOWN, path__startswith=county.path).order_by("path"))
    town = towns[len(towns) // 2]
    villages = list(Unit.objects.filter(kind__in=Unit.VILLAGE_KINDS, path__startswith=town.path)
                    .values_list("pk", flat=True))  # fmt: skip
    period = default_period()
    keys = sorted(unit_period_keys(period))
    village = villages[min(3, len(villages) - 1)]
    report = MonthlyReport.objects.filter(unit_id=village, status="approved").order_by("-month", "work_line").first()
    chain = list(Unit.objects.filter(pk__in=ancestors_of(report.unit_id), kind__in=ROLLUP_KINDS)
                 .order_by("-depth").values_list("pk", "path", "depth", "kind"))  # fmt: skip
    levels = []  # (unit, its other children) per level of the chain above the village
    below = report.unit_id
    for pk, path, depth, _kind in chain[1:]:
        children = list(Unit.objects.filter(path__startswith=path, depth=depth + 1, kind__in=ROLLUP_KINDS)
                        .exclude(pk=below).values_list("pk", flat=True))  # fmt: skip
        levels.append(children)
        below = pk
    reporting = [pk for pk, _path, _depth, kind in chain if kind in (Unit.Kind.TOWN, *Unit.VILLAGE_KINDS)]
    return {
        "county": county.pk, "towns": [t.pk for t in towns], "town": town.pk, "villages": villages,
        "period": period.key, "keys": keys, "year": periods.current_month().year,
        "report": {"unit": report.unit_id, "month": report.month, "work_line": report.work_line},
        "report_periods": [p.key for p in periods.periods_containing(report.month)],
        "chain": [pk for pk, *_rest in chain], "reporting": reporting, "levels": levels,
        "line_indicators": list(Indicator.objects.filter(work_line=report.work_line).values_list("pk", flat=True)),
        "summary_indicators": list(Indicator.objects.order_by("pk").values_list("pk", flat=True)[:12]),
    }  # fmt: skip


def rollup_reads(cursor, context, repeats):
    """The dashboard's and summary's reads of stored roll-ups, and one approval's chain reads, each `repeats` × 20
    times (they take milliseconds), plain against partitioned."""
    s = SCHEMA
    month = context["report"]["month"]
    start = f"'{month.year}-01-01'"
    end = f"'{month.year + 1}-01-01'"
    reads = {
        "town dashboard: the town's roll-ups, every period key of the page": (
            ROLLUP_READ_SQL, {"units": [context["town"]], "periods": context["keys"]}, ""),
        "town dashboard: its 22 villages' roll-ups for the period": (
            ROLLUP_READ_SQL, {"units": context["villages"], "periods": [context["period"]]}, ""),
        "county summary: the county's roll-ups, every period key": (
            ROLLUP_READ_SQL, {"units": [context["county"]], "periods": context["keys"]}, ""),
        "county summary: its 100 towns for the period, 12 indicators": (
            ROLLUP_READ_SQL, {"units": context["towns"], "periods": [context["period"]],
                              "indicators": context["summary_indicators"]}, OF_INDICATORS),
        "approval: the chain's stored slice (unit × periods × work line)": (
            ROLLUP_READ_SQL, {"units": context["chain"], "periods": context["report_periods"],
                              "indicators": context["line_indicators"]}, OF_INDICATORS),
    }  # fmt: skip
    for number, children in enumerate(context["levels"], start=1):
        reads[f"approval: the other children's roll-ups, level {number} ({len(children)} units)"] = (
            ROLLUP_READ_SQL, {"units": children, "periods": context["report_periods"],
                              "indicators": context["line_indicators"]}, OF_INDICATORS)  # fmt: skip
    out = {}
    for label, (sql, params, indicators) in reads.items():
        row = {}
        for kind in ("plain", "part"):
            query = sql.format(rollup=f"{s}.rollup_{kind}", indicators=indicators)
            row[kind] = ms(timed(cursor, query, params, repeats=repeats * 20))
            row[f"{kind}_rows"] = len(run(cursor, query, params))
        out[label] = row
        log(f"  {label}: plain {row['plain']} ms, partitioned {row['part']} ms ({row['plain_rows']} rows)")
    params = {"periods": context["report_periods"], "units": context["reporting"],
              "indicators": context["line_indicators"]}  # fmt: skip
    own = {
        "plain": dict(value=f"{s}.value_plain", month="r.month", where=""),
        "part, the app's SQL (report's month)": dict(value=f"{s}.value_part", month="r.month", where=""),
        "part, value's month pruned": dict(value=f"{s}.value_part", month="v.month",
                                           where=f"AND v.month >= {start} AND v.month < {end}"),
    }  # fmt: skip
    row = {}
    for kind, names in own.items():
        query = CHAIN_OWN_SQL.format(**names)
        row[kind] = ms(timed(cursor, query, params, repeats=repeats * 20))
        row[f"{kind} rows"] = len(run(cursor, query, params))
    out["approval: the chain's own values (village and town, the periods of the month)"] = row
    log(f"  approval own values: {row}")
    return out


def plan_times(cursor, context):
    """Planning time of the town dashboard's read: partitions cost the planner something on every query."""
    out = {}
    for kind in ("plain", "part"):
        sql = "EXPLAIN (ANALYZE, FORMAT JSON) " + ROLLUP_READ_SQL.format(rollup=f"{SCHEMA}.rollup_{kind}",
                                                                         indicators="")  # fmt: skip
        planning = []
        for _round in range(20):
            plan = run(cursor, sql, {"units": [context["town"]], "periods": context["keys"]})[0][0][0]
            planning.append(plan["Planning Time"])
        out[kind] = round(statistics.median(planning), 3)
    return out


def year_rewrite(cursor, year, repeats):
    """A closed year's roll-ups written again, as a rebuild of that year would (the same rows back): plain, DELETE
    of the year then INSERT, then the VACUUM the dead rows need; partitioned, TRUNCATE of the year's partition then
    INSERT. Committed (foreign keys checked), `repeats` times; the rows are the same after each."""
    s = SCHEMA
    run(cursor, f"SET work_mem = '{WORK_MEM}'")
    run(cursor, f"DROP TABLE IF EXISTS {s}.year_rows")
    run(cursor, f"CREATE TABLE {s}.year_rows AS SELECT * FROM {s}.rollup_plain"
                f" WHERE period >= '{year}' AND period < '{year + 1}'")  # fmt: skip
    rows = run(cursor, f"SELECT COUNT(*) FROM {s}.year_rows")[0][0]
    columns = "id, period, period_type, value, indicator_id, unit_id"
    plain, vacuum, part = [], [], []
    for _round in range(repeats):
        started = time.perf_counter()
        run(cursor, "BEGIN")
        run(cursor, f"DELETE FROM {s}.rollup_plain WHERE period >= '{year}' AND period < '{year + 1}'")
        run(cursor, f"INSERT INTO {s}.rollup_plain ({columns}) SELECT {columns} FROM {s}.year_rows"
                    " ORDER BY unit_id, period, indicator_id")  # fmt: skip
        run(cursor, "COMMIT")
        plain.append(time.perf_counter() - started)
        started = time.perf_counter()
        run(cursor, f"VACUUM {s}.rollup_plain")
        vacuum.append(time.perf_counter() - started)
        started = time.perf_counter()
        run(cursor, "BEGIN")
        run(cursor, f"TRUNCATE {s}.rollup_part_{year}")
        run(cursor, f"INSERT INTO {s}.rollup_part ({columns}) SELECT {columns} FROM {s}.year_rows"
                    " ORDER BY unit_id, period, indicator_id")  # fmt: skip
        run(cursor, "COMMIT")
        part.append(time.perf_counter() - started)
        log(f"  year {year} rewritten: plain {plain[-1]:.1f} s + VACUUM {vacuum[-1]:.1f} s, partitioned"
            f" {part[-1]:.1f} s")  # fmt: skip
    run(cursor, f"ANALYZE {s}.rollup_plain")
    run(cursor, f"ANALYZE {s}.rollup_part")
    run(cursor, "RESET work_mem")
    return {"year": year, "rows": rows, "plain_delete_insert_s": [round(x, 1) for x in plain],
            "plain_vacuum_s": [round(x, 1) for x in vacuum],
            "partitioned_truncate_insert_s": [round(x, 1) for x in part]}  # fmt: skip


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", nargs="?", default=DB_BIG)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the scratch schema (and reuse it next time)")
    parser.add_argument("--reuse", action="store_true", help="reuse a scratch schema kept by --keep")
    parser.add_argument("--out", default=str(ROOT / "test-results" / "partitioning.json"))
    args = parser.parse_args(argv)
    setup_django(args.database)
    context = app_context()
    connection = connect(args.database)
    results = {"database": args.database, "load_at_start": load_average(),
               "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()), "context": {k: context[k] for k in
               ("period", "keys", "report_periods", "year")}}  # fmt: skip
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)

    def save():
        out.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str))

    try:
        with connection.cursor() as cursor:
            all_years = years(cursor)
            if not args.reuse:
                log("== building the copies")
                results["build_s"] = build_copies(cursor, all_years)
            results["sizes"] = sizes(cursor)
            save()
            log("== roll-up reads")
            results["reads"] = rollup_reads(cursor, context, args.repeats)
            results["planning_ms"] = plan_times(cursor, context)
            save()
            log("== the read floor")
            results["floor"] = floor_reads(cursor, context["year"], args.repeats)
            save()
            log("== a closed year written again")
            results["year_rewrite"] = year_rewrite(cursor, context["year"] - 2, min(args.repeats, 2))
            results["sizes_after"] = sizes(cursor)
            results["load_at_end"] = load_average()
            save()
            if not args.keep:
                run(cursor, f"DROP SCHEMA {SCHEMA} CASCADE")
    finally:
        connection.close()
    print(json.dumps(results, ensure_ascii=False, indent=1, default=str))


if __name__ == "__main__":
    main()
