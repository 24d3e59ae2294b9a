"""The monthly 通报: villages ranked by one score over the work lines, with green/yellow/red and the reasons; built
by beat after the deadline, rebuilt by an admin (same rows), published by a leader, downloaded as Excel, and scoped
(a secretary sees the published ranking but only his own village's reasons)."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone
from docx.oxml.ns import qn
from openpyxl import load_workbook

from governance.models import Hazard
from partylife.models import Every, MeetingRule
from reports import periods, tasks, worklines
from reports.bulletin import services as bulletin_services
from reports.models import Bulletin, BulletinRow, Indicator, IssuedDocument, MonthlyReport, ReportEvent, ReportValue
from reports.rollup import build as rollup
from tests import gbt9704
from tests.conftest import make_village

Status = MonthlyReport.Status
MONTH = date(2025, 3, 1)
KEY = "2025-03"
DEADLINE = periods.deadline_for(MONTH)  # 2025-04-05 by default
AS_OF = DEADLINE + timedelta(days=5)
LINES = [code for code, _label in worklines.choices()]


def at(day):
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def file(unit, work_line, month=MONTH, status=Status.APPROVED, submitted=None, reason=""):
    submitted = submitted or DEADLINE - timedelta(days=3)
    return MonthlyReport.objects.create(
        unit=unit, work_line=work_line, month=month, status=status, submitted_at=at(submitted), return_reason=reason,
        approved_at=at(submitted) if status == Status.APPROVED else None,
    )  # fmt: skip


def income(unit, monthly):
    """Approved industry reports January–March with `monthly` 元 of collective income each month."""
    indicator = Indicator.objects.get(code="ind.collective_income")
    for number in (1, 2, 3):
        month = date(2025, number, 1)
        report = MonthlyReport.objects.filter(unit=unit, work_line="industry", month=month).first()
        report = report or file(unit, "industry", month=month)
        ReportValue.objects.create(report=report, indicator=indicator, value=monthly, approved_value=monthly)


@pytest.fixture(autouse=True)
def no_meeting_rhythm(db):
    """This file scores the core's parts; with no meeting required (the admin's MeetingRule), 支部建设's 组织生活 part
    has nothing to judge and drops out (tests/partylife/test_meetings.py scores it)."""
    MeetingRule.objects.update(every=Every.NONE)


@pytest.fixture
def scene(town, users):
    """坪石村 files everything on time and is on pace; 铜梁村 files industry 3 days late and has its environment report
    returned (its other lines, 支部建设 among them, on time); 杨球村 files on time but is far behind the
    collective-income pace and has an overdue hazard."""
    pingshi = make_village(town.area, "坪石村", "431321102203").unit
    tongliang, yangqiu = town.tongliang.unit, town.yangqiu.unit
    for line in LINES:
        file(pingshi, line)
        file(yangqiu, line)
    file(tongliang, "industry", submitted=DEADLINE + timedelta(days=3))
    returned = file(tongliang, "environment", status=Status.RETURNED, reason="垃圾吨数与台账不符")
    ReportEvent.objects.create(report=returned, action=ReportEvent.Action.RETURN, user=users.cadre,
                               reason="垃圾吨数与台账不符")  # fmt: skip
    for line in LINES:
        if line not in ("industry", "environment"):
            file(tongliang, line)
    income(pingshi, 6000)  # 18,000 by March against a pace of 12,500
    income(tongliang, 6000)
    income(yangqiu, 1000)  # 3,000: less than half the pace
    Hazard.objects.create(unit=yangqiu, found_on=date(2025, 3, 2), item="村道护栏缺失", responsible="杨队长",
                          deadline=date(2025, 3, 20))  # fmt: skip
    rollup.rebuild_all()  # targets are judged on the approved roll-ups (reports/targets.py)
    return {"pingshi": pingshi, "tongliang": tongliang, "yangqiu": yangqiu, "town": town.unit}


def build(scene, **extra):
    return bulletin_services.bulletin_build(town=scene["town"], month=MONTH, today=AS_OF, **extra)


def rows_of(bulletin):
    return {row.unit.name: row for row in bulletin.rows.select_related("unit")}


def texts(row):
    return [reason["text"] for reason in row.reasons]


def test_ranking_colours_and_reasons(scene):
    rows = rows_of(build(scene))
    ranking = sorted(rows.items(), key=lambda item: item[1].rank)
    assert [name for name, _row in ranking] == ["坪石村", "铜梁村", "杨球村"]

    clean = rows["坪石村"]
    assert (clean.rank, clean.score, clean.colour, clean.reasons) == (1, Decimal(100), "green", [])

    late = rows["铜梁村"]
    assert late.rank == 2 and late.colour == "yellow"
    assert texts(late) == ["产业发展月报逾期 3 天提交", "环境整治月报被退回，尚未重报（垃圾吨数与台账不符）"]
    # reports: five lines of 8 points each: industry 8 × 0.7 + environment 8 × 0.5 + 8 × 3 = 33.6 of 40;
    # targets 30; no overdue cases
    assert len(LINES) == 5
    assert late.parts["reports"]["score"] == 33.6 and late.parts["targets"]["score"] == 30
    assert late.score == Decimal("93.6")

    behind = rows["杨球村"]
    assert behind.rank == 3 and behind.colour == "red"
    assert texts(behind) == [
        "村集体经济收入未达序时进度（1—3月累计 3000 元，序时应达 12500 元）",
        "安全隐患逾期未整改 1 处",
    ]
    assert [reason["level"] for reason in behind.reasons] == ["red", "yellow"]
    # 40 + 30 × 3000 / 12500 + (30 − 3)
    assert behind.score == Decimal("74.2")


def test_a_target_counts_approved_figures_only_and_is_yellow_below_the_pace(scene, users, login):
    """The one pace rule (reports/targets.py): 坪石村's March income is submitted but not approved, so it counts
    nothing yet: 12,000 against a pace of 12,500 is below the pace but at least half of it, yellow."""
    MonthlyReport.objects.filter(unit=scene["pingshi"], work_line="industry", month=MONTH).update(
        status=Status.SUBMITTED
    )
    rollup.rebuild_all()
    row = rows_of(build(scene))["坪石村"]
    assert row.colour == "yellow"
    assert texts(row) == ["村集体经济收入未达序时进度（1—3月累计 12000 元，序时应达 12500 元）"]
    assert [(item["level"], item["code"]) for item in row.reasons] == [("yellow", "ind.collective_income")]
    html = login(users.leader).get(detail(scene)).content.decode()
    assert "截至2025年3月" in html and "只计已审核的月报" in html  # the page says which month, approved only


def test_a_report_not_filed_after_the_deadline_is_red(scene):
    MonthlyReport.objects.filter(unit=scene["pingshi"], work_line="volunteers").delete()
    row = rows_of(build(scene))["坪石村"]
    assert row.colour == "red" and texts(row) == ["文明实践月报逾期未报（已逾期 5 天）"]
    assert row.parts["reports"]["score"] == 40 - 40 / len(LINES)  # one line's share lost: 32 with five lines


def test_before_the_deadline_a_missing_report_is_not_held_against_anyone(scene):
    MonthlyReport.objects.filter(unit=scene["pingshi"], work_line="volunteers").delete()
    bulletin = bulletin_services.bulletin_build(town=scene["town"], month=MONTH, today=DEADLINE)
    assert rows_of(bulletin)["坪石村"].colour == "green"


def test_a_report_resubmitted_after_a_return_still_counts_the_return(scene):
    report = MonthlyReport.objects.get(unit=scene["tongliang"], work_line="environment")
    MonthlyReport.objects.filter(pk=report.pk).update(status=Status.SUBMITTED, return_reason="")
    row = rows_of(build(scene))["铜梁村"]
    assert "环境整治月报曾被退回后重报" in texts(row)


def test_rebuilding_replaces_the_rows_and_gives_the_same_ones(scene, users):
    def snapshot():
        return sorted(BulletinRow.objects.values_list("unit_id", "rank", "score", "colour", "parts", "reasons"),
                      key=lambda row: row[0])  # fmt: skip

    first = build(scene)
    before = snapshot()
    second = build(scene, user=users.admin)
    assert second.pk == first.pk and Bulletin.objects.count() == 1
    assert snapshot() == before and BulletinRow.objects.count() == 3
    assert second.built_by == users.admin

    Hazard.objects.filter(unit=scene["yangqiu"]).update(status=Hazard.Status.RECTIFIED, rectified_on=AS_OF)
    third = build(scene)
    assert BulletinRow.objects.count() == 3
    assert rows_of(third)["杨球村"].parts["cases"]["score"] == 30


def test_a_bulletin_is_for_a_town_and_a_finished_month(scene):
    with pytest.raises(ValidationError, match="不是镇"):
        bulletin_services.bulletin_build(town=scene["tongliang"], month=MONTH)
    with pytest.raises(ValidationError, match="尚未结束"):
        bulletin_services.bulletin_build(town=scene["town"], month=periods.current_month())


# --- pages, scoping and the download --------------------------------------------------------------------------------


def detail(scene):
    return f"/reports/bulletin/{scene['town'].pk}/{KEY}/"


def test_leaders_and_cadres_see_a_draft_with_every_reason_secretaries_do_not(scene, users, login):
    build(scene)
    for user in (users.leader, users.cadre, users.admin):
        page = login(user).get(detail(scene))
        assert page.status_code == 200, user
        html = page.content.decode()
        assert "垃圾吨数与台账不符" in html and "安全隐患逾期未整改 1 处" in html
    assert login(users.tongliang).get(detail(scene)).status_code == 404
    assert "2025年3月" not in login(users.tongliang).get("/reports/bulletin/").content.decode()


def test_a_published_bulletin_shows_a_secretary_the_ranking_and_only_his_own_reasons(scene, users, login):
    bulletin = build(scene)
    assert login(users.cadre).post(detail(scene), {"action": "publish"}).status_code == 403
    assert login(users.tongliang).post(detail(scene), {"action": "publish"}).status_code == 404
    response = login(users.leader).post(detail(scene), {"action": "publish"})
    assert response.status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.status == "published" and bulletin.published_by == users.leader

    client = login(users.tongliang)
    assert "2025年3月通报" in client.get("/reports/bulletin/").content.decode()
    html = client.get(detail(scene)).content.decode()
    assert "坪石村" in html and "杨球村" in html  # the ranking is the town's
    assert "产业发展月报逾期 3 天提交" in html  # his own reasons
    assert "安全隐患逾期未整改" not in html and "村集体经济收入未达序时进度" not in html  # not 杨球村's
    workbook = load_workbook(BytesIO(client.get(detail(scene) + "?export=xlsx").content))
    reasons = {row[1]: row[-1] for row in workbook.active.iter_rows(min_row=4, values_only=True)}
    assert "逾期 3 天" in reasons["铜梁村"] and not reasons["杨球村"]
    assert client.post(detail(scene), {"action": "rebuild"}).status_code == 403


def test_the_excel_download_has_every_row_and_neutralises_formulas(scene, users, login):
    scene["pingshi"].name = "=HYPERLINK(\"http://x\")"
    scene["pingshi"].save()
    build(scene)
    response = login(users.leader).get(detail(scene) + "?export=xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    sheet = load_workbook(BytesIO(response.content)).active
    assert "2025年3月工作通报" in sheet["A1"].value
    assert [cell.value for cell in sheet[3]][:4] == ["名次", "村（社区）", "得分", "等次"]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [(row[0], row[1], row[3]) for row in rows] == [
        (1, "'=HYPERLINK(\"http://x\")", "绿"), (2, "铜梁村", "黄"), (3, "杨球村", "红"),
    ]  # fmt: skip
    assert rows[2][2] == 74.2 and "安全隐患逾期未整改 1 处" in rows[2][-1]


def test_an_admin_builds_and_rebuilds_from_the_pages(scene, users, login):
    client = login(users.admin)
    response = client.post("/reports/bulletin/", {"town": scene["town"].pk, "month": KEY})
    assert response.status_code == 302 and response["Location"] == detail(scene)
    assert BulletinRow.objects.count() == 3
    assert client.post(detail(scene), {"action": "rebuild"}).status_code == 302
    assert BulletinRow.objects.count() == 3 and Bulletin.objects.count() == 1

    for bad in ({"town": scene["town"].pk, "month": "2025-13"}, {"town": scene["town"].pk, "month": "2999-01"},
                {"town": "abc", "month": KEY}, {"town": scene["tongliang"].pk, "month": KEY}):  # fmt: skip
        page = client.post("/reports/bulletin/", bad, follow=True)
        assert page.status_code == 200, bad
        assert any(word in page.content.decode() for word in ("不正确", "未来", "请选择")), bad
    assert Bulletin.objects.count() == 1
    assert login(users.leader).post("/reports/bulletin/", {"town": scene["town"].pk, "month": KEY}).status_code == 403
    assert client.get(f"/reports/bulletin/{scene['town'].pk}/2025-13/").status_code == 404
    assert client.get(f"/reports/bulletin/{scene['tongliang'].pk}/{KEY}/").status_code == 404


def test_the_nav_links_both_pages(users, login):
    html = login(users.tongliang).get("/reports/bulletin/").content.decode()
    assert 'href="/reports/bulletin/"' in html and 'href="/reports/brief/"' in html


# --- beat and the command ------------------------------------------------------------------------------------------


def test_beat_builds_last_months_bulletins_the_day_after_the_deadline(town):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="reports.tasks.build_bulletins")
    assert task.crontab.day_of_month == str(settings.REPORT_DEADLINE_DAY + 1) and task.enabled
    assert tasks.build_bulletins.delay().get() == 1
    bulletin = Bulletin.objects.get(unit=town.unit, month=periods.last_complete_month())
    assert bulletin.built_by is None and bulletin.rows.count() == 2


def test_the_command_builds_and_refuses_bad_input(scene):
    out = StringIO()
    call_command("build_bulletin", "--month", KEY, stdout=out)
    assert "3 个村（社区）" in out.getvalue() and "红 1" in out.getvalue()
    with pytest.raises(CommandError, match="格式不正确"):
        call_command("build_bulletin", "--month", "March")
    with pytest.raises(CommandError, match="没有区划代码"):
        call_command("build_bulletin", "--town", "000")


# --- the 通报 as a 公文 (reports/bulletin/word.py, GB/T 9704-2012: tests/gbt9704.py) --------------------------------


def table_rows(document):
    """{village: (cell texts, the row's fill)} of the ranking table."""
    found = {}
    for row in document.tables[0].rows[1:]:
        shading = row.cells[0]._tc.tcPr.find(qn("w:shd"))
        found[row.cells[1].text] = ([cell.text for cell in row.cells], shading.get(qn("w:fill")))
    return found


def issuing_town(scene):
    town = scene["town"]
    town.issuing_name, town.doc_prefix = "中共双峰县井字镇委员会", "井"
    town.save()


def test_the_bulletin_downloads_as_a_document_and_is_issued_once_under_the_next_number(scene, users, login):
    issuing_town(scene)
    build(scene)
    client = login(users.leader)
    client.post(detail(scene), {"action": "publish"})
    year = timezone.localdate().year
    document = gbt9704.read(client.get(detail(scene) + "?export=docx").content)
    gbt9704.check_layout(document)
    gbt9704.check_head(document, "中共双峰县井字镇委员会文件", f"井通报〔{year}〕　号")  # a draft: no number
    title = "关于井字镇2025年3月“一切工作到支部”工作情况的通报"
    gbt9704.check_title(next(p for p in document.paragraphs if p.text == title), title)
    rows = table_rows(document)
    assert [cells[0] for cells, _fill in rows.values()] == ["1", "2", "3"]
    assert {name: fill for name, (_cells, fill) in rows.items()} == {"坪石村": "D1E7DD", "铜梁村": "FFF3CD",
                                                                      "杨球村": "F8D7DA"}  # fmt: skip
    assert "安全隐患逾期未整改 1 处" in rows["杨球村"][0][-1] and rows["杨球村"][0][3] == "红"
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert "红榜（绿色等次）：坪石村。" in texts and "黑榜（红色等次）：杨球村。" in texts
    assert not IssuedDocument.objects.exists()

    assert client.post(detail(scene), {"action": "issue"}).status_code == 302
    client.post(detail(scene), {"action": "issue"})  # refused: issued once
    issued = IssuedDocument.objects.get()
    assert (issued.reference, issued.title, issued.unit) == (f"井通报〔{year}〕1号", title, scene["town"])
    gbt9704.check_head(gbt9704.read(bytes(issued.content)), "中共双峰县井字镇委员会文件", f"井通报〔{year}〕1号")
    again = gbt9704.read(client.get(detail(scene) + "?export=docx").content)
    gbt9704.check_head(again, "中共双峰县井字镇委员会文件", f"井通报〔{year}〕1号")
    assert f"井通报〔{year}〕1号" in client.get("/reports/documents/").content.decode()


def test_a_secretary_gets_the_published_bulletin_document_as_his_page_shows_it(scene, users, login):
    issuing_town(scene)
    build(scene)
    assert login(users.tongliang).get(detail(scene) + "?export=docx").status_code == 404  # not published yet
    login(users.leader).post(detail(scene), {"action": "publish"})
    client = login(users.tongliang)
    rows = table_rows(gbt9704.read(client.get(detail(scene) + "?export=docx").content))
    assert "产业发展月报逾期 3 天提交" in rows["铜梁村"][0][-1]  # his own reasons
    assert rows["杨球村"][0][-1] == "—" and rows["杨球村"][0][3] == "红"  # another village's: withheld
    assert client.post(detail(scene), {"action": "issue"}).status_code == 403
    assert not IssuedDocument.objects.exists()


def test_the_bulletin_prints_as_its_document(scene, users, login):
    issuing_town(scene)
    build(scene)
    client = login(users.leader)
    client.post(detail(scene), {"action": "publish"})
    page = client.get(detail(scene) + "?print=1")
    assert page.status_code == 200
    gbt9704.check_print_matches(page.content.decode(), gbt9704.read(client.get(detail(scene) + "?export=docx").content))
    secretary = login(users.tongliang).get(detail(scene) + "?print=1").content.decode()
    assert "产业发展月报逾期 3 天提交" in secretary and "安全隐患逾期未整改" not in secretary
