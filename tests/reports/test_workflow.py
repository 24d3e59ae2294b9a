"""Monthly figures as the people in DESIGN §1 use them: enter, save, submit, return, resubmit, approve — through the
pages and the API — and the roll-ups that follow, with bad input refused in Chinese and nothing saved lost."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from branches.models import Household
from reports import periods
from reports.models import MonthlyReport, Notification, ReportEvent, Rollup
from reports.monthly import services
from reports.notifications import reminders
from tests.sql_writes import recording_sql_writes

MONTH = periods.last_complete_month()
KEY = periods.month_key(MONTH)


def entry_url(unit, work_line="governance", month=KEY):
    return f"/reports/{unit.pk}/{work_line}/{month}/"


def town_rollup(town, period, code):
    row = Rollup.objects.filter(unit=town.unit, period=period, indicator__code=code).first()
    return row.value if row else None


def test_the_whole_cycle_through_the_pages(login, town, users, django_capture_on_commit_callbacks):
    village = town.tongliang.unit
    client = login(users.tongliang)
    page = client.get(entry_url(village)).content.decode()
    assert "疫情防控倡议书" in page and "台账生成" in page and "查看明细" in page
    title = page[page.index("<title>") + 7 : page.index("</title>")]
    assert title.startswith("铜梁村 · 支部+基层治理") and "<" not in title

    client.post(
        entry_url(village), {"version": 1, "v:gov.leaflets": "300", "v:gov.booster_doses": "", "action": "save"}
    )
    report = MonthlyReport.objects.get(unit=village, work_line="governance", month=MONTH)
    assert report.status == "draft" and report.values.get(indicator__code="gov.leaflets").value == 300

    incomplete = client.post(entry_url(village), {"version": report.version, "action": "submit"})
    assert incomplete.status_code == 400 and "新冠疫苗加强针”还没有填写" in incomplete.content.decode()

    client.post(entry_url(village), {"version": report.version, "v:gov.booster_doses": "40", "action": "submit"})
    report.refresh_from_db()
    assert report.status == "submitted"

    cadre = login(users.cadre)
    assert "铜梁村" in cadre.get("/reports/review/").content.decode()
    cadre.post(entry_url(village) + "return/", {"reason": "加强针数与卫生院台账不符"})
    report.refresh_from_db()
    assert report.status == "returned" and report.return_reason == "加强针数与卫生院台账不符"

    home = login(users.tongliang).get("/", follow=True).content.decode()
    assert home.index("被退回的月报") < home.index("五个到户")
    assert "加强针数与卫生院台账不符" in home
    assert Notification.objects.filter(user=users.tongliang).exists()

    client = login(users.tongliang)
    client.post(entry_url(village), {"version": report.version, "v:gov.booster_doses": "38", "action": "submit"})
    report.refresh_from_db()
    assert report.status == "submitted"
    assert report.events.filter(action=ReportEvent.Action.RESUBMIT).exists()

    assert town_rollup(town, KEY, "gov.booster_doses") is None
    with django_capture_on_commit_callbacks(execute=True):
        login(users.cadre).post(entry_url(village) + "approve/")
    report.refresh_from_db()
    assert report.status == "approved"
    quarter = periods.periods_containing(MONTH)[1].key
    for period in (KEY, quarter, str(MONTH.year), f"{MONTH.year}-YTD"):
        assert town_rollup(town, period, "gov.booster_doses") == 38, period
        assert town_rollup(town, period, "gov.leaflets") == 300, period
    assert town_rollup(town, KEY, "gov.households") == 3

    summary = login(users.leader).get(f"/reports/?unit={town.unit.pk}&period={KEY}&work_line=governance")
    html = summary.content.decode()
    assert "新冠疫苗加强针" in html and ">38<" in html.replace(" ", "")


def test_approved_reports_are_locked_and_only_an_admin_unlocks(login, town, users, django_capture_on_commit_callbacks):
    report = approved_report(town, users, django_capture_on_commit_callbacks, booster=12)
    village = town.tongliang.unit
    login(users.tongliang).post(entry_url(village), {"version": report.version, "v:gov.booster_doses": "99"})
    assert report.values.get(indicator__code="gov.booster_doses").value == 12
    login(users.leader).post(entry_url(village) + "unlock/", {"reason": "x"})
    report.refresh_from_db()
    assert report.status == "approved"
    with django_capture_on_commit_callbacks(execute=True):
        login(users.admin).post(entry_url(village) + "unlock/", {"reason": "卫生院更正了数据"})
    report.refresh_from_db()
    assert report.status == "returned" and "卫生院更正了数据" in report.return_reason
    assert town_rollup(town, KEY, "gov.booster_doses") is None


def approved_report(town, users, capture, booster=10, unit=None, month=MONTH):
    unit = unit or town.tongliang.unit
    secretary = users.tongliang if unit == town.tongliang.unit else users.yangqiu
    report = services.report_open(unit=unit, work_line="governance", month=month)
    services.report_save_values(report=report, user=secretary,
                                values={"gov.leaflets": 100, "gov.booster_doses": booster})  # fmt: skip
    services.report_submit(report=report, user=secretary)
    with capture(execute=True):
        services.report_approve(report=report, user=users.leader)
    report.refresh_from_db()
    return report


def test_a_ledger_change_after_approval_is_flagged_not_rolled_up(
    login, town, users, django_capture_on_commit_callbacks
):
    report = approved_report(town, users, django_capture_on_commit_callbacks)
    Household.objects.create(unit=town.tongliang.grid, head_name="新搬来")
    cadre = login(users.cadre)
    with recording_sql_writes() as wrote:
        page = cadre.get(entry_url(town.tongliang.unit)).content.decode()
    report.refresh_from_db()
    # The page shows the change; only a write stores it — here the nightly recount (tasks.refresh_derived).
    assert "审核后有变动" in page and not wrote and not report.changed_since_approval
    assert services.reports_refresh_derived() == 1
    report.refresh_from_db()
    assert report.changed_since_approval and "审核后有变动" in page
    assert town_rollup(town, KEY, "gov.households") == 3
    assert report in services_queue(users.cadre)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_approve(report=report, user=users.cadre)
    assert town_rollup(town, KEY, "gov.households") == 4


def test_opening_a_month_nobody_saved_writes_nothing_and_the_first_save_creates_it(login, town, users):
    village = town.tongliang.unit
    client = login(users.tongliang)
    with recording_sql_writes() as wrote:
        response = client.get(entry_url(village))
    page = response.content.decode()
    assert response.status_code == 200 and not wrote, wrote
    assert not MonthlyReport.objects.filter(unit=village).exists()
    # a draft read in memory: the derived figures counted (3 households), the entered ones blank, the form to fill
    assert "草稿" in page and 'name="v:gov.leaflets"' in page and 'name="version" value="1"' in page
    households = page[page.index("gov.households") :]
    assert ">3<" in households[: households.index("</tr>")].replace(" ", "").replace("\n", "")
    # a reader who may not fill it in finds no report, as before
    assert login(users.leader).get(entry_url(village)).status_code == 404
    login(users.tongliang).post(entry_url(village), {"version": 1, "v:gov.leaflets": "5", "action": "save"})
    report = MonthlyReport.objects.get(unit=village, work_line="governance", month=MONTH)
    values = {row.indicator.code: row.value for row in report.values.select_related("indicator")}
    assert values["gov.leaflets"] == 5 and values["gov.households"] == 3 and values["gov.booster_doses"] is None


def test_a_change_after_approval_is_shown_to_every_reader_and_re_approved_from_the_page(
    login, town, users, django_capture_on_commit_callbacks
):
    report = approved_report(town, users, django_capture_on_commit_callbacks)
    Household.objects.create(unit=town.tongliang.grid, head_name="新搬来")
    leader = login(users.leader)
    with recording_sql_writes() as wrote:
        page = leader.get(entry_url(town.tongliang.unit)).content.decode()
    assert "审核后有变动" in page and "重新审核通过" in page and not wrote, wrote
    report.refresh_from_db()
    assert not report.changed_since_approval
    # approving stores the recount and freezes what the reviewer saw
    with django_capture_on_commit_callbacks(execute=True):
        leader.post(entry_url(town.tongliang.unit) + "approve/")
    report.refresh_from_db()
    assert report.status == "approved" and not report.changed_since_approval
    assert report.values.get(indicator__code="gov.households").approved_value == 4
    assert town_rollup(town, KEY, "gov.households") == 4


def test_the_nightly_recount_stores_what_the_pages_show(town, users, django_capture_on_commit_callbacks):
    from reports import tasks

    report = approved_report(town, users, django_capture_on_commit_callbacks)
    assert tasks.refresh_derived() == 0  # nothing moved: nothing written
    Household.objects.create(unit=town.tongliang.grid, head_name="新搬来")
    assert tasks.refresh_derived() == 1
    report.refresh_from_db()
    assert report.changed_since_approval and report.values.get(indicator__code="gov.households").value == 4
    assert report.values.get(indicator__code="gov.households").approved_value == 3
    assert tasks.refresh_derived() == 0


def services_queue(user):
    from reports.monthly.selectors import review_queue

    return list(review_queue(user))


def test_bad_input_is_refused_in_chinese_and_nothing_saved_is_lost(login, town, users):
    village = town.tongliang.unit
    client = login(users.tongliang)
    client.post(entry_url(village), {"version": 1, "v:gov.leaflets": "250", "v:gov.booster_doses": "5"})
    report = MonthlyReport.objects.get(unit=village, work_line="governance", month=MONTH)
    for bad, reason in (("-3", "不能小于 0"), ("很多", "必须是数字"), ("99999999", "不能大于"), ("2.5", "必须是整数")):
        response = client.post(entry_url(village), {"version": report.version, "v:gov.leaflets": "260",
                                                     "v:gov.booster_doses": bad})  # fmt: skip
        html = response.content.decode()
        assert response.status_code == 400 and reason in html, bad
        assert f'value="{bad}"' in html  # what was typed stays on the form
    values = {row.indicator.code: row.value for row in report.values.select_related("indicator")}
    assert values["gov.leaflets"] == 250 and values["gov.booster_doses"] == 5


def test_future_months_and_other_villages_are_refused(login, town, users):
    client = login(users.tongliang)
    future = periods.month_key(periods.add_months(periods.current_month(), 1))
    response = client.get(entry_url(town.tongliang.unit, month=future), follow=True)
    assert "不能填报未来的月份" in response.content.decode()
    assert not MonthlyReport.objects.filter(month__gt=periods.current_month()).exists()
    assert client.get(entry_url(town.yangqiu.unit)).status_code == 404
    assert client.post(entry_url(town.yangqiu.unit), {"v:gov.leaflets": "1"}).status_code == 404
    assert not MonthlyReport.objects.filter(unit=town.yangqiu.unit).exists()


def test_the_second_of_two_saves_is_told_not_overwritten(login, town, users):
    village = town.tongliang.unit
    report = services.report_open(unit=village, work_line="governance", month=MONTH)
    first = login(users.cadre)
    first.post(entry_url(village), {"version": report.version, "v:gov.leaflets": "111"})
    second = login(users.tongliang)
    response = second.post(entry_url(village), {"version": report.version, "v:gov.leaflets": "222"})
    assert response.status_code == 400
    assert "已被 cadre 于" in response.content.decode() and "请刷新页面后再保存" in response.content.decode()
    assert report.values.get(indicator__code="gov.leaflets").value == 111


def test_bulk_approve_takes_clean_reports_and_leaves_flagged_ones(
    login, town, users, django_capture_on_commit_callbacks
):
    for offset in range(3, 0, -1):
        approved_report(town, users, django_capture_on_commit_callbacks, booster=10,
                        month=periods.add_months(MONTH, -offset))  # fmt: skip
    flagged = services.report_open(unit=town.tongliang.unit, work_line="governance", month=MONTH)
    services.report_save_values(
        report=flagged, user=users.tongliang, values={"gov.leaflets": 100, "gov.booster_doses": 500}
    )
    services.report_submit(report=flagged, user=users.tongliang)
    clean = services.report_open(unit=town.yangqiu.unit, work_line="governance", month=MONTH)
    services.report_save_values(report=clean, user=users.yangqiu, values={"gov.leaflets": 1, "gov.booster_doses": 2})
    services.report_submit(report=clean, user=users.yangqiu)
    page = login(users.leader).get("/reports/review/").content.decode()
    assert "明显高于" not in page and "1 项" in page
    with django_capture_on_commit_callbacks(execute=True):
        login(users.leader).post("/reports/review/", {"report": [flagged.pk, clean.pk]})
    flagged.refresh_from_db()
    clean.refresh_from_db()
    assert clean.status == "approved" and flagged.status == "submitted"
    assert "明显高于" in flagged.values.get(indicator__code="gov.booster_doses").flag


def test_the_review_queue_holds_only_the_reviewers_villages(login, town, users):
    for unit, user in ((town.tongliang.unit, users.tongliang), (town.yangqiu.unit, users.yangqiu)):
        report = services.report_open(unit=unit, work_line="governance", month=MONTH)
        services.report_save_values(report=report, user=user, values={"gov.leaflets": 1, "gov.booster_doses": 1})
        services.report_submit(report=report, user=user)
    cadre_page = login(users.cadre).get("/reports/review/").content.decode()
    assert "铜梁村" in cadre_page and "杨球村" not in cadre_page
    leader_page = login(users.leader).get("/reports/review/").content.decode()
    assert "铜梁村" in leader_page and "杨球村" in leader_page
    assert login(users.tongliang).post(entry_url(town.tongliang.unit) + "approve/").status_code == 403


def test_completeness_matrix_shows_status_and_lateness(login, town, users, settings):
    report = services.report_open(unit=town.tongliang.unit, work_line="governance", month=MONTH)
    services.report_save_values(report=report, user=users.tongliang, values={"gov.leaflets": 1, "gov.booster_doses": 1})
    services.report_submit(report=report, user=users.tongliang)
    page = login(users.leader).get(f"/reports/completeness/?month={KEY}").content.decode()
    assert "铜梁村" in page and "杨球村" in page and "井字镇" in page
    assert "已提交" in page and "未建立" in page
    tongliang_row = page[page.index("铜梁村") : page.index("杨球村")]
    assert "status-submitted" in tongliang_row


def test_reminders_reach_the_secretary_once(town, users):
    month = MONTH
    deadline = periods.deadline_for(month)
    late_day = date(deadline.year, deadline.month, deadline.day + 1)
    assert reminders.send_reminders(today=late_day) > 0
    reminders.send_reminders(today=late_day)
    notes = Notification.objects.filter(user=users.tongliang)
    assert notes.count() >= 1 and "逾期" in notes.first().message
    assert notes.count() == len({n.key for n in notes})


# --- the API ------------------------------------------------------------------------------------------------------


@pytest.fixture
def api():
    def as_user(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return as_user


def test_api_report_round_trip(api, town, users, django_capture_on_commit_callbacks):
    url = f"/api/v1/reports/{town.tongliang.unit.pk}/governance/{KEY}/"
    client = api(users.tongliang)
    body = client.get(url).json()
    assert body["status"] == "draft" and body["values"]["gov.households"] == 3
    saved = client.put(url, {"values": {"gov.leaflets": 70, "gov.booster_doses": 9}}, format="json")
    assert saved.status_code == 200 and saved.json()["values"]["gov.leaflets"] == 70
    assert client.post(url + "submit/").json()["status"] == "submitted"
    returned = api(users.cadre).post(url + "return/", {"reason": "请核对"}, format="json")
    assert returned.json()["status"] == "returned"
    client.put(url, {"values": {"gov.booster_doses": 8}}, format="json")
    client.post(url + "submit/")
    with django_capture_on_commit_callbacks(execute=True):
        assert api(users.cadre).post(url + "approve/").json()["status"] == "approved"
    rollups = api(users.leader).get(
        f"/api/v1/rollups/?unit={town.unit.pk}&period={MONTH.year}-YTD&work_line=governance"
    )
    assert rollups.json()["values"]["gov.booster_doses"] == 8


def test_api_get_writes_nothing_and_answers_as_the_opened_report_would(
    api, town, users, django_capture_on_commit_callbacks
):
    village = town.tongliang.unit
    url = f"/api/v1/reports/{village.pk}/governance/{KEY}/"
    client = api(users.tongliang)
    with recording_sql_writes() as wrote:
        unsaved = client.get(url)
    assert unsaved.status_code == 200 and not wrote, wrote
    assert not MonthlyReport.objects.filter(unit=village).exists()
    assert api(users.leader).get(url).status_code == 404  # a reader who may not fill it in: no report yet
    services.report_open(unit=village, work_line="governance", month=MONTH)
    assert client.get(url).json() == unsaved.json()
    report = approved_report(town, users, django_capture_on_commit_callbacks)
    Household.objects.create(unit=town.tongliang.grid, head_name="新搬来")
    with recording_sql_writes() as wrote:
        body = api(users.leader).get(url).json()
    assert not wrote, wrote
    assert body["status"] == "approved" and body["changed_since_approval"] and body["values"]["gov.households"] == 4
    report.refresh_from_db()
    assert not report.changed_since_approval


def test_api_refuses_bad_values_with_field_errors(api, town, users):
    url = f"/api/v1/reports/{town.tongliang.unit.pk}/governance/{KEY}/"
    client = api(users.tongliang)
    response = client.put(url, {"values": {"gov.leaflets": -1, "gov.booster_doses": "abc", "gov.households": 9,
                                           "nope": 1}}, format="json")  # fmt: skip
    assert response.status_code == 400
    errors = response.json()["values"]
    assert "不能小于" in errors["gov.leaflets"][0]
    assert "必须是数字" in errors["gov.booster_doses"][0]
    assert "台账自动生成" in errors["gov.households"][0]
    assert "nope" in errors
    assert client.put(url, {"values": {"gov.leaflets": 5}, "version": 99}, format="json").status_code == 409


def test_api_scopes_reports_and_refuses_future_months(api, town, users):
    client = api(users.tongliang)
    assert client.get(f"/api/v1/reports/{town.yangqiu.unit.pk}/governance/{KEY}/").status_code == 404
    assert client.put(f"/api/v1/reports/{town.yangqiu.unit.pk}/governance/{KEY}/",
                      {"values": {"gov.leaflets": 1}}, format="json").status_code == 404  # fmt: skip
    future = periods.month_key(periods.add_months(periods.current_month(), 2))
    response = client.get(f"/api/v1/reports/{town.tongliang.unit.pk}/governance/{future}/")
    assert response.status_code == 400 and "未来" in response.json()["month"][0]
    leader = api(users.leader)
    response = leader.put(f"/api/v1/reports/{town.tongliang.unit.pk}/governance/{KEY}/",
                          {"values": {"gov.leaflets": 1}}, format="json")  # fmt: skip
    assert response.status_code == 403


def test_api_indicators_and_rollup_parameters(api, town, users):
    indicators = api(users.leader).get("/api/v1/indicators/").json()
    by_code = {row["code"]: row for row in indicators}
    assert by_code["gov.booster_doses"] == {"code": "gov.booster_doses", "name": "新冠疫苗加强针", "unit": "剂次",
                                            "work_line": "governance", "kind": "flow", "source": "entered"}  # fmt: skip
    assert by_code["org.grids"]["source"] == "derived"
    bad = api(users.leader).get("/api/v1/rollups/?unit=abc&period=2026-13")
    assert bad.status_code == 400 and set(bad.json()) == {"unit", "period"}
    hidden = api(users.tongliang).get(f"/api/v1/rollups/?unit={town.yangqiu.unit.pk}&period=2026")
    assert hidden.status_code == 404


def test_every_change_of_a_value_is_in_its_history(login, town, users):
    village = town.tongliang.unit
    client = login(users.tongliang)
    client.post(entry_url(village), {"version": 1, "v:gov.leaflets": "10"})
    report = MonthlyReport.objects.get(unit=village, work_line="governance", month=MONTH)
    login(users.cadre).post(entry_url(village), {"version": report.version, "v:gov.leaflets": "12"})
    page = login(users.leader).get(entry_url(village)).content.decode()
    history = page[page.index("数值修改记录") :]
    assert history.index("cadre") < history.index("tongliang")  # newest first
    assert "疫情防控倡议书" in history and ">12<" in history.replace(" ", "") and ">10<" in history.replace(" ", "")


def test_an_approval_survives_a_broker_outage_and_is_rolled_up_later(
    town, users, django_capture_on_commit_callbacks, monkeypatch
):
    from reports import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(tasks.rollup_report, "delay", broker_down)
    report = approved_report(town, users, django_capture_on_commit_callbacks, booster=21)
    assert report.status == "approved" and report.rollup_pending
    assert town_rollup(town, KEY, "gov.booster_doses") is None
    assert tasks.rollup_pending() == 1
    assert town_rollup(town, KEY, "gov.booster_doses") == 21
    report.refresh_from_db()
    assert not report.rollup_pending


def test_summary_pages_and_exports_are_scoped_and_formatted(login, town, users, django_capture_on_commit_callbacks):
    from io import BytesIO

    from openpyxl import load_workbook

    approved_report(town, users, django_capture_on_commit_callbacks, booster=17)
    client = login(users.tongliang)
    for unit in (town.unit, town.yangqiu.unit, town.area):
        assert client.get(f"/reports/?unit={unit.pk}&period={KEY}").status_code == 404
        assert client.get(f"/reports/?unit={unit.pk}&period={KEY}&export=xlsx").status_code == 404
    own = client.get(f"/reports/?unit={town.tongliang.unit.pk}&period={KEY}&export=xlsx")
    assert own.status_code == 200
    leader = login(users.leader)
    workbook = load_workbook(BytesIO(leader.get(f"/reports/?unit={town.unit.pk}&period={KEY}&export=xlsx").content))
    assert workbook.sheetnames == ["支部+产业发展", "支部+环境整治", "支部+基层治理", "支部+文明实践", "支部建设"]
    sheet = workbook["支部+基层治理"]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=4, values_only=True) if row[1]}
    assert rows["gov.booster_doses"][0] == "新冠疫苗加强针" and rows["gov.booster_doses"][3] == 17
    assert [cell.value for cell in sheet[3]][:4] == ["指标", "代码", "计量单位", "数值"]
    drill = leader.get(f"/reports/?unit={town.unit.pk}&period={KEY}&work_line=governance").content.decode()
    assert f"?unit={town.area.pk}&amp;period={KEY}" in drill
    village = leader.get(f"/reports/?unit={town.tongliang.unit.pk}&period={KEY}&work_line=governance").content.decode()
    assert entry_url(town.tongliang.unit) in village
    assert leader.get(f"/reports/?unit={town.unit.pk}&period=2026-13").status_code == 200  # told, not a 500
