"""Capacity of the leaders' read mix (issue 24, "Must show" (a)): a closed loop with no thinking time against gunicorn
on loopback, once with the page cache on (Redis, reports/cache.py) and once with it off (CACHE=off: Django's dummy
cache).

The mix is bench/load.py's leader_pages — dashboard, summary report, dashboard drill-down, a village's monthly report
page, two ledger lists — of 50 leader sessions (the county leader and the towns' leaders in turn), each request the
next (session, page) of the rotation. N connections each send their next request the moment the last one is answered
(a closed loop: N users who never stop to read). N is stepped up (1, 2, 4, 6, 8, 12, 16, 24) after a warm-up, a fixed
short time each; per step the request rate, median and p95. The capacity is the highest request rate of a step whose
p95 is within 300 ms with no error; the run stops stepping once two steps in a row are over. Each page alone, one
connection, gives its service time with the cache on and off, and so which pages the capacity is spent on.

The generator is `wrk` (Debian's package; `make bench` installs it): one thread, one epoll loop in C, a Lua script that
rotates the (URL, session cookie) pairs and counts any answer that is not a 200 (a redirect to the login page
included) as an error. It needs a few per cent of one core where locust would take a large share of the 2 cores it
shares with gunicorn and PostgreSQL; its CPU, gunicorn's and PostgreSQL's are measured for each step and reported.
Sessions are made in the database beforehand (bench.common.make_sessions), so no login is measured.

gunicorn: 4 sync workers, 2 per core. A page spends part of its time waiting for PostgreSQL on the same 2 cores, so two
workers per core keep both cores busy; more only queue inside the server instead of in its listen backlog, each with
its own database connection and memory. Roll-ups run in-process (CELERY_EAGER=1) — REDIS_URL would otherwise make
Celery send them to a broker with no worker; the mix only reads.

    python -m bench.capacity [DATABASE] [--quick] [--workers 4]
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import DB_COUNTY, load_average, print_result
from bench.load import ChildCpu, gunicorn, leaders_scenario

LEADERS = 50
BUDGET_P95_MS = 300
RATIO_WANTED = 3
WORKERS = 4
STEPS = (1, 2, 4, 6, 8, 12, 16, 24)
QUICK_STEPS = (1, 2, 4, 8, 16)
REDIS_URL = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/0")
MODES = {
    "cache_on": {"REDIS_URL": REDIS_URL, "CELERY_EAGER": "1"},
    "cache_off": {"CACHE": "off"},
}
# After the first answer of each page has filled the cache (cache on) or PostgreSQL's buffers (both): not measured.
WARM_UP = {"seconds": 10, "connections": 4}

LUA = """
mix = {%(requests)s}
threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  turn = %(offset)d
  bad = 0
end

function request()
  turn = turn %% #mix + 1
  return mix[turn]
end

function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("bad") end
  local e = summary.errors
  io.write(string.format('WRK-JSON {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p95_us": %%d, "max_us": %%d,'
    .. ' "bad_status": %%d, "socket_errors": %%d, "timeouts": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency.max,
    bad, e.connect + e.read + e.write, e.timeout))
end
"""


def lua_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def wrk_script(pairs, offset=0):
    """The Lua script sending `pairs` ((path, session key), …) in turn, starting at `offset`."""
    requests = ",\n  ".join(
        f'wrk.format("GET", {lua_string(path)}, {{["Cookie"] = {lua_string("sessionid=" + session)}}})'
        for path, session in pairs
    )
    return LUA % {"requests": "\n  " + requests + "\n", "offset": offset % max(len(pairs), 1)}


# ── CPU accounting ───────────────────────────────────────────────────────────────────────────────────────────────

TICK = os.sysconf("SC_CLK_TCK")


def _processes():
    """{pid: (comm, process group, CPU seconds)} of every process now."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue  # gone meanwhile
        comm, rest = text[text.index("(") + 1 : text.rindex(")")], text[text.rindex(")") + 2 :].split()
        found[int(entry.name)] = (comm, int(rest[2]), (int(rest[11]) + int(rest[12])) / TICK)
    return found


