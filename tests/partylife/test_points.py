"""党员先锋积分: a member's points for a month are the sum of the records behind them under the admin's rules (the
test recomputes them from the rows, independently of partylife.selectors), the same on the ranking, the member's
page, the Excel, the API and the indicator; only records naming the member count, another village's never; and a
secretary sees only his own village's members."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from importlib import import_module
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from branches.models import HouseholdLink, PartyMember
from governance.models import VisitLog
from partylife import selectors
from partylife.models import Attendance, Meeting, PointRule
from reports.derive import figure, figures_by_month
from reports.models import Rollup
from reports.monthly import selectors as monthly
from reports.monthly import services
from reports.periods import add_months
from reports.registry import registry
from reports.worklines import pages_for
from tests.conftest import PASSWORD
from tests.e2e.conftest import browser, log_in  # noqa: F401 (the browser fixture)
from volunteers.models import Activity, ActivityType, Participation, Station, Volunteer

pytestmark = pytest.mark.django_db

MARCH = date(2026, 3, 1)
APRIL = date(2026, 4, 1)
ATTENDED = ("present", "remote")


def meeting(village, day, topic, kind="assembly"):
    return Meeting.objects.create(unit=village.unit, organisation=village.organisation, kind=kind, held_on=day,
                                  topic=topic)  # fmt: skip


def attend(meeting_, member, status="present"):
    return Attendance.objects.create(unit=meeting_.unit, meeting=meeting_, member=member, status=status)


def visit(village, member, household, day):
    return VisitLog.objects.create(unit=household.unit, member=member, household=household, date=day, aspect="visit")


def activity_type():
    # get_or_create: a browser test before this one (transactional, flushed after) takes the migration's types away.
    return ActivityType.objects.get_or_create(name="反电信诈骗宣传")[0]


def hours(station, volunteer, day, amount, status="approved"):
    start = datetime.combine(day, time(9), tzinfo=timezone.get_current_timezone())
    activity = Activity.objects.create(unit=station.unit, station=station, title=f"{day:%m月%d日}宣传",
                                       type=activity_type(), starts_at=start,
                                       status="held")  # fmt: skip
    return Participation.objects.create(unit=station.unit, activity=activity, volunteer=volunteer,
                                        hours=Decimal(amount), status=status)  # fmt: skip


DEFAULT_RULES = import_module("partylife.migrations.0002_default_rules").POINT_RULES


@pytest.fixture
def world(town):
    """Two members of 铜梁村 with records of every source in March 2026 (and a few outside it), a free-text namesake,
    and 杨球村's own records."""
    # The migration's default rules, again: a browser test before this one (transactional) flushed them.
    for source, (points, cap) in DEFAULT_RULES.items():
        PointRule.objects.get_or_create(source=source, defaults={"points": points, "monthly_cap": cap})
    tl, yq = town.tongliang, town.yangqiu
    liu = tl.member
    wang = PartyMember.objects.create(unit=tl.unit, organisation=tl.organisation, name="王建军")
    # Meetings: 刘 attends six in March (12 points, over the cap of 10); 王 present at two, remotely at one, excused
    # at one and absent at one (3 attended); an April meeting does not count in March.
    for day in range(2, 8):
        held = meeting(tl, date(2026, 3, day), f"三月第{day}次会议")
        attend(held, liu)
        status = {2: "present", 3: "present", 4: "remote", 5: "excused", 6: "absent"}.get(day)
        if status:
            attend(held, wang, status)
    attend(meeting(tl, date(2026, 4, 1), "四月会议"), wang)
    # 包户: 刘 keeps one household since January; 王 one since mid-March and one only from April.
    HouseholdLink.objects.create(unit=tl.households[0].unit, member=liu, household=tl.households[0],
                                 since=date(2026, 1, 1))  # fmt: skip
    HouseholdLink.objects.create(unit=tl.households[1].unit, member=wang, household=tl.households[1],
                                 since=date(2026, 3, 15))  # fmt: skip
    HouseholdLink.objects.create(unit=tl.households[2].unit, member=wang, household=tl.households[2],
                                 since=date(2026, 4, 2))  # fmt: skip
    # 五个到户 visits: 刘 three in March, 王 one, 刘 one in April.
    for day in (3, 10, 17):
        visit(tl, liu, tl.households[0], date(2026, 3, day))
    visit(tl, wang, tl.households[1], date(2026, 3, 20))
    visit(tl, liu, tl.households[0], date(2026, 4, 3))
    # Volunteer hours: 刘's approved 2.5 h count, his pending 4 h do not; a volunteer merely called 王建军 (a free-text
    # name, no party member named) earns 王 nothing.
    station = Station.objects.create(unit=tl.unit, name="铜梁村新时代文明实践站", established_on=date(2021, 5, 1))
    liu_volunteer = Volunteer.objects.create(unit=tl.unit, name=liu.name, joined_on=date(2022, 1, 1),
                                             party_member=liu)  # fmt: skip
    namesake = Volunteer.objects.create(unit=tl.unit, name="王建军", joined_on=date(2022, 1, 1))
    hours(station, liu_volunteer, date(2026, 3, 8), "2.5")
    hours(station, liu_volunteer, date(2026, 3, 9), "4", status="pending")
    hours(station, namesake, date(2026, 3, 8), "6")
    # 杨球村: its member's own records, and a 杨球村 meeting 刘 sat in on — none of it counts for 铜梁村.
    yq_meeting = meeting(yq, date(2026, 3, 12), "杨球村党员大会")
    attend(yq_meeting, yq.member)
    attend(yq_meeting, liu)
    visit(yq, yq.member, yq.households[0], date(2026, 3, 12))
    return SimpleNamespace(liu=liu, wang=wang, tl=tl, yq=yq)


