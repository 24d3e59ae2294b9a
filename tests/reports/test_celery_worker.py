"""A real Celery worker, fed through Redis, builds the roll-up of an approval (issue 3, DESIGN §4).

The suite runs Celery eagerly (REDIS_URL unset). This test alone points the test process's Celery app at the Redis of
``TEST_REDIS_URL``, starts ``celery -A jingzi worker`` as a subprocess on pytest's own test database, has a secretary
submit and a cadre approve a village's report, and waits for the town's roll-ups to arrive — built by the worker, not
by the test process.

It needs PostgreSQL (``DATABASE_URL=postgres://…``: the worker is another process and must see the committed rows of
the test database) and ``TEST_REDIS_URL`` (e.g. ``redis://127.0.0.1:6379/15``). Without them it is skipped with the
reason on a developer machine; in CI (``CI`` set) that is a failure, so a skip can never hide a broken worker set-up.
"""

import os
import re
import subprocess
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote, urlencode

import dj_database_url
import pytest
import redis
from celery import signals
from django.conf import settings
from django.db import connection

from jingzi.celery import app
from reports import periods, services
from reports import tasks as report_tasks
from reports.models import Rollup
from reports.registry import FLOW, VILLAGE, registry

PROJECT_DIR = Path(__file__).resolve().parents[2]
TASK = "reports.tasks.rollup_report"
WORKER_READY_TIMEOUT = 60  # seconds; usually 2–4 (the worker imports Django and connects to Redis)
ROLLUP_TIMEOUT = 30
WORKER_STOP_TIMEOUT = 10
VALUE = Decimal(7)
READY = re.compile(r"@\S+ ready\.")  # celery logs "<node name> ready." once it consumes


# --- requirements: skip on a developer machine, fail in CI -------------------------------------------------------


def in_ci():
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no", "off"}


