"""Faults of DESIGN §7, each made for real on this machine (issue 10): Redis stopped while people work, a roll-up
killed with SIGKILL half-way, PostgreSQL restarted under load. Marked `faults`; they run in every CI run.

They stop and start the machine's own services (see machine.py) and always restore them in a `finally`, waiting
until they answer again. They need PostgreSQL (other processes must see the test database) and, for Redis,
``TEST_REDIS_URL``; without them they skip with the reason on a developer machine and fail under CI. Outside CI the
two that stop a service run only with ``JINGZI_FAULTS=1`` (others on the machine may be using it).

Run them alone: ``JINGZI_FAULTS=1 make test PYTEST_ARGS="-m faults -rP"`` prints the measured times.
"""

import os
import signal
import socket
import sys
import threading
import time
from collections import Counter
from http.client import HTTPConnection

import psycopg2
import pytest
from django.db import connection, connections
from django.test import Client
from rest_framework.authtoken.models import Token

from reports import periods
from reports import tasks as report_tasks
from reports.models import Indicator, MonthlyReport, Rollup
from reports.monthly import services
from reports.rollup import build as rollup
from reports.rollup import services as rollup_services
from tests.processes import (
    WORKER_READY_TIMEOUT,
    Process,
    celery_worker_process,
    routed_broker,
    subprocess_env,
    unavailable,
)

from .conftest import (
    LINE,
    assert_rollups_match_a_rebuild,
    fresh,
    months_back,
    rollup_rows,
    submitted,
    town_figure,
)
from .machine import PostgresCluster, RedisServer, wait_until

pytestmark = [pytest.mark.faults, pytest.mark.usefixtures("postgres")]

MONTH = periods.last_complete_month()
KEY = periods.month_key(MONTH)
CATCH_UP_TIMEOUT = 60
REQUEST_TIMEOUT = 10  # seconds; no request may hang longer, outage or not


def report_timing(record_property, name, seconds):
    """Keep a measured time with the test's result (junit XML) and print it (seen with -s or -rP)."""
    record_property(name, round(seconds, 2))
    print(f"{name}: {seconds:.2f} s")


# --- Redis stopped -------------------------------------------------------------------------------------------------


@pytest.fixture
def redis_server():
    url = os.environ.get("TEST_REDIS_URL", "").strip()
    if not url:
        unavailable("TEST_REDIS_URL is not set (e.g. TEST_REDIS_URL=redis://127.0.0.1:6379/15)")
    server = RedisServer(url)
    if not server.ready():
        unavailable(f"{server} does not answer PING before the test")
    try:
        yield server
    finally:
        server.start()  # whatever happened, Redis is up again for the tests after this one


@pytest.fixture
def broker(redis_server, settings, monkeypatch):
    """Celery in the test process as in production: not eager, publishing to Redis; the two roll-up tasks routed to
    a queue of this test's own."""
    tasks = [report_tasks.rollup_report, report_tasks.rollup_pending]
    with routed_broker(redis_server.url, tasks, settings, monkeypatch) as routed:
        yield routed


@pytest.fixture
def celery_worker(broker, tmp_path):
    """One worker on the test's queue and database, as deployed: it stays up while Redis goes away and comes back."""
    with celery_worker_process(broker, tmp_path / "worker.log") as worker:
        yield worker