def rule_points(source, quantity):
    """The rule as the admin wrote it: points per unit × quantity, at most the monthly cap (no rule: nothing)."""
    rule = PointRule.objects.filter(source=source).first()
    if rule is None:
        return Decimal(0)
    points = rule.points * Decimal(quantity)
    return points if rule.monthly_cap is None else min(points, rule.monthly_cap)


def expected(member, village, month=MARCH):
    """A member's points for a month recomputed from the rows kept in his village, not through partylife's code."""
    end = date(month.year, month.month + 1, 1)
    under = {"unit__path__startswith": village.unit.path}
    meetings = Attendance.objects.filter(member=member, status__in=ATTENDED, meeting__held_on__gte=month,
                                         meeting__held_on__lt=end, meeting__unit=village.unit).count()  # fmt: skip
    households = HouseholdLink.objects.filter(member=member, since__lt=end, **under).count()
    visits = VisitLog.objects.filter(member=member, date__gte=month, date__lt=end, **under).count()
    approved = sum(p.hours for p in Participation.objects.filter(
        volunteer__party_member=member, status="approved", activity__starts_at__date__gte=month,
        activity__starts_at__date__lt=end, **under))  # fmt: skip
    return (rule_points("party.meetings", meetings) + rule_points("party.households", households)
            + rule_points("governance.visits", visits) + rule_points("volunteers.hours", approved))  # fmt: skip


def ranking_totals(client, **query):
    response = client.get(reverse("partylife:point_ranking"), {"month": "2026-03", **query})
    assert response.status_code == 200
    return {row.member.name: row.total for row in response.context["ranking"].rows}


def api_rows(client, **query):
    response = client.get("/api/v1/party/points/", {"month": "2026-03", **query})
    assert response.status_code == 200, response.content
    return {row["name"]: row for row in response.json()["results"]}


