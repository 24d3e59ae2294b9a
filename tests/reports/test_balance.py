"""The month-to-month balance of a backlog (DESIGN §4): open at month end = last month's APPROVED open + new −
closed. A month counted from one ledger balances; when an approved month's ledger moves afterwards, the next month
shows the break with both sides of the equation (page and API), cannot be submitted without an explanation, and the
reviewer sees that explanation beside the figures."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from rest_framework.test import APIClient

from governance.models import Hazard
from reports import periods
from reports.models import MonthlyReport
from reports.monthly import selectors, services
from reports.monthly.excel import layout
from reports.registry import registry

MONTH = periods.last_complete_month()
LAST = periods.add_months(MONTH, -1)
KEY = periods.month_key(MONTH)
BREAK = "安全隐患在办数：上月已审核 2 + 本月新增 1 − 本月办结 1 = 2，本月为 1"


def entry_url(unit, month=KEY):
    return f"/reports/{unit.pk}/governance/{month}/"


def api_url(unit, month=KEY):
    return f"/api/v1/reports/{unit.pk}/governance/{month}/"


def hazard(unit, found, rectified=None):
    return Hazard.objects.create(
        unit=unit, found_on=found, item="临水无护栏", responsible="村支两委", deadline=found + timedelta(days=30),
        status=Hazard.Status.RECTIFIED if rectified else Hazard.Status.FOUND, rectified_on=rectified,
    )  # fmt: skip


def file(unit, month, secretary, reviewer=None):
    """Open, fill (every entered figure 0), submit and — with a reviewer — approve a report through the services."""
    report = services.report_open(unit=unit, work_line="governance", month=month)
    entered = {spec.code: 0 for spec in selectors.specs_for(unit, "governance") if spec.is_entered}
    report = services.report_save_values(report=report, user=secretary, values=entered)
    report = services.report_submit(report=report, user=secretary)
    if reviewer is not None:
        report = services.report_approve(report=report, user=reviewer)
    return report


@pytest.fixture
def backlog(town, users):
    """铜梁村's hazards: two found last month (one rectified this month), one found this month; last month approved
    with 2 open at its end."""
    village = town.tongliang.unit
    kept_open = hazard(village, LAST + timedelta(days=2))
    hazard(village, LAST + timedelta(days=4), rectified=MONTH + timedelta(days=9))
    hazard(village, MONTH + timedelta(days=1))
    last = file(village, LAST, users.tongliang, users.cadre)
    assert last.values.get(indicator__code="gov.hazards_open").approved_value == 2
    return village, kept_open, last


def move_last_months_ledger(kept_open, last):
    """Someone records, after approval, that last month's open hazard was rectified last month: its backlog moves
    from the approved 2 to 1. The approved month keeps its frozen 2 (and is marked changed since approval)."""
    rectified = LAST + timedelta(days=20)
    Hazard.objects.filter(pk=kept_open.pk).update(status=Hazard.Status.RECTIFIED, rectified_on=rectified)
    services.report_refresh_derived(report=last)
    row = last.values.get(indicator__code="gov.hazards_open")
    assert (row.value, row.approved_value) == (1, 2)


def test_a_month_counted_from_one_ledger_balances_and_submits_as_before(login, backlog, users):
    village, _kept_open, _last = backlog
    client = login(users.tongliang)
    page = client.get(entry_url(village)).content.decode()
    assert "安全隐患在办数" in page and "上月已审核" not in page and 'name="balance_note"' not in page
    report = services.report_open(unit=village, work_line="governance", month=MONTH)
    values = {f"v:{spec.code}": "0" for spec in selectors.specs_for(village, "governance") if spec.is_entered}
    response = client.post(entry_url(village), {"version": report.version, **values, "action": "submit"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted" and report.balance_note == ""
    assert report.values.get(indicator__code="gov.hazards_open").value == 2  # 2 + 1 − 1
    # The figure's rows: the hazards still open at the month's last day.
    last_day = periods.add_months(MONTH, 1) - timedelta(days=1)
    api = APIClient()
    api.force_authenticate(users.tongliang)
    listed = api.get(f"/api/v1/governance/hazards/?open_on={last_day.isoformat()}").json()
    assert listed["count"] == 2 and "open_on=" in registry.get("gov.hazards_open").rows_url(village, MONTH)


def test_a_moved_approved_month_breaks_the_balance_on_the_page_until_explained(login, backlog, users):
    village, kept_open, last = backlog
    move_last_months_ledger(kept_open, last)
    client = login(users.tongliang)
    page = client.get(entry_url(village)).content.decode()
    assert BREAK in page and 'name="balance_note"' in page

    report = services.report_open(unit=village, work_line="governance", month=MONTH)
    values = {f"v:{spec.code}": "0" for spec in selectors.specs_for(village, "governance") if spec.is_entered}
    refused = client.post(entry_url(village), {"version": report.version, **values, "action": "submit"})
    assert refused.status_code == 400
    assert BREAK in refused.content.decode() and "不平衡说明" in refused.content.decode()
    report.refresh_from_db()
    assert report.status == "draft"

    note = "4月的临水护栏隐患实际已于上月整改，审核后补录了整改日期"
    done = client.post(entry_url(village), {"version": report.version, **values, "balance_note": note,
                                            "action": "submit"})  # fmt: skip
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted" and report.balance_note == note
    assert BREAK in report.values.get(indicator__code="gov.hazards_open").flag

    reviewer = login(users.cadre).get(entry_url(village)).content.decode()
    assert BREAK in reviewer and note in reviewer and 'name="balance_note"' not in reviewer
    assert note in login(users.cadre).get("/reports/review/").content.decode()


def test_the_api_shows_the_break_and_refuses_submit_without_an_explanation(backlog, users):
    village, kept_open, last = backlog
    move_last_months_ledger(kept_open, last)
    api = APIClient()
    api.force_authenticate(users.tongliang)
    shown = api.get(api_url(village)).json()
    [item] = shown["balance_breaks"]
    assert item["code"] == "gov.hazards_open" and item["message"] == BREAK
    assert (item["previous_approved"], item["expected"], item["value"]) == (2, 2, 1)

    entered = {spec.code: 0 for spec in selectors.specs_for(village, "governance") if spec.is_entered}
    assert api.put(api_url(village), {"values": entered}, format="json").status_code == 200
    refused = api.post(api_url(village) + "submit/", {}, format="json")
    assert refused.status_code == 400 and BREAK in refused.json()["values"]["gov.hazards_open"][0]
    assert MonthlyReport.objects.get(unit=village, work_line="governance", month=MONTH).status == "draft"

    note = "上月隐患整改日期审核后补录"
    done = api.post(api_url(village) + "submit/", {"balance_note": note}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "submitted"

    api.force_authenticate(users.cadre)
    seen = api.get(api_url(village)).json()
    assert seen["balance_note"] == note and seen["balance_breaks"][0]["message"] == BREAK


def test_the_balance_is_against_last_months_approved_figure_only(login, town, users):
    """A last month that is only submitted gives no baseline: nothing to balance against."""
    village = town.tongliang.unit
    hazard(village, LAST + timedelta(days=2))
    file(village, LAST, users.tongliang)  # submitted, not approved
    hazard(village, LAST + timedelta(days=3))  # the ledger of an unapproved month may still move
    report = file(village, MONTH, users.tongliang)
    assert report.status == "submitted"


def test_a_reopened_enterprise_problem_breaks_the_towns_industry_balance(town, users):
    """包企 problems: the town's backlog. A problem settled in an approved month and reopened afterwards moves that
    month's backlog; the next month shows it, and the open problems' list is the rows behind the figure."""
    from industry.models import Enterprise, Problem

    mill = Enterprise.objects.create(unit=town.unit, name="湖南角山米业")
    settled = Problem.objects.create(
        unit=town.unit, enterprise=mill, description="用电增容", responsible="镇经济发展办", raised_on=LAST,
        deadline=MONTH, status=Problem.Status.SOLVED, resolved_on=LAST + timedelta(days=9),
    )  # fmt: skip
    Problem.objects.create(unit=town.unit, enterprise=mill, description="冷库用地", responsible="镇经济发展办",
                           raised_on=LAST + timedelta(days=4), deadline=MONTH)  # fmt: skip
    report = services.report_open(unit=town.unit, work_line="industry", month=LAST)
    entered = {spec.code: 0 for spec in selectors.specs_for(town.unit, "industry") if spec.is_entered}
    report = services.report_save_values(report=report, user=users.admin, values=entered)
    report = services.report_submit(report=report, user=users.admin)
    report = services.report_approve(report=report, user=users.admin)
    figures = dict(report.values.values_list("indicator__code", "approved_value"))
    assert (figures["ind.problems_raised"], figures["ind.problems_settled"], figures["ind.problems_open"]) == (2, 1, 1)

    Problem.objects.filter(pk=settled.pk).update(status=Problem.Status.IN_PROGRESS, resolved_on=None)
    api = APIClient()
    api.force_authenticate(users.admin)
    shown = api.get(f"/api/v1/reports/{town.unit.pk}/industry/{KEY}/").json()
    assert [item["message"] for item in shown["balance_breaks"]] == [
        "企业问题在办数：上月已审核 1 + 本月新增 0 − 本月办结 0 = 1，本月为 2"
    ]
    last_day = periods.add_months(MONTH, 1) - timedelta(days=1)
    listed = api.get(f"/api/v1/industry/problems/?open_on={last_day.isoformat()}").json()
    assert sorted(row["description"] for row in listed["results"]) == ["冷库用地", "用电增容"]


def test_the_excel_template_carries_the_explanation_and_an_import_without_it_is_refused(login, backlog, users):
    village, kept_open, last = backlog
    move_last_months_ledger(kept_open, last)
    report = services.report_open(unit=village, work_line="governance", month=MONTH)
    client = login(users.tongliang)

    def download():
        answer = client.get("/reports/excel/template/", {"unit": village.pk, "month": KEY})
        assert answer.status_code == 200
        sheet = load_workbook(BytesIO(answer.content))["支部+基层治理"]
        keys = {cell.value: cell.column_letter for cell in sheet[layout.CODE_ROW] if cell.value}
        row = next(r for r in range(layout.FIRST_DATA_ROW, sheet.max_row + 1) if sheet[f"A{r}"].value == village.pk)
        return sheet, keys, row

    def upload(sheet):
        buffer = BytesIO()
        sheet.parent.save(buffer)
        xlsx = SimpleUploadedFile("月报.xlsx", buffer.getvalue())
        return client.post("/reports/excel/upload/", {"month": KEY, "file": xlsx})

    sheet, keys, row = download()
    note_cell = sheet[f"{keys['balance_note']}{row}"]
    assert sheet[f"{keys['balance_note']}{layout.HEADER_ROW}"].value == "不平衡说明"
    assert note_cell.value is None and BREAK in note_cell.comment.text  # the break the secretary must explain
    sheet[f"{keys['gov.leaflets']}{row}"] = 30

    refused = upload(sheet)
    page = refused.content.decode()
    assert refused.status_code == 400 and BREAK in page
    assert "请核对台账；确有原因的，请在“不平衡说明”中写明后再提交。" in page  # the entry page's words
    report.refresh_from_db()
    assert report.values.get(indicator__code="gov.leaflets").value is None and report.balance_note == ""

    note = "上月的临水护栏隐患审核后补录了整改日期"
    sheet[f"{keys['balance_note']}{row}"] = note
    done = upload(sheet)
    assert done.status_code == 200, done.content.decode()[:3000]
    report.refresh_from_db()
    assert report.balance_note == note and report.values.get(indicator__code="gov.leaflets").value == 30
    sheet, keys, row = download()
    assert sheet[f"{keys['balance_note']}{row}"].value == note  # the next download shows it
