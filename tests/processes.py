"""What the tests that need more than the test process share: requirements that skip on a developer machine and fail
under CI; other processes (manage.py, gunicorn, a Celery worker) on pytest's own test database; and Celery in the test
process publishing to a real Redis, on a queue of the test's own."""

import os
import re
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote, urlencode

import dj_database_url
import kombu.pools
import pytest
import redis
from django.db import connection

from jingzi.celery import app

PROJECT_DIR = Path(__file__).resolve().parents[1]
WORKER_READY_TIMEOUT = 60  # seconds; usually 2–4 (the worker imports Django and connects to Redis)
WORKER_READY = re.compile(r"@\S+ ready\.")  # celery logs "<node name> ready." once it consumes


# --- requirements: skip on a developer machine, fail in CI -----------------------------------------------------------


def in_ci():
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no", "off"}


def unavailable(reason):
    """Skip with the reason on a developer machine; under CI a missing requirement is a failure, never a skip."""
    if in_ci():
        pytest.fail(f"{reason} (CI is set, so this test must run)", pytrace=False)
    pytest.skip(reason)


# --- other processes on the test database ------------------------------------------------------------------------


def subprocess_database_url():
    """A DATABASE_URL for the database pytest-django created (test_…), built from the live connection settings, so
    a subprocess (manage.py, gunicorn, a Celery worker) sees the rows the test commits."""
    current = connection.settings_dict
    configured = dj_database_url.parse(os.environ["DATABASE_URL"])["NAME"]
    assert current["NAME"] and current["NAME"] != configured, (
        f"refusing to point a subprocess at {current['NAME']!r}: it is not pytest's test database"
    )
    user, password = quote(current["USER"] or "", safe=""), quote(str(current["PASSWORD"] or ""), safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = current["HOST"] or ""
    host = f"[{host}]" if ":" in host and not host.startswith("[") else quote(host, safe="[]:")
    port = f":{current['PORT']}" if current["PORT"] else ""
    options = {key: value for key, value in (current.get("OPTIONS") or {}).items() if isinstance(value, str | int)}
    query = f"?{urlencode(options)}" if options else ""
    return f"postgres://{auth}{host}{port}/{quote(current['NAME'], safe='')}{query}"


def subprocess_env(**extra):
    """The test's environment for a subprocess, on the test database; eager Celery unless REDIS_URL is given."""
    env = {**os.environ, "DATABASE_URL": subprocess_database_url(), "PYTHONUNBUFFERED": "1"}
    env.pop("REDIS_URL", None)
    env.update(extra)
    return env


def _text(what):
    return what() if callable(what) else what


class Process:
    """A subprocess with its output in a log file; `fail` shows the log."""

    def __init__(self, command, env, log_path):
        self.log_path = log_path
        with log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command, cwd=PROJECT_DIR, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
            )

    @property
    def pid(self):
        return self.process.pid

    def log(self):
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def fail(self, message):
        pytest.fail(f"{message}\n--- log of {self.log_path.name} ---\n{self.log()[-6000:]}", pytrace=False)

    def wait_for(self, what, condition, timeout):
        """Poll `condition` until it returns something truthy; fail with the log on timeout or exit. `what` is a
        text, or a function returning one (called on failure, to describe the state then)."""
        deadline = time.monotonic() + timeout
        while True:
            result = condition()
            if result:
                return result
            if self.process.poll() is not None:
                self.fail(f"the process exited (code {self.process.returncode}) while waiting for {_text(what)}")
            if time.monotonic() > deadline:
                self.fail(f"timed out after {timeout:.0f} s waiting for {_text(what)}")
            time.sleep(0.1)

    def stop(self, timeout=10):
        """Terminate (a worker's warm shutdown: it finishes its current task), then kill if it does not exit."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# --- Celery through a real Redis -----------------------------------------------------------------------------------


def forget_broker_connections():
    """Drop every broker connection pool so the next publish starts afresh from the current broker_url.

    kombu keeps its connection and producer pools in process-wide registries keyed by the broker URL, and the app
    only caches them: closing the cached pools in place (as `force_close_all` does) leaves an emptied pool in the
    registry, on which the next test publishing to the same Redis would wait forever. `kombu.pools.reset()` closes
    them and empties the registries."""
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None
    kombu.pools.reset()


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


@contextmanager
def routed_broker(redis_url, tasks, settings, monkeypatch):
    """Celery in the test process as in production — not eager, publishing to `redis_url` — with `tasks` routed to a
    queue of this test's own (a stale message or another worker on the same Redis database cannot take them).

    The app reads Django's settings live (`config_from_object("django.conf:settings")`), so pytest-django's
    `settings` switches it; the same keys are also set in `app.conf`'s override layer (which wins over the settings,
    in case anything pinned them there) and removed from it afterwards, so later tests read the settings again."""
    queue = f"jingzi-test-{uuid.uuid4().hex[:12]}"
    overrides = {"task_always_eager": False, "broker_url": redis_url, "task_default_queue": queue}
    pinned = {key: app.conf.changes[key] for key in overrides if key in app.conf.changes}
    settings.REDIS_URL = redis_url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = redis_url
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    for task in tasks:
        task = app.tasks[task.name]
        monkeypatch.setattr(task, "queue", queue, raising=False)
        monkeypatch.setattr(task, "_exec_options", None, raising=False)  # Celery caches the options it read
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


@contextmanager
def celery_worker_process(broker, log_path, name="worker"):
    """`celery -A jingzi worker --pool=solo` on the broker's queue and the test database, ready to consume; it stops
    (warm shutdown) when the block ends. Several at once stand for several worker machines: give each a `name`."""
    command = [
        sys.executable, "-m", "celery", "-A", "jingzi", "worker", "--pool=solo", "--concurrency=1", "-l", "info",
        "-n", f"{broker.queue}-{name}@%h", "-Q", broker.queue,
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    # What the worker itself queues (a chord's parts) goes to the test's queue too.
    env = subprocess_env(REDIS_URL=broker.url, DB_CONN_MAX_AGE="0", CELERY_QUEUE=broker.queue)
    worker = Process(command, env, log_path)
    try:
        worker.wait_for("the worker to be ready", lambda: WORKER_READY.search(worker.log()), WORKER_READY_TIMEOUT)
        yield worker
    finally:
        worker.stop()
