"""Load runs against gunicorn (4 workers) on loopback, driven by locust headless (bench/locustfile.py).

Why locust: a well-kept load generator from PyPI (MIT, active since 2011) that scripts users in Python, so a secretary
can open a form, read its CSRF token and version, save it and record what the server confirmed — which a plain
request blaster (wrk, ab) cannot; headless mode prints requests/s, percentiles and failures, and `--csv` gives them
in machine-readable form. Pinned in bench/requirements.txt, kept out of the test requirements.

    python -m bench.load [DATABASE]        # the read mix: 40 leaders on dashboards, report pages and ledger lists
"""

import contextlib
import csv
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.common import ROOT, database_url, load_average

VENV_BIN = Path(sys.executable).parent


def free_port():
    """A port nobody listens on now (another process's server must never receive the benchmark's load)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Host(str):
    """The server's base URL, knowing its master's process id (the process group of master and workers)."""

    def __new__(cls, url, pid):
        host = super().__new__(cls, url)
        host.pid = pid
        return host


@contextlib.contextmanager
def gunicorn(database, port=None, workers=4, env=None):
    """gunicorn jingzi.wsgi on 127.0.0.1 (a free port) with `workers` sync workers; stopped on exit. `env` adds to
    (or, with None values, removes from) the server's environment: by default no REDIS_URL, so roll-ups run
    in-process and the page cache is each worker's own memory."""
    port = port or free_port()
    server_env = {**os.environ, "DATABASE_URL": database_url(database), "DEBUG": "0", "LOG_LEVEL": "WARNING",
                  "DB_CONN_MAX_AGE": "60", "DJANGO_SETTINGS_MODULE": "jingzi.settings"}  # fmt: skip
    for name in ("REDIS_URL", "CACHE", "DATABASE_REPLICA_URL", "CELERY_EAGER"):
        server_env.pop(name, None)  # only what the caller asks for
    for name, value in (env or {}).items():
        if value is None:
            server_env.pop(name, None)
        else:
            server_env[name] = value
    command = [str(VENV_BIN / "gunicorn"), "jingzi.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}",
               "--timeout", "120", "--log-level", "warning"]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=server_env, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise RuntimeError("gunicorn exited (port taken?)")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("gunicorn did not start")  # e.g. the port was taken meanwhile
            time.sleep(0.5)
        yield Host(f"http://127.0.0.1:{port}", server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def run_locust(host, scenario, *, classes, users, seconds, spawn_rate=10, env=None):
    """Run locust headless for `seconds`; return its aggregated figures, each request name's, and the saved log."""
    with tempfile.TemporaryDirectory(prefix="jingzi-load-") as folder:
        scenario_file = Path(folder) / "scenario.json"
        scenario_file.write_text(json.dumps(scenario, ensure_ascii=False))
        saved_file = Path(folder) / "saved.json"
        run_env = {**os.environ, "BENCH_SCENARIO": str(scenario_file), "BENCH_SAVED": str(saved_file), **(env or {})}
        command = [str(VENV_BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
                   "-u", str(users), "-r", str(spawn_rate), "-t", f"{seconds}s", "--host", host,
                   "--csv", str(Path(folder) / "load"), "--only-summary", "--stop-timeout", "10",
                   "--loglevel", "WARNING", *classes]  # fmt: skip
        before = load_average()
        cpu = ChildCpu()
        subprocess.run(command, cwd=ROOT, env=run_env, check=False, stdout=subprocess.DEVNULL)
        generator_cpu_s = cpu.seconds()
        stats = read_stats(Path(folder) / "load_stats.csv")
        failures = Path(folder) / "load_failures.csv"
        stats["errors"] = [f"{row['Occurrences']}× {row['Name']}: {row['Error'][:200]}"
                           for row in csv.DictReader(open(failures))][:10] if failures.exists() else []  # fmt: skip
        saved = json.loads(saved_file.read_text()) if saved_file.exists() else {}
    stats["load_before"], stats["load_after"] = before, load_average()
    stats["users"], stats["seconds"] = users, seconds
    # the generator's own share of the 2 cores it shares with the server (100 % = one core)
    stats["generator_cpu_pct"] = round(100 * generator_cpu_s / seconds, 1)
    return stats, saved


class ChildCpu:
    """CPU seconds (user + system) of the child processes waited for since it was made: the load generator's."""

    def __init__(self):
        self.start = self._used()

    @staticmethod
    def _used():
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    def seconds(self):
        return self._used() - self.start


def read_stats(path):
    rows = list(csv.DictReader(open(path)))

    def figures(row):
        return {"requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                "rps": round(float(row["Requests/s"]), 2), "median_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]), "max_ms": float(row["Max Response Time"])}  # fmt: skip

    total = next(row for row in rows if row["Name"] == "Aggregated")
    return {**figures(total), "by_name": {row["Name"]: figures(row) for row in rows if row["Name"] != "Aggregated"}}


def leader_pages(village_id, month_key):
    """What a leader opens: his dashboard and its drill-down, the summary, a report page of the first town's first
    village, ledger lists — each at his own level (town or county) by default."""
    return [
        ("dashboard", "/dashboard/"),
        ("summary report", "/reports/"),
        ("dashboard drill-down", "/dashboard/indicator/gov.hazards_found/"),
        ("monthly report page", f"/reports/{village_id}/governance/{month_key}/"),
        ("ledger list: hazards", "/governance/hazards/"),
        ("ledger list: cleanups", "/environment/cleanups/"),
    ]


def leaders_scenario(count):
    """`count` leader sessions (the county leader and the towns' leaders in turn), each with its pages."""
    from bench.common import make_sessions, seeded_from_db
    from branches.models import User

    seeded = seeded_from_db()
    first_village = {town.unit.pk: town.villages[0].unit.pk for town in seeded.towns}
    month_key = seeded.months[-1].strftime("%Y-%m")
    names = [("scale-leader", seeded.towns[0].unit.pk)] + list(
        User.objects.filter(role=User.Role.LEADER, unit__kind="town").order_by("username")
        .values_list("username", "unit_id")
    )  # fmt: skip
    leaders = []
    for index in range(count):
        name, town_id = names[index % len(names)]
        session = make_sessions([name])[name]  # one session per virtual user
        leaders.append({"username": name, "session": session,
                        "pages": leader_pages(first_village[town_id], month_key)})  # fmt: skip
    return leaders


def read_mix(database, users=40, seconds=30):
    """The read mix: `users` leaders on dashboards, the summary, a report page and ledger lists."""
    scenario = {"leaders": leaders_scenario(users)}
    with gunicorn(database) as host:
        stats, _saved = run_locust(host, scenario, classes=["Leader"], users=users, seconds=seconds,
                                   env={"BENCH_LEADERS": "0"})  # fmt: skip
    return stats


def main(argv=None):
    from bench.common import DB_COUNTY, setup_django

    database = (argv or sys.argv[1:] or [DB_COUNTY])[0]
    setup_django(database)
    print(json.dumps(read_mix(database), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
