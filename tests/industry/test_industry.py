"""The industry work line as its users meet it: a secretary's income, a cadre's visit and problems, the 消薄 board,
the figures flowing into monthly reports and roll-ups, and another village's ledgers out of reach."""

import re
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.conf import settings
from openpyxl import load_workbook
from rest_framework.test import APIClient

from branches.models import Assignment, Cadre
from industry.models import Enterprise, IncomeEntry, Problem
from reports import periods
from reports.models import Rollup
from reports.monthly import selectors, services

MONTH = periods.last_complete_month()
IN_MONTH = MONTH.replace(day=10)


@pytest.fixture
def enterprises(town, users):
    """Two enterprises; the cadre answers for the first (包企) only."""
    mill = Enterprise.objects.create(unit=town.unit, name="湖南角山米业有限公司", kind="above_scale", chain="粮油+")
    other = Enterprise.objects.create(unit=town.yangqiu.unit, name="杨球村合作社", kind="cooperative")
    cadre = Cadre.objects.get(user=users.cadre)
    Assignment.objects.create(kind="enterprise", cadre=cadre, unit=mill.unit, target=mill, start_date=date(2025, 1, 1))
    return mill, other


def test_a_secretarys_income_reaches_the_village_page_the_board_and_the_roll_up(
    login, town, users, django_capture_on_commit_callbacks
):
    village = town.tongliang.unit
    client = login(users.tongliang)
    response = client.post(
        "/industry/incomes/add/",
        {
            "unit": village.pk,
            "date": IN_MONTH.isoformat(),
            "source": "business",
            "amount": "12345.50",
            "note": "红薯粉",
        },
    )
    assert response.status_code == 302
    assert IncomeEntry.objects.get(unit=village).amount == 12345.50

    economy = client.get(f"/industry/economy/{village.pk}/?year={MONTH.year}").content.decode()
    assert 'data-stat="income">12345.5<' in economy and 'id="income-chart"' in economy
    assert "距 5 万元还差 37654.5 元" in economy  # the line declared on the indicator, said in the page's language
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(f"/industry/economy/{village.pk}/?year={MONTH.year}").content.decode()
    assert "37654.5 yuan short of 50,000 yuan" in english
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]

    board = login(users.leader).get(f"/industry/xiaobo/?year={MONTH.year}").content.decode()
    row = board[board.index("铜梁村") :][:2000]
    assert "12345.5" in row
    # The pace column is the one rule's (reports/targets.py): approved roll-ups only, and none is approved yet.
    assert "只计已审核的月报" in board and "1—" in row and "已审核累计 0 元" in row

    report = services.report_open(unit=village, work_line="industry", month=MONTH)
    assert selectors.values_by_code(report)["ind.collective_income"].value == 12345.50
    services.report_submit(report=report, user=users.tongliang)
    assert not Rollup.objects.filter(indicator__code="ind.collective_income").exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_approve(report=report, user=users.cadre)
    town_value = Rollup.objects.get(unit=town.unit, period=f"{MONTH.year}-YTD", indicator__code="ind.collective_income")
    assert town_value.value == 12345.50


