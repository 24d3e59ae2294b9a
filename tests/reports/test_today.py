"""今日待办 first on each role's home page: every app's today items and the monthly reports' own, each with its count,
its nearest deadline and a link to the page that lists those very rows, for the roles that must act, scoped to them;
on the user's own unit's page only."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from branches.models import Household, User
from governance.models import Hazard
from grid import services as grid_services
from grid.models import GridEvent
from reports import periods
from reports.monthly import selectors as monthly
from reports.monthly import services
from reports.today import due, today_for
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

MONTH = periods.last_complete_month()


def today_block(html):
    start = html.index('data-testid="today"')
    return html[start : html.index("</section>", start)]


def row_of(block, label):
    """The today list's row (its <a> element) whose label is `label`."""
    start = block.rindex("<a ", 0, block.index(label))
    return block[start : block.index("</a>", start)]


def href_of(row):
    start = row.index('href="') + 6
    return row[start : row.index('"', start)].replace("&amp;", "&")


def waiting(user):
    return {row.item.code: (row.count, row.deadline) for row in today_for(user)}


def submitted(unit, user, work_line="governance", month=MONTH):
    report = services.report_open(unit=unit, work_line=work_line, month=month)
    services.report_save_values(report=report, user=user, values={"gov.leaflets": 1, "gov.booster_doses": 1})
    services.report_submit(report=report, user=user)
    return report


def test_the_secretarys_home_lists_what_waits_for_him_first(town, users, login):
    worker = make_user("tl-grid1", User.Role.GRID_WORKER, town.tongliang.grid)
    event = GridEvent(unit=town.tongliang.grid, kind="other", description="路灯坏了")
    grid_services.event_report(user=worker, event=event)
    html = login(users.tongliang).get("/", follow=True).content.decode()
    block = today_block(html)
    assert "待受理/待办理的网格事件" in block and "/grid/events/?tab=waiting" in block
    assert html.index('data-testid="today"') < html.index('data-testid="grid-panel"')  # first of the panels
    # The event's time to answer is its deadline.
    event.refresh_from_db()
    answer_by = event.answer_deadline
    assert f"{answer_by.month}月{answer_by.day}日截止" in row_of(block, "待受理/待办理的网格事件")
    # The grid worker's own home lists his event as moving, and so does 铜梁村's 包村 cadre's (his to answer too);
    # 杨球村's secretary has no event waiting, the leader (nothing to review, nothing overdue) nothing at all.
    assert "我上报的事件（处理中）" in today_block(login(worker).get("/").content.decode())
    assert "待受理/待办理的网格事件" in today_block(login(users.cadre).get("/").content.decode())
    assert "网格事件" not in today_block(login(users.yangqiu).get("/", follow=True).content.decode())
    assert "今天没有待办事项" in today_block(login(users.leader).get("/", follow=True).content.decode())


def test_the_panel_is_the_users_own_home_only(town, users, login):
    client = login(users.leader)
    assert 'data-testid="today"' in client.get("/", follow=True).content.decode()  # his town's dashboard
    assert 'data-testid="today"' not in client.get(town.tongliang.unit.get_absolute_url()).content.decode()


def test_a_secretary_is_told_of_his_reports_still_to_submit_by_the_reporting_deadline(town, users, login, settings):
    # The deadline falls today: the row says so in words and in colour.
    today = timezone.localdate()
    settings.REPORT_DEADLINE_DAY = today.day
    lines = len(monthly.work_lines_for(town.tongliang.unit))
    assert waiting(users.tongliang)["reports.to_submit"] == (lines, today)
    submitted(town.tongliang.unit, users.tongliang)
    assert waiting(users.tongliang)["reports.to_submit"] == (lines - 1, today)
    assert waiting(users.yangqiu)["reports.to_submit"] == (lines, today)  # 铜梁村's report is not his
    for reviewer in (users.cadre, users.leader):
        assert "reports.to_submit" not in waiting(reviewer)

    client = login(users.tongliang)
    row = row_of(today_block(client.get("/", follow=True).content.decode()), "本月待报送的月报")
    assert f">{lines - 1}<" in row and f"{today.month}月{today.day}日截止" in row
    assert 'data-deadline-state="near"' in row and "今日到期" in row and "text-bg-warning" in row
    page = client.get(href_of(row)).content.decode()  # the month's completeness: his village's row
    assert periods.month_key(MONTH) in href_of(row) and "铜梁村" in page and "杨球村" not in page
    assert page.count("status-missing") == lines - 1 + 1 and "status-submitted" in page  # +1: the legend's


