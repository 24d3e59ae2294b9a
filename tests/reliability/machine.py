"""The machine's services, as the fault tests stop and start them.

PostgreSQL is the Debian cluster serving the test database's port, driven by the machine's own commands
(`pg_ctlcluster --skip-systemctl-redirect VERSION NAME stop|start`, `pg_isready`); Redis is the server at
``TEST_REDIS_URL``, stopped with ``SHUTDOWN NOSAVE`` and started again with the options it ran with (the machine's
command: ``redis-server --daemonize yes --bind … --port … --save "" --appendonly no --dir … --logfile …``). Every
start waits until the service answers. A test that stops a service restores it in a ``finally``.

What is missing (not root, no such command, a database on another host) skips with the reason on a developer
machine and fails under CI, which runs as root on this same kind of machine.

Stopping the machine's PostgreSQL or Redis disturbs everything else using them — on a shared developer machine,
other people's test runs. So outside CI these tests run only when asked: ``JINGZI_FAULTS=1`` (point DATABASE_URL and
TEST_REDIS_URL at a PostgreSQL cluster and a Redis of your own to be safe, e.g. ``pg_createcluster 15 faults -p 5433
-- -A trust`` and ``redis-server --port 6380 --daemonize yes``).
"""

import os
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis
from django.db import connection

from tests.processes import in_ci, unavailable

READY_TIMEOUT = 60  # seconds a service may take to answer after a start (PostgreSQL takes 1–3, Redis well under 1)
LOCAL_HOSTS = {"", "127.0.0.1", "localhost", "::1"}


def allowed_to_stop_services(service):
    if not in_ci() and os.environ.get("JINGZI_FAULTS", "").strip() != "1":
        pytest.skip(
            f"stops and starts this machine's {service}, which others may be using: "
            "set JINGZI_FAULTS=1 to run it here (CI always runs it)"
        )


def run(command, timeout=120):
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {result.returncode}: {result.stdout}{result.stderr}")
    return result.stdout


def privileged(command):
    """The command as root: as it is when we are root, through `sudo -n` when that works, else None."""
    if os.geteuid() == 0:
        return command
    if shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0:
        return ["sudo", "-n", *command]
    return None


def wait_until(what, check, timeout=READY_TIMEOUT, interval=0.2):
    deadline = time.monotonic() + timeout
    while True:
        if check():
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


# --- PostgreSQL ----------------------------------------------------------------------------------------------------


class PostgresCluster:
    """The local Debian cluster that serves the test database."""

    def __init__(self):
        allowed_to_stop_services("PostgreSQL")
        settings = connection.settings_dict
        self.host = settings["HOST"] or "127.0.0.1"
        self.port = int(settings["PORT"] or 5432)
        self.user = settings["USER"] or ""
        for tool in ("pg_lsclusters", "pg_ctlcluster", "pg_isready"):
            if not shutil.which(tool):
                unavailable(f"{tool} is not installed: cannot restart PostgreSQL with the machine's commands")
        if self.host not in LOCAL_HOSTS and not self.host.startswith("/"):
            unavailable(f"the test database is on {self.host}, not this machine: cannot restart it")
        clusters = [line.split() for line in run(["pg_lsclusters", "--no-header"]).splitlines() if line.strip()]
        found = [fields for fields in clusters if len(fields) >= 3 and fields[2] == str(self.port)]
        if not found:
            unavailable(f"no PostgreSQL cluster of pg_lsclusters listens on port {self.port}: {clusters}")
        self.version, self.name = found[0][0], found[0][1]
        if privileged(["true"]) is None:
            unavailable("restarting PostgreSQL needs root (or `sudo -n`)")

    def __str__(self):
        return f"PostgreSQL {self.version}/{self.name} on port {self.port}"

    def _ctl(self, *action):
        run(privileged(["pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, *action]))

    def ready(self):
        command = ["pg_isready", "-q", "-h", self.host, "-p", str(self.port), *(["-U", self.user] if self.user else [])]
        return subprocess.run(command, capture_output=True, timeout=10).returncode == 0

    def checkpoint(self):
        """What an operator does before a planned restart: flush now, so the shutdown checkpoint (which happens
        while nobody can connect) has little left to write. Needs a superuser; without one the stop just takes
        longer."""
        try:
            with connection.cursor() as cursor:
                cursor.execute("CHECKPOINT")
        except Exception:  # noqa: BLE001 — an optimisation only
            pass

    def stop(self):
        self._ctl("stop", "-m", "fast")  # fast: end the sessions (gunicorn keeps persistent ones open)

    def start(self):
        """Start it if it is down (the machine's command), then wait until it accepts connections."""
        if not self.ready():
            try:
                self._ctl("start")
            except RuntimeError:
                if not self.ready():  # "already running" is an error to pg_ctlcluster, not to us
                    raise
        wait_until(f"{self} to accept connections", self.ready)


# --- Redis -----------------------------------------------------------------------------------------------------------


class RedisServer:
    """The Redis at TEST_REDIS_URL, which the tests stop and start again with the options it ran with."""

    def __init__(self, url):
        allowed_to_stop_services("Redis")
        self.url = url
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 6379
        if self.host not in LOCAL_HOSTS:
            unavailable(f"TEST_REDIS_URL points at {self.host}, not this machine: cannot stop and start it")
        if not shutil.which("redis-server"):
            unavailable("redis-server is not installed: cannot start Redis again after stopping it")
        client = self.client()
        try:
            config = {}
            for key in ("bind", "dir", "logfile", "port"):
                config.update(client.config_get(key))
        except redis.RedisError as error:
            unavailable(f"cannot read the Redis at {url}'s configuration (CONFIG GET): {error}")
        finally:
            client.close()
        self.bind = config.get("bind") or "127.0.0.1 -::1"
        self.dir = config.get("dir") or "/var/lib/redis"
        self.logfile = config.get("logfile") or ""

    def __str__(self):
        return f"Redis on {self.host}:{self.port}"

    def client(self):
        return redis.Redis(host=self.host, port=self.port, socket_connect_timeout=2, socket_timeout=2)

    def ready(self):
        client = self.client()
        try:
            return client.ping()
        except redis.RedisError:
            return False
        finally:
            client.close()

    def stop(self):
        client = self.client()
        try:
            client.shutdown(nosave=True)
        except redis.ConnectionError:
            pass  # the server closed the connection as it went down
        finally:
            client.close()
        wait_until(f"{self} to stop", lambda: not self.ready(), timeout=30)

    def start(self):
        if self.ready():
            return
        Path(self.dir).mkdir(parents=True, exist_ok=True)
        command = [
            "redis-server", "--daemonize", "yes", "--bind", *self.bind.split(), "--port", str(self.port),
            "--save", "", "--appendonly", "no", "--dir", self.dir,
        ]  # fmt: skip
        if self.logfile:
            command += ["--logfile", self.logfile]
        run(command)
        wait_until(f"{self} to answer PING", self.ready)
