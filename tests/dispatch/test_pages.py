"""The Must-show of 任务督办 through its pages: the leader issues a task on /dispatch/new/, 铜梁村's secretary finds it
on his home page, receives it and reports its number with a photo on his phone's item page, the cadre verifies it,
and the board, its cards and its Excel export show where each village stands."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from branches.photos import photos_of
from dispatch.models import Figure, Item, Task
from tests.dispatch.conftest import jpeg

TITLE = "秋冬季安全隐患排查"




def issue_form(town, **fields):
    deadline = timezone.localdate() + timedelta(days=10)
    data = {
        "title": TITLE, "work_line": "", "description": "逐户排查用电、用火隐患。", "deadline": f"{deadline:%Y-%m-%d}",
        "near_days": "3", "priority": "high", "scope": "villages",
        "villages": [town.tongliang.unit.pk, town.yangqiu.unit.pk], "measures": "排查隐患/处",
        "needs_text": "on", "needs_verify": "on", "every": "none",
    }  # fmt: skip
    return {**data, **fields}


@pytest.fixture
def issued(town, users, login):
    """The leader issues the task through the page; → the task."""
    client = login(users.leader)
    response = client.post(reverse("dispatch:task_new"), issue_form(town))
    assert response.status_code == 302, response.content.decode()[:2000]
    task = Task.objects.get(title=TITLE)
    assert response["Location"] == reverse("dispatch:task_detail", args=[task.pk])
    return task


def item_of(task, village):
    return Item.objects.get(task=task, unit=village.unit)


def test_the_leader_issues_a_task_to_two_villages(town, users, issued):
    assert sorted(issued.items.values_list("unit__name", flat=True)) == ["杨球村", "铜梁村"]
    assert list(issued.measures.values_list("name", "unit_label")) == [("排查隐患", "处")]
    assert issued.issued_by == users.leader and issued.targets == "铜梁村、杨球村"


def test_the_whole_journey_through_the_pages(town, users, login, issued):
    # 铜梁村's secretary lands on his village's page, which lists the task.
    client = login(users.tongliang)
    home = client.get("/", follow=True)
    assert TITLE in home.content.decode()
    item = item_of(issued, town.tongliang)
    item_url = reverse("dispatch:item_detail", args=[item.pk])
    assert item_url in home.content.decode()

    # He receives it, then reports the number with a photo.
    assert client.post(item_url, {"action": "receive"}).status_code == 302
    item.refresh_from_db()
    assert item.status == Item.Status.RECEIVED
    page = client.get(item_url).content.decode()
    assert 'inputmode="decimal"' in page and 'capture="environment"' in page
    measure = issued.measures.get()
    report = {"action": "report", "report_text": "已排查42户，发现隐患3处，已整改。", f"m_{measure.pk}": "3",
              "members": [town.tongliang.member.pk], "photos": [jpeg()]}  # fmt: skip
    response = client.post(item_url, report)
    assert response.status_code == 302
    page = client.get(item_url).content.decode()
    assert "已上报" in page and "已排查42户" in page
    item.refresh_from_db()
    assert item.status == Item.Status.REPORTED
    assert Figure.objects.get(item=item).value == 3
    assert list(item.members.all()) == [town.tongliang.member]
    photo = photos_of(item).get()
    assert reverse("branches:photo_thumb", args=[photo.pk]) in page

    # 杨球村's secretary sees only his own item, and 铜梁村's page is not there for him.
    other = login(users.yangqiu)
    mine = other.get(reverse("dispatch:task_list")).content.decode()
    assert TITLE in mine and "杨球村" in mine and "铜梁村" not in mine
    assert "<th" in mine and "办理状态" in mine and "待签收" in mine
    assert other.get(item_url).status_code == 404
    board = other.get(reverse("dispatch:task_detail", args=[issued.pk])).content.decode()
    assert "杨球村" in board and "铜梁村" not in board

    # The cadre (包村 铜梁村) finds it waiting for him and verifies it.
    cadre = login(users.cadre)
    waiting = cadre.get(reverse("dispatch:task_list") + "?tab=verify").content.decode()
    assert item_url in waiting
    assert cadre.post(item_url, {"action": "verify", "verify-reason": "现场核实无误"}).status_code == 302
    item.refresh_from_db()
    assert item.status == Item.Status.DONE

    # The leader's board: one done, one waiting to be received, the total of the number.
    leader = login(users.leader)
    board = leader.get(reverse("dispatch:task_detail", args=[issued.pk]))
    counts = board.content.decode()
    assert "已办结 1" in counts and "待签收 1" in counts
    assert board.context["totals"] == [3]
    listed = leader.get(reverse("dispatch:task_list")).content.decode()
    assert TITLE in listed and "已办结 1/2" in listed and "下达日期" in listed and "综合" in listed


def test_an_item_past_its_deadline_shows_the_red_card(town, users, login, issued):
    past = timezone.localdate() - timedelta(days=2)
    Task.objects.filter(pk=issued.pk).update(issued_on=past - timedelta(days=10), deadline=past)
    Item.objects.filter(task=issued).update(deadline=past, yellow_on=past - timedelta(days=3))
    leader = login(users.leader)
    board = leader.get(reverse("dispatch:task_detail", args=[issued.pk])).content.decode()
    assert board.count('data-card="red"') == 2 and "超期2天" in board
    red = leader.get(reverse("dispatch:task_list") + f"?card=red&under={town.area.pk}").content.decode()
    assert TITLE in red and "红牌 2" in red
    town_page = leader.get(reverse("branches:unit_detail", args=[town.unit.pk])).content.decode()
    assert "红牌 2 项" in town_page


def test_the_board_exports_its_rows_and_total(town, users, login, issued):
    tongliang = login(users.tongliang)
    item = item_of(issued, town.tongliang)
    measure = issued.measures.get()
    tongliang.post(reverse("dispatch:item_detail", args=[item.pk]),
                   {"action": "report", "report_text": "已整改", f"m_{measure.pk}": "5"})  # fmt: skip
    leader = login(users.leader)
    response = leader.get(reverse("dispatch:task_export", args=[issued.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:6] == ["村（社区）", "状态", "时限", "牌", "签收时间", "上报日期"]
    assert rows[0][6:] == ["排查隐患（处）", "办理情况"]
    by_village = {row[0]: row for row in rows[1:]}
    assert by_village["铜梁村"][1] == "已上报" and by_village["铜梁村"][6] == 5 and by_village["铜梁村"][7] == "已整改"
    assert by_village["杨球村"][1] == "待签收"
    assert by_village["合计"][6] == 5


def test_a_bad_number_is_refused_in_chinese_and_the_text_kept(town, users, login, issued):
    client = login(users.tongliang)
    item = item_of(issued, town.tongliang)
    measure = issued.measures.get()
    url = reverse("dispatch:item_detail", args=[item.pk])
    response = client.post(url, {"action": "report", "report_text": "排查了全村五个组", f"m_{measure.pk}": "三处"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "“排查隐患”须填数字" in page
    assert "排查了全村五个组" in page and 'value="三处"' in page
    item.refresh_from_db()
    assert item.status == Item.Status.PENDING


def test_a_bad_measure_line_is_refused_and_nothing_is_lost(town, users, login):
    client = login(users.leader)
    response = client.post(reverse("dispatch:task_new"), issue_form(town, measures="排查隐患/处/户"))
    page = response.content.decode()
    assert response.status_code == 400 and "第1行" in page and "名称/单位" in page
    assert TITLE in page and not Task.objects.exists()


def test_a_secretary_may_not_issue(users, login):
    client = login(users.tongliang)
    assert client.get(reverse("dispatch:task_new")).status_code == 403
    assert client.post(reverse("dispatch:task_new"), {"title": "x"}).status_code == 403


def test_pressing_tells_the_villages_that_have_not_reported(town, users, login, issued):
    leader = login(users.leader)
    response = leader.post(reverse("dispatch:task_detail", args=[issued.pk]), {"action": "press"}, follow=True)
    assert "已向2个村催办" in response.content.decode()


def test_a_secretary_asks_for_more_time_and_the_leader_grants_it(town, users, login, issued):
    item = item_of(issued, town.tongliang)
    url = reverse("dispatch:item_detail", args=[item.pk])
    until = item.deadline + timedelta(days=5)
    client = login(users.tongliang)
    response = client.post(url, {"action": "extend", "extend-until": f"{until:%Y-%m-%d}", "extend-reason": "雨天"})
    assert response.status_code == 302
    leader = login(users.leader)
    extension = item.extensions.get()
    response = leader.post(url, {"action": "decide", "decide-extension": extension.pk, "decide-grant": "yes"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.deadline == until


def test_the_list_is_filtered_and_searched(town, users, login, issued):
    leader = login(users.leader)
    url = reverse("dispatch:task_list")
    assert TITLE in leader.get(url + "?q=隐患").content.decode()
    assert "暂无任务" in leader.get(url + "?q=不存在的任务").content.decode()
    assert "暂无任务" in leader.get(url + "?card=yellow").content.decode()
    assert TITLE in leader.get(url + "?status=pending&work_line=-").content.decode()
    assert leader.get(url + "?under=abc").status_code == 400


def test_the_village_panel_costs_the_same_queries_for_one_task_or_many(town, users, issue, rf):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dispatch.panels import dispatch_panel

    request = rf.get("/")
    request.user = users.tongliang

    def queries():
        with CaptureQueriesContext(connection) as captured:
            template, context = dispatch_panel(request, town.tongliang.unit)
        return len(captured), context

    issue(title="第一项")
    one, context = queries()
    assert [item.task.title for item, _card in context["rows"]] == ["第一项"]
    for n in range(4):
        issue(title=f"又一项{n}")
    many, context = queries()
    assert len(context["rows"]) == 5 and many == one


def test_an_attachment_of_another_kind_is_refused(town, users, login):
    client = login(users.leader)
    program = SimpleUploadedFile("setup.exe", b"MZ...", content_type="application/octet-stream")
    response = client.post(reverse("dispatch:task_new"), {**issue_form(town), "attachments": [program]})
    assert response.status_code == 400 and "setup.exe" in response.content.decode() and not Task.objects.exists()


def test_a_task_comes_with_its_attachment(town, users, login):
    client = login(users.leader)
    notice = SimpleUploadedFile("通知.pdf", b"%PDF-1.4 ...", content_type="application/pdf")
    assert client.post(reverse("dispatch:task_new"), {**issue_form(town), "attachments": [notice]}).status_code == 302
    task = Task.objects.get()
    attachment = task.attachments.get()
    assert attachment.name == "通知.pdf"
    item = item_of(task, town.tongliang)
    page = login(users.tongliang).get(reverse("dispatch:item_detail", args=[item.pk])).content.decode()
    assert f"/dispatch/attachments/{attachment.pk}/" in page and "通知.pdf" in page


def test_a_return_needs_a_reason_and_the_branch_reports_again(town, users, login, issued):
    item = item_of(issued, town.tongliang)
    url = reverse("dispatch:item_detail", args=[item.pk])
    measure = issued.measures.get()
    tongliang = login(users.tongliang)
    tongliang.post(url, {"action": "report", "report_text": "已整改", f"m_{measure.pk}": "2"})
    assert tongliang.post(url, {"action": "verify"}).status_code == 403  # a secretary does not verify his own

    cadre = login(users.cadre)
    response = cadre.post(url, {"action": "return", "return-reason": ""})
    assert response.status_code == 400 and "退回必须填写原因" in response.content.decode()
    assert cadre.post(url, {"action": "return", "return-reason": "照片不清晰"}).status_code == 302
    item.refresh_from_db()
    assert item.status == Item.Status.RETURNED

    page = login(users.tongliang).get(url).content.decode()
    assert "照片不清晰" in page and 'value="2.00"' in page  # the history says why; the numbers wait to be corrected
