"""Roll-ups equal what an independent script computes from the approved values (issue 3, "Must show").

The script below reads `ReportValue` rows and the unit tree and adds up in plain Python — it uses nothing from
`reports.rollup` — for flow, stock and ratio indicators, at village, area, town (and county) level, for month, quarter,
year and year-to-date. It is checked against the stored `Rollup` rows (a) on the demo 井字镇, in
tests/demo/test_rollup_independent.py, and (b) here, on a small hand-built case where a draft, a returned and a
submitted report must not count, a stock is reported in January and March but not February, and an approval's roll-up
arrives through the on_commit-enqueued task.
"""

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.utils import timezone

from branches.models import Household, HouseholdLink, Unit
from reports.models import Indicator, MonthlyReport, ReportValue, Rollup
from reports.monthly import selectors, services
from reports.rollup import build as rollup

ROLLUP_KINDS = {"county", "town", "area", "village", "community"}
RATIO_PLACES = Decimal("0.0001")  # a stored ratio keeps four decimals

# ── the independent script ──────────────────────────────────────────────────────────────────────────────────────


def last_complete_month(today=None):
    today = today or timezone.localdate()
    return date(today.year - 1, 12, 1) if today.month == 1 else date(today.year, today.month - 1, 1)


def period_keys(month, last):
    """Month, quarter, year and — if the month is in it — year-to-date (January to the last complete month)."""
    keys = {
        "month": f"{month.year}-{month.month:02d}",
        "quarter": f"{month.year}-Q{(month.month - 1) // 3 + 1}",
        "year": f"{month.year}",
    }
    if month.year < last.year or (month.year == last.year and month.month <= last.month):
        keys["ytd"] = f"{month.year}-YTD"
    return keys


def unit_ancestry():
    """unit id → the ids of itself and every county, town, area, village or community above it (by path prefix)."""
    units = list(Unit.objects.values_list("pk", "path", "kind"))
    summing = [(pk, path) for pk, path, kind in units if kind in ROLLUP_KINDS]
    return {pk: [other for other, prefix in summing if path.startswith(prefix)] for pk, path, _kind in units}


def independent_rollups():
    """{(period, unit id, code): value} from the approved values, summed in Python."""
    last = last_complete_month()
    ancestry = unit_ancestry()
    kinds = dict(Indicator.objects.values_list("code", "kind"))
    facts = ReportValue.objects.filter(report__status="approved", approved_value__isnull=False).values_list(
        "report__unit_id", "report__month", "indicator__code", "approved_value"
    )
    flows = defaultdict(Decimal)
    latest = {}  # (period, reporting unit, code) → (month, value)
    for unit_id, month, code, value in facts:
        for period in period_keys(month, last).values():
            if kinds[code] == "flow":
                for ancestor in ancestry[unit_id]:
                    flows[period, ancestor, code] += value
            elif kinds[code] == "stock":
                key = (period, unit_id, code)
                if key not in latest or latest[key][0] < month:
                    latest[key] = (month, value)
    result = dict(flows)
    for (period, unit_id, code), (_month, value) in latest.items():
        for ancestor in ancestry[unit_id]:
            result[period, ancestor, code] = result.get((period, ancestor, code), Decimal(0)) + value
    for ratio in Indicator.objects.filter(kind="ratio"):
        spec = ratio.spec
        for period, unit_id, code in list(result):
            if code != spec.denominator or result[period, unit_id, code] == 0:
                continue
            numerator = result.get((period, unit_id, spec.numerator))
            if numerator is not None:
                result[period, unit_id, ratio.code] = numerator * spec.scale / result[period, unit_id, code]
    return result


def type_of(period):
    return "ytd" if period.endswith("YTD") else "quarter" if "Q" in period else "month" if "-" in period else "year"


def stored_rollups():
    rows = Rollup.objects.values_list("period", "unit_id", "indicator__code", "value")
    return {(period, unit_id, code): value for period, unit_id, code, value in rows}


def ratio_rounding():
    """How the database rounds a stored ratio at an exact tie (…x5 at the fifth decimal, e.g. 125/128 = 97.65625 %):
    PostgreSQL's numeric half away from zero (97.6563); on SQLite the quotient is a float, which Django's decimal
    converter rounds half to even (97.6562)."""
    return ROUND_HALF_UP if connection.vendor == "postgresql" else ROUND_HALF_EVEN


def assert_rollups_match(expected, stored):
    ratios = set(Indicator.objects.filter(kind="ratio").values_list("code", flat=True))
    assert sorted(set(stored) - set(expected))[:20] == [], "stored roll-ups the script does not find"
    assert sorted(set(expected) - set(stored))[:20] == [], "roll-ups the script finds that are not stored"
    wrong = []
    for key, value in expected.items():
        want = value.quantize(RATIO_PLACES, rounding=ratio_rounding()) if key[2] in ratios else value
        if stored[key] != want:
            wrong.append((key, stored[key], want))
    assert wrong[:20] == []