def _machine():
    """CPU seconds the whole machine has been busy since boot (all cores)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields) - idle) / TICK


class CpuShares:
    """CPU used between start and stop by gunicorn (its process group), PostgreSQL (every `postgres` process: other
    sessions' too) and the whole machine, in per cent of one core. A process that ended in between is not counted
    (its CPU time went with it), one that started is counted whole."""

    def __init__(self, server_group):
        self.group = server_group
        self.started = time.monotonic()
        self.before, self.machine = _processes(), _machine()

    def stop(self, generator_seconds):
        after, machine, wall = _processes(), _machine(), time.monotonic() - self.started
        server = postgres = 0.0
        for pid, (comm, group, seconds) in after.items():
            used = seconds - self.before.get(pid, (None, None, 0.0))[2]
            if group == self.group:
                server += used
            elif comm.startswith("postgres"):
                postgres += used

        def pct(seconds):
            return round(100 * seconds / wall)

        return {"gunicorn_pct": pct(server), "postgres_pct": pct(postgres),
                "generator_pct": round(100 * generator_seconds / wall, 1), "machine_pct": pct(machine - self.machine),
                "machine_of_pct": 100 * os.cpu_count()}  # fmt: skip


# ── one wrk run ──────────────────────────────────────────────────────────────────────────────────────────────────


def wrk(host, pairs, connections, seconds, offset=0):
    """`connections` closed-loop connections for `seconds` over the rotation `pairs` from `offset` on: rate, median,
    p95, errors and everyone's CPU."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="jingzi-wrk-", delete=False) as script:
        script.write(wrk_script(pairs, offset=offset))
    try:
        command = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
                   "-s", script.name, host]  # fmt: skip
        cpu, shares = ChildCpu(), CpuShares(host.pid)
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        cpu_use = shares.stop(cpu.seconds())
    finally:
        os.unlink(script.name)
    found = json.loads(next(line for line in done.stdout.splitlines() if line.startswith("WRK-JSON "))[9:])
    duration = found["duration_us"] / 1e6
    errors = found["bad_status"] + found["socket_errors"] + found["timeouts"]
    return {
        "connections": connections, "seconds": round(duration, 1), "requests": found["requests"],
        "rps": round(found["requests"] / duration, 1), "median_ms": round(found["p50_us"] / 1000, 1),
        "p95_ms": round(found["p95_us"] / 1000, 1), "max_ms": round(found["max_us"] / 1000, 1), "errors": errors,
        **cpu_use,
    }  # fmt: skip


def within_budget(step):
    """No error, p95 within the budget — and something answered (a server stuck on a lock answers nothing)."""
    return step["requests"] > 0 and step["errors"] == 0 and step["p95_ms"] <= BUDGET_P95_MS


def step_up(host, pairs, steps, seconds, workers):
    """The closed loop at each N of `steps`; stops after two steps in a row over the budget, but not before N reaches
    the number of workers (the server's saturated rate is worth knowing too). Each step goes on with the rotation
    where the last one left it, so a short step does not see only the first pages of it."""
    offset = wrk(host, pairs, WARM_UP["connections"], WARM_UP["seconds"])["requests"]
    found, over = [], 0
    for connections in steps:
        step = wrk(host, pairs, connections, seconds, offset)
        offset += step["requests"]
        found.append(step)
        print(f"   N={connections:>2}: {step['rps']:>6} req/s, median {step['median_ms']:>6} ms, p95"
              f" {step['p95_ms']:>6} ms, {step['errors']} errors; CPU % of a core: gunicorn {step['gunicorn_pct']},"
              f" postgres {step['postgres_pct']}, wrk {step['generator_pct']}, machine {step['machine_pct']}"
              f"/{step['machine_of_pct']}", file=sys.stderr, flush=True)  # fmt: skip
        over = 0 if within_budget(step) else over + 1
        if over >= 2 and connections >= workers:
            break
    return found


def capacity_of(steps):
    """The highest request rate of a step within the budget (0 if none is)."""
    return max((step["rps"] for step in steps if within_budget(step)), default=0)


# ── the mix and its pages ────────────────────────────────────────────────────────────────────────────────────────


def the_mix():
    """(pairs of the whole mix, {page label @ level: its pairs}) of LEADERS leader sessions."""
    leaders = leaders_scenario(LEADERS)
    pairs, by_page = [], {}
    for leader in leaders:  # a leader's pages one after the other: any stretch of the rotation holds the whole mix
        level = "county" if leader["username"] == "scale-leader" else "town"
        for label, path in leader["pages"]:
            pairs.append((path, leader["session"]))
            by_page.setdefault(f"{label}@{level}", []).append((path, leader["session"]))
    return pairs, by_page


