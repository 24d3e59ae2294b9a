"""`manage.py load_demo` fills 支部+产业发展: the town's and the villages' roll-ups show the article's industry figures
(DESIGN §5), the 消薄 board and the cadre's workbench show them too, and the industry generator alone creates nothing
the second time (the whole demo loading twice changing nothing is tests/demo/test_idempotent.py).

The demo is loaded once for the package (tests/demo/conftest.py) inside a transaction rolled back at the end; each test
runs in a savepoint inside it.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from branches.models import Assignment, Cadre, Unit, User
from demo import industry as demo
from industry import selectors
from industry.models import Enterprise, FeaturedProject, IncomeEntry, Problem, SalesRecord, ServiceVisit
from reports import periods
from reports.models import ReportValue, Rollup

LEADING = ("湖南角山米业有限公司", "湖南思慕生物科技有限公司")
pytestmark = pytest.mark.django_db  # tests/demo/ holds database tests only (see its conftest)





def rollup(unit, period, code):
    row = Rollup.objects.filter(unit=unit, period=period, indicator__code=code).first()
    return row.value if row else None


def enterprise_assignments():
    content_type = ContentType.objects.get_for_model(Enterprise)
    return Assignment.objects.filter(kind=Assignment.Kind.ENTERPRISE, target_type=content_type)


# ── the roll-ups ────────────────────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.django_db
def test_the_towns_year_to_date_shows_the_articles_industry_figures(demo_town, villages, last):
    ytd = f"{last.year}-YTD"
    assert rollup(demo_town, ytd, "ind.enterprise_cadres") == 16  # 派驻16名干部专企专抓
    assert rollup(demo_town, ytd, "ind.enterprises_assigned") == 66  # 66家大中小企业
    income = rollup(demo_town, ytd, "ind.collective_income")
    assert income == sum(rollup(village, ytd, "ind.collective_income") for village in villages.values())
    ledger = IncomeEntry.objects.filter(unit__path__startswith=demo_town.path, date__year=last.year)
    assert income == ledger.aggregate(total=Sum("amount"))["total"]
    featured = {name: rollup(villages[name], ytd, "ind.featured_income") for name in ("铜梁村", "增峰村", "黄巢村")}
    assert featured["铜梁村"] > 50_000  # 铜梁四宝: 单个产业为集体增收超5万元
    assert featured["增峰村"] + featured["黄巢村"] >= 100_000  # 完成集体增收10万元以上
    assert rollup(demo_town, ytd, "ind.featured_income") == sum(featured.values())
    assert rollup(demo_town, ytd, "ind.ecommerce_kg") >= 10_000  # 1万余公斤水果礼盒
    fruit_online = sum(rollup(villages[name], ytd, "ind.ecommerce_kg") for name in ("增峰村", "黄巢村"))
    assert fruit_online >= 10_000


@pytest.mark.django_db
def test_every_village_is_above_the_line_this_year_and_nine_were_weak_last_year(villages, last):
    this_year = {
        name: rollup(village, f"{last.year}-YTD", "ind.collective_income") for name, village in villages.items()
    }
    last_year = {
        name: rollup(village, str(last.year - 1), "ind.collective_income") for name, village in villages.items()
    }
    assert len(this_year) == 22
    assert all(value >= 50_000 for value in this_year.values()), this_year
    assert {name for name, value in this_year.items() if value >= 100_000} == {"增峰村", "黄巢村"}
    weak = {name for name, value in last_year.items() if value < 50_000}
    assert weak == set(demo.WEAK_LAST_YEAR) and len(weak) == 9


@pytest.mark.django_db
def test_the_industry_months_are_clean_for_the_outlier_check(demo_town, last):
    """No reviewer's flag on any industry figure, and every village has collective income in every month."""
    values = ReportValue.objects.filter(indicator__work_line="industry")
    assert values.exists()
    assert not values.exclude(flag="").exists()
    income = values.filter(indicator__code="ind.collective_income", report__month__lte=last)
    assert income.count() == 22 * (12 + last.month)
    assert not income.filter(value__lte=0).exists()


# ── enterprises, 包企, visits and problems ────────────────────────────────────────────────────────────────────────


