"""The leaders' dashboard (领导驾驶舱): KPI cards read from stored roll-ups, the exceptions panel, drill-down to the
records, scoping, the empty state, the village panel, and a query count that does not grow with the villages.

The article's figures on the leader's dashboard need the Jingzi demo: they are checked in
tests/demo/test_dashboard.py.
"""

import json
import re
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from branches.models import Unit, User
from governance.models import DisputeCase, Hazard
from industry.models import Enterprise, Problem
from reports import periods, worklines
from reports.checks import display
from reports.dashboard import alerts
from reports.dashboard import selectors as dashboard
from reports.models import Indicator, MonthlyReport, ReportValue, Rollup
from reports.monthly import selectors
from reports.registry import registry
from tests.conftest import add_unit, make_user

THIS_YEAR = dashboard.default_period()
QUERY_BUDGET = 15  # DESIGN §8: dashboard pages, at most 15 queries at any size


def indicator_ids():
    return dict(Indicator.objects.values_list("code", "pk"))


def rollup_rows(unit, figures, period, ids):
    return [
        Rollup(unit=unit, period=period.key, period_type=period.type, indicator_id=ids[code], value=Decimal(value))
        for code, value in figures.items()
    ]


def put_rollups(unit, figures, period=THIS_YEAR):
    Rollup.objects.bulk_create(rollup_rows(unit, figures, period, indicator_ids()))


def card_values(html):
    """{code: the figure shown on its KPI card}."""
    found = re.findall(r'data-kpi="([^"]+)" data-status="[a-z]+">.*?data-value>([^<]*)<', html, re.S)
    return dict(found)


def full_card(html, code):
    """The card of `code` in its work line's full card wall (behind 更多; the headline tile comes first)."""
    return html[html.rindex(f'data-kpi="{code}"') :][:2500]