def page_times(host, by_page, seconds):
    """Each page alone on one connection: its service time (median, p95) and its rate."""
    result = {}
    for name, pairs in by_page.items():
        step = wrk(host, pairs, 1, seconds)
        result[name] = {key: step[key] for key in ("requests", "rps", "median_ms", "p95_ms", "errors")}
    return result


def shares_of_the_mix(by_page, pages):
    """Per page: its weight in the mix and its share of the mix's server time (median × weight, normalised)."""
    total = sum(len(pairs) for pairs in by_page.values())
    cost = {name: len(by_page[name]) / total * pages[name]["median_ms"] for name in pages}
    mean = sum(cost.values())
    return {"mean_ms": round(mean, 1),
            "pages": {name: {"weight_pct": round(100 * len(by_page[name]) / total, 1),
                             "time_share_pct": round(100 * cost[name] / mean, 1)} for name in pages}}  # fmt: skip


def run_mode(database, mode, pairs, by_page, steps, seconds, page_seconds, workers):
    print(f"== capacity, {mode.replace('_', ' ')} (gunicorn {workers} sync workers, wrk on loopback)",
          file=sys.stderr, flush=True)  # fmt: skip
    with gunicorn(database, workers=workers, env=MODES[mode]) as host:
        found = step_up(host, pairs, steps, seconds, workers)
        pages = page_times(host, by_page, page_seconds) if page_seconds else {}
    result = {"steps": found, "capacity_rps": capacity_of(found), "max_rps": max(step["rps"] for step in found),
              "pages": pages}  # fmt: skip
    if pages:
        result["mix"] = shares_of_the_mix(by_page, pages)
    return result


def run(database=DB_COUNTY, quick=False, workers=WORKERS, pages=True):
    if not shutil.which("wrk"):
        raise RuntimeError("wrk is not installed (Debian: apt-get install wrk; `make bench` installs it)")
    pairs, by_page = the_mix()
    steps, seconds, page_seconds = (QUICK_STEPS, 5, 2) if quick else (STEPS, 15, 4)
    result = {"leaders": LEADERS, "workers": workers, "step_seconds": seconds, "budget_p95_ms": BUDGET_P95_MS,
              "load_before": load_average()}  # fmt: skip
    for mode in MODES:
        result[mode] = run_mode(database, mode, pairs, by_page, steps, seconds, page_seconds if pages else 0, workers)
    result["load_after"] = load_average()
    on, off = result["cache_on"]["capacity_rps"], result["cache_off"]["capacity_rps"]
    result["ratio"] = round(on / off, 2) if off else None
    # whatever the p95: the most the server answered with the cache on against off
    result["max_rps_ratio"] = round(result["cache_on"]["max_rps"] / result["cache_off"]["max_rps"], 2)
    result["pass"] = passes(result)
    return result


def passes(result):
    """Both capacities measured and the cache-on one ≥ RATIO_WANTED × the other. With no step of the cache-off run
    within the budget there is no ratio to judge: that is not a pass (a cache-off p95 a few ms over at one connection
    would otherwise read as an infinite gain)."""
    on, off = result["cache_on"]["capacity_rps"], result["cache_off"]["capacity_rps"]
    return bool(on) and bool(off) and on >= RATIO_WANTED * off


def main(argv=None):
    from bench.common import setup_django

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", nargs="?", default=DB_COUNTY)
    parser.add_argument("--quick", action="store_true", help="5 s steps up to 16 connections, 2 s per page")
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument("--no-pages", action="store_true", help="skip the per-page service times")
    args = parser.parse_args(argv)
    setup_django(args.database)
    result = run(args.database, args.quick, args.workers, pages=not args.no_pages)
    on, off = result["cache_on"]["capacity_rps"], result["cache_off"]["capacity_rps"]
    return print_result(result, f"capacity with the cache on {on} req/s, off {off} req/s: {result['ratio']}× (wanted"
                        f" ≥ {RATIO_WANTED}×); the most answered whatever the p95: on {result['cache_on']['max_rps']},"
                        f" off {result['cache_off']['max_rps']} req/s, {result['max_rps_ratio']}×")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
