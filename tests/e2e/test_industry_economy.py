"""A village secretary records an income on his phone and sees it on the village economy chart."""

import pytest

from reports import periods
from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_secretary_records_income_and_the_chart_draws(page, console, screenshot, live_server, users, town):
    village = town.tongliang.unit
    log_in(page, users.tongliang.username, PASSWORD)

    page.goto(f"/industry/incomes/add/?unit={village.pk}")
    day = periods.last_complete_month().replace(day=12)
    page.fill("input[name='date']", day.isoformat())
    page.select_option("select[name='source']", "contracting")
    page.fill("input[name='amount']", "23800")
    page.fill("input[name='note']", "山塘发包")
    with page.expect_navigation():
        page.click("main form button[type='submit']")
    assert "已保存" in page.content()

    page.goto(f"/industry/economy/{village.pk}/?year={day.year}")
    chart = page.locator("[data-chart='income-chart']")
    chart.locator("canvas").first.wait_for()
    assert chart.get_attribute("data-chart-ready") == "true"
    assert page.locator("[data-stat='income']").inner_text() == "23800"
    assert "发包及上交收入" in page.content()
    screenshot("economy")

    # The same page is refused for another village; the 消薄 board lists only his own.
    other = f"/industry/economy/{town.yangqiu.unit.pk}/"
    assert page.goto(other).status == 404
    page.goto(f"/industry/xiaobo/?year={day.year}")
    board = page.locator("table").inner_text()
    assert "铜梁村" in board and "杨球村" not in board and "23800" in board

    errors = console.unexpected(allow_404_for={live_server.url + other})
    assert errors == [], errors