def test_a_cadre_logs_a_visit_with_two_problems_and_solves_one(login, town, users, enterprises):
    mill, _other = enterprises
    client = login(users.cadre)
    deadline = (date.today() + timedelta(days=30)).isoformat()
    response = client.post(
        "/industry/visits/add/",
        {
            "enterprise": mill.pk, "date": date.today().isoformat(), "policies": "稳岗补贴政策", "note": "",
            "problem-TOTAL_FORMS": 3, "problem-INITIAL_FORMS": 0,
            "problem-0-description": "烘干设备用电容量不足", "problem-0-responsible": "王海燕",
            "problem-0-deadline": deadline,
            "problem-1-description": "缺少冷链运输车辆", "problem-1-responsible": "王海燕",
            "problem-1-deadline": deadline,
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    power, cold_chain = Problem.objects.order_by("id")
    client.post(f"/industry/problems/{power.pk}/status/", {"status": "solved", "resolution": "供电所已增容"})
    power.refresh_from_db()
    assert power.status == "solved" and power.resolved_on == date.today()

    open_list = client.get("/industry/problems/?open=true").content.decode()
    assert "缺少冷链运输车辆" in open_list and "烘干设备用电容量不足" not in open_list
    workbench = client.get("/industry/my-enterprises/").content.decode()
    assert "湖南角山米业有限公司" in workbench and "缺少冷链运输车辆" in workbench
    leader_view = login(users.leader).get("/industry/problems/?open=true").content.decode()
    assert "缺少冷链运输车辆" in leader_view


def test_closing_a_problem_unsolved_needs_a_reason(login, town, users, enterprises):
    mill, _other = enterprises
    problem = Problem.objects.create(
        unit=mill.unit, enterprise=mill, description="融资难", responsible="x", deadline=date.today() - timedelta(1)
    )
    client = login(users.cadre)
    response = client.post(f"/industry/problems/{problem.pk}/status/", {"status": "closed"}, follow=True)
    assert "未解决办结时必须写明原因" in response.content.decode()
    problem.refresh_from_db()
    assert problem.status == "open"
    assert "已逾期" in client.get("/industry/my-enterprises/").content.decode()


def test_a_cadre_writes_visits_only_for_his_own_enterprises(login, town, users, enterprises):
    _mill, other = enterprises
    form = login(users.cadre).get("/industry/visits/add/").content.decode()
    assert "湖南角山米业有限公司" in form and "杨球村合作社" not in form
    api = APIClient()
    api.force_authenticate(users.cadre)
    response = api.post("/api/v1/industry/visits/", {"enterprise": other.pk, "date": date.today().isoformat()})
    assert response.status_code == 400 and "enterprise" in response.json()
    assert login(users.tongliang).get("/industry/visits/add/").status_code == 403


def test_another_villages_ledgers_are_out_of_reach(login, town, users):
    theirs = IncomeEntry.objects.create(unit=town.yangqiu.unit, date=IN_MONTH, source="other", amount=999)
    ours = IncomeEntry.objects.create(unit=town.tongliang.unit, date=IN_MONTH, source="other", amount=111)
    client = login(users.tongliang)
    assert client.get(f"/industry/incomes/{theirs.pk}/").status_code == 404
    assert client.get(f"/industry/incomes/{theirs.pk}/edit/").status_code == 404
    assert client.get(f"/industry/economy/{town.yangqiu.unit.pk}/").status_code == 404
    listing = client.get("/industry/incomes/").content.decode()
    assert f"/industry/incomes/{ours.pk}/" in listing and f"/industry/incomes/{theirs.pk}/" not in listing
    sheet = load_workbook(BytesIO(client.get("/industry/incomes/?export=xlsx").content)).active
    assert [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)] == [111]
    board = client.get("/industry/xiaobo/").content.decode()
    assert "铜梁村" in board and "杨球村" not in board

    api = APIClient()
    api.force_authenticate(users.tongliang)
    assert [row["id"] for row in api.get("/api/v1/industry/incomes/").json()["results"]] == [ours.pk]
    assert api.get(f"/api/v1/industry/incomes/{theirs.pk}/").status_code == 404
    assert api.patch(f"/api/v1/industry/incomes/{theirs.pk}/", {"amount": 1}).status_code == 404
    created = api.post("/api/v1/industry/incomes/", {"unit": town.yangqiu.unit.pk, "date": IN_MONTH.isoformat(),
                                                     "source": "other", "amount": 5})  # fmt: skip
    assert created.status_code == 400 and "unit" in created.json()
    theirs.refresh_from_db()
    assert theirs.amount == 999


def test_bad_ledger_input_is_refused_in_chinese(town, users):
    api = APIClient()
    api.force_authenticate(users.tongliang)
    base = {"unit": town.tongliang.unit.pk, "date": IN_MONTH.isoformat(), "source": "business", "amount": "100"}
    for change, field in (({"amount": "-5"}, "amount"), ({"amount": "很多"}, "amount"),
                          ({"date": (date.today() + timedelta(days=3)).isoformat()}, "date"),
                          ({"source": "lottery"}, "source")):  # fmt: skip
        response = api.post("/api/v1/industry/incomes/", {**base, **change})
        assert response.status_code == 400 and field in response.json(), change
    assert not IncomeEntry.objects.exists()
    response = api.post("/api/v1/industry/incomes/", {**base, "date": (date.today() + timedelta(days=3)).isoformat()})
    assert "日期不能晚于今天" in response.json()["date"][0]


def test_enterprise_list_filters_by_cadre_and_open_problems(login, town, users, enterprises):
    mill, other = enterprises
    Problem.objects.create(unit=other.unit, enterprise=other, description="x", responsible="y", deadline=date.today())
    cadre = Cadre.objects.get(user=users.cadre)
    client = login(users.leader)
    by_cadre = client.get(f"/industry/enterprises/?cadre={cadre.pk}").content.decode()
    assert "湖南角山米业有限公司" in by_cadre and "杨球村合作社" not in by_cadre
    with_problems = client.get("/industry/enterprises/?has_open_problems=true").content.decode()
    assert "杨球村合作社" in with_problems and "湖南角山米业有限公司" not in with_problems


def test_industry_figures_derive_for_the_town(town, users, enterprises):
    report = services.report_open(unit=town.unit, work_line="industry", month=MONTH)
    values = {code: row.value for code, row in selectors.values_by_code(report).items()}
    assert values["ind.enterprise_cadres"] == 1 and values["ind.enterprises_assigned"] == 1
    village = services.report_open(unit=town.tongliang.unit, work_line="industry", month=MONTH)
    codes = {"ind.collective_income", "ind.featured_income", "ind.ecommerce_kg"}
    assert set(selectors.values_by_code(village)) == codes


def test_the_leader_is_shown_overdue_problems(login, town, users, enterprises):
    mill, _other = enterprises
    Problem.objects.create(unit=mill.unit, enterprise=mill, description="用地手续", responsible="x",
                           deadline=date.today() - timedelta(days=3))  # fmt: skip
    home = login(users.leader).get("/", follow=True).content.decode()  # his town's dashboard: 需要关注
    row = r'data-exception="alert">\s*<span class="me-auto">逾期未办结的企业问题.*?rounded-pill">(\d+)<'
    alert = re.search(row, home, re.S)
    assert alert and alert.group(1) == "1"
    listing = login(users.leader).get("/industry/problems/?overdue=true").content.decode()
    assert "用地手续" in listing


def test_the_problem_list_narrows_to_a_unit_as_the_dashboard_links_it(login, town, users, enterprises):
    mill, other = enterprises
    late = date.today() - timedelta(days=3)
    Problem.objects.create(unit=mill.unit, enterprise=mill, description="用地手续", responsible="x", deadline=late)
    Problem.objects.create(unit=other.unit, enterprise=other, description="冷库电价", responsible="y", deadline=late)
    client = login(users.leader)
    village = client.get(f"/industry/problems/?overdue=true&under={town.yangqiu.unit.pk}").content.decode()
    assert "冷库电价" in village and "用地手续" not in village
    whole_town = client.get(f"/industry/problems/?overdue=true&under={town.unit.pk}").content.decode()
    assert "冷库电价" in whole_town and "用地手续" in whole_town
