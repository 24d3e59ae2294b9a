"""The leaders' dashboard in a real browser: after `load_demo` the leader sees the article's figures, every chart
draws, a KPI drills down to the villages and on to the records, on a desktop and on a phone — without a console error.
A village secretary finds his village's compact dashboard on his home page, and nothing of another village."""

from decimal import Decimal

import pytest
from django.conf import settings

from reports import periods
from reports.dashboard import selectors as dashboard
from reports.models import Indicator, Rollup
from tests.conftest import PASSWORD
from tests.e2e.conftest import RESULTS_DIR, ConsoleLog, log_in

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# DESIGN §5, the article's column: the town's figures for the year so far.
ARTICLE = {"env.garbage_tons": "427", "gov.disputes_mediated": "467", "gov.booster_doses": "7779", "org.grids": "122",
           "gov.covering_members": "1158", "env.hollow_houses": "541", "ind.enterprises_assigned": "66"}  # fmt: skip
# Every chart on view is drawn (a work line's trend and ranking behind its closed 更多 are drawn when opened).
ALL_CHARTS_READY = """() => {
  const charts = [...document.querySelectorAll('[data-chart]')]
    .filter((chart) => !chart.closest('details:not([open])'));
  return charts.length > 0 && charts.every((chart) => chart.dataset.chartReady === 'true');
}"""


def results(name):
    RESULTS_DIR.mkdir(exist_ok=True)
    return RESULTS_DIR / name


def new_page(browser, live_server, viewport):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai",
                                  viewport=viewport)  # fmt: skip
    context.set_default_timeout(20_000)
    return context, context.new_page()


def open_dashboard(page, url="/dashboard/"):
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url} gave {response and response.status}"
    page.wait_for_function(ALL_CHARTS_READY)


def assert_chinese_headings(page):
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    headings = page.locator("h1, h2").all_inner_texts()
    assert any("领导驾驶舱" in text for text in headings), headings
    for label in ("支部+产业发展", "支部+环境整治", "支部+基层治理", "需要关注"):
        assert any(label in text for text in headings), (label, headings)
    assert "近 12 个月趋势" in page.content() and "村（社区）排名" in page.content()


def drill_from_kpi_to_a_record(page, code):
    """KPI card → the villages behind it → the ledger rows of one village-month → one record."""
    with page.expect_navigation():
        page.locator(f"[data-kpi='{code}'] [data-value]").first.click()
    assert "/dashboard/indicator/" in page.url
    assert page.locator("h1").first.inner_text().startswith("清除陈旧垃圾")
    villages = page.locator("table tbody tr")
    assert villages.count() >= 22  # the town's own row and its 22 villages
    figure = page.locator("table a[data-records]").nth(1)
    with page.expect_navigation():
        figure.click()
    assert "under=" in page.url and "date_after=" in page.url, page.url
    record = page.locator("main table tbody a").first
    record.wait_for()
    with page.expect_navigation():
        record.click()
    assert page.locator("h1").first.is_visible()
    assert "/environment/cleanups/" in page.url, page.url


def open_the_top_village_from_the_ranking(page):
    """A click on the first row of the village ranking (黄巢村 leads on collective income) opens its dashboard."""
    chart = page.locator("[data-chart='rank-industry']")
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    with page.expect_navigation():
        page.mouse.click(box["x"] + box["width"] * 0.7, box["y"] + 36)
    assert "unit=" in page.url, page.url
    assert "工作台" in page.locator("h1").first.inner_text()
    page.wait_for_function(ALL_CHARTS_READY)


def assert_first_screen_holds_the_summary_and_a_chart(page):
    """The leader's first screen (1280 × 800): 今日待办, the exceptions, each line's headline figures and a drawn
    ECharts chart whose data counts the town's figures."""
    for selector in (
        "[data-testid='today']",
        "[data-exceptions]",
        "[data-dashboard-summary]",
        "[data-chart-kind='status']",
    ):
        box = page.locator(selector).bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= DESKTOP["height"], (selector, box)
    assert page.locator("[data-chart-kind='status']").get_attribute("data-chart-ready") == "true"
    assert page.locator("[data-chart-kind='status'] canvas").count() == 1
    counted = page.evaluate("JSON.parse(document.getElementById('status-chart').textContent).series"
                            ".flatMap((series) => series.values).reduce((a, b) => a + b, 0)")  # fmt: skip
    assert counted >= 50, counted  # every figure of the five lines is judged (or marked 无评价)
    summary = page.locator("[data-dashboard-summary]")
    assert summary.locator("[data-headline]").count() == 5
    for line in summary.locator("[data-headline]").all():
        assert 3 <= line.locator("[data-kpi]").count() <= 4, line.inner_text()