def test_a_members_points_are_the_sum_of_the_records_behind_them(world, users, login):
    liu, wang = world.liu, world.wang
    liu_points, wang_points = expected(liu, world.tl), expected(wang, world.tl)
    # By hand: 刘 6 meetings × 2 = 12, capped at 10; 1 household × 0.5; 3 visits × 1; 2.5 h × 1 → 16.
    # 王 3 meetings × 2 = 6; 1 household × 0.5; 1 visit → 7.5 (the namesake's 6 h are not his).
    assert (liu_points, wang_points) == (Decimal(16), Decimal("7.5"))

    client = login(users.tongliang)
    assert ranking_totals(client) == {liu.name: liu_points, wang.name: wang_points}
    page = client.get(reverse("partylife:point_member", args=[liu.pk]), {"month": "2026-03"})
    assert page.status_code == 200
    points = page.context["points"]
    assert points.total == liu_points
    meetings = next(part for part in points.sources if part.source.code == "party.meetings")
    assert (meetings.quantity, meetings.uncapped, meetings.points, meetings.capped) == (6, 12, 10, True)
    assert len(meetings.records) == 6 and all(record.member_id == liu.pk for record in meetings.records)
    assert sum(part.points for part in points.sources) == points.total
    html = page.content.decode()
    assert "已封顶" in html and "每月上限 10 分" in html
    march_visit = VisitLog.objects.filter(member=liu, date__lt=APRIL).first()
    visit_url = reverse("governance:visitlog_detail", args=[march_visit.pk])
    household_url = reverse("branches:household_detail", args=[world.tl.households[0].pk])
    assert visit_url in html and household_url in html  # each point leads back to its record

    rows = api_rows(client)
    assert {name: Decimal(str(row["total"])) for name, row in rows.items()} == {liu.name: liu_points,
                                                                                 wang.name: wang_points}
    api_liu = rows[liu.name]
    assert api_liu["member"] == liu.pk and api_liu["unit"] == {"id": world.tl.unit.pk, "name": "铜梁村"}
    by_code = {part["code"]: part for part in api_liu["sources"]}
    assert by_code["party.meetings"]["points"] == 10 and by_code["party.meetings"]["uncapped"] == 12
    assert len(by_code["governance.visits"]["records"]) == 3
    assert sum(Decimal(str(part["points"])) for part in api_liu["sources"]) == liu_points

    spec = registry.get("party.points")
    assert figure(spec, world.tl.unit, MARCH) == liu_points + wang_points
    # The bulk form a demo's reports use counts the same, month by month (and the other months' records apart).
    months = [add_months(MARCH, offset) for offset in (-1, 0, 1)]
    by_month = figures_by_month(world.tl.unit, [spec], months)
    assert by_month[spec.code, MARCH] == liu_points + wang_points
    assert all(by_month[spec.code, month] == figure(spec, world.tl.unit, month) for month in months)
    assert spec.rows_url(world.tl.unit, MARCH) == (f"{reverse('partylife:point_ranking')}?month=2026-03"
                                                   f"&under={world.tl.unit.pk}")  # fmt: skip
    assert figure(registry.get("party.members"), world.tl.unit, MARCH) == 2


def test_a_free_text_name_and_another_villages_rows_earn_nothing(world, users, login):
    client = login(users.tongliang)
    page = client.get(reverse("partylife:point_member", args=[world.wang.pk]), {"month": "2026-03"})
    codes = {part.source.code for part in page.context["points"].sources}
    assert "volunteers.hours" not in codes  # the namesake volunteer's hours are nobody's points
    liu = client.get(reverse("partylife:point_member", args=[world.liu.pk]), {"month": "2026-03"}).context["points"]
    assert "杨球村党员大会" not in [record.text.split("：")[-1] for record in liu.records]
    # 杨球村's member earns from 杨球村's rows: one meeting (2) and one visit (1); 铜梁村's figure is untouched by them.
    assert figure(registry.get("party.points"), world.yq.unit, MARCH) == expected(world.yq.member, world.yq) == 3
    leader = login(users.leader)
    village_only = {world.liu.name: Decimal(16), world.wang.name: Decimal("7.5")}
    assert ranking_totals(leader, under=world.tl.unit.pk) == village_only


