"""The roll-up phase of the benchmark (bench/measure.py `rollup`): the nightly rebuild and the rebuild from an empty
table, each beside its floor, measured in one run on one seeded county.

- **The read floor**: what any rebuild must do at the least — one `SELECT … GROUP BY` that reads every approved value
  once, joined to the calendar, grouped per reporting unit × indicator × period, writing nothing. Run under the
  rebuild's `work_mem`, both with PostgreSQL's own plan and with hashing preferred to sorting (as the rebuild asks);
  the faster is the floor.
- **The nightly rebuild of an unchanged county**, twice each: in one process (`rebuild_all`, what SQLite runs) and
  split (what beat runs on PostgreSQL: `rollup_full` → one task per town, then the county's) on real Celery workers —
  `celery worker --concurrency WORKERS` through Redis, timed from the task's start to the county's part done. Both
  must leave the stored rows as they were (checked by a checksum of the whole table).
- **The from-empty floor**: the read floor's rows COPYed into the emptied roll-up table (same indexes, foreign keys
  checked): the read plus the COPY. And the rebuild from an empty table (in a transaction rolled back afterwards).
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

from bench.common import ROOT, database_url

READ_FLOOR_SQL = """
SELECT pm.period, pm.period_type, r.unit_id, v.indicator_id, SUM(v.approved_value) AS value
FROM {value} v
JOIN {report} r ON r.id = v.report_id
JOIN {calendar} pm ON pm.month = r.month
WHERE r.status = 'approved' AND v.approved_value IS NOT NULL
GROUP BY pm.period, pm.period_type, r.unit_id, v.indicator_id
"""
TABLE_CHECKSUM_SQL = """
SELECT COUNT(*), SUM(hashtextextended(unit_id::text || '|' || period || '|' || period_type || '|' || indicator_id::text
                                       || '|' || value::text, 0))
FROM {rollup}
"""
WORKERS = int(os.environ.get("BENCH_ROLLUP_WORKERS", "2"))
SPLIT_TIMEOUT = 1800  # seconds


def _timed(function):
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def read_floor(cursor, names, work_mem, prefer_hash):
    """Seconds of the read floor and its (rows, sum) — the sum makes PostgreSQL compute every group's figure."""
    cursor.execute(f"SET LOCAL work_mem = '{work_mem}'")
    cursor.execute(f"SET LOCAL enable_sort = {'off' if prefer_hash else 'on'}")
    sql = f"SELECT COUNT(*), SUM(x.value) FROM ({READ_FLOOR_SQL.format(**names)}) x"
    seconds, _ = _timed(lambda: cursor.execute(sql))
    return seconds, cursor.fetchone()


def table_checksum(cursor, names):
    cursor.execute(TABLE_CHECKSUM_SQL.format(**names))
    count, checksum = cursor.fetchone()
    return count, str(checksum)


def copy_floor(connection, names, work_mem):
    """The from-empty floor: (read seconds, COPY-in seconds, rows) — the read floor's rows COPYed out, then into the
    emptied roll-up table, its foreign keys checked; rolled back."""
    from django.db import transaction

    with tempfile.TemporaryFile() as rows, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{work_mem}'")
        cursor.execute("SET LOCAL enable_sort = off")
        read_s, _ = _timed(lambda: cursor.copy_expert(f"COPY ({READ_FLOOR_SQL.format(**names)}) TO STDOUT", rows))
        rows.seek(0)
        cursor.execute(f"TRUNCATE {names['rollup']}")

        def copy_in():
            cursor.copy_expert(f"COPY {names['rollup']} (period, period_type, unit_id, indicator_id, value) FROM STDIN",
                               rows)  # fmt: skip
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            return cursor.rowcount

        copy_s, _ = _timed(copy_in)
        cursor.execute(f"SELECT COUNT(*) FROM {names['rollup']}")
        copied = cursor.fetchone()[0]
        transaction.set_rollback(True)
    return read_s, copy_s, copied


