"""Property-based tests (hypothesis) on the services that take what people type: whatever arrives, the answer is a
value or the service's own refusal with a reason — never another exception (which a page would show as a 500)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from branches.exports import FORMULA_PREFIXES, safe_cell
from reports import checks, periods
from reports.models import ReportValue
from reports.monthly import selectors, services

PROPERTY_SETTINGS = hypothesis_settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# What a form field or a JSON body can carry where a number is expected.
numberish = st.one_of(
    st.from_regex(r"\A[-+]?[0-9]{0,40}([.,][0-9]{0,40})?([eE][-+]?[0-9]{1,5})?\Z"),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
)
anything = st.one_of(
    numberish,
    st.none(),
    st.booleans(),
    st.text(max_size=40),
    st.sampled_from(["１２", "一百", "NaN", "-Infinity", "1e999999", "0x10", "1_000", " 7 ", "3，000", "٣"]),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


# --- periods ----------------------------------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(st.one_of(st.text(max_size=20), st.from_regex(r"\A[0-9]{1,6}(-([0-9]{1,3}|Q[0-9]{1,2}|YTD|H[0-9]))?\Z")))
@example("2026-13")
@example("0000-01")
@example("9999-Q4")
@example("2026-Q0")
@example("\x00")
def test_parse_period_gives_a_period_or_a_period_error(text):
    try:
        period = periods.parse_period(text)
    except periods.PeriodError as error:
        assert str(error)
    else:
        assert periods.parse_period(period.key).key == period.key


@PROPERTY_SETTINGS
@given(st.one_of(st.text(max_size=12), st.from_regex(r"\A[0-9]{1,6}-[0-9]{1,3}\Z")))
@example("2026-00")
@example("10000-01")
def test_parse_month_gives_a_month_start_or_a_period_error(text):
    try:
        month = periods.parse_month(text)
    except periods.PeriodError as error:
        assert str(error)
    else:
        assert isinstance(month, date) and month.day == 1 and periods.month_key(month) == text.strip()[:7]


# --- exports ----------------------------------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(st.one_of(st.text(), st.integers(), st.floats(allow_nan=False), st.booleans(), st.none(), st.dates()))
def test_safe_cell_never_leaves_text_a_spreadsheet_would_run(value):
    cell = safe_cell(value)
    if isinstance(cell, str):
        assert not cell.startswith(FORMULA_PREFIXES)


# --- monthly figures --------------------------------------------------------------------------------------------------


@pytest.fixture
def draft(town, users):
    """A draft report of 铜梁村 with figures to type (the 环境整治 line), and its secretary."""
    month = periods.last_complete_month()
    report = services.report_open(unit=town.tongliang.unit, work_line="environment", month=month)
    entered = [spec for spec in selectors.specs_for(report.unit, report.work_line) if spec.is_entered]
    assert entered, "the environment line has entered figures"
    return report, entered, users.tongliang


def saved_values(report):
    return dict(ReportValue.objects.filter(report=report).values_list("indicator__code", "value"))


@PROPERTY_SETTINGS
@given(data=st.data())
def test_saving_typed_figures_saves_them_within_bounds_or_refuses_them(draft, data):
    report, entered, user = draft
    codes = [spec.code for spec in entered] + ["no.such.code", "env.garbage_tons"]
    values = data.draw(st.dictionaries(st.sampled_from(codes), anything, min_size=1, max_size=4), label="values")
    version = data.draw(st.one_of(st.none(), st.integers(-5, 10**12), st.text(max_size=6)), label="version")
    before = saved_values(report)
    try:
        saved = services.report_save_values(report=report, user=user, values=values, version=version)
    except ValidationError as error:  # ConflictError is one too
        assert error.messages
        assert saved_values(report) == before  # bad input saves nothing
        return
    after = saved_values(saved)
    specs = {spec.code: spec for spec in entered}
    for code in values:
        spec, value = specs[code], after[code]
        if value is None:
            continue
        assert spec.min_value is None or value >= Decimal(str(spec.min_value)), (code, value)
        assert spec.max_value is None or value <= Decimal(str(spec.max_value)), (code, value)
        assert value == checks.clean_value(spec, value)


@PROPERTY_SETTINGS
@given(raw=anything)
def test_clean_value_gives_a_number_none_or_a_chinese_reason(draft, raw):
    _report, entered, _user = draft
    for spec in entered:
        try:
            value = checks.clean_value(spec, raw)
        except ValueError as error:
            assert any("\u4e00" <= char <= "\u9fff" for char in str(error)), str(error)
        else:
            assert value is None or isinstance(value, Decimal) and value.is_finite()