def rollup_rows():
    return sorted(
        (period, period_type, unit_id, indicator_id, format(value.normalize(), "f"))
        for period, period_type, unit_id, indicator_id, value in Rollup.objects.values_list(
            "period", "period_type", "unit_id", "indicator_id", "value"
        )
    )


def figure(unit, period, code):
    row = Rollup.objects.filter(unit=unit, period=period, indicator__code=code).first()
    return None if row is None else row.value


# ── (b) a small hand-built case ─────────────────────────────────────────────────────────────────────────────────────


def file(unit, work_line, month, values, *, by, reviewer=None, stop="approved"):
    """Fill a report's entered figures (any the test does not give: 0) and take it to `stop`."""
    report = services.report_open(unit=unit, work_line=work_line, month=month)
    entered = {spec.code: 0 for spec in selectors.specs_for(unit, work_line) if spec.is_entered}
    services.report_save_values(report=report, user=by, values={**entered, **values})
    if stop == "draft":
        return report
    services.report_submit(report=report, user=by)
    if stop == "submitted":
        return report
    if stop == "returned":
        return services.report_return(report=report, user=reviewer, reason="数字与台账不符，请核对")
    return services.report_approve(report=report, user=reviewer)


def link(village, count):
    """The village's party member links (五个到户) the first `count` of its households."""
    for household in village.households[:count]:
        HouseholdLink.objects.create(
            unit=village.grid, member=village.member, household=household, since=date(2022, 1, 1)
        )


@pytest.fixture
def case(town, users, django_capture_on_commit_callbacks):
    """铜梁村 (3 households, 2 linked; 2 more households arrive in February), 杨球村 (3 households, all linked) and the
    town's own reports, from December 2025 to April 2026. Every approval's roll-up runs through its on_commit task."""
    tongliang, yangqiu, town_unit = town.tongliang, town.yangqiu, town.unit
    link(tongliang, 2)
    link(yangqiu, 3)
    gov = "governance"
    with django_capture_on_commit_callbacks(execute=True):
        # 铜梁村: governance in Dec, Jan and Mar — no February report — environment in Jan and Feb.
        kw = {"by": users.tongliang, "reviewer": users.cadre}
        file(tongliang.unit, gov, date(2025, 12, 1), {"gov.leaflets": 100, "gov.booster_doses": 10}, **kw)
        file(tongliang.unit, gov, date(2026, 1, 1), {"gov.leaflets": 120, "gov.booster_doses": 12}, **kw)
        for number in (4, 5):
            Household.objects.create(unit=tongliang.grid, head_name=f"新户{number}", house_number=str(number))
        file(tongliang.unit, gov, date(2026, 3, 1), {"gov.leaflets": 90, "gov.booster_doses": 9}, **kw)
        file(tongliang.unit, "environment", date(2026, 1, 1), {"env.participants": 10, "env.leaflets": 200}, **kw)
        file(tongliang.unit, "environment", date(2026, 2, 1), {"env.participants": 12, "env.leaflets": 150}, **kw)
        # 杨球村: a draft, a returned and a submitted report that must not count; March approved.
        kw = {"by": users.yangqiu, "reviewer": users.leader}
        file(yangqiu.unit, gov, date(2026, 1, 1), {"gov.leaflets": 999, "gov.booster_doses": 99}, stop="draft", **kw)
        file(yangqiu.unit, gov, date(2026, 2, 1), {"gov.leaflets": 777, "gov.booster_doses": 77}, stop="returned", **kw)
        file(yangqiu.unit, gov, date(2026, 3, 1), {"gov.leaflets": 50, "gov.booster_doses": 5}, **kw)
        file(
            yangqiu.unit, gov, date(2026, 4, 1), {"gov.leaflets": 555, "gov.booster_doses": 55}, stop="submitted", **kw
        )
        file(yangqiu.unit, "environment", date(2026, 2, 1), {"env.participants": 8, "env.leaflets": 100}, **kw)
        file(yangqiu.unit, "environment", date(2026, 3, 1), {"env.participants": 66, "env.leaflets": 666},
             stop="returned", **kw)  # fmt: skip
        # The town's own: governance in February; industry in January and March (jobs is a stock: no February).
        kw = {"by": users.admin, "reviewer": users.leader}
        file(town_unit, gov, date(2026, 2, 1), {"gov.leaflets": 30, "gov.booster_doses": 3}, **kw)
        file(town_unit, "industry", date(2026, 1, 1), {"ind.enterprise_tax": "210.55", "ind.enterprise_jobs": 50}, **kw)
        file(town_unit, "industry", date(2026, 3, 1), {"ind.enterprise_tax": "190.45", "ind.enterprise_jobs": 55}, **kw)
    statuses = MonthlyReport.objects.values_list("status", flat=True)
    assert sorted(set(statuses)) == ["approved", "draft", "returned", "submitted"]
    return SimpleNamespace(town=town, users=users, tongliang=tongliang.unit, yangqiu=yangqiu.unit)