def test_redis_down_people_keep_working_and_rollups_catch_up(
    town, users, redis_server, broker, celery_worker, record_property
):
    village = town.tongliang.unit
    entry = f"/reports/{village.pk}/{LINE}/{KEY}/"
    secretary, leader = Client(), Client()
    secretary.force_login(users.tongliang)
    leader.force_login(users.leader)
    pages = [
        (secretary, "/"), (secretary, entry), (leader, "/"), (leader, "/reports/review/"),
        (leader, "/dashboard/"), (leader, f"/reports/?unit={town.unit.pk}&period={KEY}"),
        (leader, "/reports/completeness/"), (leader, entry),
    ]  # fmt: skip
    connected = celery_worker.log().count("Connected to redis")
    # The month's draft is there, as the 1st-of-the-month job opens it (opening the page no longer creates it).
    services.report_open(unit=village, work_line=LINE, month=MONTH)

    try:
        redis_server.stop()
        assert not redis_server.ready()
        down_at = time.monotonic()

        for client, url in pages:
            started = time.monotonic()
            response = client.get(url, follow=True)
            assert response.status_code == 200, f"{url} → {response.status_code} with Redis down"
            assert time.monotonic() - started < REQUEST_TIMEOUT, f"{url} took too long with Redis down"

        # The secretary types the month's figures and submits them: one form, as on the page.
        version = MonthlyReport.objects.get(unit=village, work_line=LINE, month=MONTH).version
        form = {"version": version, "v:gov.leaflets": "300", "v:gov.booster_doses": "40", "action": "submit"}
        response = secretary.post(entry, form)
        assert response.status_code == 302, response.content.decode()[:2000]
        report = MonthlyReport.objects.get(unit=village, work_line=LINE, month=MONTH)
        assert report.status == MonthlyReport.Status.SUBMITTED

        # The leader approves it: the approval commits, the roll-up cannot be queued, the report is marked 待汇总.
        started = time.monotonic()
        response = leader.post(entry + "approve/", follow=True)
        approve_seconds = time.monotonic() - started
        assert response.status_code == 200
        assert "已审核通过" in response.content.decode()
        report = fresh(report)
        assert report.status == MonthlyReport.Status.APPROVED and report.rollup_pending
        assert town_figure(town, KEY, "gov.booster_doses") is None
        assert approve_seconds < REQUEST_TIMEOUT, f"approving took {approve_seconds:.1f} s with Redis down"
        report_timing(record_property, "approve_with_redis_down_seconds", approve_seconds)
        report_timing(record_property, "redis_down_seconds", time.monotonic() - down_at)
    finally:
        redis_server.start()
    back_at = time.monotonic()

    # Redis is back (empty: this machine's Redis keeps nothing on disk). The worker reconnects by itself; beat's
    # every-ten-minutes job (sent here instead of waiting for the clock) rolls up what is pending.
    celery_worker.wait_for(
        "the worker to reconnect to Redis",
        lambda: celery_worker.log().count("Connected to redis") > connected,
        WORKER_READY_TIMEOUT,
    )
    report_tasks.rollup_pending.delay()
    celery_worker.wait_for(
        lambda: f"the town's figure to arrive (now {town_figure(town, KEY, 'gov.booster_doses')})",
        lambda: town_figure(town, KEY, "gov.booster_doses") == 40 and not fresh(report).rollup_pending,
        CATCH_UP_TIMEOUT,
    )
    report_timing(record_property, "catch_up_after_redis_returns_seconds", time.monotonic() - back_at)
    assert "reports.tasks.rollup_pending" in celery_worker.log()
    assert_rollups_match_a_rebuild()


# --- a full roll-up killed half-way --------------------------------------------------------------------------------


def test_a_rollup_killed_half_way_changes_nothing_and_the_next_run_gives_a_clean_rebuild(
    town, users, tmp_path, record_property
):
    """`manage.py rollup` is SIGKILLed while it is inserting the new rows (the old ones already deleted in its
    transaction): the stored rows stay as they were, and the next run equals a from-scratch rebuild."""
    pairs = ((town.tongliang.unit, users.tongliang), (town.yangqiu.unit, users.yangqiu))
    months = months_back(3)
    with rollup_services.rollups_deferred():
        for index, month in enumerate(months[:-1]):
            for village, secretary in pairs:
                report = submitted(village, month, secretary, doses=10 + index)
                services.report_approve(report=report, user=users.leader)
    rollup.rebuild_all()
    before = rollup_rows()
    assert before
    # One more approval whose roll-up never ran: the stored rows are stale until the next full run.
    with rollup_services.rollups_deferred():
        late = submitted(town.tongliang.unit, months[-1], users.tongliang, doses=77)
        services.report_approve(report=late, user=users.leader)
    assert rollup_rows() == before

    # Hold the run half-way: an uncommitted row with a key its first INSERT … SELECT will produce makes that INSERT
    # wait (on the unique index) after its DELETE of every old row.
    settings_ = connection.settings_dict
    blocker = psycopg2.connect(
        dbname=settings_["NAME"], user=settings_["USER"], password=settings_["PASSWORD"] or None,
        host=settings_["HOST"] or None, port=settings_["PORT"] or None,
    )  # fmt: skip
    doses = Indicator.objects.get(code="gov.booster_doses")
    month_key = periods.month_key(months[-1])
    table = Rollup._meta.db_table
    with blocker.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (period, period_type, unit_id, indicator_id, value) VALUES (%s, 'month', %s, %s, 0)",
            [month_key, town.unit.pk, doses.pk],
        )
    run = None
    try:
        started = time.monotonic()
        run = Process([sys.executable, "manage.py", "rollup"], subprocess_env(), tmp_path / "rollup-killed.log")

        def waiting_backend():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT a.pid FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid AND l.locktype = 'advisory'"
                    " AND l.granted WHERE a.datname = current_database() AND a.wait_event_type = 'Lock'"
                    " AND a.query LIKE %s",
                    [f"%INSERT INTO {table}%"],
                )
                row = cursor.fetchone()
                return row and row[0]

        backend = run.wait_for("the roll-up to be half-way (deleting done, inserting)", waiting_backend, 60)
        os.kill(run.pid, signal.SIGKILL)
        run.process.wait(10)
        report_timing(record_property, "killed_after_seconds", time.monotonic() - started)
    finally:
        if run is not None and run.process.poll() is None:
            run.process.kill()
        blocker.rollback()
        blocker.close()

    def backend_gone():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [backend])
            return cursor.fetchone()[0] == 0

    wait_until("the killed run's database session to end", backend_gone, timeout=60)
    assert rollup_rows() == before, "a killed roll-up left some of its work behind"

    started = time.monotonic()
    again = Process([sys.executable, "manage.py", "rollup"], subprocess_env(), tmp_path / "rollup-again.log")
    if again.process.wait(120) != 0:
        again.fail("the next roll-up failed")
    report_timing(record_property, "next_run_seconds", time.monotonic() - started)
    after_next_run = rollup_rows()
    assert after_next_run != before, "the next run did not pick up the approval the killed run was building"
    assert town_figure(town, month_key, "gov.booster_doses") == 77
    assert assert_rollups_match_a_rebuild() == after_next_run


