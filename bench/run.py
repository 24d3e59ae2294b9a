"""`make bench`: the performance benchmarks of DESIGN §8 on PostgreSQL, judged against their budgets.

1. Two databases on the benchmark server (BENCH_PG, default postgres://postgres@127.0.0.1:5432): `jingzi_bench_town`
   (1 town × 22 villages) and `jingzi_bench` (20 towns × 22 villages = 440), each migrated and filled by
   `manage.py seed_scale` (10 years of approved monthly reports, ledgers, households), unless `--reuse` finds them.
2. In-process phases (bench/measure.py) on each: the full roll-up and its floor, one approval's roll-up, pages
   (server time, SQL queries), saving a monthly form, the Excel import of a town-month.
3. Load runs (bench/load.py, bench/load_issue10.py): gunicorn with 4 workers and locust on loopback.
4. With `--big`: a third database, `jingzi_bench_big` (100 towns × 22 villages = 2,200, about 12 million values), seeded
   and reused the same way; on it the pages' query counts (judged against 22 and 440 villages), one approval's
   roll-up, and the nightly roll-up rebuild (not its floor nor the rebuild from an empty table: together they would
   take most of an hour there; `python -m bench.partitioning` measures the read floor at that size).

Prints a JSON summary and one PASS/FAIL line per budget; the whole result goes to test-results/bench.json.
Exit code 0 when every DESIGN §8 budget passes.

    python -m bench.run [--reuse] [--quick] [--no-load] [--big] [--out FILE]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import DB_BIG, DB_COUNTY, DB_TOWN, PG_SERVER, ROOT, database_url, load_average

SIZES = {DB_TOWN: 1, DB_COUNTY: 20}  # towns of 22 villages
BIG_TOWNS = 100
BIG_PHASES = ("pages", "incremental", "rollup")  # on DB_BIG
# The roll-up there: the nightly rebuild only. Its floor is the read of bench/partitioning.py ("full: plain"): the
# fan-out INSERT floor and the rebuild from an empty table would take most of an hour at 2,200 villages.
BIG_ROLLUP = ("--no-from-empty", "--no-floor")


def psql(sql, database="postgres"):
    import psycopg2

    connection = psycopg2.connect(database_url(database))
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall() if cursor.description else None
    finally:
        connection.close()


def seeded_villages(database):
    """Villages of the seeded county in `database`, or None if it is not there."""
    if not psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}'"):
        return None
    try:
        rows = psql("SELECT COUNT(*) FROM branches_unit v JOIN branches_unit c ON v.path LIKE c.path || '%' "
                    "WHERE c.code = '990000' AND v.kind IN ('village', 'community')", database)  # fmt: skip
    except Exception:  # noqa: BLE001 — not migrated, not seeded
        return None
    return rows[0][0] or None


def manage(database, *args):
    env = {**os.environ, "DATABASE_URL": database_url(database), "DEBUG": "0", "LOG_LEVEL": "WARNING"}
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare(database, towns, reuse):
    wanted = towns * 22
    if reuse and seeded_villages(database) == wanted:
        print(f"== {database}: reusing the seeded county ({wanted} villages); migrating", flush=True)
        manage(database, "migrate", "--noinput", "-v", "0")
        return None
    print(f"== {database}: creating, migrating, seeding {towns} town(s) × 22 villages", flush=True)
    psql(f"DROP DATABASE IF EXISTS {database}")
    psql(f"CREATE DATABASE {database}")
    started = time.perf_counter()
    manage(database, "migrate", "--noinput", "-v", "0")
    seeded = time.perf_counter()
    manage(database, "seed_scale", "--towns", str(towns))
    return {"migrate_s": round(seeded - started, 1), "seed_s": round(time.perf_counter() - seeded, 1)}


def measure(database, *phases, options=()):
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        subprocess.run([sys.executable, "-m", "bench.measure", database, *phases, "--out", out.name, *options],
                       cwd=ROOT, env=env, check=True)  # fmt: skip
        return json.load(open(out.name))


def measure_big(results, reuse, phases=BIG_PHASES):
    """The `--big` phases on 2,200 villages, into results[DB_BIG] (seeding figures kept from an earlier run)."""
    seeding = prepare(DB_BIG, BIG_TOWNS, reuse)
    print(f"== {DB_BIG}: measuring {', '.join(phases)}", flush=True)
    big = results.setdefault(DB_BIG, {})
    big.update(measure(DB_BIG, *phases, options=BIG_ROLLUP))
    if seeding:
        big["seeding"] = seeding
    big["size"] = size_of(DB_BIG)


def size_of(database):
    """The database's size and its two biggest tables' (with their indexes), in MB."""
    rows = psql("SELECT pg_database_size(current_database()), pg_total_relation_size('reports_reportvalue'),"
                " pg_total_relation_size('reports_rollup')", database)[0]  # fmt: skip
    return dict(zip(("database_mb", "reportvalue_mb", "rollup_mb"), (round(b / 2**20) for b in rows), strict=True))


def load_runs(seconds):
    """Both load runs in a child process (Django set up on the county database there)."""
    code = (
        "import json, sys; from bench.common import setup_django, DB_COUNTY; setup_django(DB_COUNTY);"
        "from bench import load, load_issue10;"
        f"print(json.dumps({{'read_mix': load.read_mix(DB_COUNTY, 40, {seconds['read']}),"
        f" 'issue10': load_issue10.run(DB_COUNTY, {seconds['issue10']})}}))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


# ── judging ──────────────────────────────────────────────────────────────────────────────────────────────────────


def same_counts(town, county, kinds):
    """(pages compared, pages whose count differs between 22 and 440 villages, largest count)."""
    keys = [key for key, page in county.items() if page["kind"] in kinds and key in town]
    differ = [f"{key}: {town[key]['queries']} vs {county[key]['queries']}" for key in keys
              if town[key]["queries"] != county[key]["queries"]]  # fmt: skip
    return keys, differ, max((county[key]["queries"] for key in keys), default=0)


COUNTY_PHASES = ("rollup", "incremental", "pages", "save", "excel")


def verdicts(results):
    lines = []

    def line(ok, budget, measured):
        lines.append({"pass": bool(ok), "budget": budget, "measured": measured})

    # `--big-only` may judge the big database alone, merged into an earlier run's results or into none
    if all(phase in results.get(DB_COUNTY, {}) for phase in COUNTY_PHASES) and "pages" in results.get(DB_TOWN, {}):
        county_verdicts(results, line)
    big_verdicts(results, line)
    return lines


def county_verdicts(results, line):
    roll = results[DB_COUNTY]["rollup"]
    line(roll["ratio_nightly"] <= 2, "full roll-up rebuild (nightly, roll-ups present) ≤ 2× floor",
         f"{roll['ratio_nightly']}× (rebuild {min(roll['rebuild_nightly_s'])} s, floor {min(roll['floor_s'])} s,"
         f" {roll['rollup_rows']:,} rows)")  # fmt: skip
    line(roll["ratio_from_empty"] <= 2, "full roll-up rebuild from an empty table ≤ 2× floor",
         f"{roll['ratio_from_empty']}× ({roll['rebuild_from_empty_s'][0]} s)")  # fmt: skip
    inc = results[DB_COUNTY]["incremental"]["rebuild_for_report"]
    line(inc["p95_s"] < 0.3, "incremental roll-up after one approval < 0.3 s (p95)",
         f"median {inc['median_s']} s, p95 {inc['p95_s']} s, max {inc['max_s']} s over {inc['n']}")  # fmt: skip
    town_counts, county_counts = results[DB_TOWN]["pages"]["counts"], results[DB_COUNTY]["pages"]["counts"]
    keys, differ, top = same_counts(town_counts, county_counts, ("dashboard", "report"))
    line(not differ and top <= 15, "dashboard and report pages: same SQL queries at 22 and 440 villages, ≤ 15",
         f"{len(keys)} pages, {len(differ)} differ, max {top} queries" + (f" ({'; '.join(differ[:3])})" if differ
                                                                              else ""))  # fmt: skip
    keys, differ, top = same_counts(town_counts, county_counts, ("entry",))
    line(not differ and top <= 15, "monthly report page (reports:entry): same SQL queries at 22 and 440, ≤ 15",
         f"{len(keys)} pages, {len(differ)} differ, max {top} queries")
    keys, differ, top = same_counts(town_counts, county_counts, ("list", "api", "composite"))
    # A generic prefetch (an assignment's target) costs one query per kind of target on the page shown: at most one
    # more or less, whatever the data size. More than that would be an N+1.
    jumps = [abs(town_counts[key]["queries"] - county_counts[key]["queries"]) for key in keys]
    line(max(jumps, default=0) <= 1, "lists, API lists, home and brief: SQL queries independent of the data size",
         f"{len(keys)} pages, {len(differ)} differ by one query (a generic prefetch: {'; '.join(differ[:2])}),"
         f" max {top} queries" if differ else f"{len(keys)} pages, none differ, max {top} queries")  # fmt: skip
    save = {line_: row for line_, row in results[DB_COUNTY]["save"].items() if isinstance(row, dict)}
    bounded = all(row["queries_all_values"] == row["queries_one_value"] for row in save.values())
    line(bounded, "saving a monthly form: bounded queries whatever the number of indicators",
         ", ".join(f"{line_}: {row['queries_all_values']} queries for {row['entered_indicators']} values or 1,"
                   f" {row['median_s']} s" for line_, row in save.items()))  # fmt: skip
    excel = results[DB_COUNTY]["excel"]
    line(excel["max_s"] < 3, "Excel import of a whole town-month < 3 s",
         f"median {excel['median_s']} s, max {excel['max_s']} s ({excel['reports_saved']} reports,"
         f" {excel['cells']} cells)")  # fmt: skip
    if "load" in results:
        mix, issue = results["load"]["read_mix"], results["load"]["issue10"]
        line(mix["failures"] == 0, "load, read mix (40 leaders, gunicorn 4 workers): no errors",
             f"{mix['rps']} req/s, median {mix['median_ms']:.0f} ms, p95 {mix['p95_ms']:.0f} ms,"
             f" {mix['failures']} errors of {mix['requests']}")  # fmt: skip
        line(issue["pass"], "load, issue 10 (22 secretaries saving + 50 leaders, 60 s): no errors, every save stored",
             f"{issue['rps']} req/s, p95 {issue['p95_ms']:.0f} ms, {issue['failures']} errors of {issue['requests']};"
             f" {issue['saves_confirmed']} saves, {issue['values_checked']} values checked,"
             f" {len(issue['values_wrong'])} wrong")  # fmt: skip


def big_verdicts(results, line):
    """With `--big`: the pages' query counts at 2,200 villages against 22 and 440 (the same rules: dashboards, report
    and monthly report pages equal; lists within one query — a generic prefetch), and the nightly rebuild against its
    floor at that size."""
    big = results.get(DB_BIG, {})
    if "pages" in big:
        counts = big["pages"]["counts"]
        smaller = {size: results[db]["pages"]["counts"] for size, db in (("22", DB_TOWN), ("440", DB_COUNTY))
                   if "pages" in results.get(db, {})}  # fmt: skip
        exact, loose, top = [], [], 0
        for key, page in counts.items():
            top = max(top, page["queries"])
            for size, other in smaller.items():
                if key not in other:
                    continue
                gap = abs(other[key]["queries"] - page["queries"])
                note = f"{key}: {other[key]['queries']} at {size}, {page['queries']} at 2,200"
                if gap and (page["kind"] in ("dashboard", "report", "entry") or gap > 1):
                    exact.append(note)
                elif gap:
                    loose.append(note)
        sizes = ", ".join([*smaller, "2,200"])
        line(not exact and smaller, f"every page: same SQL queries at {sizes} villages (lists ±1: a generic prefetch)",
             f"{len(counts)} pages, {len(exact)} differ" + (f" ({'; '.join(exact[:3])})" if exact else "")
             + (f", {len(loose)} by one query ({'; '.join(loose[:2])})" if loose else "")
             + f", max {top} queries")  # fmt: skip
    if "rollup" in big and big["rollup"]["ratio_nightly"] is not None:
        roll = big["rollup"]
        line(roll["ratio_nightly"] <= 2, "2,200 villages: full roll-up rebuild (nightly, roll-ups present) ≤ 2× floor",
             f"{roll['ratio_nightly']}× (rebuild {min(roll['rebuild_nightly_s'])} s, floor {min(roll['floor_s'])} s,"
             f" {roll['rollup_rows']:,} rows)")  # fmt: skip
    if "incremental" in big:
        inc = big["incremental"]["rebuild_for_report"]
        line(inc["p95_s"] < 0.3, "2,200 villages: incremental roll-up after one approval < 0.3 s (p95)",
             f"median {inc['median_s']} s, p95 {inc['p95_s']} s, max {inc['max_s']} s over {inc['n']}")  # fmt: skip


def big_summary(results):
    """The 2,200-village figures beside the county's, with how they grow (2,200 / 440)."""
    big, county = results[DB_BIG], results.get(DB_COUNTY, {})
    out = {"seeding": big.get("seeding"), "size": big.get("size")}
    if "rollup" in big:
        keys = ("rollup_rows", "floor_s", "rebuild_nightly_s", "ratio_nightly")
        out["rollup"] = {"2200": {k: big["rollup"][k] for k in keys},
                         "440": {k: county["rollup"][k] for k in keys} if "rollup" in county else None}  # fmt: skip
        if "rollup" in county:
            out["rollup"]["growth_2200_over_440"] = {
                k: round(min(big["rollup"][k]) / min(county["rollup"][k]), 2)
                for k in ("floor_s", "rebuild_nightly_s") if big["rollup"][k] and county["rollup"][k]
            } | {"rollup_rows": round(big["rollup"]["rollup_rows"] / county["rollup"]["rollup_rows"], 2)}
    if "incremental" in big:
        out["incremental"] = big["incremental"]
    if "pages" in big:
        out["pages_server_time"] = {key: {k: row[k] for k in ("queries", "median_s", "p95_s")}
                                    for key, row in big["pages"]["timed"].items()}  # fmt: skip
    return out


