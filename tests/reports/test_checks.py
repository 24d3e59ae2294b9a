"""The rules behind "checks before submit" and the period arithmetic the roll-ups rely on."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from reports import checks, periods
from reports.registry import DERIVED, ENTERED, FLOW, STOCK, Balance, IndicatorSpec, Registry, RegistryError

found = IndicatorSpec(code="t.found", name="发现隐患", unit="处", work_line="governance", kind=FLOW, source=ENTERED)
fixed = IndicatorSpec(code="t.fixed", name="整改隐患", unit="处", work_line="governance", kind=FLOW, source=ENTERED,
                      ceiling="t.found")  # fmt: skip
new = IndicatorSpec(code="t.new", name="新增案件", unit="件", work_line="governance", kind=FLOW, source=ENTERED)
closed = IndicatorSpec(code="t.closed", name="办结案件", unit="件", work_line="governance", kind=FLOW, source=ENTERED)
open_ = IndicatorSpec(code="t.open", name="在办案件", unit="件", work_line="governance", kind=STOCK, source=ENTERED,
                      balance=Balance(plus=("t.new",), minus=("t.closed",)))  # fmt: skip
money = IndicatorSpec(code="t.money", name="收入", unit="万元", work_line="industry", kind=FLOW, source=ENTERED,
                      decimals=2, max_value=Decimal(1000))  # fmt: skip


@pytest.mark.parametrize(
    "raw, expected",
    [("12", Decimal(12)), (" 1,000 ", Decimal(1000)), ("3.25", Decimal("3.25")), ("", None), (None, None), (7, 7)],
)
def test_clean_value_accepts(raw, expected):
    assert checks.clean_value(money, raw) == expected


@pytest.mark.parametrize(
    "raw, reason",
    [("-1", "不能小于 0"), ("abc", "必须是数字"), ("1001", "不能大于 1000 万元"), ("1.234", "最多保留 2 位小数"),
     ("NaN", "必须是数字"), ("Infinity", "必须是数字"), (True, "必须是数字")],
)  # fmt: skip
def test_clean_value_refuses_with_a_chinese_reason(raw, reason):
    with pytest.raises(ValueError, match=reason):
        checks.clean_value(money, raw)


def test_integer_indicators_refuse_fractions():
    with pytest.raises(ValueError, match="必须是整数"):
        checks.clean_value(found, "2.5")
    assert checks.clean_value(found, "2.0") == 2


def test_ceiling_rectified_not_above_found():
    problems = checks.ceiling_problems([found, fixed], {"t.found": Decimal(5), "t.fixed": Decimal(6)})
    assert [p.code for p in problems] == ["t.fixed"] and "不能超过“发现隐患”" in problems[0].message
    assert not checks.ceiling_problems([found, fixed], {"t.found": Decimal(5), "t.fixed": Decimal(5)})


def test_month_to_month_balance():
    specs = [new, closed, open_]
    values = {"t.new": Decimal(3), "t.closed": Decimal(2), "t.open": Decimal(11)}
    assert not checks.balance_problems(specs, values, {"t.open": Decimal(10)})
    wrong = checks.balance_problems(specs, {**values, "t.open": Decimal(12)}, {"t.open": Decimal(10)})
    assert wrong and "= 11，本月为 12" in wrong[0].message
    assert not checks.balance_problems(specs, values, {})  # no last month: nothing to balance against


def test_completeness_names_the_missing_entered_figures():
    problems = checks.completeness_problems([found, fixed], {"t.found": Decimal(0)})
    assert [p.code for p in problems] == ["t.fixed"]


def test_outliers_are_flagged_against_the_units_own_history():
    history = [Decimal(10), Decimal(12), Decimal(9), Decimal(11)]
    assert "明显高于" in checks.outlier_flag(found, Decimal(40), history)
    assert checks.outlier_flag(found, Decimal(20), history) == ""
    assert checks.outlier_flag(found, Decimal(400), history[:2]) == ""  # too little history to judge
    assert checks.outlier_flag(open_, Decimal(400), history) == ""  # stocks are not flagged this way


def test_a_flow_held_once_a_quarter_is_not_flagged_for_its_empty_months():
    """A quarterly meeting is 1 in one month of three: its 0 beside a median of 0.5 or 1 (a short history that
    happens to hold two of them) is no outlier, so such an indicator declares itself out of the check — and only the
    check: its figure is still a flow."""
    history = [Decimal(1), Decimal(0), Decimal(1)]
    assert "本月为 0" in checks.outlier_flag(found, Decimal(0), history)
    quarterly = replace(found, outlier_checked=False)
    assert checks.outlier_flag(quarterly, Decimal(0), history) == ""
    assert checks.outlier_flag(quarterly, Decimal(9), history) == ""


def test_registry_refuses_inconsistent_declarations():
    registry = Registry(work_lines={"industry", "governance"})
    registry.register(found)
    with pytest.raises(RegistryError):
        registry.register(IndicatorSpec(code="t.found", name="别的", unit="处", work_line="governance", kind=FLOW,
                                        source=ENTERED))  # fmt: skip
    with pytest.raises(RegistryError):
        registry.register(IndicatorSpec(code="t.x", name="x", unit="个", work_line="nowhere", kind=FLOW,
                                        source=ENTERED))  # fmt: skip
    with pytest.raises(RegistryError):
        registry.register(IndicatorSpec(code="t.y", name="y", unit="个", work_line="industry", kind=FLOW,
                                        source=DERIVED))  # fmt: skip


@pytest.mark.parametrize(
    "key, months",
    [("2026-03", [3]), ("2026-Q2", [4, 5, 6]), ("2025", list(range(1, 13))), ("2025-YTD", list(range(1, 13)))],
)
def test_periods_hold_their_months(key, months):
    period = periods.parse_period(key)
    assert [m.month for m in period.months()] == months and period.key == key


def test_year_to_date_stops_at_the_last_complete_month():
    today = date(2026, 11, 28)
    assert [m.month for m in periods.parse_period("2026-YTD").months(today)] == list(range(1, 11))
    assert periods.last_complete_month(today) == date(2026, 10, 1)
    assert [p.key for p in periods.periods_containing(date(2026, 11, 1), today)] == ["2026-11", "2026-Q4", "2026"]


@pytest.mark.parametrize("bad", ["2026-13", "26-01", "2026-Q5", "abc", "", "1999"])
def test_bad_period_keys_are_refused_in_chinese(bad):
    with pytest.raises(periods.PeriodError, match="格式不正确"):
        periods.parse_period(bad)


def test_previous_and_same_period_last_year():
    assert periods.parse_period("2026-01").previous().key == "2025-12"
    assert periods.parse_period("2026-Q1").previous().key == "2025-Q4"
    assert periods.parse_period("2026-Q3").same_last_year().key == "2025-Q3"
