"""`make demo-time`: a fresh `migrate`, a fresh `load_demo` and a second `load_demo` on a new SQLite database (the
embedded default `make run` uses), timed side by side and judged against DESIGN §8: a fresh load within 2× the
migrate, a second one within 5 s.

Each step runs as its own `manage.py` process, as a newcomer's `make run` does, so interpreter and Django start-up
count. The database is a temporary file, deleted afterwards.

    python -m bench.demo_time [--runs N]    # N rounds (default 1); the table shows each and the median
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FRESH_LIMIT = 2.0  # × migrate
SECOND_LIMIT = 5.0  # seconds

STEPS = (
    ("migrate", ["migrate", "--noinput", "-v", "0"]),
    ("load_demo (fresh)", ["load_demo"]),
    ("load_demo (again)", ["load_demo"]),
)


def timed(args, env):
    started = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def one_round():
    with tempfile.TemporaryDirectory(prefix="jingzi-demo-time-") as folder:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
            "MEDIA_ROOT": f"{folder}/media",
            "LOG_LEVEL": "WARNING",
        }
        env.pop("REDIS_URL", None)  # the embedded default: Celery in-process
        return {name: timed(args, env) for name, args in STEPS}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    options = parser.parse_args(argv)
    rounds = [one_round() for _ in range(options.runs)]
    median = {name: statistics.median(r[name] for r in rounds) for name, _args in STEPS}
    width = max(len(name) for name, _args in STEPS)
    print(f"{'step':<{width}}  " + "  ".join(f"run {i + 1:>2}" for i in range(len(rounds))) + "   median")
    for name, _args in STEPS:
        print(f"{name:<{width}}  " + "  ".join(f"{r[name]:6.1f}" for r in rounds) + f"  {median[name]:6.1f} s")
    ratio = median["load_demo (fresh)"] / median["migrate"]
    verdicts = (
        (f"fresh load_demo = {ratio:.2f} × migrate (budget ≤ {FRESH_LIMIT:g} ×)", ratio <= FRESH_LIMIT),
        (f"second load_demo = {median['load_demo (again)']:.1f} s (budget ≤ {SECOND_LIMIT:g} s)",
         median["load_demo (again)"] <= SECOND_LIMIT),
    )  # fmt: skip
    for text, ok in verdicts:
        print(f"{'PASS' if ok else 'FAIL'}  {text}")
    return 0 if all(ok for _text, ok in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
