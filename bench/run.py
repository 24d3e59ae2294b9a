"""`make bench`: the performance benchmarks of DESIGN §8 on PostgreSQL, judged against their budgets.

1. Two databases on the benchmark server (BENCH_PG, default postgres://postgres@127.0.0.1:5432): `jingzi_bench_town`
   (1 town × 22 villages) and `jingzi_bench` (20 towns × 22 villages = 440), each migrated and filled by
   `manage.py seed_scale` (10 years of approved monthly reports, ledgers, households), unless `--reuse` finds them.
2. In-process phases (bench/measure.py) on each: the full roll-up and its floor, one approval's roll-up, pages
   (server time, SQL queries), saving a monthly form, the Excel import of a town-month.
3. Load runs on the county database, gunicorn with 4 sync workers on loopback: the capacity of the leaders' read mix in
   a closed loop, with the page cache on and off (bench/capacity.py, wrk), and the peak — every secretary of the county
   saving his forms while 50 leaders read, the cache on (bench/peak.py, locust). `--replica` runs the peak with a
   streaming replica of the benchmark server as DATABASE_REPLICA_URL (bench/replica.py).
4. With `--big`: a third database, `jingzi_bench_big` (100 towns × 22 villages = 2,200, about 12 million values), seeded
   and reused the same way; on it the pages' query counts (judged against 22 and 440 villages), one approval's
   roll-up, and the nightly roll-up rebuild in one process beside its read floor (not the split rebuild nor the one
   from an empty table: they would take most of an hour there).

Prints a JSON summary and one PASS/FAIL line per budget; the whole result goes to test-results/bench.json.
Exit code 0 when every DESIGN §8 budget passes.

    python -m bench.run [--reuse] [--quick] [--no-load] [--replica] [--big] [--out FILE]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import capacity
from bench.common import DB_BIG, DB_COUNTY, DB_TOWN, PG_SERVER, ROOT, database_url, load_average

SIZES = {DB_TOWN: 1, DB_COUNTY: 20}  # towns of 22 villages
BIG_TOWNS = 100
BIG_PHASES = ("pages", "incremental", "rollup")  # on DB_BIG
# The roll-up there: the nightly rebuild in one process and its read floor; the split on workers and the rebuild from
# an empty table with its COPY floor would take most of an hour at 2,200 villages.
BIG_ROLLUP = ("--no-from-empty", "--no-split")


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


LOAD_SECONDS = {"quick": 60, "full": 120}  # the peak's length


def load_runs(quick, replica=False):
    """The capacity runs and the peak in a child process (Django set up on the county database there); their progress
    goes to standard error as they run."""
    seconds = LOAD_SECONDS["quick" if quick else "full"]
    code = (
        "import json; from bench.common import setup_django, DB_COUNTY; setup_django(DB_COUNTY);"
        "from bench import capacity, peak, replica;"
        f"cap = capacity.run(DB_COUNTY, quick={quick});"
        f"top = replica.peak_with_replica(DB_COUNTY, {seconds}) if {replica} else peak.run(DB_COUNTY, {seconds});"
        "print(json.dumps({'capacity': cap, 'peak': top}))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True,
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
    line(roll["ratio_nightly_split"] <= 2,
         f"nightly roll-up rebuild of an unchanged county, split per town on {roll['workers']} Celery workers"
         " (what beat runs on PostgreSQL) ≤ 2× the read floor",
         f"{roll['ratio_nightly_split']}× (split {min(roll['rebuild_nightly_split_s'])} s; in one process"
         f" {min(roll['rebuild_nightly_single_s'])} s = {roll['ratio_nightly_single']}×;"
         f" read floor {roll['floor_s']} s, {roll['floor_rows']:,} groups; {roll['rollup_rows']:,} rows kept)")
    line(roll["ratio_from_empty"] <= 1.5, "roll-up rebuild from an empty table ≤ 1.5× its floor (read + COPY in)",
         f"{roll['ratio_from_empty']}× ({roll['rebuild_from_empty_s']} s; floor {roll['copy_floor_s']} s ="
         f" read {roll['copy_floor_read_s']} s + COPY of {roll['copy_floor_rows']:,} rows"
         f" {roll['copy_floor_copy_s']} s)")
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
        for verdict in load_verdicts(results["load"]):
            line(verdict["pass"], verdict["budget"], verdict["measured"])

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
    if "rollup" in big:
        roll = big["rollup"]
        line(roll["ratio_nightly_single"] <= 2,
             "2,200 villages: nightly roll-up rebuild of an unchanged county, one process, ≤ 2× the read floor",
             f"{roll['ratio_nightly_single']}× (rebuild {min(roll['rebuild_nightly_single_s'])} s, read floor"
             f" {roll['floor_s']} s, {roll['rollup_rows']:,} rows kept)")  # fmt: skip
    if "incremental" in big:
        inc = big["incremental"]["rebuild_for_report"]
        line(inc["p95_s"] < 0.3, "2,200 villages: incremental roll-up after one approval < 0.3 s (p95)",
             f"median {inc['median_s']} s, p95 {inc['p95_s']} s, max {inc['max_s']} s over {inc['n']}")  # fmt: skip


def load_verdicts(load):
    lines = []

    def line(ok, budget, measured):
        lines.append({"pass": bool(ok), "budget": budget, "measured": measured})

    if "capacity" not in load:  # a results file from before issue 24: its read mix and issue 10 runs
        mix, issue = load["read_mix"], load["issue10"]
        line(mix["failures"] == 0, "load, read mix (40 leaders, gunicorn 4 workers): no errors",
             f"{mix['rps']} req/s, p95 {mix['p95_ms']:.0f} ms, {mix['failures']} errors of {mix['requests']}")
        line(issue["pass"], "load, issue 10 (22 secretaries saving + 50 leaders, 60 s): no errors, every save stored",
             f"{issue['rps']} req/s, p95 {issue['p95_ms']:.0f} ms, {issue['failures']} errors of {issue['requests']}")
        return lines
    cap, top = load["capacity"], load["peak"]

    def at_capacity(mode):
        steps = [step for step in cap[mode]["steps"] if step["rps"] == cap[mode]["capacity_rps"]]
        step = steps[0] if steps else None
        return (f"{cap[mode]['capacity_rps']} req/s" + (f" (N={step['connections']}, median {step['median_ms']} ms,"
                f" p95 {step['p95_ms']} ms)" if step else " (no step within 300 ms)"))  # fmt: skip

    wrk_cpu = max(step["generator_pct"] for mode in ("cache_on", "cache_off") for step in cap[mode]["steps"])
    line(capacity.passes(cap),
         f"load, capacity of the leaders' read mix (closed loop, gunicorn {cap['workers']} workers,"
         f" highest rate at p95 ≤ 300 ms): cache on ≥ 3× cache off",
         f"on {at_capacity('cache_on')}, off {at_capacity('cache_off')}: {cap['ratio']}×; the most answered"
         f" whatever the p95: on {cap['cache_on']['max_rps']}, off {cap['cache_off']['max_rps']} req/s"
         f" ({cap['max_rps_ratio']}×); wrk ≤ {wrk_cpu} % of a core")  # fmt: skip
    line(top["pass"], f"load, the peak ({top['secretaries']} secretaries saving every form + {top['leaders']} leaders"
         f" reading, cache on{', replica on' if top.get('replica') else ''}): p95 ≤ 300 ms, no errors, every save"
         f" stored",
         f"{top['requests']} requests in {top['seconds']} s ({top['rps']} req/s), median {top['median_ms']:.0f} ms,"
         f" p95 {top['p95_ms']:.0f} ms, {top['failures']} errors; {top['reports_checked']} of {top['forms']} forms"
         f" saved, {top['values_checked']} values checked, {len(top['values_wrong'])} wrong; locust"
         f" {top['generator_cpu_pct']} % of a core")  # fmt: skip
    return lines


def load_summary(load):
    if "capacity" not in load:
        return {name: {k: run[k] for k in ("users", "seconds", "requests", "rps", "median_ms", "p95_ms", "failures")}
                for name, run in load.items()}  # fmt: skip
    cap, top = load["capacity"], load["peak"]
    step_keys = ("connections", "rps", "median_ms", "p95_ms", "errors", "generator_pct", "machine_pct")
    return {
        "capacity": {
            "workers": cap["workers"], "ratio": cap["ratio"], "max_rps_ratio": cap["max_rps_ratio"],
            **{mode: {"capacity_rps": cap[mode]["capacity_rps"], "max_rps": cap[mode]["max_rps"],
                      "steps": [{k: step[k] for k in step_keys} for step in cap[mode]["steps"]],
                      "pages_median_ms": {name: page["median_ms"] for name, page in cap[mode]["pages"].items()}}
               for mode in ("cache_on", "cache_off")},
        },
        "peak": {k: top.get(k) for k in ("secretaries", "leaders", "replica", "seconds", "requests", "rps",
                                         "median_ms", "p95_ms", "failures", "forms", "reports_checked",
                                         "values_checked", "generator_cpu_pct")},
    }  # fmt: skip


def least(value):
    """A figure measured several times: its least; measured once: itself."""
    return min(value, default=None) if isinstance(value, list) else value


def big_summary(results):
    """The 2,200-village figures beside the county's, with how they grow (2,200 / 440)."""
    big, county = results[DB_BIG], results.get(DB_COUNTY, {})
    out = {"seeding": big.get("seeding"), "size": big.get("size")}
    if "rollup" in big:
        keys = ("rollup_rows", "floor_s", "rebuild_nightly_single_s", "ratio_nightly_single")
        out["rollup"] = {"2200": {k: big["rollup"][k] for k in keys},
                         "440": {k: county["rollup"][k] for k in keys} if "rollup" in county else None}  # fmt: skip
        if "rollup" in county:
            out["rollup"]["growth_2200_over_440"] = {
                k: round(least(big["rollup"][k]) / least(county["rollup"][k]), 2)
                for k in ("floor_s", "rebuild_nightly_single_s") if big["rollup"][k] and county["rollup"][k]
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
        "rollup": {k: county["rollup"][k] for k in (
            "rollup_rows", "floor_rows", "floor_s", "rebuild_nightly_single_s", "ratio_nightly_single", "workers",
            "rebuild_nightly_split_s", "ratio_nightly_split", "copy_floor_s", "rebuild_from_empty_s",
            "ratio_from_empty")},
        "incremental": county["incremental"],
        "pages_server_time": pages,
        "save_form": {line: row for line, row in county["save"].items() if isinstance(row, dict)},
        "excel_town_month": {k: county["excel"][k] for k in ("median_s", "p95_s", "max_s", "reports_saved", "cells")},
        "load": load_summary(results["load"]) if "load" in results else {},
    }  # fmt: skip


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="keep seeded benchmark databases that are already there")
    parser.add_argument("--quick", action="store_true", help="shorter load runs (5 s capacity steps, a 60 s peak)")
    parser.add_argument("--no-load", action="store_true", help="skip the load runs (gunicorn with wrk and locust)")
    parser.add_argument("--replica", action="store_true", help="the peak with a streaming replica of the benchmark"
                        " server (DATABASE_REPLICA_URL); needs replication allowed from 127.0.0.1")  # fmt: skip
    parser.add_argument("--out", default=str(ROOT / "test-results" / "bench.json"))
    parser.add_argument("--judge", metavar="FILE", help="only judge and print the results of an earlier run")
    parser.add_argument("--again", metavar="PHASES", help="with --reuse: re-run only these phases (comma-separated:"
                        " rollup,incremental,pages,save,excel,load) and keep the rest of the earlier --out file")
    parser.add_argument("--big", action="store_true", help=f"also {DB_BIG} (2,200 villages): pages, nightly roll-up")
    parser.add_argument("--big-only", action="store_true", help=f"only {DB_BIG}, merged into the --out file if there")
    args = parser.parse_args(argv)
    if args.replica and not args.no_load:
        from bench.replica import refusal

        reason = refusal()  # before the long phases, not after them
        if reason:
            parser.error(f"--replica: {reason}")
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
        print("== load runs: capacity (wrk), the peak (locust); gunicorn 4 workers on loopback", flush=True)
        results["load"] = load_runs(args.quick, args.replica)
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
        results["load"] = load_runs(args.quick, args.replica)
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
    for label, phase, key in (("roll-up rows", "rollup", "rollup_rows"), ("floor (s)", "rollup", "floor_s"),
                              ("nightly rebuild, one process (s)", "rollup", "rebuild_nightly_single_s")):  # fmt: skip
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
