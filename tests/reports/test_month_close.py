"""Month close, DHIS2-style: a ledger row of an approved month is changed only with a reason, and the change marks
that month's report at once (no page opened); a closed year is the admin's alone; the nightly check flags drift the
services missed."""

from datetime import date, timedelta

from rest_framework.test import APIClient

from environment.models import CleanupRecord
from governance.models import Hazard
from reports import tasks
from reports.close import services as close_services
from reports.models import ClosedYear, MonthlyReport, Notification, ReportEvent
from reports.monthly import services

from .test_workflow import MONTH, entry_url


def approved_report(town, users, capture, work_line="governance", values=None):
    report = services.report_open(unit=town.tongliang.unit, work_line=work_line, month=MONTH)
    values = values or {"gov.leaflets": 100, "gov.booster_doses": 10}
    services.report_save_values(report=report, user=users.tongliang, values=values)
    services.report_submit(report=report, user=users.tongliang)
    with capture(execute=True):
        services.report_approve(report=report, user=users.leader)
    report.refresh_from_db()
    assert report.status == "approved" and not report.changed_since_approval
    return report


def hazard_in(unit, day, **extra):
    fields = {"unit": unit, "found_on": day, "item": "桥栏杆松动", "responsible": "李四",
              "deadline": day + timedelta(days=30)}
    return Hazard.objects.create(**{**fields, **extra})


def edit_form(hazard, **changes):
    data = {"unit": hazard.unit_id, "action": "", "found_on": hazard.found_on.isoformat(), "item": hazard.item,
            "location": hazard.location, "measures": hazard.measures, "funds": str(hazard.funds),
            "responsible": hazard.responsible, "deadline": hazard.deadline.isoformat(), "reviewer": hazard.reviewer,
            "note": hazard.note}  # fmt: skip
    return {**data, **changes}