def dashboard_page(client, **query):
    response = client.get(reverse("reports:dashboard"), query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def still_october(monkeypatch):
    """The clock just after October's reports fell due, whatever day the suite runs: a yearly target is judged as of
    the last month whose deadline has passed (reports/targets.py), here October."""
    moment = timezone.make_aware(datetime(THIS_YEAR.year, 11, settings.REPORT_DEADLINE_DAY + 1, 9))
    monkeypatch.setattr(timezone, "now", lambda: moment)


def put_monthly(unit, code, amounts):
    """Monthly roll-ups January, February … of this year: the figures a yearly target is judged on."""
    ids = indicator_ids()
    Rollup.objects.bulk_create(
        row
        for number, amount in enumerate(amounts, start=1)
        for row in rollup_rows(unit, {code: amount}, periods.Period(periods.MONTH, THIS_YEAR.year, number), ids)
    )


# --- KPI values --------------------------------------------------------------------------------------------------


def test_kpi_cards_show_the_stored_rollups(login, town, users):
    figures = {"env.garbage_tons": "427", "gov.disputes_mediated": "467", "ind.enterprise_tax": "2136.45",
               "gov.hazard_rectification_rate": "100"}  # fmt: skip
    put_rollups(town.unit, figures)
    html = dashboard_page(login(users.leader))
    cards = card_values(html)
    stored = dict(Rollup.objects.filter(unit=town.unit, period=THIS_YEAR.key).values_list("indicator__code", "value"))
    for code, value in stored.items():
        assert cards[code] == display(value), code
    assert cards["env.garbage_tons"] == "427" and cards["gov.disputes_mediated"] == "467"
    assert cards["env.road_km"] == "—"  # no roll-up, no figure: never computed on the page
    # Every work line has its section, in Chinese.
    for _code, label in worklines.choices():
        assert str(label) in html
    assert "领导驾驶舱" in html and "需要关注" in html and "近 12 个月趋势" in html


def test_a_village_target_is_judged_against_the_years_pace(login, town, users, still_october):
    ids = indicator_ids()
    Rollup.objects.bulk_create(
        rollup_rows(town.tongliang.unit, {"ind.collective_income": "60000"}, THIS_YEAR, ids)
        + rollup_rows(town.yangqiu.unit, {"ind.collective_income": "20000"}, THIS_YEAR, ids)
        + rollup_rows(town.unit, {"ind.collective_income": "80000"}, THIS_YEAR, ids)
    )
    put_monthly(town.tongliang.unit, "ind.collective_income", ["6000"] * 10)
    put_monthly(town.yangqiu.unit, "ind.collective_income", ["2000"] * 10)
    client = login(users.leader)
    own = dashboard_page(client, unit=town.tongliang.unit.pk)
    assert re.search(r'data-kpi="ind.collective_income" data-status="green"', own)
    assert "已达目标 50000" in own
    behind = dashboard_page(client, unit=town.yangqiu.unit.pk)
    assert re.search(r'data-kpi="ind.collective_income" data-status="red"', behind)
    # The one pace rule: 50000 × 10 / 12, and 20000 is below half of it.
    assert "序时应达 41666.67 元" in behind
    assert f"截至{THIS_YEAR.year}年10月" in behind and "只计已审核的月报" in behind  # which month, approved only
    whole = dashboard_page(client)
    assert re.search(r'data-kpi="ind.collective_income" data-status="red"', whole)
    assert "1 个村（社区）落后于进度" in whole


def test_month_on_month_and_year_on_year_changes(login, town, users):
    last = (THIS_YEAR.months() or [periods.last_complete_month()])[-1]
    before = periods.add_months(last, -1)
    put_rollups(town.unit, {"env.garbage_tons": "100"})
    put_rollups(town.unit, {"env.garbage_tons": "12"}, periods.month_period(last))
    put_rollups(town.unit, {"env.garbage_tons": "10"}, periods.month_period(before))
    html = dashboard_page(login(users.leader))
    card = full_card(html, "env.garbage_tons")
    assert f"{last.month}月 12" in card and "环比" in card and "+20.0%" in card


def test_a_figure_is_judged_by_last_years_unless_it_only_follows_events(login, town, users):
    """Fewer tonnes of rubbish cleared than last year is a red card; fewer hazards found is not a failure (there may
    simply be fewer hazards): it shows its change, in grey, without a verdict."""
    year = periods.parse_period(str(THIS_YEAR.year - 1))
    put_rollups(town.unit, {"env.garbage_tons": "50", "gov.hazards_found": "50"}, year)
    put_rollups(town.unit, {"env.garbage_tons": "100", "gov.hazards_found": "100"}, year.same_last_year())
    html = dashboard_page(login(users.leader), period=year.key)
    assert re.search(r'data-kpi="env.garbage_tons" data-status="red"', html)
    assert re.search(r'data-kpi="gov.hazards_found" data-status="grey"', html)
    card = html[html.index('data-kpi="gov.hazards_found"') :][:2500]
    assert "不作好坏评价" in card and "-50.0%" in card


# --- exceptions first ----------------------------------------------------------------------------------------------


@pytest.fixture
def troubles(town, users):
    """One of each thing the exceptions panel lists, most in 杨球村, a few in 铜梁村."""
    due = dashboard.due_month()
    deadline = periods.deadline_for(due)
    tongliang, yangqiu = town.tongliang.unit, town.yangqiu.unit
    late = timezone.make_aware(datetime.combine(deadline + timedelta(days=2), time(12)))
    returned = MonthlyReport.objects.create(unit=yangqiu, work_line="governance", month=due, status="returned",
                                            submitted_at=late, return_reason="加强针数与卫生院台账不符")  # fmt: skip
    late_report = MonthlyReport.objects.create(unit=tongliang, work_line="industry", month=due, status="submitted",
                                               submitted_at=late)  # fmt: skip
    flag = "明显高于本单位近 6 个月的常见水平（中位数 5000），请核实。"
    income = Indicator.objects.get(code="ind.collective_income")
    ReportValue.objects.create(report=late_report, indicator=income, value=Decimal(90000), flag=flag)
    put_rollups(yangqiu, {"ind.collective_income": "1000"})
    put_rollups(tongliang, {"ind.collective_income": "70000"})
    # A target is judged on the monthly roll-ups through the due month (reports/targets.py).
    put_rollups(yangqiu, {"ind.collective_income": "1000"}, periods.month_period(due))
    put_rollups(tongliang, {"ind.collective_income": "70000"}, periods.month_period(due))
    today = timezone.localdate()
    Hazard.objects.create(unit=yangqiu, found_on=today - timedelta(days=20), item="杨球村危桥", responsible="x",
                          deadline=today - timedelta(days=2))  # fmt: skip
    mill = Enterprise.objects.create(unit=town.unit, name="湖南角山米业有限公司")
    Problem.objects.create(unit=town.unit, enterprise=mill, description="用地手续", responsible="x",
                           deadline=today - timedelta(days=3))  # fmt: skip
    DisputeCase.objects.create(unit=yangqiu, kind="land", summary="宅基地界址", parties="甲、乙",
                               received_on=today - timedelta(days=40), deadline=today - timedelta(days=10))  # fmt: skip
    return {"due": due, "returned": returned, "late": late_report}


def test_the_exceptions_panel_lists_what_needs_acting_on(login, town, users, still_october, troubles):
    html = dashboard_page(login(users.leader))
    panel = html[html.index("dashboard-exceptions") : html.index("</section>", html.index("dashboard-exceptions"))]
    returned = troubles["returned"]
    assert "被退回的月报 1 份" in panel and "加强针数与卫生院台账不符" in panel
    assert reverse("reports:entry", args=[returned.unit_id, "governance", returned.month_key]) in panel
    assert "迟报的月报 1 份" in panel
    # Not submitted by the deadline: every line of both villages and the town, but the two listed above.
    expected = (
        sum(
            1
            for unit in (town.unit, town.tongliang.unit, town.yangqiu.unit)
            for code, _label in worklines.choices()
            if selectors.specs_for(unit, code)
        )
        - 2
    )
    assert f"逾期未报的月报 {expected} 份" in panel
    assert "落后于年度目标进度的村 1 个" in panel and "杨球村" in panel
    assert "需核实的异常值 1 条" in panel and "明显高于本单位" in panel
    for label, count in (("逾期未办结的企业问题", 1), ("逾期未整改的安全隐患", 1), ("超过调解时限未结的矛盾纠纷", 1),
                         ("无人包户的农户", 6)):  # fmt: skip
        assert re.search(rf"{label}.*?rounded-pill\">{count}<", panel, re.S), label
    assert "overdue=true" in panel and "environment/gaps/?under=" in panel


def test_a_secretary_sees_only_his_villages_exceptions(login, town, users, still_october, troubles):
    html = dashboard_page(login(users.tongliang))
    assert "杨球村" not in html
    assert "迟报的月报 1 份" in html and "被退回的月报" not in html
    assert "逾期未整改的安全隐患" not in html and "超过调解时限" not in html
    assert "落后于年度目标进度" not in html  # 铜梁村 is past the line
    assert re.search(r"无人包户的农户.*?rounded-pill\">3<", html, re.S)


def test_alerts_are_registered_by_the_work_lines_and_scoped():
    labels = {(spec.work_line, spec.label) for spec in alerts.registered()}
    assert {("industry", "逾期未办结的企业问题"), ("governance", "逾期未整改的安全隐患"),
            ("governance", "超过调解时限未结的矛盾纠纷"), ("environment", "无人包户的农户"),
            ("environment", "超过计划完工仍未完成的项目")} <= labels  # fmt: skip
    with pytest.raises(ValueError):
        worklines.register_work_line(worklines.WorkLine("industry", "别的产业", 10, alerts=(
            worklines.Alert("x", lambda user, unit: 0, lambda unit: ""),)))  # a second, different "industry"


def test_alert_counts_follow_the_users_scope(town, users, troubles):
    def counts(user, unit):
        return {alert.label: alert.count for alert in alerts.alerts_for(user, unit)}

    assert counts(users.leader, town.unit)["逾期未整改的安全隐患"] == 1
    assert counts(users.tongliang, town.tongliang.unit)["逾期未整改的安全隐患"] == 0
    assert counts(users.tongliang, town.unit)["无人包户的农户"] == 3  # asked about the town, he still sees his own


# --- drill-down ----------------------------------------------------------------------------------------------------


@pytest.fixture
def drill_data(town):
    months = THIS_YEAR.months() or [periods.last_complete_month()]
    last = months[-1]
    ids = indicator_ids()
    rows = rollup_rows(town.unit, {"env.garbage_tons": "30", "gov.booster_doses": "50"}, THIS_YEAR, ids)
    for village, tons, doses in ((town.tongliang, "20", "30"), (town.yangqiu, "10", "20")):
        rows += rollup_rows(village.unit, {"env.garbage_tons": tons, "gov.booster_doses": doses}, THIS_YEAR, ids)
        month_figures = {"env.garbage_tons": tons, "gov.booster_doses": doses}
        rows += rollup_rows(village.unit, month_figures, periods.month_period(last), ids)
        MonthlyReport.objects.create(unit=village.unit, work_line="governance", month=last, status="approved")
    Rollup.objects.bulk_create(rows)
    return last


def test_every_card_drills_down_to_the_villages_and_on_to_the_records(login, town, users, drill_data):
    client = login(users.leader)
    html = dashboard_page(client)
    garbage = full_card(html, "env.garbage_tons")
    link = re.search(r'href="([^"]+)" data-value', garbage).group(1).replace("&amp;", "&")
    assert link.startswith(reverse("reports:dashboard_indicator", args=["env.garbage_tons"]))
    headline = html[html.index('data-kpi="env.garbage_tons"') - 300 :]  # its headline tile opens the same page
    assert re.search(r'href="([^"]+)" title="[^"]*" data-kpi="env.garbage_tons"', headline).group(1) == link.replace(
        "&", "&amp;"
    )

    drill = client.get(link)
    assert drill.status_code == 200
    page = drill.content.decode()
    assert "铜梁村" in page and "杨球村" in page and "清除陈旧垃圾" in page
    assert f"{reverse('reports:dashboard')}?unit={town.tongliang.unit.pk}&amp;period={THIS_YEAR.key}" in page
    records = [url.replace("&amp;", "&") for url in re.findall(r'<a href="([^"]+)" data-records>', page)]
    assert records, "no link to the records behind a figure"
    spec = registry.get("env.garbage_tons")
    assert spec.rows_url(town.tongliang.unit, drill_data) in records
    assert client.get(records[0]).status_code == 200

    # An entered figure drills to the approved monthly report.
    page = client.get(reverse("reports:dashboard_indicator", args=["gov.booster_doses"])).content.decode()
    entry = reverse("reports:entry", args=[town.tongliang.unit.pk, "governance", periods.month_key(drill_data)])
    assert f'href="{entry}" data-records' in page
    assert client.get(entry).status_code == 200


def chart_data(html, chart_id):
    found = re.search(rf'<script id="{chart_id}" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def test_the_ranking_and_trend_link_to_the_units_behind(login, town, users, drill_data):
    html = dashboard_page(login(users.leader), rank_environment="env.garbage_tons")
    ranking = chart_data(html, "rank-environment")
    # Highest first: 铜梁村 (20 t) before 杨球村 (10 t), each bar opening the village's dashboard.
    assert ranking["names"] == ["铜梁村", "杨球村"] and ranking["values"] == [20, 10] and ranking["unit"] == "吨"
    assert ranking["urls"][0] == f"{reverse('reports:dashboard')}?unit={town.tongliang.unit.pk}&period={THIS_YEAR.key}"
    assert '<option value="env.garbage_tons" selected>' in html
    assert "trend-environment" not in html  # the town has no monthly roll-ups here: no empty chart
    village = dashboard_page(login(users.leader), unit=town.tongliang.unit.pk)
    trend = chart_data(village, "trend-environment")
    assert len(trend["labels"]) == len(trend["urls"]) == 12
    assert trend["urls"][-1].endswith(f"period={periods.month_key(drill_data)}")
    assert 'data-chart-kind="trend"' in village and 'data-chart-kind="ranking"' in html


# --- scoping -------------------------------------------------------------------------------------------------------


def test_a_secretary_sees_his_village_and_nothing_else(login, town, users, drill_data):
    client = login(users.tongliang)
    html = dashboard_page(client)
    assert "铜梁村 · 工作台" in html and "杨球村" not in html
    other = town.yangqiu.unit.pk
    assert client.get(reverse("reports:dashboard"), {"unit": other}).status_code == 404
    drill = reverse("reports:dashboard_indicator", args=["env.garbage_tons"])
    assert client.get(drill, {"unit": other}).status_code == 404
    assert client.get(reverse("reports:dashboard"), {"unit": town.unit.pk}).status_code == 404
    page = client.get(drill).content.decode()
    assert "杨球村" not in page and "铜梁村" in page


def test_bad_parameters_are_refused_cleanly(login, town, users):
    client = login(users.leader)
    assert client.get(reverse("reports:dashboard"), {"unit": "abc"}).status_code == 404
    assert client.get(reverse("reports:dashboard_indicator", args=["no.such"])).status_code == 404
    response = client.get(reverse("reports:dashboard"), {"period": "2026-13"})
    assert response.status_code == 200 and "期间格式不正确" in response.content.decode()


def test_an_area_and_a_village_have_the_same_dashboard(login, town, users, drill_data):
    put_rollups(town.area, {"env.garbage_tons": "30"})
    client = login(users.leader)
    area = dashboard_page(client, unit=town.area.pk)
    assert "第一片区 · 领导驾驶舱" in area and 'id="rank-environment"' in area
    assert 'data-kpi="ind.enterprise_tax"' not in area  # a town-only figure has no place on an area's page
    village = dashboard_page(client, unit=town.tongliang.unit.pk)
    assert "铜梁村 · 工作台" in village and "rank-environment" not in village


# --- empty state and the village panel -----------------------------------------------------------------------------


def test_no_rollups_yet_gives_a_friendly_message(login, town, users):
    for user in (users.leader, users.tongliang):
        html = dashboard_page(login(user))
        assert "还没有已审核的汇总数据" in html and "data-chart=" not in html
    panel = login(users.tongliang).get("/", follow=True).content.decode()
    assert "data-dashboard-panel" in panel and "还没有已审核的汇总数据" in panel


def test_a_secretarys_home_shows_his_villages_compact_dashboard(login, town, users, drill_data):
    home = login(users.tongliang).get("/", follow=True).content.decode()
    panel = home[home.index("data-dashboard-panel") :]
    assert "本村工作台" in panel and f"{reverse('reports:dashboard')}?unit={town.tongliang.unit.pk}" in panel
    assert 'data-kpi="env.garbage_tons"' in panel
    assert "领导驾驶舱" not in home  # the nav says 工作台 to a secretary


# --- query count ---------------------------------------------------------------------------------------------------


def bulk_town(name, code, size):
    """A town → one area → `size` villages made in bulk, each with this month's reports (some returned, late or
    flagged) and its roll-ups; the town with a year of roll-ups. Returns its leader."""
    town = add_unit(None, name, Unit.Kind.TOWN, code)
    area = add_unit(town, f"{name}片区", Unit.Kind.AREA)
    depth = area.depth + 1
    Unit.objects.bulk_create(
        Unit(name=f"{name}{i}村", kind=Unit.Kind.VILLAGE, code=f"{code}{i:03d}", depth=depth, numchild=0,
             path=Unit._get_path(area.path, depth, i + 1))
        for i in range(size)
    )  # fmt: skip
    Unit.objects.filter(pk=area.pk).update(numchild=size)
    villages = list(Unit.objects.filter(path__startswith=area.path, depth=depth))
    ids = indicator_ids()
    due = dashboard.due_month()
    late = timezone.make_aware(datetime.combine(periods.deadline_for(due) + timedelta(days=1), time(9)))
    statuses = ["approved", "returned", "submitted", "draft"]
    reports = [
        MonthlyReport(unit=village, work_line=line, month=due, status=statuses[(i + j) % 4], submitted_at=late)
        for i, village in enumerate(villages)
        for j, (line, _label) in enumerate(worklines.choices())
    ]
    MonthlyReport.objects.bulk_create(reports)
    flagged = MonthlyReport.objects.filter(unit__in=villages, work_line="industry")
    ReportValue.objects.bulk_create(
        ReportValue(report=report, indicator_id=ids["ind.collective_income"], value=1, flag="请核实")
        for report in flagged
    )
    everything = {spec.code: i + 1 for i, spec in enumerate(registry.all())}
    rows = []
    for i, village in enumerate(villages):
        rows += rollup_rows(village, {code: value * (i + 1) for code, value in everything.items()}, THIS_YEAR, ids)
    for month in dashboard.trend_months(THIS_YEAR):
        rows += rollup_rows(town, everything, periods.month_period(month), ids)
    rows += rollup_rows(town, everything, THIS_YEAR, ids)
    Rollup.objects.bulk_create(rows, batch_size=2000)
    return make_user(f"leader{code}", User.Role.LEADER, Unit.objects.get(pk=town.pk))


def queries_for(client, user, url):
    client.force_login(user)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_villages(client):
    small = bulk_town("小镇", "900001", 4)
    big = bulk_town("大镇", "900002", 40)
    pages = [reverse("reports:dashboard"), reverse("reports:dashboard_indicator", args=["env.garbage_tons"])]
    for url in pages:
        few, many = queries_for(client, small, url), queries_for(client, big, url)
        print(f"{url}: {few} queries at 4 villages, {many} at 40")
        assert few == many, url
        assert many <= QUERY_BUDGET, url
    page = client.get(reverse("reports:dashboard")).content.decode()
    # bulk_town returns the report of line j of village i when (i + j) % 4 == 1: with five lines, 50 of 200
    returned = sum((i + j) % 4 == 1 for i in range(40) for j in range(len(worklines.codes())))
    assert "大镇39村" in page and "逾期未报的月报" in page and f"被退回的月报 {returned} 份" in page