def summary(results, lines):
    out = county_summary(results) if all(db in results for db in (DB_TOWN, DB_COUNTY)) else {}
    if DB_BIG in results:
        out["2200_villages"] = big_summary(results)
    return {"machine": results["machine"], **out, "budgets_passed": sum(line["pass"] for line in lines),
            "budgets": len(lines)}  # fmt: skip


def county_summary(results):
    county, town = results[DB_COUNTY], results[DB_TOWN]
    pages = {
        size: {key: {k: row[k] for k in ("queries", "median_s", "p95_s")}
               for key, row in data["pages"]["timed"].items()}
        for size, data in (("22", town), ("440", county))
    }  # fmt: skip
    return {
        "rollup": {k: county["rollup"][k] for k in ("rollup_rows", "floor_rows", "floor_s", "rebuild_nightly_s",
                                                   "rebuild_from_empty_s", "ratio_nightly", "ratio_from_empty")},
        "incremental": county["incremental"],
        "pages_server_time": pages,
        "save_form": {line: row for line, row in county["save"].items() if isinstance(row, dict)},
        "excel_town_month": {k: county["excel"][k] for k in ("median_s", "p95_s", "max_s", "reports_saved", "cells")},
        "load": {name: {k: run[k] for k in ("users", "seconds", "requests", "rps", "median_ms", "p95_ms", "failures")}
                 for name, run in results.get("load", {}).items()},
    }  # fmt: skip


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="keep seeded benchmark databases that are already there")
    parser.add_argument("--quick", action="store_true", help="shorter load runs (10 s, 20 s)")
    parser.add_argument("--no-load", action="store_true", help="skip the gunicorn + locust runs")
    parser.add_argument("--out", default=str(ROOT / "test-results" / "bench.json"))
    parser.add_argument("--judge", metavar="FILE", help="only judge and print the results of an earlier run")
    parser.add_argument("--again", metavar="PHASES", help="with --reuse: re-run only these phases (comma-separated:"
                        " rollup,incremental,pages,save,excel,load) and keep the rest of the earlier --out file")
    parser.add_argument("--big", action="store_true", help=f"also {DB_BIG} (2,200 villages): pages, nightly roll-up")
    parser.add_argument("--big-only", action="store_true", help=f"only {DB_BIG}, merged into the --out file if there")
    args = parser.parse_args(argv)
    if args.judge:
        results = json.loads(Path(args.judge).read_text())
        return report(results, verdicts(results), args.judge)
    if args.again:
        return again(args)
    if args.big_only:
        return big_only(args)
    results = {"machine": machine()}
    for database, towns in SIZES.items():
        seeding = prepare(database, towns, args.reuse)
        phases = ("pages",) if database == DB_TOWN else ("rollup", "incremental", "pages", "save", "excel")
        print(f"== {database}: measuring {', '.join(phases)}", flush=True)
        results[database] = measure(database, *phases)
        if seeding:
            results[database]["seeding"] = seeding
    if not args.no_load:
        print("== load runs (gunicorn 4 workers, locust on loopback)", flush=True)
        results["load"] = load_runs({"read": 10 if args.quick else 30, "issue10": 20 if args.quick else 60})
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    if args.big:
        Path(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=1))  # kept if the big run fails
        measure_big(results, args.reuse)
    results["machine"]["load_at_end"] = load_average()
    Path(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=1))  # kept whatever happens next
    lines = verdicts(results)
    results["verdicts"] = lines
    Path(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=1))
    return report(results, lines, args.out)


