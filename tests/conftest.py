"""Shared fixtures: a small town with two villages, and one login per role; loading the demo once (tests/demo/)."""

import tempfile
from contextlib import contextmanager
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from branches.models import Assignment, Cadre, GridWorker, Household, PartyMember, PartyOrganisation, Unit, User

PASSWORD = "test-pass-2026"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Logins are made per test; the production hasher's deliberate slowness only costs time here."""
    settings.PASSWORD_HASHERS = FAST_HASHER


FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_login_lockout(settings):
    """django-axes counts failed logins and locks a login out; the test client's login() gives it no request (which it
    requires), and one test's wrong passwords must not lock the next one out. tests/security/test_accounts.py turns it
    on, with its own reset."""
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def notify_synchronously(settings):
    """Deliveries of notifications go to a background thread after the commit in the embedded default; the tests send
    them on commit in the test's own thread, so what was sent is known when the code under test returns.
    tests/reports/test_notification_delivery.py turns the thread back on where it tests that a page does not wait."""
    settings.NOTIFY_IN_BACKGROUND = False


@pytest.fixture(autouse=True)
def cold_cache():
    """Each test starts with an empty cache: a page cached by one test (under the same unit ids and roll-up version
    in a fresh database) must not answer the next one, and the query-count pins count a cold page."""
    cache.clear()
    yield
    cache.clear()


@contextmanager
def demo_loaded(django_db_blocker):
    """`manage.py load_demo` once for a wider scope (tests/demo/conftest.py: the package), as Django's setUpTestData
    would, inside a transaction rolled back at the end; each test then runs in a savepoint within it. Yields what the
    command printed."""
    media = tempfile.TemporaryDirectory(prefix="jingzi-demo-media-")
    settings_for_demo = override_settings(PASSWORD_HASHERS=FAST_HASHER, MEDIA_ROOT=media.name)
    with media, django_db_blocker.unblock(), settings_for_demo, transaction.atomic():
        out = StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def add_unit(parent, name, kind, code=""):
    if parent is None:
        return Unit.objects.add_root({"name": name, "kind": kind, "code": code})
    return Unit.objects.add_child(parent, {"name": name, "kind": kind, "code": code})


def make_village(area, name, code):
    village = add_unit(area, name, Unit.Kind.VILLAGE, code)
    group = add_unit(village, f"{name}一组", Unit.Kind.GROUP)
    grid = add_unit(group, f"{name}第1网格", Unit.Kind.GRID)
    organisation = PartyOrganisation.objects.create(unit=village, name=f"{name}党支部")
    households = [
        Household.objects.create(unit=grid, head_name=f"{name}户主{i}", house_number=str(i)) for i in range(1, 4)
    ]
    member = PartyMember.objects.create(unit=village, organisation=organisation, name=f"{name}党员")
    return SimpleNamespace(
        unit=village, group=group, grid=grid, organisation=organisation, households=households, member=member
    )


def make_user(username, role, unit, **extra):
    return User.objects.create_user(username=username, password=PASSWORD, role=role, unit=unit, **extra)


@pytest.fixture
def town(db):
    """双峰县 → 井字镇 → 第一片区 → 铜梁村, 杨球村 (each with a group, a grid, three households, a member)."""
    return build_town()


@pytest.fixture
def users(town):
    return build_users(town)


def build_town():
    """The `town` fixture's data, for fixtures of a wider scope (tests/security builds it once per module)."""
    county = add_unit(None, "双峰县", Unit.Kind.COUNTY, "431321")
    town_unit = add_unit(county, "井字镇", Unit.Kind.TOWN, "431321102")
    area = add_unit(town_unit, "第一片区", Unit.Kind.AREA)
    tongliang = make_village(area, "铜梁村", "431321102201")
    yangqiu = make_village(area, "杨球村", "431321102202")
    # Reload so the in-memory nodes carry the numchild treebeard wrote meanwhile.
    return SimpleNamespace(
        county=county, unit=Unit.objects.get(pk=town_unit.pk), area=area, tongliang=tongliang, yangqiu=yangqiu
    )


def build_users(town):
    """The `users` fixture's logins: admin, leader, cadre (包村 铜梁村), tongliang and yangqiu (secretaries)."""
    cadre_user = make_user("cadre", User.Role.CADRE, town.unit)
    cadre = Cadre.objects.create(unit=town.unit, name="联村干部", user=cadre_user)
    Assignment.objects.create(kind=Assignment.Kind.VILLAGE, unit=town.tongliang.unit, cadre=cadre)
    return SimpleNamespace(
        admin=make_user("admin", User.Role.ADMIN, town.unit),
        leader=make_user("leader", User.Role.LEADER, town.unit),
        cadre=cadre_user,
        tongliang=make_user("tongliang", User.Role.SECRETARY, town.tongliang.unit),
        yangqiu=make_user("yangqiu", User.Role.SECRETARY, town.yangqiu.unit),
    )


def make_grid_worker(village, username):
    """A 网格员 login on `village`'s grid, linked to the grid's GridWorker record (what signs his visits)."""
    user = make_user(username, User.Role.GRID_WORKER, village.grid, first_name=f"{village.unit.name}网格员")
    GridWorker.objects.create(unit=village.grid, name=user.first_name, phone="13800000000", user=user)
    return user


@pytest.fixture
def grid_workers(town, users):
    """A grid worker on 铜梁村's grid (tl-grid1) and one on 杨球村's (yq-grid1), beside the `users` logins."""
    return SimpleNamespace(
        tongliang=make_grid_worker(town.tongliang, "tl-grid1"), yangqiu=make_grid_worker(town.yangqiu, "yq-grid1")
    )


@pytest.fixture
def login(client):
    """login(user) → the test client, logged in as that user (and nobody else)."""

    def as_user(user):
        client.logout()
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return as_user


# --- the suite on two processes (make test: pytest-xdist, --dist loadgroup) -----------------------------------------

TESTS = Path(__file__).parent
FAULTS_HOME = TESTS / "reliability"  # make test runs the `faults` tests from here, alone, after the others


def is_transactional(item):
    """Does pytest-django run `item` with the transactional tests, which empty the database (so last)?"""
    marker = item.get_closest_marker("django_db")
    transactional = {"transactional_db", "live_server"} & set(item.fixturenames)
    if marker is not None:  # django_db(transaction=False, reset_sequences=False, ...), by position or name
        options = dict(zip(("transaction", "reset_sequences"), marker.args, strict=False), **marker.kwargs)
        transactional = transactional or options.get("transaction") or options.get("reset_sequences")
    return bool(transactional)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Under pytest-xdist each module's plain tests go to one worker together (an `xdist_group`), so a world built once
    per module is built once, and tests/demo/ as one group, so the demo is loaded once; a transactional test stays on
    its own and runs last on its worker, in pytest-django's order. A `faults` test outside tests/reliability/ is
    refused: make test would never run it (the parallel run leaves the marker out and runs that folder after)."""
    strays = []
    for item in items:
        if item.get_closest_marker("faults") is not None and FAULTS_HOME not in item.path.parents:
            strays.append(item.nodeid)
        if is_transactional(item):
            continue
        demo = TESTS / "demo"
        group = "demo" if demo in item.path.parents else item.path.relative_to(TESTS).as_posix()
        item.add_marker(pytest.mark.xdist_group(group))
    if strays:
        raise pytest.UsageError(f"`faults` tests belong in tests/reliability/: {', '.join(strays)}")