def unavailable(reason):
    if in_ci():
        pytest.fail(f"{reason} (CI is set, so the Celery worker test must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def redis_url():
    """TEST_REDIS_URL, answering PING, with PostgreSQL as the database."""
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        unavailable(
            f"needs PostgreSQL (DATABASE_URL=postgres://…), not {engine}: "
            "the worker runs in another process and must share the test database"
        )
    url = os.environ.get("TEST_REDIS_URL", "").strip()
    if not url:
        unavailable("TEST_REDIS_URL is not set (e.g. TEST_REDIS_URL=redis://127.0.0.1:6379/15)")
    client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
    try:
        client.ping()
    except redis.RedisError as error:
        unavailable(f"Redis at TEST_REDIS_URL={url} does not answer PING: {error}")
    finally:
        client.close()
    return url


# --- the test process publishes to Redis -------------------------------------------------------------------------


def forget_broker_connections():
    """The app keeps a connection pool for the broker it first published to; drop it so the next publish (or the
    next eager test) starts from the current broker_url."""
    pool, app._pool = app._pool, None
    producers = None
    if "amqp" in app.__dict__:
        producers, app.amqp._producer_pool = app.amqp._producer_pool, None
    for resource_pool in (producers, pool):
        if resource_pool is not None:
            resource_pool.force_close_all(close_pool=False)


def delete_queue_keys(url, queue):
    """Remove what kombu left in Redis for this test's queue and worker (the names hold a fresh uuid)."""
    client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
    try:
        for key in client.scan_iter(match=f"*{queue}*"):
            client.delete(key)
        for binding in client.scan_iter(match="_kombu.binding.*"):
            if client.type(binding) == b"set":
                stale = [member for member in client.smembers(binding) if queue.encode() in member]
                if stale:
                    client.srem(binding, *stale)
    except redis.RedisError:
        pass  # tidying only
    finally:
        client.close()


@pytest.fixture
def real_broker(redis_url, settings, monkeypatch):
    """Celery in the test process: not eager, publishing to TEST_REDIS_URL, the roll-up task routed to a queue of this
    test's own (a stale message or another worker on the same Redis database cannot take it).

    The app reads Django's settings through `config_from_object("django.conf:settings")`, live, so the settings
    fixture switches it; the same keys are also set in `app.conf`'s override layer (which wins over the settings, in
    case anything pinned them there) and removed from it afterwards, so later tests read the settings again."""
    queue = f"jingzi-test-{uuid.uuid4().hex[:12]}"
    overrides = {"task_always_eager": False, "broker_url": redis_url}
    pinned = {key: app.conf.changes[key] for key in overrides if key in app.conf.changes}
    settings.REDIS_URL = redis_url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = redis_url
    task = app.tasks[report_tasks.rollup_report.name]
    monkeypatch.setattr(task, "queue", queue, raising=False)
    monkeypatch.setattr(task, "_exec_options", None, raising=False)  # Celery caches the options it read from the task
    forget_broker_connections()
    app.conf.update(overrides)
    try:
        yield SimpleNamespace(url=redis_url, queue=queue)
    finally:
        forget_broker_connections()
        for key in overrides:
            app.conf.changes.pop(key, None)
        app.conf.update(pinned)
        delete_queue_keys(redis_url, queue)


# --- the worker --------------------------------------------------------------------------------------------------


def worker_database_url():
    """A DATABASE_URL for the database pytest-django created (test_…), built from the live connection settings."""
    current = connection.settings_dict
    configured = dj_database_url.parse(os.environ["DATABASE_URL"])["NAME"]
    assert current["NAME"] and current["NAME"] != configured, (
        f"refusing to point a worker at {current['NAME']!r}: it is not pytest's test database"
    )
    user, password = quote(current["USER"] or "", safe=""), quote(str(current["PASSWORD"] or ""), safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = current["HOST"] or ""
    host = f"[{host}]" if ":" in host and not host.startswith("[") else quote(host, safe="[]:")
    port = f":{current['PORT']}" if current["PORT"] else ""
    options = {key: value for key, value in (current.get("OPTIONS") or {}).items() if isinstance(value, str | int)}
    query = f"?{urlencode(options)}" if options else ""
    return f"postgres://{auth}{host}{port}/{quote(current['NAME'], safe='')}{query}"


def _text(what):
    return what() if callable(what) else what


class Worker:
    def __init__(self, process, log_path):
        self.process, self.log_path = process, log_path

    def log(self):
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def fail(self, message):
        pytest.fail(f"{message}\n--- celery worker log ({self.log_path}) ---\n{self.log()}", pytrace=False)

    def wait_for(self, what, condition, timeout):
        """Poll `condition` until it returns something truthy; fail with the worker's log on timeout or exit.
        `what` is a text, or a function returning one (called on failure, to describe the state then)."""
        deadline = time.monotonic() + timeout
        while True:
            result = condition()
            if result:
                return result
            if self.process.poll() is not None:
                self.fail(f"the celery worker exited (code {self.process.returncode}) while waiting for {_text(what)}")
            if time.monotonic() > deadline:
                self.fail(f"timed out after {timeout:.0f} s waiting for {_text(what)}")
            time.sleep(0.1)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()  # warm shutdown: finish the current task, then exit
            try:
                self.process.wait(WORKER_STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def celery_worker(real_broker, transactional_db, tmp_path):
    """`celery -A jingzi worker --pool=solo` on REDIS_URL=TEST_REDIS_URL and the test database, ready to consume."""
    env = {
        **os.environ,
        "REDIS_URL": real_broker.url,
        "DATABASE_URL": worker_database_url(),
        "DB_CONN_MAX_AGE": "0",
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "jingzi", "worker",
        "--pool=solo", "--concurrency=1", "-l", "info",
        "-n", f"{real_broker.queue}@%h", "-Q", real_broker.queue,
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    log_path = tmp_path / "celery-worker.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=PROJECT_DIR, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
        )
    worker = Worker(process, log_path)
    try:
        worker.wait_for("the worker to be ready", lambda: READY.search(worker.log()), WORKER_READY_TIMEOUT)
        yield worker
    finally:
        worker.stop()


# --- the test ----------------------------------------------------------------------------------------------------


def entered_village_flow():
    """An entered flow indicator villages report, with no ceiling or balance to satisfy (e.g. env.participants)."""
    for spec in registry.all():
        if (
            spec.is_entered and spec.kind == FLOW and VILLAGE in spec.reported_by
            and not spec.ceiling and spec.balance is None
            and (spec.max_value is None or spec.max_value >= VALUE) and (spec.min_value or 0) <= VALUE
        ):  # fmt: skip
            return spec
    pytest.fail("no entered flow indicator reported by villages is registered (DESIGN §5 declares several)")


def test_a_real_worker_rolls_up_an_approval(real_broker, celery_worker, town, users):
    spec = entered_village_flow()
    village = town.tongliang.unit
    month = periods.last_complete_month()
    period_keys = [period.key for period in periods.periods_containing(month)]  # month, quarter, year (, YTD)

    def town_rollups():
        rows = Rollup.objects.filter(unit=town.unit, indicator__code=spec.code, period__in=period_keys)
        return dict(rows.values_list("period", "value"))

    published, ran_here = [], []

    def on_publish(sender=None, headers=None, **kwargs):
        published.append((sender, headers["id"]))

    def on_prerun(sender=None, task_id=None, **kwargs):
        ran_here.append((sender.name, task_id))

    signals.after_task_publish.connect(on_publish, weak=False)
    signals.task_prerun.connect(on_prerun, weak=False)
    try:
        # The secretary fills the month (the other entered figures are 0) and submits.
        report = services.report_open(unit=village, work_line=spec.work_line, month=month)
        values = {
            other.code: max(Decimal(0), other.min_value or Decimal(0))
            for other in services.specs_for(village, spec.work_line)
            if other.is_entered
        }
        values[spec.code] = VALUE
        report = services.report_save_values(report=report, user=users.tongliang, values=values, version=report.version)
        report = services.report_submit(report=report, user=users.tongliang, version=report.version)
        assert town_rollups() == {}, "a submitted (not yet approved) report must not be rolled up"
        assert published == []

        # The cadre approves: a committed transaction, whose on_commit sends the roll-up to Redis.
        assert not connection.in_atomic_block
        started = time.monotonic()
        services.report_approve(report=report, user=users.cadre)
        assert ran_here == [], f"the roll-up ran in the test process (eagerly), not in the worker: {ran_here}"
        assert [name for name, _id in published] == [TASK], "the approval must send exactly one roll-up to Redis"
        task_id = published[0][1]

        expected = dict.fromkeys(period_keys, VALUE)
        celery_worker.wait_for(
            lambda: f"the town's roll-ups of {spec.code} to be {expected}; they are {town_rollups()}",
            lambda: town_rollups() == expected,
            ROLLUP_TIMEOUT,
        )
        # The worker, not the test process, ran it: nothing ran here, and the worker logged this very task (the log
        # line follows the task's commit, so it may trail the rows by a moment).
        celery_worker.wait_for(
            f"the worker to log that {TASK}[{task_id}] succeeded",
            lambda: f"Task {TASK}[{task_id}] succeeded" in celery_worker.log(),
            max(ROLLUP_TIMEOUT - (time.monotonic() - started), 5),
        )
        assert ran_here == [], f"tasks ran in the test process (eagerly): {ran_here}"
    finally:
        signals.after_task_publish.disconnect(on_publish)
        signals.task_prerun.disconnect(on_prerun)