def machine():
    return {"cores": os.cpu_count(), "load_at_start": load_average(), "server": PG_SERVER,
            "postgres": psql("SHOW server_version")[0][0], "started": time.strftime("%Y-%m-%d %H:%M:%S")}  # fmt: skip


def big_only(args):
    """Only the big database, its figures merged into the earlier --out file (judged against its 22 and 440
    villages) or, without one, judged alone."""
    path = Path(args.out)
    results = json.loads(path.read_text()) if path.exists() else {"machine": machine()}
    results["machine"]["big"] = f"measured at {time.strftime('%Y-%m-%d %H:%M:%S')}, load {load_average()}"
    measure_big(results, args.reuse)
    results["machine"].setdefault("load_at_end", load_average())
    lines = verdicts(results)
    results["verdicts"] = lines
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    return report(results, lines, args.out)


def again(args):
    """Re-run some phases on the seeded databases; merge them into the earlier results."""
    results = json.loads(Path(args.out).read_text())
    wanted = set(args.again.split(","))
    for database, towns in SIZES.items():
        prepare(database, towns, reuse=True)
        phases = [p for p in ("rollup", "incremental", "pages", "save", "excel") if p in wanted
                  and (database == DB_COUNTY or p == "pages")]  # fmt: skip
        if phases:
            print(f"== {database}: measuring {', '.join(phases)} again", flush=True)
            results[database].update(measure(database, *phases))
    if args.big and wanted & set(BIG_PHASES):
        measure_big(results, reuse=True, phases=[p for p in BIG_PHASES if p in wanted])
    if "load" in wanted:
        print("== load runs again", flush=True)
        results["load"] = load_runs({"read": 10 if args.quick else 30, "issue10": 20 if args.quick else 60})
    results["machine"]["load_at_end"] = load_average()
    results["machine"]["again"] = f"{args.again} at {time.strftime('%Y-%m-%d %H:%M:%S')}"
    lines = verdicts(results)
    results["verdicts"] = lines
    Path(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=1))
    return report(results, lines, args.out)