def test_an_edit_of_an_approved_month_needs_a_reason_and_flags_the_report_at_once(
    login, town, users, django_capture_on_commit_callbacks
):
    hazard = hazard_in(town.tongliang.grid, MONTH + timedelta(days=2))
    report = approved_report(town, users, django_capture_on_commit_callbacks)
    url = f"/governance/hazards/{hazard.pk}/edit/"
    client = login(users.tongliang)
    assert 'name="reason"' in client.get(url).content.decode()  # the form asks for a reason up front

    refused = client.post(url, edit_form(hazard, item="桥栏杆已加固"))
    assert refused.status_code == 400 and "修改须填写原因" in refused.content.decode()
    hazard.refresh_from_db()
    report.refresh_from_db()
    assert hazard.item == "桥栏杆松动" and not report.changed_since_approval

    saved = client.post(url, edit_form(hazard, item="桥栏杆已加固", reason="核实后更正隐患名称"))
    assert saved.status_code == 302
    report.refresh_from_db()  # no page of the report opened: the service marked it
    assert report.status == "approved" and report.changed_since_approval
    event = report.events.get(action=ReportEvent.Action.LEDGER)
    assert "核实后更正隐患名称" in event.reason and event.user == users.tongliang

    detail = client.get(f"/governance/hazards/{hazard.pk}/").content.decode()
    assert "核实后更正隐患名称" in detail and "桥栏杆已加固" in detail and "桥栏杆松动" in detail  # old and new

    leader = login(users.leader)
    dashboard = leader.get(f"/dashboard/?unit={town.unit.pk}").content.decode()
    assert 'data-exception="changed"' in dashboard and entry_url(town.tongliang.unit) in dashboard
    assert entry_url(town.tongliang.unit) in leader.get("/reports/review/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        leader.post(entry_url(town.tongliang.unit) + "approve/")
    report.refresh_from_db()
    assert report.status == "approved" and not report.changed_since_approval
    dashboard = leader.get(f"/dashboard/?unit={town.unit.pk}").content.decode()
    assert 'data-exception="changed"' not in dashboard


def test_a_case_deadline_moved_in_an_approved_month_asks_one_reason_for_both(
    login, town, users, django_capture_on_commit_callbacks
):
    """One 修改原因 whether the row lies in an approved month, its time limit changes, or both: asked once."""
    hazard = hazard_in(town.tongliang.grid, MONTH + timedelta(days=2))
    report = approved_report(town, users, django_capture_on_commit_callbacks)
    url = f"/governance/hazards/{hazard.pk}/edit/"
    client = login(users.tongliang)
    page = client.get(url).content.decode()
    assert page.count('name="reason"') == 1 and "change_reason" not in page
    later = (hazard.deadline + timedelta(days=10)).isoformat()

    refused = client.post(url, edit_form(hazard, deadline=later))
    assert refused.status_code == 400 and refused.content.decode().count('name="reason"') == 1
    assert "修改办理时限必须填写修改原因。" in refused.content.decode()

    saved = client.post(url, edit_form(hazard, deadline=later, reason="雨季施工顺延"))
    assert saved.status_code == 302
    hazard.refresh_from_db()
    report.refresh_from_db()
    assert hazard.deadline.isoformat() == later and report.changed_since_approval
    assert hazard.history.first().history_change_reason == "雨季施工顺延"

    api = APIClient()
    api.force_authenticate(users.tongliang)
    answer = api.patch(f"/api/v1/governance/hazards/{hazard.pk}/", {"deadline": MONTH.isoformat()}, format="json")
    assert answer.status_code == 400 and list(answer.json()) == ["reason"]
    moved = {"deadline": (MONTH + timedelta(days=20)).isoformat(), "reason": "按审计意见改回"}
    answer = api.patch(f"/api/v1/governance/hazards/{hazard.pk}/", moved, format="json")
    assert answer.status_code == 200 and "reason" not in answer.json()
    assert Hazard.objects.get(pk=hazard.pk).history.first().history_change_reason == "按审计意见改回"


def test_the_api_refuses_without_a_reason_and_counts_the_change_with_one(
    town, users, django_capture_on_commit_callbacks
):
    hazard = hazard_in(town.tongliang.grid, MONTH + timedelta(days=3))
    report = approved_report(town, users, django_capture_on_commit_callbacks)
    api = APIClient()
    api.force_authenticate(users.tongliang)
    url = f"/api/v1/governance/hazards/{hazard.pk}/"
    rectified = (MONTH + timedelta(days=5)).isoformat()
    refused = api.patch(url, {"note": "已整改"}, format="json")
    assert refused.status_code == 400 and "修改须填写原因" in refused.json()["reason"][0]
    # a new row dated in the approved month needs one too
    created = api.post("/api/v1/governance/hazards/", {
        "unit": town.tongliang.grid.pk, "found_on": rectified, "item": "补录隐患", "responsible": "王五",
        "deadline": rectified}, format="json")  # fmt: skip
    assert created.status_code == 400 and "reason" in created.json()
    assert not Hazard.objects.filter(item="补录隐患").exists()

    created = api.post("/api/v1/governance/hazards/", {
        "unit": town.tongliang.grid.pk, "found_on": rectified, "item": "补录隐患", "responsible": "王五",
        "deadline": rectified, "reason": "漏报补录"}, format="json")  # fmt: skip
    assert created.status_code == 201, created.json()
    report.refresh_from_db()
    assert report.changed_since_approval
    found = report.values.get(indicator__code="gov.hazards_found")
    assert found.value == found.approved_value + 1  # recounted in the same transaction


def test_deleting_a_row_of_an_approved_month_needs_a_reason_too(login, town, users, django_capture_on_commit_callbacks):
    day = MONTH + timedelta(days=6)
    kept = CleanupRecord.objects.create(unit=town.tongliang.grid, date=day, side="road", garbage_tons=2)
    gone = CleanupRecord.objects.create(unit=town.tongliang.grid, date=day, side="water", garbage_tons=3)
    report = approved_report(town, users, django_capture_on_commit_callbacks, work_line="environment",
                                 values={"env.participants": 20, "env.leaflets": 50})  # fmt: skip
    tons = report.values.get(indicator__code="env.garbage_tons")
    assert tons.approved_value == 5

    client = login(users.tongliang)
    page = client.get(f"/environment/cleanups/{kept.pk}/delete/").content.decode()
    assert 'name="reason"' in page
    refused = client.post(f"/environment/cleanups/{kept.pk}/delete/", follow=True)
    assert "修改须填写原因" in refused.content.decode() and CleanupRecord.objects.filter(pk=kept.pk).exists()

    api = APIClient()
    api.force_authenticate(users.tongliang)
    refused = api.delete(f"/api/v1/environment/cleanups/{gone.pk}/")
    assert refused.status_code == 400 and "reason" in refused.json()
    assert api.delete(f"/api/v1/environment/cleanups/{gone.pk}/?reason=重复录入").status_code == 204
    report.refresh_from_db()
    tons.refresh_from_db()
    assert report.changed_since_approval and tons.value == 2 and tons.approved_value == 5
    assert "重复录入" in report.events.get(action=ReportEvent.Action.LEDGER).reason


def test_rows_of_months_not_approved_need_no_reason(login, town, users):
    hazard = hazard_in(town.tongliang.grid, MONTH + timedelta(days=2))
    client = login(users.tongliang)
    url = f"/governance/hazards/{hazard.pk}/edit/"
    page = client.get(url).content.decode()
    assert "原因记入修改记录" not in page and "已审核的月报" not in page  # only a changed time limit would need one
    assert client.post(url, edit_form(hazard, item="改名")).status_code == 302
    assert not ReportEvent.objects.filter(action=ReportEvent.Action.LEDGER).exists()


def test_a_closed_year_refuses_a_secretary_and_lets_an_admin_with_a_reason(login, town, users):
    last_year = MONTH.year - 1
    hazard = hazard_in(town.tongliang.grid, date(last_year, 6, 10))
    secretary = login(users.tongliang)
    assert 'name="year"' not in secretary.get("/reports/close/").content.decode()  # he sees, only an admin closes
    assert secretary.post("/reports/close/", {"town": town.unit.pk, "year": last_year}).status_code == 403
    admin = login(users.admin)
    assert admin.get("/reports/close/").status_code == 200
    response = admin.post("/reports/close/", {"town": town.unit.pk, "year": last_year, "reason": "年度决算完成"})
    assert response.status_code == 302 and ClosedYear.objects.filter(unit=town.unit, year=last_year).exists()
    assert str(last_year) in admin.get("/reports/close/").content.decode()

    url = f"/governance/hazards/{hazard.pk}/edit/"
    secretary = login(users.tongliang)
    refused = secretary.post(url, edit_form(hazard, item="改名", reason="想改"))
    assert refused.status_code == 400 and "已关账，只有系统管理员可以修改" in refused.content.decode()
    api = APIClient()
    api.force_authenticate(users.tongliang)
    refused = api.patch(f"/api/v1/governance/hazards/{hazard.pk}/", {"item": "改名", "reason": "想改"}, format="json")
    assert refused.status_code == 400 and "已关账" in str(refused.json())

    admin = login(users.admin)
    without = admin.post(url, edit_form(hazard, item="改名"))
    assert without.status_code == 400 and "已关账，修改须填写原因" in without.content.decode()
    assert admin.post(url, edit_form(hazard, item="改名", reason="审计调整")).status_code == 302
    hazard.refresh_from_db()
    assert hazard.item == "改名" and hazard.history.first().history_change_reason == "审计调整"


def test_an_admin_reopens_a_closed_year_on_the_close_page_with_a_reason_and_it_is_recorded(login, town, users):
    last_year = MONTH.year - 1
    hazard = hazard_in(town.tongliang.grid, date(last_year, 6, 10))
    admin = login(users.admin)
    admin.post("/reports/close/", {"town": town.unit.pk, "year": last_year, "reason": "年度决算完成"})
    closed = ClosedYear.objects.get(unit=town.unit, year=last_year)
    assert 'name="reopen"' in admin.get("/reports/close/").content.decode()

    secretary = login(users.tongliang)
    assert 'name="reopen"' not in secretary.get("/reports/close/").content.decode()
    assert secretary.post("/reports/close/", {"reopen": closed.pk, "reason": "想改"}).status_code == 403

    admin = login(users.admin)
    without = admin.post("/reports/close/", {"reopen": closed.pk, "reason": " "})
    assert without.status_code == 400 and "重新开账须填写原因" in without.content.decode()
    assert admin.post("/reports/close/", {"reopen": 99999, "reason": "x"}).status_code == 404
    assert ClosedYear.objects.filter(pk=closed.pk).exists()

    done = admin.post("/reports/close/", {"reopen": closed.pk, "reason": "补录上年度漏报隐患"})
    assert done.status_code == 302 and not ClosedYear.objects.filter(unit=town.unit, year=last_year).exists()
    log = ClosedYear.history.filter(year=last_year).order_by("history_date")
    assert [(entry.history_type, entry.history_user, entry.history_change_reason) for entry in log] == [
        ("+", users.admin, "年度决算完成"), ("-", users.admin, "补录上年度漏报隐患")]
    page = admin.get("/reports/close/").content.decode()
    assert "补录上年度漏报隐患" in page and "重新开账" in page

    # the year open again: its secretary edits last year's rows as before (no approved month here, no reason)
    secretary = login(users.tongliang)
    assert secretary.post(f"/governance/hazards/{hazard.pk}/edit/", edit_form(hazard, item="改名")).status_code == 302


def test_the_nightly_check_flags_drift_the_services_missed_and_tells_the_admins(
    town, users, django_capture_on_commit_callbacks
):
    report = approved_report(town, users, django_capture_on_commit_callbacks)
    assert tasks.check_closed_months() == 0
    hazard_in(town.tongliang.grid, MONTH + timedelta(days=4))  # written behind the services' back
    assert close_services.approved_months_check(year=MONTH.year) == [report]
    report.refresh_from_db()
    assert report.changed_since_approval and report.events.filter(action=ReportEvent.Action.DRIFT).exists()
    note = Notification.objects.get(user=users.admin)
    assert "夜间核查" in note.message and str(MONTH.year) in note.message
    assert close_services.approved_months_check(year=MONTH.year) == []  # found once
    assert MonthlyReport.objects.filter(changed_since_approval=True).count() == 1


def test_a_hazard_sent_back_undoes_a_rectification_of_an_approved_month_and_flags_it(
    town, users, django_capture_on_commit_callbacks
):
    day = MONTH + timedelta(days=2)
    hazard = hazard_in(town.tongliang.grid, day, status=Hazard.Status.RECTIFIED, rectified_on=day + timedelta(days=1))
    report = approved_report(town, users, django_capture_on_commit_callbacks)
    assert report.values.get(indicator__code="gov.hazards_rectified").approved_value == 1
    api = APIClient()
    api.force_authenticate(users.cadre)
    response = api.post(f"/api/v1/governance/hazards/{hazard.pk}/return/", {"note": "护栏未焊牢"}, format="json")
    assert response.status_code == 200, response.content
    report.refresh_from_db()
    assert report.changed_since_approval
    assert report.values.get(indicator__code="gov.hazards_rectified").value == 0
    assert "护栏未焊牢" in report.events.get(action=ReportEvent.Action.LEDGER).reason