def test_the_leaders_dashboard_after_load_demo(browser, live_server, demo):
    # Desktop: he lands on the dashboard; the summary and a chart fill his first screen.
    context, page = new_page(browser, live_server, DESKTOP)
    console = ConsoleLog(page)
    try:
        log_in(page, "leader", settings.DEMO_PASSWORD)
        assert page.url.endswith("/dashboard/"), page.url
        page.wait_for_function(ALL_CHARTS_READY)
        assert_first_screen_holds_the_summary_and_a_chart(page)
        headline = page.locator("[data-dashboard-summary]")
        for code in ("env.garbage_tons", "env.hollow_houses"):
            assert headline.locator(f"[data-kpi='{code}'] [data-value]").inner_text() == ARTICLE[code], code
        assert page.locator(".dashboard-section[open]").count() == 0  # the rest waits behind 更多
        page.screenshot(path=str(results("dashboard-desktop.png")))
        # 更多 opens one line's full cards, its trend and ranking, drawn as they open.
        page.locator("[data-headline='environment'] a[href='#line-environment']").click()
        page.locator("#line-environment[open] [data-chart-kind='trend'][data-chart-ready='true']").wait_for()
        # The full card wall: every line open, every chart drawn, the article's figures on their cards.
        page.get_by_role("link", name="展开全部指标、趋势和排名").click()
        page.wait_for_function(ALL_CHARTS_READY)
        assert page.locator(".dashboard-section:not([open])").count() == 0
        assert page.locator("[data-chart]").count() >= 8
        assert page.locator("[data-chart-ready='true']").count() == page.locator("[data-chart]").count()
        assert_chinese_headings(page)
        for code, figure in ARTICLE.items():
            assert page.locator(f".dashboard-section [data-kpi='{code}'] [data-value]").inner_text() == figure, code
        assert page.get_by_role("button", name="打印").is_visible()
        open_the_top_village_from_the_ranking(page)
        open_dashboard(page)
        drill_from_kpi_to_a_record(page, "env.garbage_tons")
        assert console.unexpected() == [], console.errors
    finally:
        context.close()

    # Phone.
    context, page = new_page(browser, live_server, PHONE)
    console = ConsoleLog(page)
    try:
        log_in(page, "leader", settings.DEMO_PASSWORD)
        page.wait_for_function(ALL_CHARTS_READY)
        assert page.locator("[data-testid='today']").bounding_box()["y"] < PHONE["height"]
        open_dashboard(page, "/dashboard/?full=1")
        assert page.evaluate("document.body.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        first, second = (page.locator(".kpi-card").nth(i).bounding_box() for i in (0, 1))
        assert second["y"] > first["y"] and abs(second["x"] - first["x"]) < 1, "cards do not stack on a phone"
        assert first["width"] > PHONE["width"] * 0.8
        for chart in page.locator("[data-chart]").all():
            box = chart.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1, "a chart overflows the phone"
        page.screenshot(path=str(results("dashboard-phone.png")))
        drill_from_kpi_to_a_record(page, "env.garbage_tons")
        assert page.evaluate("document.body.scrollWidth <= window.innerWidth")
        assert console.unexpected() == [], console.errors
    finally:
        context.close()


def test_a_secretary_finds_his_villages_dashboard_on_his_home_page(page, console, live_server, town, users):
    village = town.tongliang.unit
    ids = dict(Indicator.objects.values_list("code", "pk"))
    year = dashboard.default_period()
    last = (year.months() or [periods.last_complete_month()])[-1]
    rows = []
    for period, tons in ((year, "15.4"), (periods.month_period(last), "2.2")):
        for unit in (village, town.unit):
            rows.append(Rollup(unit=unit, period=period.key, period_type=period.type,
                               indicator_id=ids["env.garbage_tons"], value=Decimal(tons)))  # fmt: skip
    Rollup.objects.bulk_create(rows)

    log_in(page, users.tongliang.username, PASSWORD)
    panel = page.locator("[data-dashboard-panel]")
    assert "本村工作台" in panel.inner_text() and "15.4" in panel.inner_text()
    with page.expect_navigation():
        panel.get_by_role("link", name="查看完整工作台").click()
    page.wait_for_function(ALL_CHARTS_READY)
    assert "铜梁村 · 工作台" in page.locator("h1").first.inner_text()
    assert page.locator("[data-kpi='env.garbage_tons'] [data-value]").first.inner_text() == "15.4"
    assert "杨球村" not in page.content()
    assert page.evaluate("document.body.scrollWidth <= window.innerWidth")

    other = f"/dashboard/?unit={town.yangqiu.unit.pk}"
    assert page.goto(other).status == 404
    errors = console.unexpected(allow_404_for={live_server.url + other})
    assert errors == [], errors
