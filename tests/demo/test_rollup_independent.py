"""The demo 井字镇's roll-ups equal what the independent script of tests/reports/test_rollup_independent.py computes
from the approved values (issue 3, "Must show", case (a)), at every level, for every period type, for flows, stocks and
the ratio; and a full rebuild run twice gives the rows the demo left.

The demo is loaded once for the package (tests/demo/conftest.py); each test runs in a savepoint inside it.
"""

import pytest

from branches.models import Unit
from reports.models import Indicator
from reports.rollup import build as rollup
from tests.reports.test_rollup_independent import (
    assert_rollups_match,
    independent_rollups,
    rollup_rows,
    stored_rollups,
    type_of,
)

pytestmark = pytest.mark.django_db  # tests/demo/ holds database tests only (see its conftest)


@pytest.fixture
def demo(printout, db):
    return Unit.objects.get(code="431321102")


@pytest.mark.django_db
class TestTheDemo:
    def test_its_rollups_equal_an_independent_sum(self, demo):
        expected = independent_rollups()
        assert_rollups_match(expected, stored_rollups())
        # The check covered every level and every period type, for flows, stocks and the ratio.
        kinds = dict(Unit.objects.values_list("pk", "kind"))
        indicator_kinds = dict(Indicator.objects.values_list("code", "kind"))
        covered = {(kinds[unit], type_of(period), indicator_kinds[code]) for period, unit, code in expected}
        for level in ("village", "community", "area", "town", "county"):
            for period in ("month", "quarter", "year", "ytd"):
                for kind in ("flow", "stock", "ratio"):
                    assert (level, period, kind) in covered, (level, period, kind)

    def test_a_full_rebuild_run_twice_gives_identical_rows(self, demo):
        loaded = rollup_rows()
        rollup.rebuild_all()
        first = rollup_rows()
        rollup.rebuild_all()
        assert rollup_rows() == first == loaded