@pytest.mark.django_db
def test_sixty_six_enterprises_with_the_two_leading_ones(demo_town):
    enterprises = Enterprise.objects.filter(unit__path__startswith=demo_town.path)
    assert enterprises.count() == 66
    for name in LEADING:
        enterprise = enterprises.get(name=name)
        assert enterprise.is_leading and enterprise.chain == "粮油+"
        assert enterprise.kind == Enterprise.Kind.ABOVE_SCALE
    others = enterprises.exclude(name__in=LEADING)
    assert all(name.startswith("示例企业") for name in others.values_list("name", flat=True))
    assert not others.filter(is_leading=True).exists()
    kinds = dict(enterprises.values_list("kind").annotate(n=Count("id")))
    assert set(kinds) == set(Enterprise.Kind.values) and min(kinds.values()) >= 5
    assert enterprises.values("sector").distinct().count() >= 20
    units = set(enterprises.values_list("unit__kind", flat=True))
    assert units <= {Unit.Kind.TOWN, *Unit.VILLAGE_KINDS} and Unit.Kind.TOWN in units and len(units) > 1
    assert (
        not enterprises.filter(yearly_tax__isnull=True).exists() and not enterprises.filter(jobs__isnull=True).exists()
    )
    above_scale = enterprises.filter(kind=Enterprise.Kind.ABOVE_SCALE).aggregate(
        tax=Sum("yearly_tax"), jobs=Sum("jobs")
    )
    assert above_scale["tax"] >= 2000 and above_scale["jobs"] == 60  # 年财税2000万元以上，带动60个岗位就业


@pytest.mark.django_db
def test_sixteen_cadres_answer_for_all_sixty_six(demo_town):
    assignments = enterprise_assignments().filter(unit__path__startswith=demo_town.path)
    enterprises = {e.pk: e for e in Enterprise.objects.filter(unit__path__startswith=demo_town.path)}
    assert assignments.count() == 66
    assert set(assignments.values_list("target_id", flat=True)) == set(enterprises)
    for assignment in assignments:
        assert assignment.unit_id == enterprises[assignment.target_id].unit_id
        assert (assignment.start_date, assignment.role_title) == (date(2025, 1, 1), "专企专抓")
        assert assignment.member_id is None and assignment.end_date is None
    per_cadre = dict(assignments.values_list("cadre").annotate(n=Count("id")))
    assert len(per_cadre) == 16 and set(per_cadre.values()) <= {4, 5}
    assert set(Cadre.objects.filter(pk__in=per_cadre).values_list("unit", flat=True)) == {demo_town.pk}
    login = Cadre.objects.get(user__username="cadre")
    assert per_cadre[login.pk] == 4


@pytest.mark.django_db
def test_the_cadres_workbench_holds_his_enterprises_with_something_to_do(demo_town):
    user = User.objects.get(username="cadre")
    his = set(enterprise_assignments().filter(cadre__user=user).values_list("target_id", flat=True))
    workbench = list(selectors.my_enterprises(user))
    assert {enterprise.pk for enterprise in workbench} == his and len(his) == 4
    assert {enterprise.unit.name for enterprise in workbench} <= set(demo.CADRE_LOGIN_VILLAGES)
    assert any(enterprise.open_problems for enterprise in workbench)
    assert ServiceVisit.objects.filter(enterprise__in=his).exclude(cadre__user=user).count() == 0


@pytest.mark.django_db
def test_visits_deliver_policies_and_problems_are_followed(demo_town, last):
    last_end = periods.add_months(last, 1) - timedelta(days=1)
    today = timezone.localdate()
    visits = ServiceVisit.objects.filter(unit__path__startswith=demo_town.path)
    assert visits.values("enterprise").distinct().count() == 66
    assert not visits.filter(policies="").exists()
    assigned = {(a.target_id, a.cadre_id) for a in enterprise_assignments()}
    assert set(visits.values_list("enterprise", "cadre")) <= assigned  # only the enterprise's own cadre visits it
    dates = visits.values_list("date", flat=True)
    assert min(dates) >= date(last.year - 1, 1, 1) and max(dates) <= min(last_end, today)
    problems = Problem.objects.filter(unit__path__startswith=demo_town.path)
    assert set(problems.values_list("status", flat=True)) == set(Problem.Status.values)
    assert not problems.filter(status=Problem.Status.CLOSED, resolution="").exists()
    settled = problems.filter(status__in=(Problem.Status.SOLVED, Problem.Status.CLOSED))
    assert not settled.filter(resolved_on__isnull=True).exists()
    assert not settled.filter(resolved_on__gt=today).exists()
    assert not problems.filter(status__in=Problem.OPEN_STATUSES, resolved_on__isnull=False).exists()
    for problem in problems.select_related("visit"):
        assert problem.visit.enterprise_id == problem.enterprise_id and problem.unit_id == problem.visit.unit_id
    leader = User.objects.get(username="leader")
    overdue = selectors.overdue_problems(leader)
    assert 0 < overdue.count() < problems.filter(status__in=Problem.OPEN_STATUSES).count()


# ── collective economy, featured projects, sales ─────────────────────────────────────────────────────────────────


