"""The Excel round trip: a pre-filled template per unit (or town) and month, and an all-or-nothing import."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from reports import periods
from reports.models import MonthlyReport, ReportEvent, ReportValue
from reports.monthly.excel import layout
from reports.monthly.excel import upload as excel_upload
from reports.monthly.services import report_open, report_save_values, report_submit
from tests.conftest import PASSWORD

ENV = "支部+环境整治"
GOV = "支部+基层治理"
IND = "支部+产业发展"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def month():
    return periods.last_complete_month()


@pytest.fixture
def month_key(month):
    return periods.month_key(month)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def download(client, unit, month_key):
    response = client.get(reverse("reports:excel_template"), {"unit": unit.pk, "month": month_key})
    assert response.status_code == 200, response.content.decode()[:2000]
    assert response["Content-Type"] == XLSX
    return load_workbook(BytesIO(response.content))


def to_upload(workbook, name="月报.xlsx"):
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


def upload(client, file, month_key):
    return client.post(reverse("reports:excel_upload"), {"month": month_key, "file": file})


def columns(sheet):
    """indicator/fixed key → column letter, from the code row."""
    return {cell.value: cell.column_letter for cell in sheet[layout.CODE_ROW] if cell.value}


def row_of(sheet, unit):
    for row in range(layout.FIRST_DATA_ROW, sheet.max_row + 1):
        if sheet[f"A{row}"].value == unit.pk:
            return row
    raise AssertionError(f"{unit} not in {sheet.title}")


def unit_rows(sheet):
    return [sheet[f"B{row}"].value for row in range(layout.FIRST_DATA_ROW, sheet.max_row + 1) if sheet[f"A{row}"].value]


def stored(unit, work_line, month, code):
    return ReportValue.objects.get(
        report__unit=unit, report__work_line=work_line, report__month=month, indicator__code=code
    ).value


def set_cell(workbook, sheet_name, unit, code, value):
    sheet = workbook[sheet_name]
    cell = f"{columns(sheet)[code]}{row_of(sheet, unit)}"
    sheet[cell] = value
    return cell


@pytest.fixture
def saved(town, users, month):
    """铜梁村 and 杨球村 environment reports with values already saved: a refused file must leave them as they are."""
    for village, user in ((town.tongliang, users.tongliang), (town.yangqiu, users.yangqiu)):
        report = report_open(unit=village.unit, work_line="environment", month=month)
        report_save_values(report=report, user=user, values={"env.participants": "10", "env.leaflets": "20"})
    return {"env.participants": Decimal(10), "env.leaflets": Decimal(20)}


def assert_unchanged(town, month, values):
    for village in (town.tongliang, town.yangqiu):
        for code, value in values.items():
            assert stored(village.unit, "environment", month, code) == value
    assert not ReportEvent.objects.filter(action=ReportEvent.Action.IMPORT).exists()


# --- the template ----------------------------------------------------------------------------------------------


def test_secretary_template_holds_exactly_his_village(client, town, users, month_key):
    workbook = download(login(client, users.tongliang), town.tongliang.unit, month_key)
    assert workbook.sheetnames[0] == "说明"
    assert IND not in workbook.sheetnames  # industry figures are the town's, not a village's
    for name in (ENV, GOV):
        sheet = workbook[name]
        assert unit_rows(sheet) == ["铜梁村"]
        assert month_key in sheet["A1"].value
        assert sheet.freeze_panes == "C4"
    env = workbook[ENV]
    assert env["A2"].value == "单位代码" and env["B2"].value == "单位"
    assert "发动干部群众志愿者（人次）" in [cell.value for cell in env[2]]
    codes = set(columns(env))
    assert {"env.participants", "env.leaflets"} <= codes
    assert not codes & {"org.grids", "gov.households"}  # derived figures are not in the file
    assert set(columns(workbook[GOV])) >= {"gov.leaflets", "gov.booster_doses"}
    assert "org.grids" not in columns(workbook[GOV])
    assert env.data_validations.dataValidation  # number cells carry a validation
    guide = workbook["说明"]
    assert any(row[0] == "月份" and row[1] == month_key for row in guide.iter_rows(values_only=True))
    # a download writes nothing: the drafts it shows are created by the upload that saves them
    assert MonthlyReport.objects.filter(unit=town.tongliang.unit, month=periods.parse_month(month_key)).count() == 0


def test_secretary_cannot_download_another_village_or_the_town(client, town, users, month_key):
    login(client, users.tongliang)
    response = client.get(reverse("reports:excel_template"), {"unit": town.yangqiu.unit.pk, "month": month_key})
    assert response.status_code == 404
    assert "杨球村" not in response.content.decode()
    # the town is outside what a secretary may see, so it is not found either; without a unit he gets his village
    response = client.get(reverse("reports:excel_template"), {"unit": town.unit.pk, "month": month_key})
    assert response.status_code == 404
    response = client.get(reverse("reports:excel_template"), {"month": month_key})
    assert unit_rows(load_workbook(BytesIO(response.content))[ENV]) == ["铜梁村"]


def test_cadre_town_template_has_only_assigned_village(client, town, users, month_key):
    workbook = download(login(client, users.cadre), town.unit, month_key)
    assert unit_rows(workbook[ENV]) == ["铜梁村"]
    assert unit_rows(workbook[GOV]) == ["铜梁村"]
    assert IND not in workbook.sheetnames


def test_admin_town_template_has_the_town_and_every_village(client, town, users, month_key):
    workbook = download(login(client, users.admin), town.unit, month_key)
    assert unit_rows(workbook[ENV]) == ["井字镇", "铜梁村", "杨球村"]
    assert unit_rows(workbook[IND]) == ["井字镇"]


def test_leader_may_change_nothing_so_gets_no_template(client, town, users, month_key):
    response = client.get(reverse("reports:excel_template"), {"unit": town.unit.pk, "month": month_key})
    assert response.status_code == 302  # login first
    login(client, users.leader)
    response = client.get(reverse("reports:excel_template"), {"unit": town.unit.pk, "month": month_key})
    assert response.status_code == 403
    assert "您无权填报“井字镇”" in response.content.decode()


def test_template_refuses_a_future_month(client, town, users):
    login(client, users.tongliang)
    future = periods.month_key(periods.add_months(periods.current_month(), 1))
    response = client.get(reverse("reports:excel_template"), {"unit": town.tongliang.unit.pk, "month": future})
    assert response.status_code == 400
    assert "不能填报未来的月份" in response.content.decode()


def test_template_marks_submitted_reports_and_neutralises_names(client, town, users, month, month_key):
    unit = town.tongliang.unit
    unit.name = "=HYPERLINK(1)"
    unit.save()
    report = report_open(unit=unit, work_line="environment", month=month)
    report_save_values(report=report, user=users.tongliang, values={"env.participants": "5", "env.leaflets": "6"})
    report_submit(report=report, user=users.tongliang)
    workbook = download(login(client, users.tongliang), unit, month_key)
    sheet = workbook[ENV]
    row = row_of(sheet, unit)
    assert sheet[f"B{row}"].value == "'=HYPERLINK(1)"
    assert sheet[f"B{row}"].data_type == "s"
    assert "已提交" in sheet[f"C{row}"].value and "不可修改" in sheet[f"C{row}"].value
    assert sheet[f"{columns(sheet)['env.participants']}{row}"].value == 5
    assert sheet[f"{columns(sheet)['env.participants']}{row}"].protection.locked
    gov = workbook[GOV]
    assert not gov[f"{columns(gov)['gov.leaflets']}{row_of(gov, unit)}"].protection.locked


# --- the round trip --------------------------------------------------------------------------------------------


def test_round_trip_saves_values_with_an_import_event(client, town, users, month, month_key):
    login(client, users.tongliang)
    workbook = download(client, town.tongliang.unit, month_key)
    set_cell(workbook, ENV, town.tongliang.unit, "env.participants", 120)
    set_cell(workbook, ENV, town.tongliang.unit, "env.leaflets", "300")  # a number typed as text is still a number
    set_cell(workbook, GOV, town.tongliang.unit, "gov.booster_doses", 45.0)
    response = upload(client, to_upload(workbook), month_key)
    page = response.content.decode()
    assert response.status_code == 200, page
    assert "导入成功" in page and "3 个数值已更新" in page
    assert reverse("reports:entry", args=[town.tongliang.unit.pk, "environment", month_key]) in page
    assert stored(town.tongliang.unit, "environment", month, "env.participants") == 120
    assert stored(town.tongliang.unit, "environment", month, "env.leaflets") == 300
    assert stored(town.tongliang.unit, "governance", month, "gov.booster_doses") == 45
    assert stored(town.tongliang.unit, "governance", month, "gov.leaflets") is None  # blank: left unchanged
    events = ReportEvent.objects.filter(action=ReportEvent.Action.IMPORT, user=users.tongliang)
    assert events.count() == 2
    # the same file again changes nothing and says so
    workbook = download(client, town.tongliang.unit, month_key)
    response = upload(client, to_upload(workbook), month_key)
    assert response.status_code == 200
    assert "0 个数值已更新" in response.content.decode()
    assert ReportEvent.objects.filter(action=ReportEvent.Action.IMPORT).count() == 2


def test_blank_cell_leaves_a_saved_value_alone(client, town, users, saved, month, month_key):
    login(client, users.tongliang)
    workbook = download(client, town.tongliang.unit, month_key)
    set_cell(workbook, ENV, town.tongliang.unit, "env.participants", None)
    set_cell(workbook, ENV, town.tongliang.unit, "env.leaflets", 25)
    response = upload(client, to_upload(workbook), month_key)
    assert response.status_code == 200
    assert stored(town.tongliang.unit, "environment", month, "env.participants") == 10
    assert stored(town.tongliang.unit, "environment", month, "env.leaflets") == 25


def test_cadre_imports_a_town_file(client, town, users, month, month_key):
    login(client, users.cadre)
    workbook = download(client, town.unit, month_key)
    set_cell(workbook, ENV, town.tongliang.unit, "env.participants", 7)
    assert upload(client, to_upload(workbook), month_key).status_code == 200
    assert stored(town.tongliang.unit, "environment", month, "env.participants") == 7
    assert ReportEvent.objects.get(action=ReportEvent.Action.IMPORT).user == users.cadre


# --- bad files: refused with the reason, nothing saved ---------------------------------------------------------


def refused(response, *fragments):
    page = response.content.decode()
    assert response.status_code == 400, page
    assert "没有保存任何数据" in page
    for fragment in fragments:
        assert fragment in page, fragment
    return page


def test_text_file_renamed_xlsx_is_refused(client, town, users, saved, month, month_key):
    login(client, users.tongliang)
    file = SimpleUploadedFile("月报.xlsx", "单位,数值\n铜梁村,12\n".encode(), content_type=XLSX)
    refused(upload(client, file, month_key), "不是有效的 Excel（.xlsx）文件")
    assert_unchanged(town, month, saved)


def test_other_formats_and_oversized_files_are_refused(client, town, users, saved, month, month_key):
    login(client, users.tongliang)
    refused(upload(client, SimpleUploadedFile("月报.xls", b"\xd0\xcf\x11\xe0"), month_key), "另存为")
    refused(upload(client, SimpleUploadedFile("月报.csv", b"a,b"), month_key), "只接受 .xlsx")
    big = SimpleUploadedFile("月报.xlsx", b"0" * (excel_upload.MAX_UPLOAD_BYTES + 1), content_type=XLSX)
    refused(upload(client, big, month_key), "不能超过 5 MB")
    assert_unchanged(town, month, saved)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("很多", "“发动干部群众志愿者”必须是数字，收到的是“很多”"),
        (-3, "“发动干部群众志愿者”不能小于 0"),
        (12.5, "“发动干部群众志愿者”必须是整数"),
        (100_001, "“发动干部群众志愿者”不能大于 100000"),
        ("=1+2", "不接受公式，请填写数值"),
    ],
)
def test_bad_cell_is_refused_naming_sheet_row_and_column(client, town, users, saved, month, month_key, value, reason):
    login(client, users.tongliang)
    workbook = download(client, town.tongliang.unit, month_key)
    set_cell(workbook, ENV, town.tongliang.unit, "env.leaflets", 99)  # a good change in the same file
    cell = set_cell(workbook, ENV, town.tongliang.unit, "env.participants", value)
    page = refused(upload(client, to_upload(workbook), month_key), reason)
    column, row = cell[0], cell[1:]
    assert f'<td class="text-nowrap">{ENV}</td>' in page
    assert f"第 {row} 行" in page
    assert f"{column}（发动干部群众志愿者（人次））" in page
    assert_unchanged(town, month, saved)


def test_all_errors_are_listed_at_once(client, town, users, saved, month, month_key):
    login(client, users.admin)
    workbook = download(client, town.unit, month_key)
    set_cell(workbook, ENV, town.tongliang.unit, "env.participants", -1)
    set_cell(workbook, ENV, town.yangqiu.unit, "env.leaflets", "abc")
    set_cell(workbook, GOV, town.yangqiu.unit, "gov.leaflets", "=SUM(1,2)")
    result = excel_upload.import_workbook(user=users.admin, month=month, uploaded=to_upload(workbook))
    assert not result.ok
    assert [(error.sheet, error.column_label) for error in result.errors] == [
        (ENV, "发动干部群众志愿者（人次）"),
        (ENV, "发放人居环境倡议书（份）"),
        (GOV, "疫情防控倡议书（份）"),
    ]
    assert_unchanged(town, month, saved)


def test_another_villages_row_is_refused_for_a_secretary(client, town, users, saved, month, month_key):
    # 杨球村's secretary downloads his own file; 铜梁村's secretary uploads it as his.
    workbook = download(login(client, users.yangqiu), town.yangqiu.unit, month_key)
    set_cell(workbook, ENV, town.yangqiu.unit, "env.participants", 77)
    client.logout()
    login(client, users.tongliang)
    row = row_of(workbook[ENV], town.yangqiu.unit)
    page = refused(
        upload(client, to_upload(workbook), month_key), "您无权填报“杨球村”", f"第 {row} 行", "A（单位代码）"
    )
    assert page.count("您无权填报") == 2  # once per sheet
    assert_unchanged(town, month, saved)


def test_a_changed_unit_code_is_caught(client, town, users, saved, month, month_key):
    login(client, users.tongliang)
    workbook = download(client, town.tongliang.unit, month_key)
    sheet = workbook[ENV]
    row = row_of(sheet, town.tongliang.unit)
    sheet[f"A{row}"] = town.yangqiu.unit.pk  # the name still says 铜梁村
    sheet[f"D{row}"] = None
    refused(upload(client, to_upload(workbook), month_key), "与本行单位名称“铜梁村”不符")
    sheet[f"A{row}"] = 999_999
    refused(upload(client, to_upload(workbook), month_key), "单位代码“999999”在系统中不存在")
    assert_unchanged(town, month, saved)


def test_month_mismatch_is_refused(client, town, users, saved, month, month_key):
    login(client, users.tongliang)
    workbook = download(client, town.tongliang.unit, month_key)
    set_cell(workbook, ENV, town.tongliang.unit, "env.participants", 50)
    other = periods.month_key(periods.add_months(month, -1))
    page = refused(upload(client, to_upload(workbook), other), f"与所选月份 {other} 不一致", "说明")
    assert f"文件中的月份是 {month_key}" in page
    assert_unchanged(town, month, saved)
    assert not MonthlyReport.objects.filter(month=periods.parse_month(other)).exists()


def test_unknown_sheet_and_indicator_are_refused(client, town, users, saved, month, month_key):
    login(client, users.tongliang)
    workbook = download(client, town.tongliang.unit, month_key)
    set_cell(workbook, ENV, town.tongliang.unit, "env.participants", 50)
    workbook.create_sheet("我的草稿")["A1"] = "随手记"
    sheet = workbook[GOV]
    sheet[f"{columns(sheet)['gov.leaflets']}{layout.CODE_ROW}"] = "gov.unknown"
    page = refused(
        upload(client, to_upload(workbook), month_key), "无法识别的工作表“我的草稿”", "无法识别的指标代码“gov.unknown”"
    )
    assert_unchanged(town, month, saved)
    assert "gov.unknown" in page


def test_derived_indicator_column_is_refused(client, town, users, month, month_key):
    login(client, users.tongliang)
    workbook = download(client, town.tongliang.unit, month_key)
    sheet = workbook[GOV]
    column = sheet.max_column + 1
    sheet.cell(row=layout.CODE_ROW, column=column, value="org.grids")
    sheet.cell(row=row_of(sheet, town.tongliang.unit), column=column, value=99)
    refused(upload(client, to_upload(workbook), month_key), "“网格”由台账自动生成，不能导入")


def test_submitted_report_row_is_refused(client, town, users, saved, month, month_key):
    report = MonthlyReport.objects.get(unit=town.tongliang.unit, work_line="environment", month=month)
    report_submit(report=report, user=users.tongliang)
    login(client, users.tongliang)
    workbook = download(client, town.tongliang.unit, month_key)
    # unchanged values of a submitted report may travel back and forth ...
    set_cell(workbook, GOV, town.tongliang.unit, "gov.leaflets", 5)
    assert upload(client, to_upload(workbook), month_key).status_code == 200
    # ... a changed one is refused, and so is everything else in the file
    workbook = download(client, town.tongliang.unit, month_key)
    set_cell(workbook, GOV, town.tongliang.unit, "gov.leaflets", 8)
    cell = set_cell(workbook, ENV, town.tongliang.unit, "env.participants", 11)
    refused(upload(client, to_upload(workbook), month_key), "月报已提交，不能通过导入修改", f"第 {cell[1:]} 行")
    assert stored(town.tongliang.unit, "environment", month, "env.participants") == 10
    assert stored(town.tongliang.unit, "governance", month, "gov.leaflets") == 5


def test_someone_saving_after_the_download_is_not_overwritten(client, town, users, saved, month, month_key):
    login(client, users.cadre)
    workbook = download(client, town.unit, month_key)
    report = MonthlyReport.objects.get(unit=town.tongliang.unit, work_line="environment", month=month)
    report_save_values(report=report, user=users.tongliang, values={"env.participants": "15"})
    set_cell(workbook, ENV, town.tongliang.unit, "env.leaflets", 21)
    refused(upload(client, to_upload(workbook), month_key), "已被 tongliang", "请重新下载模板")
    assert stored(town.tongliang.unit, "environment", month, "env.participants") == 15
    assert stored(town.tongliang.unit, "environment", month, "env.leaflets") == 20


def test_upload_page_shows_the_form(client, town, users):
    response = login(client, users.cadre).get(reverse("reports:excel_upload"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in page and 'name="month"' in page and 'name="file"' in page
    assert "井字镇（整镇，全部可填报单位）" in page and "铜梁村" in page
    assert "杨球村" not in page


def test_upload_without_a_file_or_with_a_future_month(client, town, users):
    login(client, users.tongliang)
    response = client.post(reverse("reports:excel_upload"), {"month": "2020-01"})
    assert response.status_code == 400 and "请选择要上传的 Excel 文件" in response.content.decode()
    future = periods.month_key(periods.add_months(periods.current_month(), 1))
    response = upload(client, to_upload(Workbook()), future)
    assert response.status_code == 400 and "不能填报未来的月份" in response.content.decode()


def test_a_formula_does_not_hide_the_other_errors_of_its_row(client, town, users, saved, month, month_key):
    login(client, users.tongliang)
    workbook = download(client, town.tongliang.unit, month_key)
    set_cell(workbook, ENV, town.tongliang.unit, "env.participants", "=1+1")
    set_cell(workbook, ENV, town.tongliang.unit, "env.leaflets", -2)
    refused(upload(client, to_upload(workbook), month_key), "不接受公式，请填写数值", "“发放人居环境倡议书”不能小于 0")
    assert_unchanged(town, month, saved)


def test_a_template_downloaded_in_english_imports_in_chinese(client, town, users):
    """Sheet names follow the language of the download (and Excel cuts them to 31 characters); any of them imports."""
    from reports.monthly.excel.upload import sheet_work_lines

    names = sheet_work_lines()
    assert names["支部+环境整治"] == "environment"
    assert {code for code in names.values()} >= {"environment", "governance", "industry"}
    assert all(len(name) <= 31 for name in names)
    assert "environment" in [names[name] for name in names if name.startswith("Branch")]
