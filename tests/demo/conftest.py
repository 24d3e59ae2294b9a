"""The tests that need the Jingzi demo: `manage.py load_demo` runs once for the whole package.

`printout` (autouse, package scope) loads the demo inside a transaction rolled back when the package is done (see
`tests.conftest.demo_loaded`) and gives what the command printed; each test then runs in a savepoint inside it, as with
Django's setUpTestData, so a test may change the demo (or load it again) without the next one seeing it.

The demo is loaded once only if the package's tests run one after the other. pytest-django runs the plain database
tests first, then the transactional ones, then those without a database; so every test here must be a plain `db`
test (those that touch no table carry the module's `pytestmark`), and collection refuses one that is not.
"""

from pathlib import Path

import pytest

from branches.models import Unit
from demo.branches import TOWN
from reports import periods
from tests.conftest import demo_loaded, is_transactional

HERE = Path(__file__).parent


@pytest.fixture(scope="package", autouse=True)
def printout(django_db_setup, django_db_blocker):
    """The demo, loaded once for the package; the value is what `load_demo` printed."""
    with demo_loaded(django_db_blocker) as text:
        yield text


@pytest.fixture
def demo_town(printout, db):
    return Unit.objects.get(code=TOWN[1], kind=Unit.Kind.TOWN)


@pytest.fixture
def villages(demo_town):
    """{name: unit} of the demo town's villages and community."""
    return {village.name: village for village in Unit.objects.under(demo_town).villages()}


@pytest.fixture
def last():
    """The demo's last month: the last complete one."""
    return periods.last_complete_month()


def pytest_itemcollected(item):
    """Every test here is marked `demo`, so `-m 'not demo'` leaves the load out."""
    if HERE in item.path.parents:
        item.add_marker(pytest.mark.demo)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """A test here that pytest-django would run apart from the others (transactional, or without a database) would
    have the demo loaded a second time: refuse it."""
    strays = []
    for item in items:
        if HERE not in item.path.parents:
            continue
        marker = item.get_closest_marker("django_db")
        if is_transactional(item) or (marker is None and "db" not in item.fixturenames):
            strays.append(item.nodeid)
    if strays:
        raise pytest.UsageError(
            "tests/demo/ holds plain database tests only (mark them django_db, not transactional), or the demo is "
            f"loaded again for them: {', '.join(strays)}"
        )