def test_changing_a_rule_changes_the_points(world, users, login):
    client = login(users.admin)
    rules = reverse("partylife:point_rules")
    response = client.post(rules, {"party-meetings-points": "3", "party-meetings-monthly_cap": "",
                                   **{f"{rule.source.replace('.', '-')}-{field}": getattr(rule, field) or ""
                                      for rule in PointRule.objects.exclude(source="party.meetings")
                                      for field in ("points", "monthly_cap")}})  # fmt: skip
    assert response.status_code == 302
    rule = PointRule.objects.get(source="party.meetings")
    assert (rule.points, rule.monthly_cap) == (3, None) and rule.history.first().history_user == users.admin
    # 刘: 6 meetings × 3 with no cap now = 18, instead of 10.
    assert expected(world.liu, world.tl) == Decimal(24)
    assert ranking_totals(client, under=world.tl.unit.pk)[world.liu.name] == Decimal(24)
    # A source without a rule earns nothing, and the admin is told so.
    PointRule.objects.filter(source="governance.visits").delete()
    assert ranking_totals(client, under=world.tl.unit.pk)[world.liu.name] == Decimal(21)
    page = client.get(rules)
    assert "未设规则" in page.content.decode()
    assert [source.code for source in page.context["unruled"]] == ["governance.visits"]


def test_the_rules_page_is_the_admins_and_refuses_bad_values_in_chinese(world, users, login):
    rules = reverse("partylife:point_rules")
    assert login(users.tongliang).get(rules).status_code == 403
    assert login(users.leader).post(rules, {"party-meetings-points": "9"}).status_code == 403
    client = login(users.admin)
    form = {f"{rule.source.replace('.', '-')}-{field}": getattr(rule, field) or ""
            for rule in PointRule.objects.all() for field in ("points", "monthly_cap")}  # fmt: skip
    response = client.post(rules, {**form, "party-meetings-points": "-1"})
    assert response.status_code == 400
    assert "确保该值大于或等于0" in response.content.decode().replace(" ", "")
    assert PointRule.objects.get(source="party.meetings").points == 2


def test_a_secretary_sees_only_his_own_villages_members(world, users, login):
    client = login(users.yangqiu)
    assert set(ranking_totals(client)) == {world.yq.member.name}
    ranking = reverse("partylife:point_ranking")
    assert client.get(ranking, {"under": world.tl.unit.pk}).status_code == 404
    assert client.get(reverse("partylife:point_member", args=[world.liu.pk])).status_code == 404
    export = client.get(ranking, {"month": "2026-03", "export": "xlsx"})
    assert export.status_code == 200
    cells = {cell for row in load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True) for cell in row}
    assert world.yq.member.name in cells and world.liu.name not in cells and world.wang.name not in cells
    assert set(api_rows(client)) == {world.yq.member.name}
    refused = client.get("/api/v1/party/points/", {"month": "2026-03", "under": world.tl.unit.pk})
    assert refused.status_code == 400 and "under" in refused.json()
    # the leader sees both villages; the town's ranking puts 刘 first.
    leader = login(users.leader)
    response = leader.get(ranking, {"month": "2026-03"})
    rows = response.context["ranking"].rows
    assert rows[0].member == world.liu and rows[0].rank == 1
    # …and each branch by points per member: 铜梁村 (16 + 7.5) / 2, 杨球村 3 / 1.
    branches = [(b.organisation.name, b.average, b.rank) for b in response.context["ranking"].branches]
    assert branches == [("铜梁村党支部", Decimal("11.8"), 1), ("杨球村党支部", Decimal(3), 2)]
    assert "各支部人均积分" in response.content.decode()
    assert {row.member.name for row in rows} >= {world.liu.name, world.wang.name, world.yq.member.name}


def test_a_bad_month_is_a_400_in_chinese(world, users, login):
    client = login(users.tongliang)
    ranking = reverse("partylife:point_ranking")
    for month in ("2026-13", "abc", "2099-01", "2026-0²"):
        response = client.get(ranking, {"month": month})
        assert response.status_code == 400, month
        assert "月" in response.content.decode()
        api = client.get("/api/v1/party/points/", {"month": month})
        assert api.status_code == 400 and "month" in api.json()
    for under in ("x", "²", "99999999999"):
        assert client.get(ranking, {"under": under}).status_code == 400
        assert client.get("/api/v1/party/points/", {"under": under}).status_code == 400


def test_search_and_pages_keep_each_members_rank(world, users, login):
    client = login(users.tongliang)
    response = client.get(reverse("partylife:point_ranking"), {"month": "2026-03", "q": "王"})
    rows = response.context["ranking"].rows
    assert [(row.member.name, row.rank) for row in rows] == [("王建军", 2)]
    assert response.context["ranking"].total == Decimal("23.5")  # the search narrows the rows, not the figures
    assert response.context["ranking"].average == Decimal("11.8")


