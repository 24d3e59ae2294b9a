"""A primary and a streaming replica of their own for the replica test: two PostgreSQL clusters in a temporary folder,
made with the server's own tools (`initdb`, `pg_ctl`, `pg_basebackup -R`) on free ports, with every statement logged
(`log_statement=all`, each line prefixed with the client's application name) so a test can tell which of the two
answered a request.

`initdb` and `pg_ctl` refuse to run as root, and CI runs as root: there they run as the `postgres` user (`runuser`).
Missing server binaries skip the test with the reason on a developer machine and fail it under CI."""

import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from tests.processes import unavailable

ENTRY = re.compile(r"^([^|\s]*)\|[A-Z]+:")  # log_line_prefix "%a|", then the level
READY_TIMEOUT = 60  # seconds; a cluster starts in 1–3, a replica catches up in well under 1
SERVER_TOOLS = ("initdb", "pg_ctl", "pg_basebackup", "postgres", "psql")


def server_bin_dir():
    """The newest /usr/lib/postgresql/<version>/bin that has every server tool (Debian's layout), else PATH's."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda path: int(Path(path).parent.name))
    for folder in reversed(candidates):
        if all(Path(folder, tool).exists() for tool in SERVER_TOOLS):
            return Path(folder)
    found = [shutil.which(tool) for tool in SERVER_TOOLS]
    if all(found):
        return Path(found[0]).parent
    unavailable(
        f"the PostgreSQL server binaries ({', '.join(SERVER_TOOLS)}) are not installed "
        "(Debian: postgresql): cannot start a primary and a replica"
    )


def os_user():
    """Who runs the clusters: `postgres` when we are root (initdb refuses root), else ourselves."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        unavailable("running as root and there is no `postgres` user to run initdb and pg_ctl as")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    def __init__(self, bin_dir, user, data_dir, port):
        self.bin_dir, self.user, self.data_dir, self.port = bin_dir, user, data_dir, port
        self.log_path = data_dir.parent / f"{data_dir.name}.log"

    def run(self, tool, *args, timeout=120):
        command = [str(self.bin_dir / tool), *args]
        if self.user is not None:
            command = ["runuser", "-u", self.user.pw_name, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} exited {result.returncode}:\n{result.stdout}{result.stderr}")
        return result.stdout

    def start(self):
        self.run("pg_ctl", "-D", str(self.data_dir), "-l", str(self.log_path), "-w", "-t", str(READY_TIMEOUT), "start")

    def stop(self):
        if (self.data_dir / "postmaster.pid").exists():
            self.run("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop")

    def url(self, database):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def query(self, sql):
        """One value, read with the cluster's own psql (a client: no need to be `postgres` for it)."""
        command = [str(self.bin_dir / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                   "-d", "postgres", "-X", "-A", "-t", "-c", sql]  # fmt: skip
        env = {**os.environ, "PGAPPNAME": "replica-test"}
        result = subprocess.run(command, capture_output=True, text=True, timeout=30, env=env, stdin=subprocess.DEVNULL)
        if result.returncode != 0:
            raise RuntimeError(f"psql on port {self.port}: {result.stderr}")
        value = result.stdout.strip()
        return {"t": True, "f": False}.get(value, value)

    def log_size(self):
        return self.log_path.stat().st_size if self.log_path.exists() else 0

    def statements_since(self, offset, application):
        """The statements `application` sent since the log was `offset` bytes long (one entry per logged line group:
        a statement may span several lines)."""
        with self.log_path.open("rb") as log:
            log.seek(offset)
            text = log.read().decode("utf-8", errors="replace")
        entries, current = [], None
        for line in text.splitlines():
            header = ENTRY.match(line)
            if header:
                current = [line] if header.group(1) == application else None
                if current is not None:
                    entries.append(current)
            elif current is not None:
                current.append(line)
        return ["\n".join(entry) for entry in entries]


SETTINGS = """
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{sockets}'
wal_level = replica
max_wal_senders = 4
hot_standby = on
fsync = off
synchronous_commit = off
full_page_writes = off
log_statement = 'all'
log_line_prefix = '%a|'
log_min_messages = warning
"""
HBA = """
local all all trust
host all all 127.0.0.1/32 trust
host replication all 127.0.0.1/32 trust
"""


class PrimaryAndReplica:
    """Both clusters, started; `stop()` stops them and removes their folder."""

    def __init__(self):
        bin_dir, user = server_bin_dir(), os_user()
        self.root = Path(tempfile.mkdtemp(prefix="jingzi-replica-"))
        if user is not None:
            os.chown(self.root, user.pw_uid, user.pw_gid)
        self.primary = Cluster(bin_dir, user, self.root / "primary", free_port())
        self.replica = Cluster(bin_dir, user, self.root / "replica", free_port())
        try:
            self._create_primary()
            self._create_replica()
        except BaseException:
            self.stop()
            raise

    def _write(self, cluster, name, text, append=True):
        path = cluster.data_dir / name
        with path.open("a" if append else "w", encoding="utf-8") as handle:
            handle.write(text)

    def _create_primary(self):
        primary = self.primary
        primary.run("initdb", "-D", str(primary.data_dir), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                    "--no-sync")  # fmt: skip
        self._write(primary, "postgresql.conf", SETTINGS.format(port=primary.port, sockets=self.root))
        self._write(primary, "pg_hba.conf", HBA, append=False)
        primary.start()

    def _create_replica(self):
        replica = self.replica
        replica.run("pg_basebackup", "-h", "127.0.0.1", "-p", str(self.primary.port), "-U", "postgres",
                    "-D", str(replica.data_dir), "-R", "-X", "stream", "--no-sync")  # fmt: skip
        self._write(replica, "postgresql.conf", f"\nport = {replica.port}\n")  # the last setting wins
        replica.start()
        deadline = time.monotonic() + READY_TIMEOUT
        while not replica.query("SELECT pg_is_in_recovery()"):
            if time.monotonic() > deadline:
                raise TimeoutError("the replica never entered recovery: it is not a standby")
            time.sleep(0.1)

    def wait_for_replay(self):
        """Until the replica has replayed everything the primary has written so far."""
        target = self.primary.query("SELECT pg_current_wal_lsn()::text")
        deadline = time.monotonic() + READY_TIMEOUT
        sql = f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn"
        while not self.replica.query(sql):
            if time.monotonic() > deadline:
                raise TimeoutError(f"the replica did not replay up to {target} in {READY_TIMEOUT} s")
            time.sleep(0.05)

    def stop(self):
        for cluster in (self.replica, self.primary):
            try:
                cluster.stop()
            except Exception:  # noqa: BLE001 — tidying; the folder goes anyway
                pass
        shutil.rmtree(self.root, ignore_errors=True)
