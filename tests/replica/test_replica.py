"""Issue 24's read replica, against a real streaming replica: the portal (gunicorn) on a primary and a replica of its
own (tests/replica/clusters.py), every statement logged by each cluster with the client's application name. A
leader's dashboard is read from the replica; a secretary's save, the page it redirects to and the next read-only page
come from the primary (the request wrote, so the browser is pinned to it for REPLICA_PIN_SECONDS), and once the pin
has lapsed the same read-only page is the replica's again."""

import os
import re
import subprocess
import sys
import time

import pytest
import requests

from reports import periods
from tests.conftest import PASSWORD
from tests.processes import PROJECT_DIR, Process

from .clusters import PrimaryAndReplica, free_port

WEB = "jingzi-web"  # the portal's application_name (PGAPPNAME) in both clusters' logs
PIN_SECONDS = 2
MONTH = periods.month_key(periods.last_complete_month())
LINE = "governance"
SET_UP = """
from tests.conftest import build_town, build_users
town = build_town()
build_users(town)
print(f"VILLAGE={town.tongliang.unit.pk}")
"""


@pytest.fixture(scope="module")
def clusters():
    both = PrimaryAndReplica()
    try:
        both.primary.query("CREATE DATABASE jingzi")
        yield both
    finally:
        both.stop()


def portal_env(clusters, application):
    env = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "DATABASE_URL"}}
    env.update(  # eager Celery (no REDIS_URL): one process is all this test needs
        PYTHONUNBUFFERED="1",
        DATABASE_URL=clusters.primary.url("jingzi"),
        DATABASE_REPLICA_URL=clusters.replica.url("jingzi"),
        PGAPPNAME=application,
        REPLICA_PIN_SECONDS=str(PIN_SECONDS),
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1",
    )
    return env


def manage(clusters, *args):
    command = [sys.executable, "manage.py", *args]
    result = subprocess.run(command, cwd=PROJECT_DIR, env=portal_env(clusters, "jingzi-setup"), capture_output=True,
                            text=True, timeout=180, stdin=subprocess.DEVNULL)  # fmt: skip
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout}{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def portal(clusters, tmp_path_factory):
    """gunicorn on the primary and the replica, with a town, a leader and a secretary migrated in on the primary."""
    manage(clusters, "migrate", "--noinput")
    village = int(re.search(r"VILLAGE=(\d+)", manage(clusters, "shell", "-c", SET_UP)).group(1))
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "jingzi.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1", "--timeout", "30"]
    server = Process(command, portal_env(clusters, WEB), tmp_path_factory.mktemp("replica") / "gunicorn.log")
    base = f"http://127.0.0.1:{port}"

    def serving():
        try:
            return requests.get(f"{base}/accounts/login/", timeout=5).status_code == 200
        except requests.ConnectionError:
            return False

    try:
        server.wait_for("gunicorn to serve", serving, 60)
        yield base, village
    finally:
        server.stop()


def logged_in(base, username):
    browser = requests.Session()
    browser.get(f"{base}/accounts/login/", timeout=10).raise_for_status()
    form = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": browser.cookies["csrftoken"]}
    response = browser.post(f"{base}/accounts/login/", data=form, timeout=30)
    assert response.ok and "sessionid" in browser.cookies, f"{username} could not log in: {response.status_code}"
    return browser


class Watch:
    """What the portal asked each cluster while the block ran."""

    def __init__(self, clusters):
        self.clusters = clusters

    def __enter__(self):
        self.clusters.wait_for_replay()
        self.offsets = (self.clusters.primary.log_size(), self.clusters.replica.log_size())
        return self

    def __exit__(self, *exc):
        time.sleep(0.3)  # the server writes its log asynchronously from the client's point of view
        self.primary = self.clusters.primary.statements_since(self.offsets[0], WEB)
        self.replica = self.clusters.replica.statements_since(self.offsets[1], WEB)


def touching(statements, table):
    return [statement for statement in statements if f'"{table}"' in statement]


def test_the_leaders_dashboard_is_read_from_the_replica(clusters, portal):
    base, _village = portal
    leader = logged_in(base, "leader")
    time.sleep(PIN_SECONDS + 0.2)  # logging in is a write: the pin to the primary lapses first

    with Watch(clusters) as watch:
        response = leader.get(f"{base}/dashboard/", timeout=30)
    assert response.status_code == 200

    assert touching(watch.replica, "reports_rollup"), f"no roll-up read on the replica: {watch.replica}"
    assert not touching(watch.primary, "reports_rollup"), f"roll-ups read on the primary: {watch.primary}"
    assert not [s for s in watch.replica if re.search(r"\b(INSERT|UPDATE|DELETE)\b", s)]
    # The session and the user's login are the primary's (a fresh login must not wait on the replica's lag).
    assert touching(watch.primary, "django_session")


def test_a_secretarys_save_and_the_pages_after_it_are_read_from_the_primary(clusters, portal):
    base, village = portal
    secretary = logged_in(base, "tongliang")
    entry = f"{base}/reports/{village}/{LINE}/{MONTH}/"
    page = secretary.get(entry, timeout=30)
    assert page.status_code == 200
    version = re.search(r'name="version" value="(\d*)"', page.text).group(1)

    form = {"v:gov.leaflets": "120", "v:gov.booster_doses": "9", "version": version,
            "csrfmiddlewaretoken": secretary.cookies["csrftoken"]}  # fmt: skip
    with Watch(clusters) as watch:
        saved = secretary.post(entry, data=form, timeout=30, allow_redirects=False)
        assert saved.status_code == 302, saved.text[-2000:]
        after = secretary.get(f"{base}{saved.headers['Location']}", timeout=30)
        households = secretary.get(f"{base}/households/", timeout=30)  # a read-only page, but right after a save
    assert after.status_code == 200 and "120" in after.text
    assert households.status_code == 200

    assert touching(watch.primary, "reports_reportvalue"), "the save did not reach the primary"
    assert touching(watch.primary, "branches_household"), "the list after the save was not read from the primary"
    assert watch.replica == [], f"the replica answered during the save and the pages after it: {watch.replica}"

    time.sleep(PIN_SECONDS + 0.2)
    with Watch(clusters) as watch:
        assert secretary.get(f"{base}/households/", timeout=30).status_code == 200
    assert touching(watch.replica, "branches_household"), "with the pin lapsed, the list is the replica's again"
    assert not touching(watch.primary, "branches_household")