def test_the_ranking_takes_a_fixed_number_of_queries(world, users, login):
    client = login(users.leader)
    url = reverse("partylife:point_ranking")
    client.get(url, {"month": "2026-03"})
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"month": "2026-03"})
    for index in range(8):
        member = PartyMember.objects.create(unit=world.tl.unit, organisation=world.tl.organisation, name=f"党员{index}")
        visit(world.tl, member, world.tl.households[1], date(2026, 3, 1) + timedelta(days=index))
        attend(Meeting.objects.filter(unit=world.tl.unit).first(), member)
    with CaptureQueriesContext(connection) as more:
        response = client.get(url, {"month": "2026-03"})
    assert len(response.context["ranking"].rows) == 11
    assert len(more) == len(few)


def test_the_party_lines_pages_list_the_ranking(users, login):
    assert ("先锋积分排行", reverse("partylife:point_ranking")) in pages_for("party", users.tongliang)
    assert ("积分规则", reverse("partylife:point_rules")) in pages_for("party", users.admin)
    assert "积分规则" not in dict(pages_for("party", users.tongliang))


def test_the_average_is_points_per_member_not_a_percentage(world, users, django_capture_on_commit_callbacks):
    def approved(unit, by, reviewer):
        report = services.report_open(unit=unit, work_line="party", month=MARCH)
        entered = {spec.code: 0 for spec in monthly.specs_for(unit, "party") if spec.is_entered}
        services.report_save_values(report=report, user=by, values=entered)
        services.report_submit(report=report, user=by)
        return services.report_approve(report=report, user=reviewer)

    with django_capture_on_commit_callbacks(execute=True):
        report = approved(world.tl.unit, users.tongliang, users.cadre)
        approved(world.yq.unit, users.yangqiu, users.leader)
    rows = {row.spec.code: row.value for row in monthly.entry_rows(report)}
    # 铜梁村: 16 + 7.5 points, 2 members → 11.8 a member (not 1175 %); the town: (23.5 + 3) / 3.
    assert (rows["party.points"], rows["party.members"], rows["party.average_points"]) == (
        Decimal("23.5"), 2, Decimal("11.8"))  # fmt: skip

    def rolled(unit):
        return Rollup.objects.get(unit=unit, period="2026-03", indicator__code="party.average_points").value

    assert abs(rolled(world.tl.unit) - Decimal("11.75")) < Decimal("0.01")
    assert abs(rolled(world.tl.unit.town) - Decimal("26.5") / 3) < Decimal("0.01")


@pytest.fixture
def phone(browser, live_server):  # noqa: F811
    """A 390 px wide phone in Chinese, as a secretary holds it."""
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai",
                                  viewport={"width": 390, "height": 844})  # fmt: skip
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.mark.e2e
def test_the_ranking_and_a_members_points_fit_a_phone(phone, world, users):
    log_in(phone, users.tongliang.username, PASSWORD)
    phone.goto(f"{reverse('partylife:point_ranking')}?month=2026-03")
    assert phone.locator("h1").inner_text().startswith("2026年3月")
    row = phone.locator(f"tr[data-member='{world.liu.pk}']")
    assert row.locator("[data-testid=member-total]").inner_text() == "16"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing runs off the screen
    with phone.expect_navigation():
        row.locator("a").first.click()
    assert phone.locator("[data-testid=member-total]").first.inner_text().startswith("16")
    assert phone.locator("[data-source='party.meetings'] .badge").inner_text() == "已封顶"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_figure_over_many_months_is_the_rankings_month_by_month(world):
    """The derived figure's bulk path (quantities summed by the database) gives each month what the ranking gives,
    the records one by one: March over the cap, April with its new 包户 household."""
    months = [date(2026, 2, 1), MARCH, date(2026, 4, 1)]
    village = world.tl.unit
    by_month = selectors.unit_points_by_month(village, months)
    for month in months:
        ranked = sum((row.total for row in selectors.unit_month_points(village, month)), Decimal(0))
        assert by_month[month] == ranked, month
    assert by_month[MARCH] == Decimal("23.5")
