"""组织生活 (三会一课): the 铜梁村 secretary records a 支部党员大会 with its attendance from his phone, the month's
report counts it and its attendance rate, the indicator's link lists it, and 杨球村's secretary can neither read nor
write it (page, Excel, API); a branch behind the statutory rhythm (no 党课 last quarter) is flagged on its page, on
the leader's dashboard and in the next 通报, while one that held it is not."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from branches.models import PartyMember
from partylife import selectors, services
from partylife.models import Attendance, Every, Meeting, MeetingKind, MeetingRule, MonthlyTheme
from reports import periods
from reports.bulletin import services as bulletin_services
from reports.models import BulletinRow
from reports.monthly import selectors as report_selectors
from reports.monthly import services as report_services

TODAY = timezone.localdate()
MONTH = periods.add_months(periods.current_month(), -1)  # last month: complete, reportable, in the past
HELD_ON = MONTH + timedelta(days=9)
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"


@pytest.fixture
def branch(town):
    """铜梁村党支部 with five members: 党员 (the fixture's) and four more."""
    organisation = town.tongliang.organisation
    extra = [PartyMember.objects.create(unit=town.tongliang.unit, organisation=organisation, name=name)
             for name in ("王建国", "李红梅", "张流动", "赵缺席")]  # fmt: skip
    return organisation, [town.tongliang.member, *extra]


def meeting_form(organisation, members, statuses, **fields):
    data = {"organisation": organisation.pk, "kind": MeetingKind.ASSEMBLY, "held_on": HELD_ON.isoformat(),
            "place": "村党群服务中心", "host": members[0].pk, "topic": "学习贯彻党的二十届三中全会精神",
            "theme": "", "minutes": "会议记录", "resolutions": "", **fields}  # fmt: skip
    for member, (status, reason, away_at) in zip(members, statuses, strict=True):
        data[f"att-s{member.pk}"] = status
        data[f"att-r{member.pk}"] = reason
        data[f"att-a{member.pk}"] = away_at
    return data


STATUSES = [("present", "", ""), ("present", "", ""), ("excused", "生病住院", ""), ("remote", "", "广东东莞"),
            ("absent", "", "")]  # fmt: skip


def record(client, organisation, members, statuses=STATUSES, **fields):
    return client.post(reverse("partylife:meeting_add"), meeting_form(organisation, members, statuses, **fields),
                       HTTP_USER_AGENT=PHONE)  # fmt: skip


# --- Must show 1 ---------------------------------------------------------------------------------------------------


def test_the_secretary_records_an_assembly_with_attendance_from_his_phone_and_the_report_counts_it(
    login, town, users, branch
):
    organisation, members = branch
    client = login(users.tongliang)
    page = client.get(reverse("partylife:meeting_add"), HTTP_USER_AGENT=PHONE)
    html = page.content.decode()
    # His only branch is chosen for him; one row per member with the four big buttons.
    assert page.status_code == 200 and 'name="viewport"' in html
    assert html.count('data-testid="member-row"') == 5 and html.count('class="btn-check"') == 20
    assert all(member.name in html for member in members)

    response = record(client, organisation, members)
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting = Meeting.objects.get()
    assert (meeting.unit, meeting.kind, meeting.held_on) == (town.tongliang.unit, "assembly", HELD_ON)
    rows = {row.member.name: row for row in Attendance.objects.filter(meeting=meeting)}
    assert rows["李红梅"].status == "excused" and rows["李红梅"].reason == "生病住院"
    assert rows["张流动"].status == "remote" and rows["张流动"].away_at == "广东东莞"
    detail = client.get(response.url).content.decode()
    assert "出席率 75.0%" in detail
    assert "广东东莞" in detail and "生病住院" in detail

    # The month's party report: one 党员大会, 3 attended (2 present + 1 remote) of 4 expected (5 − 1 excused).
    report = report_services.report_open(unit=town.tongliang.unit, work_line="party", month=MONTH)
    values = {code: row.value for code, row in report_selectors.values_by_code(report).items()}
    assert values["party.assemblies"] == 1 and values["party.lectures"] == 0
    assert values["party.attended"] == 3 and values["party.attendance_expected"] == 4
    rate = next(row for row in report_selectors.entry_rows(report) if row.spec.code == "party.attendance_rate")
    assert str(rate.value) == "75.0"

    # The figure's link lists that meeting.
    entry = client.get(f"/reports/{town.tongliang.unit.pk}/party/{MONTH:%Y-%m}/").content.decode()
    last_day = periods.add_months(MONTH, 1) - timedelta(days=1)
    under = town.tongliang.unit.pk
    link = f"/party/meetings/?kind=assembly&amp;under={under}&amp;date_after={MONTH}&amp;date_before={last_day}"
    assert link in entry
    listed = client.get(link.replace("&amp;", "&")).content.decode()
    assert f"/party/meetings/{meeting.pk}/" in listed

    # 杨球村's secretary: not on the page, not in his list or Excel, not through the API.
    other = login(users.yangqiu)
    assert other.get(f"/party/meetings/{meeting.pk}/").status_code == 404
    assert other.get(f"/party/meetings/{meeting.pk}/edit/").status_code == 404
    assert other.get(f"/party/meetings/{meeting.pk}/attendance/").status_code == 404
    assert other.post(f"/party/meetings/{meeting.pk}/attendance/", {}).status_code == 404
    assert meeting.topic not in other.get("/party/meetings/").content.decode()
    assert "赵缺席" not in other.get("/party/attendance/").content.decode()
    workbook = load_workbook(BytesIO(other.get("/party/meetings/?export=xlsx").content))
    assert meeting.topic not in str(list(workbook.active.values))
    api = APIClient()
    api.force_authenticate(users.yangqiu)
    assert api.get(f"/api/v1/party/meetings/{meeting.pk}/").status_code == 404
    assert api.get("/api/v1/party/meetings/").json()["count"] == 0
    assert api.get("/api/v1/party/attendance/").json()["count"] == 0
    assert api.patch(f"/api/v1/party/meetings/{meeting.pk}/", {"topic": "改"}, format="json").status_code == 404
    assert api.delete(f"/api/v1/party/meetings/{meeting.pk}/").status_code == 404
    row = Attendance.objects.get(meeting=meeting, member__name="赵缺席")
    assert api.patch(f"/api/v1/party/attendance/{row.pk}/", {"status": "present"}, format="json").status_code == 404
    sneaked = api.post("/api/v1/party/attendance/", {"meeting": meeting.pk, "member": town.yangqiu.member.pk,
                                                     "status": "present"}, format="json")  # fmt: skip
    assert sneaked.status_code == 400 and "meeting" in sneaked.json()
    posted = api.post(
        "/api/v1/party/meetings/",
        {"organisation": organisation.pk, "kind": "lecture", "held_on": HELD_ON.isoformat(), "topic": "冒名"},
        format="json",
    )
    assert posted.status_code == 400 and "organisation" in posted.json()
    row.refresh_from_db()
    assert row.status == "absent" and Meeting.objects.count() == 1


def test_the_api_records_a_meeting_with_its_attendance_and_refuses_bad_rows_with_field_errors(town, users, branch):
    organisation, members = branch
    api = APIClient()
    api.force_authenticate(users.tongliang)
    payload = {"organisation": organisation.pk, "kind": "lecture", "held_on": HELD_ON.isoformat(), "topic": "党课",
               "attendance": [{"member": members[0].pk, "status": "present"},
                              {"member": members[3].pk, "status": "remote", "away_at": "浙江义乌"},
                              {"member": members[2].pk, "status": "excused"}]}  # fmt: skip
    refused = api.post("/api/v1/party/meetings/", payload, format="json")
    assert refused.status_code == 400
    assert refused.json() == {"attendance": ["李红梅：请假须填写请假事由。"]}
    assert not Meeting.objects.exists()  # nothing saved, the meeting included

    payload["attendance"][2]["reason"] = "外出办事"
    created = api.post("/api/v1/party/meetings/", payload, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert {row["member_name"]: row["status"] for row in body["attendance"]} == {
        "铜梁村党员": "present", "张流动": "remote", "李红梅": "excused"}  # fmt: skip
    listed = api.get("/api/v1/party/meetings/").json()["results"][0]
    assert (listed["attended_count"], listed["expected_count"]) == (2, 2)

    # One row through attendance/: remote without a place is a 400 on away_at; another village's member is refused.
    meeting_id = body["id"]
    bad = api.post("/api/v1/party/attendance/", {"meeting": meeting_id, "member": members[4].pk, "status": "remote"},
                   format="json")  # fmt: skip
    assert bad.status_code == 400 and "away_at" in bad.json() and "外出所在地" in bad.json()["away_at"][0]
    outsider = api.post("/api/v1/party/attendance/", {"meeting": meeting_id, "member": town.yangqiu.member.pk,
                                                      "status": "present"}, format="json")  # fmt: skip
    assert outsider.status_code == 400 and "member" in outsider.json()
    good = api.post("/api/v1/party/attendance/", {"meeting": meeting_id, "member": members[4].pk, "status": "absent"},
                    format="json")  # fmt: skip
    assert good.status_code == 201
    future = api.post("/api/v1/party/meetings/", {**payload, "held_on": (TODAY + timedelta(days=3)).isoformat()},
                      format="json")  # fmt: skip
    assert future.status_code == 400 and future.json()["held_on"] == ["日期不能晚于今天。"]


def test_bad_attendance_is_refused_in_chinese_on_the_page_and_nothing_is_saved(login, users, branch):
    organisation, members = branch
    client = login(users.tongliang)
    statuses = [("present", "", ""), ("excused", "", ""), ("remote", "", ""), ("absent", "", ""), ("present", "", "")]
    response = record(client, organisation, members, statuses)
    html = response.content.decode()
    assert response.status_code == 400
    assert "王建国：请假须填写请假事由。" in html
    assert "李红梅：远程参会须填写外出所在地（流动党员务工所在地）。" in html
    assert not Meeting.objects.exists() and not Attendance.objects.exists()
    # What he typed is still there to correct.
    assert "学习贯彻党的二十届三中全会精神" in html

    no_choice = meeting_form(organisation, members, STATUSES)
    del no_choice[f"att-s{members[1].pk}"]
    response = client.post(reverse("partylife:meeting_add"), no_choice)
    assert response.status_code == 400 and "请选择出席情况。" in response.content.decode()
    future = record(client, organisation, members, held_on=(TODAY + timedelta(days=2)).isoformat())
    assert future.status_code == 400 and "日期不能晚于今天。" in future.content.decode()
    assert not Meeting.objects.exists()


def test_the_attendance_page_corrects_a_meeting_and_a_member_taken_off_loses_his_row(login, users, branch):
    organisation, members = branch
    client = login(users.tongliang)
    record(client, organisation, members)
    meeting = Meeting.objects.get()
    data = {f"att-s{m.pk}": "present" for m in members}
    data.update({f"att-r{m.pk}": "" for m in members} | {f"att-a{m.pk}": "" for m in members})
    response = client.post(f"/party/meetings/{meeting.pk}/attendance/", data)
    assert response.status_code == 302
    assert set(Attendance.objects.values_list("status", flat=True)) == {"present"}
    assert Attendance.objects.get(member__name="李红梅").reason == ""  # a reason only belongs to leave
    services.meeting_attendance_save(user=users.tongliang, meeting=meeting,
                                     rows=[{"member": members[0], "status": "present"}])  # fmt: skip
    assert list(Attendance.objects.values_list("member__name", flat=True)) == ["铜梁村党员"]


def test_a_theme_day_links_the_towns_theme_of_the_month_and_only_the_town_sets_it(login, town, users, branch):
    organisation, members = branch
    theme = services.monthly_theme_save(user=users.admin, instance=MonthlyTheme(
        unit=town.unit, month=HELD_ON, title="学习新思想 争做新青年"))  # fmt: skip
    assert theme.month == MONTH
    client = login(users.tongliang)
    assert "学习新思想" in client.get("/party/themes/").content.decode()  # the town's theme, seen by the branch
    assert client.get(f"/party/themes/{theme.pk}/edit/").status_code == 404  # but not his to change
    refused = client.post("/party/themes/add/", {"unit": town.unit.pk, "month": MONTH.isoformat(), "title": "x"})
    assert refused.status_code == 400 and MonthlyTheme.objects.count() == 1
    response = record(client, organisation, members, kind="theme_day", topic="主题党日活动")
    assert response.status_code == 302
    assert Meeting.objects.get().theme == theme
    twice = services.monthly_theme_save
    with pytest.raises(Exception, match="已设定主题党日主题"):
        twice(user=users.admin, instance=MonthlyTheme(unit=town.unit, month=MONTH, title="又一个"))


def test_members_absent_three_times_running_are_listed_for_follow_up(login, town, users, branch):
    organisation, members = branch
    for weeks, status in ((5, "absent"), (4, "present"), (3, "absent"), (2, "absent"), (1, "absent")):
        meeting = Meeting.objects.create(unit=organisation.unit, organisation=organisation, kind="group",
                                         held_on=TODAY - timedelta(weeks=weeks), topic=f"党小组会{weeks}")  # fmt: skip
        Attendance.objects.create(unit=meeting.unit, meeting=meeting, member=members[4], status=status)
        Attendance.objects.create(unit=meeting.unit, meeting=meeting, member=members[1],
                                  status="present" if weeks == 1 else "absent")  # fmt: skip
    html = login(users.tongliang).get("/party/absences/").content.decode()
    assert html.count('data-testid="absent-member"') == 1 and "赵缺席" in html and "王建国" not in html
    assert "杨球村" not in html
    assert "赵缺席" not in login(users.yangqiu).get("/party/absences/").content.decode()


def test_the_calendar_shows_the_months_meetings_in_scope(login, town, users, branch):
    organisation, _members = branch
    Meeting.objects.create(unit=organisation.unit, organisation=organisation, kind="lecture", held_on=HELD_ON,
                           topic="讲党课")  # fmt: skip
    url = f"/party/meetings/calendar/?month={MONTH:%Y-%m}"
    assert "党课" in login(users.tongliang).get(url).content.decode().split("<tbody>")[1]
    assert "党课 铜梁村" not in login(users.yangqiu).get(url).content.decode()
    assert login(users.tongliang).get("/party/meetings/calendar/?month=2999-01").status_code == 200  # refused, said


# --- Must show 2 ---------------------------------------------------------------------------------------------------


def hold_everything_due(organisation, on, but=()):
    """Every statutory meeting of its last complete period before `on`, but the kinds named."""
    for rule in MeetingRule.objects.exclude(every=Every.NONE).exclude(kind__in=but):
        start, _end = selectors.last_complete_period(rule.every, on)
        Meeting.objects.create(unit=organisation.unit, organisation=organisation, kind=rule.kind, held_on=start,
                               topic=f"{rule.get_kind_display()}")  # fmt: skip


@pytest.fixture
def rhythm(town):
    """杨球村 held every statutory meeting; 铜梁村 all but last quarter's 党课."""
    hold_everything_due(town.yangqiu.organisation, TODAY)
    hold_everything_due(town.tongliang.organisation, TODAY, but=(MeetingKind.LECTURE,))
    start, _end = selectors.last_complete_period(Every.QUARTER, TODAY)
    return selectors.period_label(Every.QUARTER, start)


def test_the_one_rule_of_the_rhythm_names_the_kind_and_period_missed(town, rhythm):
    from branches.models import PartyOrganisation

    missed = selectors.missed_meetings(PartyOrganisation.objects.all(), TODAY)
    assert list(missed) == [town.tongliang.organisation.pk]
    assert [str(item) for item in missed[town.tongliang.organisation.pk]] == [f"{rhythm}未召开党课"]
    # The admin's rule is data: 党课 no longer required, nobody is behind.
    MeetingRule.objects.filter(kind="lecture").update(every=Every.NONE)
    assert selectors.missed_meetings(PartyOrganisation.objects.all(), TODAY) == {}


def test_a_branch_without_a_lecture_last_quarter_is_flagged_on_its_page_the_dashboard_and_the_bulletin(
    login, town, users, rhythm
):
    flagged = login(users.tongliang).get(f"/units/{town.tongliang.unit.pk}/").content.decode()
    assert 'data-testid="party-flag"' in flagged and f"{rhythm}未召开党课" in flagged
    clean = login(users.yangqiu).get(f"/units/{town.yangqiu.unit.pk}/").content.decode()
    assert 'data-testid="party-panel"' in clean and 'data-testid="party-flag"' not in clean
    assert "三会一课按规定召开" in clean

    dashboard = login(users.leader).get(reverse("reports:dashboard")).content.decode()
    alert = dashboard.split("未按规定召开组织生活的党组织")[1][:400]
    assert 'rounded-pill">1<' in alert
    rhythm_page = login(users.leader).get(f"/party/rhythm/?under={town.unit.pk}").content.decode()
    assert rhythm_page.count('data-testid="behind"') == 1 and "铜梁村党支部" in rhythm_page

    last_month = periods.add_months(periods.current_month(), -1)
    bulletin = bulletin_services.bulletin_build(town=town.unit, month=last_month, today=TODAY)
    rows = {row.unit_id: row for row in BulletinRow.objects.filter(bulletin=bulletin)}
    behind, fine = rows[town.tongliang.unit.pk], rows[town.yangqiu.unit.pk]
    assert behind.parts["party.meetings"] == {"label": "组织生活", "score": 8.0, "max": 10}
    assert f"铜梁村党支部{rhythm}未召开党课" in [reason["text"] for reason in behind.reasons]
    assert fine.parts["party.meetings"]["score"] == 10.0
    assert not [reason for reason in fine.reasons if reason["part"] == "party.meetings"]


def test_the_brief_says_the_meetings_held_the_attendance_rate_and_the_branches_behind(town, rhythm):
    from reports.brief import selectors as briefing
    from reports.models import Indicator, Rollup

    key = f"{MONTH:%Y-%m}"
    values = {"party.assemblies": 1, "party.lectures": 0, "party.attended": 3, "party.attendance_expected": 4,
              "party.attendance_rate": "75.0"}  # fmt: skip
    indicators = dict(Indicator.objects.filter(code__in=list(values)).values_list("code", "pk"))
    Rollup.objects.bulk_create(
        Rollup(period=key, period_type=periods.parse_period(key).type, unit=town.tongliang.unit,
               indicator_id=indicators[code], value=value)
        for code, value in values.items() if code in indicators
    )  # fmt: skip
    brief = briefing.brief_draft(town.tongliang.unit, periods.parse_period(key))
    section = next(section for section in brief.sections if section.work_line == "party")
    assert section.heading == "“支部建设”，夯实战斗堡垒"
    assert "全村各党组织召开支部党员大会1次，党员参会3人次，出席率75%。" in section.text
    assert "讲党课0次" not in section.text
    assert "铜梁村党支部1个党组织未按规定召开组织生活" in section.text


def test_attendance_of_an_approved_month_changes_only_with_a_reason_and_marks_the_report(
    login, users, town, branch, django_capture_on_commit_callbacks
):
    organisation, members = branch
    client = login(users.tongliang)
    record(client, organisation, members)
    meeting = Meeting.objects.get()
    report = report_services.report_open(unit=town.tongliang.unit, work_line="party", month=MONTH)
    report_services.report_submit(report=report, user=users.tongliang)
    with django_capture_on_commit_callbacks(execute=True):
        report_services.report_approve(report=report, user=users.leader)
    data = {f"att-s{m.pk}": "present" for m in members}
    refused = client.post(f"/party/meetings/{meeting.pk}/attendance/", data)
    assert refused.status_code == 400 and "原因" in refused.content.decode()
    assert Attendance.objects.filter(status="absent").count() == 1
    saved = client.post(f"/party/meetings/{meeting.pk}/attendance/", {**data, "att-change_reason": "补登到会"})
    assert saved.status_code == 302
    assert Attendance.objects.filter(status="present").count() == 5
    report.refresh_from_db()
    assert report.changed_since_approval
