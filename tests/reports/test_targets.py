"""The one pace rule (reports/targets.py): a yearly target T is due at T × M / 12 by month M; the figure is the
approved January-to-M roll-up; green at or above the pace, yellow below it but at least half, red below half.
That the dashboard, the 通报 and the 消薄 board agree on the demo for every village and month is
tests/demo/test_pace.py."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports import periods, targets
from reports.models import Indicator, Rollup
from reports.registry import ENTERED, STOCK, IndicatorSpec, Registry, RegistryError, registry

MARCH = date(2025, 3, 1)  # the pace of 50,000 a year is 12,500


@pytest.mark.parametrize(
    "figure, colour",
    [("12500", "green"), ("12499.99", "yellow"), ("6250", "yellow"), ("6249.99", "red"), (None, "red"),
     ("0", "red"), ("50000", "green")],
)  # fmt: skip
def test_green_at_the_pace_yellow_below_it_red_below_half(figure, colour):
    standing = targets.judge(Decimal(50_000), None if figure is None else Decimal(figure), MARCH, "元")
    assert standing.colour == colour
    assert standing.pace == Decimal(12_500) and standing.month == MARCH
    assert standing.behind == (colour != "green")


def test_the_reason_says_the_month_the_pace_and_the_gap():
    standing = targets.judge(Decimal(50_000), Decimal(20_000), date(2025, 10, 1), "元")
    assert standing.colour == "red" and standing.gap == standing.pace - 20_000
    assert standing.reason == "不足序时进度的一半：1—10月已审核累计 20000 元，序时应达 41666.67 元，还差 21666.67 元"
    assert "已达目标 50000 元" in targets.judge(Decimal(50_000), Decimal(60_000), MARCH, "元").reason
    assert "截至2025年3月" in targets.note(MARCH) and "只计已审核的月报" in targets.note(MARCH)


@pytest.mark.parametrize(
    "today, period, judged",
    [
        (date(2026, 11, 5), "2026-YTD", date(2026, 9, 1)),  # October's reports are due on the 5th: not yet
        (date(2026, 11, 6), "2026-YTD", date(2026, 10, 1)),
        (date(2026, 11, 6), "2026", date(2026, 10, 1)),
        (date(2026, 11, 6), "2025", date(2025, 12, 1)),
        (date(2026, 1, 3), "2026-YTD", None),  # nothing of the year is due yet
        (date(2026, 1, 3), "2025-YTD", date(2025, 11, 1)),  # December is not due yet either
        (date(2026, 11, 6), "2026-Q3", None),  # a target is yearly
        (date(2026, 11, 6), "2026-10", None),
    ],
)
def test_pages_judge_as_of_the_last_month_whose_deadline_has_passed(today, period, judged):
    assert targets.judged_month(periods.parse_period(period), today) == judged


def test_only_a_flow_may_have_a_yearly_target():
    with pytest.raises(RegistryError, match="only a flow"):
        Registry(work_lines={"industry"}).register(
            IndicatorSpec(code="t.level", name="水平", unit="个", work_line="industry", kind=STOCK, source=ENTERED,
                          target=Decimal(10))
        )


@pytest.mark.django_db
def test_standings_read_the_approved_monthly_rollups_in_one_query(town):
    """Monthly roll-ups (approved figures only) January to the month, summed; a later month does not count, and
    one query serves every village."""
    income = Indicator.objects.get(code="ind.collective_income")
    tongliang, yangqiu = town.tongliang.unit, town.yangqiu.unit
    for number, amount in ((1, 5000), (2, 4000), (3, 4000), (4, 90000)):
        Rollup.objects.create(unit=tongliang, period=f"2025-{number:02d}", period_type="month", indicator=income,
                              value=Decimal(amount))  # fmt: skip
    Rollup.objects.create(unit=yangqiu, period="2025-02", period_type="month", indicator=income, value=7000)
    spec = registry.get("ind.collective_income")
    with CaptureQueriesContext(connection) as queries:
        found = targets.standings([tongliang, yangqiu], [spec], MARCH)
    assert len(queries.captured_queries) == 1
    assert (found[(tongliang.pk, spec.code)].figure, found[(tongliang.pk, spec.code)].colour) == (13000, "green")
    assert (found[(yangqiu.pk, spec.code)].figure, found[(yangqiu.pk, spec.code)].colour) == (7000, "yellow")
    assert found[(yangqiu.pk, spec.code)].unit == yangqiu and found[(yangqiu.pk, spec.code)].spec == spec