def test_a_returned_report_waits_for_its_secretary_past_its_deadline(town, users, login):
    month = periods.add_months(MONTH, -2)
    report = submitted(town.tongliang.unit, users.tongliang, month=month)
    services.report_return(report=report, user=users.cadre, reason="加强针数与卫生院台账不符")
    assert waiting(users.tongliang)["reports.returned"] == (1, periods.deadline_for(month))
    assert "reports.returned" not in waiting(users.yangqiu)
    assert "reports.returned" not in waiting(users.cadre)

    client = login(users.tongliang)
    row = row_of(today_block(client.get("/", follow=True).content.decode()), "被退回的月报")
    assert 'data-deadline-state="over"' in row and "超期" in row and "text-bg-danger" in row
    page = client.get(href_of(row), follow=True).content.decode()
    assert href_of(row).endswith("#returned-reports") and 'id="returned-reports"' in page
    listed = page[page.index('id="returned-reports"') :]
    assert "加强针数与卫生院台账不符" in listed[: listed.index("</div>")]


def test_reviewers_are_told_of_the_reports_they_approve_in_their_scope(
    town, users, login, django_capture_on_commit_callbacks
):
    submitted(town.tongliang.unit, users.tongliang)
    submitted(town.yangqiu.unit, users.yangqiu)
    assert waiting(users.cadre)["reports.to_review"] == (1, None)  # 杨球村 is not his village
    assert waiting(users.leader)["reports.to_review"] == (2, None)
    assert "reports.to_review" not in waiting(users.tongliang)

    client = login(users.cadre)
    row = row_of(today_block(client.get("/").content.decode()), "待审核的月报")
    page = client.get(href_of(row)).content.decode()
    assert "铜梁村" in page and "杨球村" not in page

    # Approved, then its ledgers change: it waits to be approved again, listed on its own.
    old = services.report_open(unit=town.tongliang.unit, work_line="governance", month=periods.add_months(MONTH, -1))
    services.report_save_values(report=old, user=users.tongliang, values={"gov.leaflets": 1, "gov.booster_doses": 1})
    services.report_submit(report=old, user=users.tongliang)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_approve(report=old, user=users.cadre)
    Household.objects.create(unit=town.tongliang.grid, head_name="新搬来")
    services.reports_refresh_derived()
    assert waiting(users.cadre)["reports.changed"] == (1, None)
    assert waiting(users.cadre)["reports.to_review"] == (1, None)
    row = row_of(today_block(client.get("/").content.decode()), "台账有变动、待重新审核的月报")
    page = client.get(href_of(row)).content.decode()
    assert periods.month_key(old.month) in page and periods.month_key(MONTH) not in page.split("<tbody>")[1]


def test_a_leader_is_told_of_the_overdue_cases_in_his_town(town, users, login):
    overdue = {"item": "危桥", "found_on": date(2026, 1, 5), "responsible": "刘"}
    Hazard.objects.create(unit=town.tongliang.grid, deadline=date(2026, 1, 20), **overdue)
    Hazard.objects.create(unit=town.yangqiu.grid, deadline=date(2026, 2, 1), **overdue)
    Hazard.objects.create(unit=town.yangqiu.grid, deadline=timezone.localdate() + timedelta(30), **overdue)
    assert waiting(users.leader)["reports.overdue_cases"] == (2, None)
    for other in (users.cadre, users.tongliang):
        assert "reports.overdue_cases" not in waiting(other)
    # A secretary is told of his village's overdue hazards, with the oldest one's deadline.
    assert waiting(users.yangqiu)["governance.overdue_hazards"] == (1, date(2026, 2, 1))

    client = login(users.leader)
    row = row_of(today_block(client.get("/", follow=True).content.decode()), "逾期未办结的事项")
    page = client.get(href_of(row)).content.decode()
    assert href_of(row).endswith("#exceptions") and 'id="exceptions"' in page
    exceptions = page[page.index('id="exceptions"') :]
    assert "逾期未整改的安全隐患" in exceptions[: exceptions.index("</section>")]


def test_a_deadline_is_marked_only_when_past_today_or_tomorrow():
    today = timezone.localdate()
    assert [due(today + timedelta(days)).marked for days in (-3, 0, 1, 2, 30)] == [True, True, True, False, False]
    assert due(today + timedelta(1)).state.text == "剩1天" and due(today - timedelta(3)).state.text == "超期3天"
    assert due(date(today.year, 12, 5)).text == "12月5日截止"
    assert due(date(today.year + 1, 1, 5)).text == f"{today.year + 1}年1月5日截止"
    assert due(None) is None