# --- PostgreSQL restarted under load -------------------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def worker_pids(master_pid):
    children = set()
    for task in os.listdir(f"/proc/{master_pid}/task"):
        path = f"/proc/{master_pid}/task/{task}/children"
        if os.path.exists(path):
            with open(path) as handle:
                children.update(int(pid) for pid in handle.read().split())
    return children


class Load:
    """Clients in threads, each sending requests one after another until stopped; every request recorded as
    (started, finished, status or the error's name), times relative to the load's start."""

    def __init__(self, port, requests, clients=4, max_seconds=120):
        self.port, self.requests, self.max_seconds = port, requests, max_seconds
        self.records, self.lock, self.stopping = [], threading.Lock(), threading.Event()
        self.origin = time.monotonic()
        self.threads = [threading.Thread(target=self._client, args=(index,), daemon=True) for index in range(clients)]
        for thread in self.threads:
            thread.start()

    def now(self):
        return time.monotonic() - self.origin

    def _client(self, index):
        turn = index
        while not self.stopping.is_set() and self.now() < self.max_seconds:  # bounded, whatever the test does
            method, path, body, headers = self.requests[turn % len(self.requests)]
            turn += 1
            started = self.now()
            try:
                http = HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
                http.request(method, path, body=body, headers=headers)
                response = http.getresponse()
                response.read()
                outcome = response.status
                http.close()
            except Exception as error:  # noqa: BLE001 — recorded: a refused or timed-out request is an outcome
                outcome = type(error).__name__
            with self.lock:
                self.records.append((started, self.now(), outcome, f"{method} {path}"))
            if not (isinstance(outcome, int) and outcome < 500):
                time.sleep(0.2)  # as a person (or a client with back-off) would, rather than a storm of retries

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join(REQUEST_TIMEOUT + 5)

    def started_between(self, start, end=float("inf")):
        with self.lock:
            return [record for record in self.records if start <= record[0] < end]

    def finished_before(self, end):
        with self.lock:
            return [record for record in self.records if record[1] < end]


def ok(record):
    return isinstance(record[2], int) and record[2] < 400


def summary(records):
    return dict(Counter(str(record[2]) for record in records))


