"""The peak (issue 24, "Must show" (b)): every village secretary of the county saving his monthly forms while 50 leaders
read, against gunicorn with the page cache on (Redis), locust on loopback.

The model, the days before the 5th compressed into one run: each of the county's secretaries (440 in jingzi_bench,
every town's) arrives at a moment of his own, spread evenly over the run but its last stretch, opens the current
month's form of each of his work lines (those with figures typed by hand) and saves new figures, 3–10 s apart, and is
done (bench/locustfile.py, MonthEndSecretary). Meanwhile 50 leaders (the county leader and the towns' leaders in turn)
go through dashboards, the summary report, a report page and ledger lists with their usual 3–10 s of reading between
pages (Leader). Real month-ends spread the same saves over days: this is many times denser.

Budget: p95 ≤ 300 ms over every request of the run, no error, every secretary's every form saved, and every value of
every confirmed save in the database afterwards (bench/load_issue10.verify, value by value).

locust rather than wrk here: a secretary must read the form's CSRF token and version before saving, and what the server
confirmed must be recorded to be checked. The users think between requests, so the generator's load is small (its CPU
is reported). gunicorn: 4 sync workers, as for the capacity run (bench/capacity.py says why); roll-ups in-process.

    python -m bench.peak [DATABASE] [--seconds 120] [--replica URL]
"""

import argparse
import sys

from bench.capacity import MODES, WORKERS
from bench.common import DB_COUNTY, print_result, setup_django
from bench.load import gunicorn, leaders_scenario, run_locust
from bench.load_issue10 import secretaries_scenario, verify

LEADERS = 50
BUDGET_P95_MS = 300
SLOWEST_SECRETARY_S = 10  # the longest thinking between two forms


def arrivals_over(seconds, lines):
    """The stretch over which secretaries arrive: the run less the time the last one needs for his forms."""
    tail = SLOWEST_SECRETARY_S * lines + 10
    return max(seconds - tail, seconds / 3)


def run(database=DB_COUNTY, seconds=120, replica_url=None):
    secretaries = secretaries_scenario(every_town=True)
    scenario = {"secretaries": secretaries, "leaders": leaders_scenario(LEADERS)}
    forms = sum(len(secretary["lines"]) for secretary in secretaries)
    arrivals = arrivals_over(seconds, max(len(secretary["lines"]) for secretary in secretaries))
    env = {**MODES["cache_on"], **({"DATABASE_REPLICA_URL": replica_url} if replica_url else {})}
    with gunicorn(database, workers=WORKERS, env=env) as host:
        stats, saved = run_locust(
            host, scenario, classes=["MonthEndSecretary", "Leader"], users=len(secretaries) + LEADERS,
            seconds=seconds, spawn_rate=100,
            env={"BENCH_MONTH_END": str(len(secretaries)), "BENCH_LEADERS": str(LEADERS),
                 "BENCH_ARRIVALS": str(arrivals)},
        )  # fmt: skip
    reports, values, wrong = verify(saved)
    saves = stats["by_name"].get("monthly form: save", {}).get("requests", 0)
    result = {
        "secretaries": len(secretaries), "leaders": LEADERS, "arrivals_s": round(arrivals),
        "replica": bool(replica_url), "forms": forms, **stats, "saves_confirmed": saves, "reports_checked": reports,
        "values_checked": values, "values_wrong": wrong[:20],
    }  # fmt: skip
    result["pass"] = (
        stats["failures"] == 0 and stats["p95_ms"] <= BUDGET_P95_MS and reports == forms and not wrong
    )  # fmt: skip
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", nargs="?", default=DB_COUNTY)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--replica", metavar="URL", help="DATABASE_REPLICA_URL for the server (a streaming replica)")
    args = parser.parse_args(argv)
    setup_django(args.database)
    result = run(args.database, args.seconds, args.replica)
    return print_result(result, f"peak: {result['requests']} requests, {result['rps']} req/s,"
                        f" p95 {result['p95_ms']:.0f} ms, {result['failures']} errors; {result['reports_checked']} of"
                        f" {result['forms']} forms saved, {result['values_checked']} values checked,"
                        f" {len(result['values_wrong'])} wrong")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
