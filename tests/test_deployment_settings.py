"""The settings a deployment on several machines sets from the environment (docs/operations.md, "Several machines"):
server-side cursors off on both database aliases behind PgBouncer in transaction pooling mode, and X-Forwarded-Host
trusted only when asked. Settings are read once per process, so each case reads them in a fresh Python; reading them
connects to nothing."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

SHOW = (
    "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps({"
    "'cursors_off': {alias: db.get('DISABLE_SERVER_SIDE_CURSORS') for alias, db in s.DATABASES.items()}, "
    "'max_age': {alias: db['CONN_MAX_AGE'] for alias, db in s.DATABASES.items()}, "
    "'forwarded_host': s.USE_X_FORWARDED_HOST}))"
)
PRIMARY = "postgres://jingzi:secret@pgbouncer-primary:6432/jingzi"
REPLICA = "postgres://jingzi:secret@pgbouncer-replica:6432/jingzi"
READ_HERE = ("DATABASE_URL", "DATABASE_REPLICA_URL", "DB_DISABLE_SERVER_SIDE_CURSORS", "DB_CONN_MAX_AGE",
             "USE_X_FORWARDED_HOST", "JINGZI_ENV")  # fmt: skip


def shown(**env):
    base = {k: v for k, v in os.environ.items() if k not in READ_HERE}
    base.update(DJANGO_SETTINGS_MODULE="jingzi.settings", PYTHONWARNINGS="ignore", DATABASE_URL=PRIMARY, **env)
    done = subprocess.run([sys.executable, "-c", SHOW], cwd=settings.BASE_DIR, env=base, capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_server_side_cursors_stay_on_unless_asked():
    """A direct connection to PostgreSQL keeps Django's default: `.iterator()` streams from a server-side cursor."""
    assert shown(DATABASE_REPLICA_URL=REPLICA)["cursors_off"] == {"default": False, "replica": False}


@pytest.mark.parametrize("value", ["1", "true", "on"])
def test_transaction_pooling_turns_server_side_cursors_off_on_both_aliases(value):
    """Behind PgBouncer in transaction mode a cursor declared in one transaction is gone at the next fetch (another
    server connection): both the primary and the replica, each behind its own PgBouncer, need them off."""
    found = shown(DATABASE_REPLICA_URL=REPLICA, DB_DISABLE_SERVER_SIDE_CURSORS=value)
    assert found["cursors_off"] == {"default": True, "replica": True}


def test_connection_age_applies_to_both_aliases():
    assert shown(DATABASE_REPLICA_URL=REPLICA, DB_CONN_MAX_AGE="0")["max_age"] == {"default": 0, "replica": 0}


@pytest.mark.parametrize(("value", "trusted"), [(None, False), ("0", False), ("1", True)])
def test_x_forwarded_host_is_trusted_only_when_asked(value, trusted):
    env = {} if value is None else {"USE_X_FORWARDED_HOST": value}
    assert shown(**env)["forwarded_host"] is trusted