def test_postgres_restart_under_load_the_app_reconnects_by_itself(town, users, tmp_path, record_property):
    """gunicorn (two workers, persistent connections) serves pages and the API to four clients while PostgreSQL is
    stopped and started with the machine's command. Requests during the outage may fail — with the Chinese 503
    page, never a bare 500 — but none hangs; from the moment PostgreSQL accepts connections again every request
    succeeds — same workers, no restart of the app.

    Then a second, quiet restart while no request is running: each worker still holds a connection that died with
    the server, and the very first request after it must succeed too (CONN_HEALTH_CHECKS replaces the dead one)."""
    cluster = PostgresCluster()
    village = town.tongliang.unit
    token = Token.objects.create(user=users.tongliang).key
    browser = Client()
    browser.force_login(users.leader)
    session = browser.cookies["sessionid"].value
    api = f"/api/v1/reports/{village.pk}/{LINE}/{KEY}/"
    auth = {"Authorization": f"Token {token}"}
    body = '{"values": {"gov.leaflets": 120, "gov.booster_doses": 9}}'
    requests = [
        ("GET", api, None, auth),
        ("PUT", api, body, {**auth, "Content-Type": "application/json"}),
        ("GET", "/", None, {"Cookie": f"sessionid={session}"}),
        ("GET", "/api/v1/indicators/", None, auth),
    ]

    port = free_port()
    env = subprocess_env(DB_CONN_MAX_AGE="600", DEBUG="0", ALLOWED_HOSTS="127.0.0.1")
    command = [
        sys.executable, "-m", "gunicorn", "jingzi.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2",
        "--timeout", "30", "--graceful-timeout", "5",
    ]  # fmt: skip
    server = Process(command, env, tmp_path / "gunicorn.log")
    load = quiet = None
    try:

        def serving():
            try:
                http = HTTPConnection("127.0.0.1", port, timeout=5)
                http.request("GET", "/accounts/login/")
                return http.getresponse().status == 200
            except OSError:
                return False

        server.wait_for("gunicorn to serve", serving, 60)

        # 1. Under load.
        load = Load(port, requests)
        time.sleep(3)
        workers = worker_pids(server.pid)
        assert len(workers) == 2, workers
        cluster.checkpoint()
        stopped_at = load.now()
        try:
            cluster.stop()
            time.sleep(3)  # an outage people notice
        finally:
            restart_at = load.now()
            cluster.start()
            ready_at = load.now()
            connections.close_all()  # this process's own connections died with the server
        time.sleep(8)
        load.stop()

        before = load.finished_before(stopped_at)
        during = [record for record in load.started_between(0, ready_at) if record[1] >= stopped_at]
        after = load.started_between(ready_at)
        record_property("requests_before", summary(before))
        record_property("requests_during_outage", summary(during))
        record_property("requests_after", summary(after))
        print(f"under load — before {summary(before)}; during {summary(during)}; after {summary(after)}")
        report_timing(record_property, "outage_seconds", ready_at - stopped_at)
        report_timing(record_property, "postgres_start_seconds", ready_at - restart_at)
        first_ok = min((record[1] for record in after if ok(record)), default=None)
        assert first_ok is not None, f"no request succeeded after PostgreSQL came back: {summary(after)}"
        report_timing(record_property, "first_success_after_ready_seconds", first_ok - ready_at)

        assert before and all(ok(record) for record in before), f"failures before the restart: {summary(before)}"
        bare = [record for record in during if not ok(record) and record[2] != 503]
        assert not bare, f"failures during the outage that were not the 503 page: {bare[:10]}"
        slow = [record for record in load.records if record[1] - record[0] > REQUEST_TIMEOUT]
        assert not slow, f"requests hung: {slow[:5]}"
        failed = [record for record in after if not ok(record)]
        assert len(after) >= 20, f"too few requests after the restart to tell: {summary(after)}"
        assert not failed, f"requests failed after PostgreSQL was back: {failed[:10]} of {summary(after)}"

        # 2. Quiet: both workers hold (now dead) connections from phase 1; nobody asks anything during the restart.
        cluster.checkpoint()
        try:
            cluster.stop()
        finally:
            cluster.start()
            connections.close_all()
        quiet = Load(port, requests)
        time.sleep(4)
        quiet.stop()
        print(f"after a quiet restart {summary(quiet.records)}")
        record_property("requests_after_quiet_restart", summary(quiet.records))
        failed = [record for record in quiet.records if not ok(record)]
        assert len(quiet.records) >= 10 and not failed, (
            f"requests failed after a quiet restart (a dead persistent connection was used): {failed[:10]}"
        )

        assert server.process.poll() is None, "gunicorn exited"
        assert worker_pids(server.pid) == workers, "gunicorn replaced its workers: the app did not recover by itself"
    finally:
        for clients in (load, quiet):
            if clients is not None:
                clients.stop()
        server.stop()
        cluster.start()
        connections.close_all()