@pytest.mark.django_db
def test_the_xiaobo_board_lists_nine_lifted_villages_and_none_off_pace(demo_town, last):
    board = selectors.xiaobo_board(User.objects.get(username="leader"), last.year)
    assert len(board["rows"]) == 22
    assert {row.unit.name for row in board["lifted"]} == set(demo.WEAK_LAST_YEAR)
    assert board["weak_last_year"] == board["lifted"]
    assert board["off_pace"] == []
    assert {row.unit.name for row in board["above_strong"]} == {"增峰村", "黄巢村"}


@pytest.mark.django_db
def test_income_comes_from_every_source_within_the_demo_months(demo_town, last):
    entries = IncomeEntry.objects.filter(unit__path__startswith=demo_town.path)
    assert set(entries.values_list("source", flat=True)) == set(IncomeEntry.Source.values)
    assert set(entries.values_list("unit__kind", flat=True)) <= set(Unit.VILLAGE_KINDS)
    dates = entries.values_list("date", flat=True)
    assert min(dates) >= date(last.year - 1, 1, 1)
    assert max(dates) < periods.add_months(last, 1)
    months = entries.values_list("unit", "date__year", "date__month").distinct().count()
    assert months == 22 * (12 + last.month)
    assert not entries.filter(amount__lte=0).exists()


@pytest.mark.django_db
def test_tongliang_sibao_and_the_fruit_of_zengfeng_and_huangchao(villages, last):
    sibao = FeaturedProject.objects.get(unit=villages["铜梁村"], name="铜梁四宝")
    assert sibao.brand == "铜梁四宝" and sibao.cooperative
    assert all(product in sibao.products for product in ("红薯粉", "红薯片", "芝麻糖", "柴火腊肉"))
    households = sibao.households.all()
    assert households.count() > 10
    assert all(household.unit.path.startswith(villages["铜梁村"].path) for household in households)
    this_year = {"date__year": last.year}
    assert sibao.incomes.filter(**this_year).aggregate(total=Sum("amount"))["total"] > 50_000
    fruit = FeaturedProject.objects.filter(unit__in=[villages["增峰村"], villages["黄巢村"]])
    assert fruit.count() == 2
    assert all("火龙果" in project.products and "猕猴桃" in project.products for project in fruit)
    assert all(project.households.exists() for project in fruit)
    incomes = IncomeEntry.objects.filter(project__in=fruit, **this_year).aggregate(total=Sum("amount"))["total"]
    assert incomes >= 100_000
    sales = SalesRecord.objects.filter(project__in=fruit, **this_year)
    online = sales.filter(channel=SalesRecord.Channel.ECOMMERCE)
    assert online.aggregate(kg=Sum("kg"))["kg"] >= 10_000
    assert not online.filter(platform="").exists() and online.values("platform").distinct().count() >= 3
    assert sales.filter(channel=SalesRecord.Channel.OFFLINE).exists()
    assert all("礼盒" in product for product in online.values_list("product", flat=True))
    assert not SalesRecord.objects.filter(project=sibao, channel=SalesRecord.Channel.ECOMMERCE).exists()
    assert SalesRecord.objects.filter(project=sibao).values("product").distinct().count() == 4


# ── the loader itself ──────────────────────────────────────────────────────────────────────────────────────────────


def test_the_plan_is_deterministic():
    assert demo.enterprise_specs() == demo.enterprise_specs()
    assert [demo.income_targets(spec.name) for spec in demo.VILLAGES] == [
        demo.income_targets(spec.name) for spec in demo.VILLAGES
    ]
    specs = demo.enterprise_specs()
    assert len(specs) == 66 and len({spec.name for spec in specs}) == 66
    assert [spec.name for spec in specs[:2]] == list(LEADING)
    assert specs[2].name.startswith("示例企业") and "（" in specs[2].name


@pytest.mark.django_db
def test_the_printout(printout):
    lines = [line for line in printout.splitlines() if line.startswith(("产业发展：", "集体经济："))]
    assert len(lines) == 2
    assert "企业 66 家" in lines[0] and "包企干部 16 名" in lines[0]
    assert "薄弱村 9 个" in lines[1] and "22/22 个村（社区）达 5 万元" in lines[1] and "2 个达 10 万元" in lines[1]


@pytest.mark.django_db
def test_the_industry_load_alone_is_fast_and_creates_nothing_the_second_time(demo_town):
    # A second load reads what exists, a few queries per model, and writes nothing: 34 queries measured on
    # SQLite. One query per ledger row would be hundreds. (Counted, not timed: a busy machine's clock says nothing.)
    with CaptureQueriesContext(connection) as queries:
        text = demo.load(password="unused")
    assert len(queries.captured_queries) <= 45, len(queries.captured_queries)
    assert "本次新建 0 条" in text
    assert Decimal(0) not in demo.year_totals(list(Unit.objects.under(demo_town).villages()), 2025).values()
