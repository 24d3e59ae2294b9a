"""Shared by the benchmarks: Django set-up for a benchmark database, the seeded county read back from it, sessions
made without a login (a password hash per virtual user would only measure PBKDF2), timing helpers."""

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB_COUNTY = "jingzi_bench"  # 20 towns × 22 villages
DB_TOWN = "jingzi_bench_town"  # 1 town × 22 villages
DB_BIG = "jingzi_bench_big"  # 100 towns × 22 villages (`bench.run --big`)


def database_url(name):
    return f"{PG_SERVER}/{name}"


def setup_django(database):
    """Point Django at `database` (a name on the benchmark server) and set it up; DEBUG off as in production."""
    os.environ["DATABASE_URL"] = database_url(database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jingzi.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def seeded_from_db():
    """The seeded county (reports.scale.Seeded) read back from the database, as tests/performance/pages.py wants."""
    from branches.models import Unit, User
    from reports import scale
    from reports.models import MonthlyReport

    county = Unit.objects.get(code=scale.COUNTY_CODE)
    towns = []
    for town in Unit.objects.filter(kind=Unit.Kind.TOWN, path__startswith=county.path).order_by("path"):
        leaders = list(User.objects.filter(unit=town, role=User.Role.LEADER).order_by("username")
                       .values_list("pk", flat=True))  # fmt: skip
        secretaries = dict(User.objects.filter(unit__path__startswith=town.path, role=User.Role.SECRETARY)
                           .values_list("unit_id", "pk"))  # fmt: skip
        villages = [
            scale.ScaleVillage(unit=unit, town=town, area=None, number=number, secretary_id=secretaries.get(unit.pk))
            for number, unit in enumerate(Unit.objects.filter(kind__in=Unit.VILLAGE_KINDS, path__startswith=town.path)
                                          .order_by("code"), start=1)  # fmt: skip
        ]
        towns.append(scale.ScaleTown(unit=town, areas=[], villages=villages, leader_ids=leaders))
    # the seeded (approved) months: the benchmarks themselves open drafts of the current month
    months = sorted(set(MonthlyReport.objects.filter(unit__path__startswith=county.path, status="approved")
                        .order_by().values_list("month", flat=True)))  # fmt: skip
    return scale.Seeded(county=county, towns=towns, villages=[v for t in towns for v in t.villages], months=months,
                        written=None, seconds={})  # fmt: skip


def make_sessions(usernames):
    """{username: session key} of fresh logged-in sessions in the session store."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from branches.models import User

    keys = {}
    for user in User.objects.filter(username__in=set(usernames)):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys[user.username] = session.session_key
    return keys


def percentile(values, share):
    values = sorted(values)
    if not values:
        return None
    index = min(len(values) - 1, max(0, round(share * (len(values) - 1))))
    return values[index]


def summary_of(seconds):
    return {"n": len(seconds), "median_s": round(statistics.median(seconds), 4),
            "p95_s": round(percentile(seconds, 0.95), 4), "max_s": round(max(seconds), 4)}  # fmt: skip


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def load_average():
    return [round(value, 2) for value in os.getloadavg()]


def print_result(result, verdict):
    """A load run's figures as JSON, then its PASS/FAIL line; the exit code for the command line."""
    print(json.dumps(result, ensure_ascii=False, indent=1))
    print(f"{'PASS' if result['pass'] else 'FAIL'}  {verdict}")
    return 0 if result["pass"] else 1
