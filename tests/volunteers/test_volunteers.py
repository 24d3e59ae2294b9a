"""The 文明实践 work line as its users meet it: a secretary plans an activity and marks it held with who took part,
the station approves the hours, the month's report counts it, and the volunteer's total grows; the API does the same
within the same scope; bad input is refused in Chinese."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from branches.models import User
from reports import periods
from reports.monthly import selectors, services
from tests.conftest import make_user
from volunteers.models import Activity, ActivityType, Participation, Station, Volunteer, VolunteerTeam

MONTH = periods.last_complete_month()
DAY = MONTH.replace(day=12)


def at(day, hour=9):
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def station(town, users):
    manager = make_user("tongliang_zhan", User.Role.SECRETARY, town.tongliang.unit)
    station = Station.objects.create(unit=town.tongliang.unit, name="铜梁村新时代文明实践站", manager=manager,
                                     established_on=date(2021, 5, 1))  # fmt: skip
    team = VolunteerTeam.objects.create(unit=station.unit, station=station, name="铜梁村志愿服务队",
                                        founded_on=date(2021, 6, 1))  # fmt: skip
    volunteers = [
        Volunteer.objects.create(unit=station.unit, name=f"志愿者{i:02d}", phone=f"1380731{i:04d}",
                                 joined_on=date(2022, 1, 1))  # fmt: skip
        for i in range(1, 16)
    ]
    team.volunteers.set(volunteers)
    return station, manager, team, volunteers


def plan(client, station, team, day=DAY, title="反诈宣传进村组"):
    kind = ActivityType.objects.get(name="反电信诈骗宣传")
    return client.post("/volunteers/activities/add/", {
        "station": station.pk, "title": title, "type": kind.pk, "teams": [team.pk],
        "starts_at": at(day).strftime("%Y-%m-%dT%H:%M"), "ends_at": at(day, 11).strftime("%Y-%m-%dT%H:%M"),
        "place": "铜梁村村部", "description": "讲解常见电信诈骗手法", "people_served": 0,
    })  # fmt: skip


def held_form(volunteers, people_served, hours="2.5"):
    data = {"people_served": people_served}
    for volunteer in volunteers:
        data[f"v{volunteer.pk}"] = "on"
        data[f"h{volunteer.pk}"] = hours
    return data


def test_an_activity_planned_held_and_approved_reaches_the_report_and_the_volunteers_total(
    login, town, users, station
):
    station, manager, team, volunteers = station
    village = town.tongliang.unit
    client = login(users.tongliang)
    assert plan(client, station, team).status_code == 302
    activity = Activity.objects.get()
    assert activity.status == Activity.Status.PLANNED and activity.unit == village

    page = client.get(f"/volunteers/activities/{activity.pk}/held/").content.decode()
    assert all(volunteer.name in page for volunteer in volunteers)
    twelve = volunteers[:12]
    response = client.post(f"/volunteers/activities/{activity.pk}/held/", held_form(twelve, 180))
    assert response.status_code == 302, response.content.decode()[:2000]
    activity.refresh_from_db()
    assert activity.status == Activity.Status.HELD and activity.people_served == 180
    assert Participation.objects.filter(activity=activity, status="pending").count() == 12

    # The secretary recorded the hours; he is not the station's manager and cannot approve them.
    assert "没有等待您审核的服务时长" in client.get("/volunteers/hours/review/").content.decode()
    volunteer_page = f"/volunteers/volunteers/{twelve[0].pk}/"
    assert 'data-testid="total-hours">0<' in client.get(volunteer_page).content.decode()

    manager_client = login(manager)
    assert "12 条服务时长待您审核" in manager_client.get("/", follow=True).content.decode()
    queue = manager_client.get("/volunteers/hours/review/").content.decode()
    assert queue.count('name="ids"') == 12
    ids = list(Participation.objects.filter(activity=activity).values_list("pk", flat=True))
    response = manager_client.post("/volunteers/hours/review/", {"ids": ids, "decision": "approve"})
    assert response.status_code == 302
    assert Participation.objects.filter(activity=activity, status="approved", reviewed_by=manager).count() == 12
    assert 'data-testid="total-hours">2.5<' in manager_client.get(volunteer_page).content.decode()

    report = services.report_open(unit=village, work_line="volunteers", month=MONTH)
    values = {code: row.value for code, row in selectors.values_by_code(report).items()}
    assert values["vol.activities"] == 1 and values["vol.people_served"] == 180
    assert values["vol.volunteer_hours"] == Decimal("30.0")
    assert values["vol.volunteers"] == 15 and values["vol.stations"] == 1 and values["vol.teams"] == 1
    entry = login(users.tongliang).get(f"/reports/{village.pk}/volunteers/{MONTH:%Y-%m}/").content.decode()
    last_day = periods.add_months(MONTH, 1) - timedelta(days=1)
    link = (f"/volunteers/activities/?status=held&amp;under={village.pk}"
            f"&amp;date_after={MONTH}&amp;date_before={last_day}")
    assert link in entry
    rows = client.get(link.replace("&amp;", "&"))
    assert f"/volunteers/activities/{activity.pk}/" in rows.content.decode()


def test_approved_hours_stay_put_and_a_turned_down_row_needs_a_reason(login, town, users, station):
    station, manager, team, volunteers = station
    client = login(users.tongliang)
    plan(client, station, team)
    activity = Activity.objects.get()
    client.post(f"/volunteers/activities/{activity.pk}/held/", held_form(volunteers[:3], 40, "2"))
    first, second, third = Participation.objects.filter(activity=activity).order_by("volunteer__name")
    manager_client = login(manager)
    refused = manager_client.post("/volunteers/hours/review/", {"ids": [second.pk], "decision": "reject"})
    assert "不通过时请填写原因" in manager_client.get(refused.url).content.decode()
    manager_client.post("/volunteers/hours/review/", {"ids": [first.pk], "decision": "approve"})
    manager_client.post("/volunteers/hours/review/", {"ids": [second.pk], "decision": "reject", "note": "未到场"})

    # The secretary edits the list: the approved row keeps its hours, the others change or go.
    data = held_form(volunteers[:2], 45, "4")
    client.post(f"/volunteers/activities/{activity.pk}/held/", data)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "approved" and first.hours == Decimal("2.0")
    assert second.status == "pending" and second.hours == Decimal("4.0")
    assert not Participation.objects.filter(pk=third.pk).exists()


def test_bad_input_is_refused_in_chinese_and_nothing_is_saved(login, town, users, station):
    station, manager, team, volunteers = station
    client = login(users.tongliang)
    future = timezone.localdate() + timedelta(days=10)
    plan(client, station, team, day=future)
    activity = Activity.objects.get()
    response = client.post(f"/volunteers/activities/{activity.pk}/held/", held_form(volunteers[:2], 10))
    assert response.status_code == 400 and "活动尚未开始" in response.content.decode()

    plan(client, station, team, title="学雷锋")
    past = Activity.objects.get(title="学雷锋")
    none_ticked = client.post(f"/volunteers/activities/{past.pk}/held/", {"people_served": 10})
    assert none_ticked.status_code == 400 and "请至少勾选一名" in none_ticked.content.decode()
    no_hours = held_form(volunteers[:1], 10, "")
    response = client.post(f"/volunteers/activities/{past.pk}/held/", no_hours)
    assert response.status_code == 400 and "请填写 志愿者01 的服务时长" in response.content.decode()
    too_long = client.post(f"/volunteers/activities/{past.pk}/held/", held_form(volunteers[:1], 10, "30"))
    assert too_long.status_code == 400
    reversed_times = client.post("/volunteers/activities/add/", {
        "station": station.pk, "title": "倒置", "type": past.type_id,
        "starts_at": at(DAY, 11).strftime("%Y-%m-%dT%H:%M"), "ends_at": at(DAY, 9).strftime("%Y-%m-%dT%H:%M"),
        "people_served": 0,
    })  # fmt: skip
    assert reversed_times.status_code == 400 and "结束时间不能早于开始时间" in reversed_times.content.decode()
    assert not Participation.objects.exists() and past.status == Activity.Status.PLANNED


def test_a_planned_activity_can_be_cancelled_and_then_not_held(login, town, users, station):
    station, manager, team, volunteers = station
    client = login(users.tongliang)
    plan(client, station, team)
    activity = Activity.objects.get()
    client.post(f"/volunteers/activities/{activity.pk}/cancel/", {"reason": "大雨"})
    activity.refresh_from_db()
    assert activity.status == Activity.Status.CANCELLED and "大雨" in activity.description
    response = client.post(f"/volunteers/activities/{activity.pk}/held/", held_form(volunteers[:1], 5))
    assert response.status_code == 400 and "已取消的活动" in response.content.decode()


def test_another_village_is_out_of_reach_on_pages_exports_and_the_api(login, town, users, station):
    station, manager, team, volunteers = station
    client = login(users.tongliang)
    plan(client, station, team)
    activity = Activity.objects.get()
    other = login(users.yangqiu)
    for url in (f"/volunteers/activities/{activity.pk}/", f"/volunteers/activities/{activity.pk}/held/",
                f"/volunteers/volunteers/{volunteers[0].pk}/", f"/volunteers/stations/{station.pk}/",
                f"/volunteers/station/{town.tongliang.unit.pk}/"):  # fmt: skip
        assert other.get(url).status_code == 404, url
    assert other.post(f"/volunteers/activities/{activity.pk}/cancel/").status_code == 404
    export = other.get("/volunteers/volunteers/?export=xlsx")
    sheet = load_workbook(filename=BytesIO(export.content)).active
    assert sheet.max_row == 1
    api = APIClient()
    api.force_authenticate(users.yangqiu)
    assert api.get("/api/v1/volunteers/volunteers/").json()["count"] == 0
    assert api.get(f"/api/v1/volunteers/activities/{activity.pk}/").status_code == 404
    assert api.post(f"/api/v1/volunteers/activities/{activity.pk}/held/", {}, format="json").status_code == 404
    # Naming another village's volunteer in one's own activity: "does not exist", never saved.
    own_station = Station.objects.create(unit=town.yangqiu.unit, name="杨球村站", established_on=date(2021, 1, 1))
    kind = ActivityType.objects.first()
    created = api.post("/api/v1/volunteers/activities/", {
        "station": own_station.pk, "title": "学雷锋", "type": kind.pk, "starts_at": at(DAY).isoformat(),
    }, format="json")  # fmt: skip
    assert created.status_code == 201, created.json()
    answer = api.post(f"/api/v1/volunteers/activities/{created.json()['id']}/held/", {
        "people_served": 5, "participants": [{"volunteer": volunteers[0].pk, "hours": "2"}],
    }, format="json")  # fmt: skip
    assert answer.status_code == 400 and "participants" in answer.json()
    assert not Participation.objects.exists()


def test_phone_numbers_are_masked_for_those_with_no_need(login, town, users, station):
    station, manager, team, volunteers = station
    number = volunteers[0].phone
    assert number in login(users.tongliang).get(f"/volunteers/volunteers/{volunteers[0].pk}/").content.decode()
    leader_page = login(users.leader).get("/volunteers/volunteers/").content.decode()
    assert number not in leader_page and f"{number[:3]}****{number[-4:]}" in leader_page
    api = APIClient()
    api.force_authenticate(users.leader)
    assert api.get(f"/api/v1/volunteers/volunteers/{volunteers[0].pk}/").json()["phone"] != number


def test_the_api_plans_holds_and_approves(town, users, station):
    station, manager, team, volunteers = station
    api = APIClient()
    api.force_authenticate(users.tongliang)
    kind = ActivityType.objects.get(name="学雷锋")
    created = api.post("/api/v1/volunteers/activities/", {
        "station": station.pk, "title": "学雷锋义诊", "type": kind.pk, "teams": [team.pk],
        "starts_at": at(DAY).isoformat(), "place": "村部",
    }, format="json")  # fmt: skip
    assert created.status_code == 201, created.json()
    activity_id = created.json()["id"]
    assert Activity.objects.get(pk=activity_id).teams.get() == team
    participants = [{"volunteer": v.pk, "hours": "3"} for v in volunteers[:12]]
    held = api.post(f"/api/v1/volunteers/activities/{activity_id}/held/",
                    {"people_served": 75, "participants": participants}, format="json")  # fmt: skip
    assert held.status_code == 200 and held.json()["status"] == "held"
    ids = [row["id"] for row in api.get(f"/api/v1/volunteers/participations/?activity={activity_id}").json()["results"]]
    assert len(ids) == 12
    refused = api.post("/api/v1/volunteers/participations/review/", {"ids": ids, "decision": "approve"}, format="json")
    assert refused.status_code == 403 and "审核人" in refused.json()["detail"]
    api.force_authenticate(manager)
    approved = api.post("/api/v1/volunteers/participations/review/", {"ids": ids, "decision": "approve"},
                        format="json")  # fmt: skip
    assert approved.status_code == 200 and {row["status"] for row in approved.json()} == {"approved"}
    volunteer = api.get(f"/api/v1/volunteers/volunteers/{volunteers[0].pk}/").json()
    assert Decimal(volunteer["hours"]) == 3
    bad = api.post("/api/v1/volunteers/volunteers/", {"unit": station.unit_id, "name": "", "joined_on": "明天"},
                   format="json")  # fmt: skip
    assert bad.status_code == 400 and {"name", "joined_on"} <= set(bad.json())


def test_calendar_roll_of_honour_and_exports(login, town, users, station):
    station, manager, team, volunteers = station
    client = login(users.tongliang)
    plan(client, station, team)
    activity = Activity.objects.get()
    client.post(f"/volunteers/activities/{activity.pk}/held/", held_form(volunteers[:2], 20, "3"))
    Participation.objects.filter(volunteer=volunteers[0]).update(status="approved")
    calendar = client.get(f"/volunteers/calendar/?month={MONTH:%Y-%m}").content.decode()
    assert "反诈宣传进村组" in calendar and f"/volunteers/activities/{activity.pk}/" in calendar
    bad = client.get("/volunteers/calendar/?month=2026-13")
    assert bad.status_code == 400 and "月份“2026-13”不正确" in bad.content.decode()  # said, not another month
    roll = client.get(f"/volunteers/honour-roll/?year={DAY.year}").content.decode()
    assert volunteers[0].name in roll and volunteers[1].name not in roll
    sheet = load_workbook(filename=BytesIO(
        client.get(f"/volunteers/honour-roll/?year={DAY.year}&export=xlsx").content)).active  # fmt: skip
    assert [cell.value for cell in sheet[2]][:3] == [station.name, 1, volunteers[0].name]
    hours = load_workbook(filename=BytesIO(
        client.get("/volunteers/hours/?export=xlsx").content)).active  # fmt: skip
    assert hours.max_row == 3
    activities = load_workbook(filename=BytesIO(
        client.get("/volunteers/activities/?export=xlsx").content)).active  # fmt: skip
    assert activities.max_row == 2 and activities.cell(2, 2).value == "反诈宣传进村组"


def approve_month(village, users, capture):
    report = services.report_open(unit=village, work_line="volunteers", month=MONTH)
    services.report_submit(report=report, user=users.tongliang)
    with capture(execute=True):
        services.report_approve(report=report, user=users.leader)
    report.refresh_from_db()
    assert report.status == "approved" and not report.changed_since_approval
    return report


def test_hours_of_an_approved_month_are_entered_and_approved_only_with_a_reason_and_flag_the_report_at_once(
    login, town, users, station, django_capture_on_commit_callbacks
):
    station, manager, team, volunteers = station
    client = login(users.tongliang)
    plan(client, station, team)
    activity = Activity.objects.get()
    report = approve_month(town.tongliang.unit, users, django_capture_on_commit_callbacks)

    url = f"/volunteers/activities/{activity.pk}/held/"
    assert 'name="reason"' in client.get(url).content.decode()  # the month is approved: a reason is asked up front
    refused = client.post(url, held_form(volunteers[:2], 30))
    assert refused.status_code == 400 and "修改须填写原因" in refused.content.decode()
    activity.refresh_from_db()
    report.refresh_from_db()
    assert activity.status == Activity.Status.PLANNED and not report.changed_since_approval
    assert client.post(url, {**held_form(volunteers[:2], 30), "reason": "活动当月漏登，补登"}).status_code == 302
    report.refresh_from_db()  # no report page opened: the service flagged it
    assert report.changed_since_approval
    assert Activity.objects.get().history.first().history_change_reason == "活动当月漏登，补登"
    with django_capture_on_commit_callbacks(execute=True):
        services.report_approve(report=report, user=users.leader)
    report.refresh_from_db()
    assert not report.changed_since_approval

    manager_client = login(manager)
    ids = list(Participation.objects.values_list("pk", flat=True))
    refused = manager_client.post("/volunteers/hours/review/", {"ids": ids, "decision": "approve"})
    assert "修改须填写原因" in manager_client.get(refused.url).content.decode()
    assert not Participation.objects.filter(status="approved").exists()
    manager_client.post("/volunteers/hours/review/", {"ids": ids, "decision": "approve", "reason": "核实签到表"})
    assert Participation.objects.filter(status="approved").count() == 2
    report.refresh_from_db()
    assert report.changed_since_approval  # at once, not at the nightly check
    hours = report.values.get(indicator__code="vol.volunteer_hours")
    assert hours.value == Decimal("5.0") and hours.approved_value in (None, 0)
    assert Participation.objects.first().history.first().history_change_reason == "核实签到表"


def test_the_api_asks_the_same_reason_to_mark_an_activity_of_an_approved_month_held(
    town, users, station, login, django_capture_on_commit_callbacks
):
    station, manager, team, volunteers = station
    plan(login(users.tongliang), station, team)
    activity = Activity.objects.get()
    approve_month(town.tongliang.unit, users, django_capture_on_commit_callbacks)
    api = APIClient()
    api.force_authenticate(users.tongliang)
    held = {"people_served": 12, "participants": [{"volunteer": volunteers[0].pk, "hours": "3"}]}
    refused = api.post(f"/api/v1/volunteers/activities/{activity.pk}/held/", held, format="json")
    assert refused.status_code == 400 and "修改须填写原因" in refused.json()["reason"][0]
    done = api.post(f"/api/v1/volunteers/activities/{activity.pk}/held/", {**held, "reason": "补登"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "held"
    api.force_authenticate(manager)
    ids = list(Participation.objects.values_list("pk", flat=True))
    refused = api.post("/api/v1/volunteers/participations/review/", {"ids": ids, "decision": "approve"}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()
    done = api.post("/api/v1/volunteers/participations/review/",
                    {"ids": ids, "decision": "approve", "reason": "核实"}, format="json")  # fmt: skip
    assert done.status_code == 200 and done.json()[0]["status"] == "approved"
