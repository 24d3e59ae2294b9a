"""Issue 10's load run: the 22 secretaries of one town saving their monthly forms while 50 leaders read dashboards,
for one minute, against gunicorn (4 workers) on loopback; no request may fail, and afterwards every value a
secretary saved (the server answered 302) must be in the database.

    python -m bench.load_issue10 [DATABASE] [--seconds 60]

Prints JSON and PASS/FAIL; bench/run.py runs it too. Figures go to docs/operations.md ("Load run").
"""

import argparse
import sys
from decimal import Decimal

from bench.common import DB_COUNTY, load_average, print_result, setup_django
from bench.load import gunicorn, leaders_scenario, run_locust

SECRETARIES, LEADERS = 22, 50


def secretaries_scenario(every_town=False):
    """The secretaries of the first town (or, with `every_town`, of every town of the county): session, village,
    current month, entered indicators per work line with a ceiling for the figures typed."""
    from bench.common import make_sessions, seeded_from_db
    from branches.models import User
    from reports import periods
    from reports.monthly import selectors

    seeded = seeded_from_db()
    villages = seeded.villages if every_town else seeded.towns[0].villages[:SECRETARIES]
    villages = [village for village in villages if village.secretary_id]
    users = {user.pk: user.username for user in User.objects.filter(pk__in=[v.secretary_id for v in villages])}
    sessions = make_sessions(users.values())
    month = periods.month_key(periods.current_month())
    found = []
    for village in villages:
        lines = {}
        for work_line, _label in selectors.work_lines_for(village.unit):
            entered = [spec for spec in selectors.specs_for(village.unit, work_line) if spec.is_entered]
            if entered:
                lines[work_line] = {spec.code: int(min(spec.max_value or 500, 500)) for spec in entered}
        found.append({"unit": village.unit.pk, "session": sessions[users[village.secretary_id]], "month": month,
                      "lines": lines})  # fmt: skip
    return found


def verify(saved):
    """Every value of every confirmed save is the value stored now: (reports checked, values checked, wrong)."""
    from reports import periods
    from reports.models import ReportValue

    wrong, values = [], 0
    for key, expected in saved.items():
        unit_id, work_line, month = key.split("|")
        stored = dict(
            ReportValue.objects.filter(report__unit_id=unit_id, report__work_line=work_line,
                                       report__month=periods.parse_month(month), indicator__code__in=list(expected))
            .values_list("indicator__code", "value")
        )  # fmt: skip
        for code, value in expected.items():
            values += 1
            if stored.get(code) != Decimal(value):
                wrong.append(f"{key} {code}: saved {value}, stored {stored.get(code)}")
    return len(saved), values, wrong


def run(database=DB_COUNTY, seconds=60):
    scenario = {"secretaries": secretaries_scenario(), "leaders": leaders_scenario(LEADERS)}
    before = load_average()
    with gunicorn(database) as host:
        stats, saved = run_locust(
            host, scenario, classes=["Secretary", "Leader"], users=SECRETARIES + LEADERS, seconds=seconds,
            spawn_rate=20, env={"BENCH_SECRETARIES": str(SECRETARIES), "BENCH_LEADERS": str(LEADERS)},
        )  # fmt: skip
    reports, values, wrong = verify(saved)
    saves = stats["by_name"].get("monthly form: save", {}).get("requests", 0)
    result = {
        "secretaries": SECRETARIES, "leaders": LEADERS, "seconds": seconds, "load_before": before, **stats,
        "saves_confirmed": saves, "reports_checked": reports, "values_checked": values, "values_wrong": wrong[:20],
    }  # fmt: skip
    result["pass"] = stats["failures"] == 0 and saves > 0 and reports > 0 and not wrong
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", nargs="?", default=DB_COUNTY)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args(argv)
    setup_django(args.database)
    result = run(args.database, args.seconds)
    return print_result(result, f"load run: {result['requests']} requests, {result['rps']} req/s,"
                        f" p95 {result['p95_ms']:.0f} ms, {result['failures']} errors;"
                        f" {result['values_checked']} saved values checked, {len(result['values_wrong'])} wrong")


if __name__ == "__main__":
    sys.exit(main())