@pytest.mark.django_db
def test_the_enqueued_rollups_equal_an_independent_sum(case):
    assert_rollups_match(independent_rollups(), stored_rollups())


@pytest.mark.django_db
def test_draft_returned_and_submitted_values_never_count(case):
    town, area, county = case.town.unit, case.town.area, case.town.county
    assert figure(town, "2026-01", "gov.leaflets") == 120  # 杨球村's draft 999 left out
    assert figure(town, "2026-02", "gov.leaflets") == 30  # the town's own; 杨球村's returned 777 left out
    assert figure(town, "2026-03", "gov.leaflets") == 140
    assert figure(town, "2026-04", "gov.leaflets") is None  # 杨球村's April is only submitted
    assert figure(town, "2026-Q2", "gov.leaflets") is None
    for period in ("2026-Q1", "2026", "2026-YTD"):
        assert figure(town, period, "gov.leaflets") == 120 + 30 + 90 + 50
        assert figure(town, period, "gov.booster_doses") == 12 + 3 + 9 + 5
        assert figure(county, period, "gov.leaflets") == figure(town, period, "gov.leaflets")
    assert figure(area, "2026-Q1", "gov.leaflets") == 120 + 90 + 50  # the town's own report is not the area's
    assert figure(case.yangqiu, "2026-Q1", "gov.leaflets") == 50
    assert figure(case.yangqiu, "2026-Q1", "env.participants") == 8  # March was returned
    assert figure(case.tongliang, "2026-Q1", "env.participants") == 22
    assert figure(town, "2026-Q1", "env.leaflets") == 450
    for period in ("2025-12", "2025-Q4", "2025", "2025-YTD"):
        assert figure(town, period, "gov.leaflets") == 100
    assert figure(town, "2026-Q1", "ind.enterprise_tax") == Decimal("401.00")


@pytest.mark.django_db
def test_a_stock_takes_the_last_reported_month_of_the_period(case):
    town, area = case.town.unit, case.town.area
    tongliang = case.tongliang
    assert figure(tongliang, "2026-01", "gov.households") == 3
    assert figure(tongliang, "2026-02", "gov.households") is None  # no February report
    assert figure(tongliang, "2026-03", "gov.households") == 5
    for period in ("2026-Q1", "2026", "2026-YTD"):
        assert figure(tongliang, period, "gov.households") == 5  # March, not January, not a sum
        assert figure(area, period, "gov.households") == 5 + 3
        assert figure(town, period, "gov.households") == 5 + 3
    assert figure(town, "2026-01", "gov.households") == 3  # 杨球村's January is a draft
    assert figure(town, "2025", "gov.households") == 3
    assert figure(town, "2026-01", "ind.enterprise_jobs") == 50
    assert figure(town, "2026-02", "ind.enterprise_jobs") is None
    for period in ("2026-Q1", "2026", "2026-YTD"):
        assert figure(town, period, "ind.enterprise_jobs") == 55


@pytest.mark.django_db
def test_the_coverage_rate_is_recomputed_from_the_summed_parts(case):
    """铜梁村 2 of 5 households (40 %), 杨球村 3 of 3 (100 %): the town is 5 of 8 = 62.5 %, not the average 70 %."""
    code = "gov.household_coverage_rate"
    assert figure(case.tongliang, "2026-03", code) == 40
    assert figure(case.yangqiu, "2026-03", code) == 100
    for unit in (case.town.area, case.town.unit, case.town.county):
        for period in ("2026-03", "2026-Q1", "2026", "2026-YTD"):
            assert figure(unit, period, code) == Decimal("62.5"), (unit, period)
    assert figure(case.town.unit, "2026-01", code) == Decimal("66.6667")  # 2 of 3: only 铜梁村 approved


@pytest.mark.django_db
def test_a_full_rebuild_equals_the_incremental_rollups_and_is_idempotent(case):
    incremental = rollup_rows()
    assert incremental
    rollup.rebuild_all()
    first = rollup_rows()
    rollup.rebuild_all()
    assert rollup_rows() == first == incremental
    assert_rollups_match(independent_rollups(), stored_rollups())


@pytest.mark.django_db
def test_an_unlocked_report_leaves_the_rollups(case, django_capture_on_commit_callbacks):
    report = MonthlyReport.objects.get(unit=case.tongliang, work_line="environment", month=date(2026, 2, 1))
    with django_capture_on_commit_callbacks(execute=True):
        services.report_unlock(report=report, user=case.users.admin, reason="核对人数")
    assert figure(case.tongliang, "2026-02", "env.participants") is None
    assert figure(case.town.unit, "2026-Q1", "env.participants") == 10 + 8
    assert_rollups_match(independent_rollups(), stored_rollups())