class Workers:
    """`celery worker --concurrency N` on the benchmark database and a queue of its own on Redis; the calling process
    publishes to it (not eager)."""

    def __init__(self, database, concurrency, redis_url):
        self.queue = f"jingzi-bench-{uuid.uuid4().hex[:8]}"
        self.redis_url = redis_url
        self.log = tempfile.NamedTemporaryFile(prefix="jingzi-bench-worker-", suffix=".log", delete=False)
        env = {**os.environ, "DATABASE_URL": database_url(database), "REDIS_URL": redis_url, "CELERY_QUEUE": self.queue,
               "DEBUG": "0", "LOG_LEVEL": "WARNING", "DB_CONN_MAX_AGE": "60"}  # fmt: skip
        command = [sys.executable, "-m", "celery", "-A", "jingzi", "worker", "--pool=prefork",
                   f"--concurrency={concurrency}", "-Q", self.queue, "-n", f"{self.queue}@%h", "-l", "info",
                   "--without-gossip", "--without-mingle", "--without-heartbeat"]  # fmt: skip
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def __enter__(self):
        from jingzi.celery import app

        deadline = time.monotonic() + 60
        while b" ready." not in open(self.log.name, "rb").read():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the Celery worker did not start: " + open(self.log.name).read()[-2000:])
            time.sleep(0.5)
        app.conf.update(broker_url=self.redis_url, task_always_eager=False, task_default_queue=self.queue)
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=60)
        os.unlink(self.log.name)


def split_rebuild():
    """The nightly task's work as beat sets it off on PostgreSQL: helper tables, then the chord; wait for the
    county's part (its result is stored by the django-db result backend)."""
    from branches.models import Unit
    from reports.rollup import build, queue

    build.refresh_helpers()
    towns = list(Unit.objects.filter(kind=Unit.Kind.TOWN).order_by("pk").values_list("pk", flat=True))
    queue.enqueue_split(towns).get(timeout=SPLIT_TIMEOUT, interval=0.2)


def rollup_phase(repeats=2, floor_repeats=2, from_empty=True, split=True):
    """The figures above; `from_empty`/`split` False leave those parts out (the 2,200-village run)."""
    from django.db import connection, transaction

    from reports.rollup import build as rollup

    names = rollup.T
    rollup.rebuild_all()  # calendar and closure as the floor reads them; every roll-up present
    with connection.cursor() as cursor:
        before = table_checksum(cursor, names)
    floors = {"planner": [], "hash": []}
    for _round in range(floor_repeats):
        for plan, prefer_hash in (("planner", False), ("hash", True)):
            with transaction.atomic(), connection.cursor() as cursor:
                seconds, (floor_rows, _sum) = read_floor(cursor, names, rollup.ROLLUP_WORK_MEM, prefer_hash)
                floors[plan].append(seconds)
    floor_s = min(min(floors["planner"]), min(floors["hash"]))
    single = [_timed(rollup.rebuild_all)[0] for _round in range(repeats)]
    with connection.cursor() as cursor:
        assert table_checksum(cursor, names) == before, "the nightly rebuild of an unchanged county changed rows"
    result = {
        "rollup_rows": before[0], "floor_rows": floor_rows, "work_mem": rollup.ROLLUP_WORK_MEM,
        "floor_read_s": {plan: [round(s, 2) for s in values] for plan, values in floors.items()},
        "floor_s": round(floor_s, 2),
        "rebuild_nightly_single_s": [round(s, 2) for s in single],
        "ratio_nightly_single": round(statistics.median(single) / floor_s, 3),
    }  # fmt: skip
    if split:
        with Workers(connection.settings_dict["NAME"], WORKERS, os.environ.get("BENCH_REDIS_URL",
                                                                               "redis://127.0.0.1:6379/13")):
            split_s = [_timed(split_rebuild)[0] for _round in range(repeats)]
        with connection.cursor() as cursor:
            assert table_checksum(cursor, names) == before, "the split nightly rebuild changed rows"
        result.update({"workers": WORKERS, "rebuild_nightly_split_s": [round(s, 2) for s in split_s],
                       "ratio_nightly_split": round(statistics.median(split_s) / floor_s, 3)})  # fmt: skip
    if from_empty:
        read_s, copy_s, copied = copy_floor(connection, names, rollup.ROLLUP_WORK_MEM)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {names['rollup']}")
            started = time.perf_counter()
            rollup.rebuild_all()
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            empty_s = time.perf_counter() - started
            transaction.set_rollback(True)
        result.update({"copy_floor_read_s": round(read_s, 2), "copy_floor_copy_s": round(copy_s, 2),
                       "copy_floor_rows": copied, "copy_floor_s": round(read_s + copy_s, 2),
                       "rebuild_from_empty_s": round(empty_s, 2),
                       "ratio_from_empty": round(empty_s / (read_s + copy_s), 3)})  # fmt: skip
    return result