def report(results, lines, path):
    print(json.dumps(summary(results, lines), ensure_ascii=False, indent=1))
    print(f"\nDESIGN §8 budgets on PostgreSQL (load average at start {results['machine']['load_at_start']},"
          f" at end {results['machine']['load_at_end']}; full figures in {path}):")  # fmt: skip
    for line in lines:
        print(f"  {'PASS' if line['pass'] else 'FAIL'}  {line['budget']}: {line['measured']}")
    if DB_BIG in results:
        print_beside(results)
    return 0 if all(line["pass"] for line in lines) else 1


def print_beside(results):
    """The county's figures and the 2,200 villages' side by side, with the growth (5 × the villages)."""
    county, big = results.get(DB_COUNTY, {}), results[DB_BIG]
    rows = []

    def row(label, at_440, at_2200):
        growth = f"{at_2200 / at_440:.2f}×" if at_440 and at_2200 is not None else ""
        rows.append(f"  {label:<60} {at_440 if at_440 is not None else '—':>12} {at_2200:>12} {growth:>7}")

    pick = lambda data, phase, key: (data.get(phase) or {}).get(key)  # noqa: E731
    least = lambda value: min(value, default=None) if isinstance(value, list) else value  # noqa: E731
    for label, phase, key in (("roll-up rows", "rollup", "rollup_rows"), ("floor (s)", "rollup", "floor_s"),
                              ("nightly rebuild (s)", "rollup", "rebuild_nightly_s")):  # fmt: skip
        at_440, at_2200 = least(pick(county, phase, key)), least(pick(big, phase, key))
        if at_2200 is not None:
            row(label, at_440, at_2200)
    for name in ("median_s", "p95_s"):
        at_440 = (pick(county, "incremental", "rebuild_for_report") or {}).get(name)
        at_2200 = (pick(big, "incremental", "rebuild_for_report") or {}).get(name)
        if at_2200 is not None:
            row(f"one approval's roll-up, {name[:-2]} (s)", at_440, at_2200)
    timed = pick(big, "pages", "timed") or {}
    for key, page in timed.items():
        at_440 = ((pick(county, "pages", "timed") or {}).get(key) or {}).get("median_s")
        row(f"{page['label']}, median (s)", at_440, page["median_s"])
    print(f"\n440 and 2,200 villages side by side:\n  {'':<60} {'440':>12} {'2,200':>12} {'growth':>7}")
    print("\n".join(rows))


if __name__ == "__main__":
    sys.exit(main())
