"""A streaming replica of the benchmark server for the peak with the replica on (`bench.run --replica`).

`pg_basebackup -R -X stream` of the server at BENCH_PG into a temporary folder, started on a free loopback port as the
`postgres` user (initdb and pg_ctl refuse root) with the cluster tools of tests/replica/clusters.py; the peak runs
with DATABASE_REPLICA_URL pointing at it; then it is stopped and its folder removed. The copy is of the whole server
(every database on it), so it takes as long as copying those gigabytes.

The server must accept replication connections from 127.0.0.1 (a `host replication …` line in its pg_hba.conf):
this module only checks and says so — it never edits the server's configuration.
"""

import contextlib
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench.common import PG_SERVER, database_url

READY_TIMEOUT = 600  # seconds for the replica to start and replay what the copy left behind
# A hot standby refuses to start with any of these below the primary's.
MATCHED_SETTINGS = ("max_connections", "max_worker_processes", "max_wal_senders", "max_prepared_transactions",
                    "max_locks_per_transaction")  # fmt: skip
SETTINGS = """
# bench/replica.py: a hot standby of the benchmark server
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{sockets}'
hot_standby = on
fsync = off
{matched}
"""
HBA = """
local all all trust
host all all 127.0.0.1/32 trust
"""


def server():
    parts = urlsplit(PG_SERVER)
    return parts.hostname or "127.0.0.1", parts.port or 5432, parts.username or "postgres"


def refusal():
    """Why the benchmark server will not stream to a replica, or None if it will."""
    import psycopg2
    from psycopg2.extras import PhysicalReplicationConnection

    host, port, user = server()
    try:
        connection = psycopg2.connect(host=host, port=port, user=user, dbname="postgres",
                                      connection_factory=PhysicalReplicationConnection)  # fmt: skip
    except psycopg2.OperationalError as error:
        return (f"the benchmark server at {host}:{port} refuses replication connections ({str(error).strip()});"
                " its pg_hba.conf needs a line such as `host replication all 127.0.0.1/32 trust` and a reload")
    connection.close()
    return None


def primary_settings():
    import psycopg2

    connection = psycopg2.connect(database_url("postgres"))
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT name, setting FROM pg_settings WHERE name = ANY(%s)", [list(MATCHED_SETTINGS)])
            return dict(cursor.fetchall())
    finally:
        connection.close()


@contextlib.contextmanager
def streaming_replica():
    """A running hot standby of the benchmark server; yields its URL template (`…/{database}`)."""
    from tests.replica.clusters import Cluster, free_port, os_user, server_bin_dir

    reason = refusal()
    if reason:
        raise RuntimeError(reason)
    bin_dir, user = server_bin_dir(), os_user()
    root = Path(tempfile.mkdtemp(prefix="jingzi-bench-replica-"))
    if user is not None:
        os.chown(root, user.pw_uid, user.pw_gid)
    replica = Cluster(bin_dir, user, root / "replica", free_port())
    host, port, login = server()
    try:
        started = time.monotonic()
        print(f"== replica: pg_basebackup of {host}:{port} into {root}", file=sys.stderr, flush=True)
        replica.run("pg_basebackup", "-h", host, "-p", str(port), "-U", login, "-D", str(replica.data_dir),
                    "-R", "-X", "stream", "--no-sync", "-c", "fast", timeout=3600)  # fmt: skip
        matched = "\n".join(f"{name} = {value}" for name, value in primary_settings().items())
        # Debian keeps postgresql.conf and pg_hba.conf outside the data folder: the copy has its own or none.
        (replica.data_dir / "postgresql.conf").write_text(SETTINGS.format(port=replica.port, sockets=root,
                                                                          matched=matched))  # fmt: skip
        (replica.data_dir / "pg_hba.conf").write_text(HBA)
        (replica.data_dir / "pg_ident.conf").touch()
        if user is not None:
            for name in ("postgresql.conf", "pg_hba.conf", "pg_ident.conf"):
                os.chown(replica.data_dir / name, user.pw_uid, user.pw_gid)
        replica.start()
        wait_until_streaming(replica)
        print(f"== replica: streaming on port {replica.port} after {time.monotonic() - started:.0f} s",
              file=sys.stderr, flush=True)  # fmt: skip
        yield f"postgres://postgres@127.0.0.1:{replica.port}/{{database}}"
    finally:
        with contextlib.suppress(Exception):
            replica.stop()
        shutil.rmtree(root, ignore_errors=True)


def wait_until_streaming(replica):
    deadline = time.monotonic() + READY_TIMEOUT
    while True:
        with contextlib.suppress(RuntimeError):  # not accepting connections yet
            if replica.query("SELECT pg_is_in_recovery() AND pg_last_wal_replay_lsn() IS NOT NULL"):
                return
        if time.monotonic() > deadline:
            raise TimeoutError("the replica did not start streaming")
        time.sleep(0.5)


def peak_with_replica(database, seconds):
    """bench.peak.run with the server's reads of read-only pages on a fresh streaming replica."""
    from bench import peak

    with streaming_replica() as url:
        return peak.run(database, seconds, replica_url=url.format(database=database))
