"""任务督办 through the API (/api/v1/dispatch/): the issue's Must-show — the leader sends a task to 铜梁村 and 杨球村,
铜梁村's secretary receives and reports it with a number and a photo, 杨球村's sees none of it, the cadre verifies,
the board adds it up — and bad input refused with a 400 in Chinese, scoping, the attachment view and the query
counts of the lists."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from branches.models import PartyMember
from dispatch import services
from dispatch.models import Extension, Item, Task
from tests.conftest import make_village
from tests.dispatch.conftest import jpeg

pytestmark = pytest.mark.django_db

TASKS = "/api/v1/dispatch/tasks/"
ITEMS = "/api/v1/dispatch/items/"




def task_body(town, **fields):
    return {
        "title": "安全隐患排查",
        "description": "全面排查农户用电、用气隐患。",
        "deadline": str(timezone.localdate() + timedelta(days=10)),
        "priority": "high",
        "needs_photo": True,
        "targets": [town.tongliang.unit.pk, town.yangqiu.unit.pk],
        "measures": [{"name": "排查隐患", "unit_label": "处"}],
        **fields,
    }


def issue(login, users, town, **fields):
    response = login(users.leader).post(TASKS, task_body(town, **fields), content_type="application/json")
    assert response.status_code == 201, response.json()
    return response.json()


def item_id(task, village):
    return Item.objects.get(task=task["id"], unit=village.unit).pk


def test_the_must_show_through_the_api(login, users, town):
    task = issue(login, users, town)
    assert task["progress"]["pending"] == 2 and task["progress"]["total"] == 2
    assert [m["name"] for m in task["measures"]] == ["排查隐患"]
    measure = task["measures"][0]["id"]
    mine, theirs = item_id(task, town.tongliang), item_id(task, town.yangqiu)

    client = login(users.tongliang)
    listed = client.get(ITEMS).json()
    assert listed["count"] == 1 and [row["unit_name"] for row in listed["results"]] == ["铜梁村"]
    seen = client.get(f"{TASKS}{task['id']}/").json()  # the task sent to his village, counted over his item only
    assert seen["title"] == "安全隐患排查" and seen["progress"]["total"] == 1
    assert client.post(f"{ITEMS}{mine}/receive/").json()["status"] == "received"
    answer = client.post(f"{ITEMS}{mine}/report/", {"text": "排查农户32户，整改隐患3处。", f"figures.{measure}": "3",
                                                   "photos": [jpeg()]})  # fmt: skip
    assert answer.status_code == 200, answer.json()
    reported = answer.json()
    assert reported["status"] == "reported" and reported["reported_on"] == str(timezone.localdate())
    assert reported["figures"] == [{"measure": measure, "name": "排查隐患", "unit_label": "处", "value": "3.00"}]
    assert len(reported["photos"]) == 1
    assert client.get(reported["photos"][0]["url"]).status_code == 200  # the scoped photo view serves it
    assert [step["action"] for step in reported["steps"]] == ["issued", "received", "reported"]

    client = login(users.yangqiu)
    assert client.get(f"{ITEMS}{mine}/").status_code == 404
    assert client.post(f"{ITEMS}{mine}/receive/").status_code == 404
    assert [row["id"] for row in client.get(ITEMS).json()["results"]] == [theirs]

    verified = login(users.cadre).post(f"{ITEMS}{mine}/verify/", {"note": "属实"}, content_type="application/json")
    assert verified.status_code == 200 and verified.json()["status"] == "done"

    board = login(users.leader).get(f"{TASKS}{task['id']}/board/").json()
    assert board["counts"]["done"] == 1 and board["counts"]["pending"] == 1 and board["total"] == 2
    assert board["totals"] == {str(measure): "3.00"}
    assert {row["unit_name"]: row["status"] for row in board["rows"]} == {"铜梁村": "done", "杨球村": "pending"}
    assert login(users.leader).get(f"{TASKS}{task['id']}/").json()["progress"]["done"] == 1


def reported_with(login, users, town, value):
    task = issue(login, users, town, needs_photo=False)
    measure = task["measures"][0]["id"]
    body = {"text": "已排查", "figures": {str(measure): value}}
    return login(users.tongliang).post(f"{ITEMS}{item_id(task, town.tongliang)}/report/", body,
                                       content_type="application/json")  # fmt: skip


@pytest.mark.parametrize(("value", "message"), [("三处", "须填数字"), ("-2", "0到1000亿"), ("", "请填写")])
def test_a_bad_number_is_a_400_in_chinese(login, users, town, value, message):
    response = reported_with(login, users, town, value)
    assert response.status_code == 400
    assert message in " ".join(response.json()["figures"])
    assert Item.objects.get(unit=town.tongliang.unit).status == Item.Status.PENDING  # nothing saved


def test_a_photo_is_required_when_the_task_asks_for_one(login, users, town):
    task = issue(login, users, town)
    body = {"text": "已排查", "figures": {str(task["measures"][0]["id"]): 1}}
    response = login(users.tongliang).post(f"{ITEMS}{item_id(task, town.tongliang)}/report/", body,
                                           content_type="application/json")  # fmt: skip
    assert response.status_code == 400 and "照片" in response.json()["photos"][0]


def test_a_file_that_is_no_photo_is_refused(login, users, town):
    task = issue(login, users, town)
    fake = SimpleUploadedFile("site.jpg", b"not an image", content_type="image/jpeg")
    body = {"text": "已排查", f"figures.{task['measures'][0]['id']}": "1", "photos": [fake]}
    response = login(users.tongliang).post(f"{ITEMS}{item_id(task, town.tongliang)}/report/", body)
    assert response.status_code == 400 and "不是可识别的图片" in str(response.json())


def post_task(client, town, **fields):
    return client.post(TASKS, task_body(town, **fields), content_type="application/json")


def test_bad_tasks_are_400s_in_chinese(login, users, town):
    client = login(users.leader)
    yesterday = str(timezone.localdate() - timedelta(days=1))
    assert "不能早于" in post_task(client, town, deadline=yesterday).json()["deadline"][0]
    assert "对象不存在" in post_task(client, town, targets=[999999]).json()["targets"][0]
    assert post_task(client, town, targets=[]).status_code == 400
    assert post_task(client, town, title="").status_code == 400
    assert "重复" in post_task(client, town, measures=[{"name": "户"}, {"name": "户"}]).json()["measures"][0]
    assert post_task(client, town, deadline="下周五").status_code == 400
    assert post_task(client, town, near_days=-1).status_code == 400
    assert post_task(client, town, work_line="nothing").status_code == 400
    assert Task.objects.count() == 0


def test_a_secretary_may_not_issue_nor_press(login, users, town):
    client = login(users.tongliang)
    response = post_task(client, town)
    assert response.status_code == 403 and "镇领导" in response.json()["detail"]
    task = issue(login, users, town)
    assert login(users.tongliang).post(f"{TASKS}{task['id']}/press/").status_code == 403


def test_pressing_tells_the_villages_that_have_not_reported(login, users, town):
    task = issue(login, users, town, needs_photo=False)
    client = login(users.tongliang)
    client.post(
        f"{ITEMS}{item_id(task, town.tongliang)}/report/",
        {"text": "已排查", "figures": {str(task["measures"][0]["id"]): 1}},
        content_type="application/json",
    )
    assert login(users.leader).post(f"{TASKS}{task['id']}/press/").json() == {"pressed": 1}


def test_a_secretary_sees_only_the_tasks_sent_to_his_village(login, users, town):
    issue(login, users, town, targets=[town.yangqiu.unit.pk], title="杨球村的任务")
    ours = issue(login, users, town, title="铜梁村的任务", targets=[town.tongliang.unit.pk])
    listed = login(users.tongliang).get(TASKS).json()
    assert [row["id"] for row in listed["results"]] == [ours["id"]]
    assert login(users.leader).get(TASKS, {"q": "杨球"}).json()["count"] == 1
    assert login(users.leader).get(TASKS, {"mine": "true"}).json()["count"] == 2
    assert login(users.cadre).get(TASKS, {"mine": "true"}).json()["count"] == 0


def test_the_item_filters(login, users, town):
    issue(login, users, town, deadline=str(timezone.localdate() + timedelta(days=1)))
    client = login(users.leader)
    assert client.get(ITEMS, {"card": "yellow"}).json()["count"] == 2
    assert client.get(ITEMS, {"card": "red"}).json()["count"] == 0
    assert client.get(ITEMS, {"village": town.yangqiu.unit.pk}).json()["count"] == 1
    assert client.get(ITEMS, {"status": "done"}).json()["count"] == 0
    assert client.get(ITEMS, {"card": "purple"}).status_code == 400


def test_returning_needs_a_reason_and_the_village_reports_again(login, users, town):
    task = issue(login, users, town, needs_photo=False)
    mine = item_id(task, town.tongliang)
    body = {"text": "已排查", "figures": {str(task["measures"][0]["id"]): 1}}
    login(users.tongliang).post(f"{ITEMS}{mine}/report/", body, content_type="application/json")
    client = login(users.cadre)
    refused = client.post(f"{ITEMS}{mine}/return/", {}, content_type="application/json")
    assert refused.status_code == 400 and "原因" in refused.json()["reason"][0]
    returned = client.post(f"{ITEMS}{mine}/return/", {"reason": "照片不清"}, content_type="application/json")
    assert returned.json()["status"] == "returned"
    again = login(users.tongliang).post(f"{ITEMS}{mine}/report/", body, content_type="application/json")
    assert again.json()["status"] == "reported"


def test_the_village_asks_for_more_time_and_the_issuer_grants_it(login, users, town):
    task = issue(login, users, town)
    mine = item_id(task, town.tongliang)
    later = timezone.localdate() + timedelta(days=20)
    client = login(users.tongliang)
    unexplained = client.post(f"{ITEMS}{mine}/extend/", {"until": str(later)}, content_type="application/json")
    assert unexplained.status_code == 400 and "理由" in unexplained.json()["reason"][0]
    asked = client.post(f"{ITEMS}{mine}/extend/", {"until": str(later), "reason": "农忙"},
                        content_type="application/json")  # fmt: skip
    assert asked.status_code == 200 and asked.json()["extensions"][0]["state"] == "asked"
    assert client.post(f"{ITEMS}{mine}/decide/", {"grant": True}, content_type="application/json").status_code == 403
    client = login(users.leader)
    refused = client.post(f"{ITEMS}{mine}/decide/", {"grant": False}, content_type="application/json")
    assert refused.status_code == 400 and "理由" in refused.json()["note"][0]
    granted = client.post(f"{ITEMS}{mine}/decide/", {"grant": True}, content_type="application/json")
    assert granted.json()["deadline"] == str(later) and granted.json()["extensions"][0]["state"] == "granted"
    none_left = client.post(f"{ITEMS}{mine}/decide/", {"grant": True}, content_type="application/json")
    assert none_left.status_code == 400 and "没有待审批" in none_left.json()["extension"][0]
    assert Extension.objects.get().state == Extension.State.GRANTED


def test_only_the_issuer_cancels_and_with_a_reason(login, users, town):
    task = issue(login, users, town)
    cancel = f"{TASKS}{task['id']}/cancel/"
    assert login(users.cadre).post(cancel, {"reason": "重复下达"}, content_type="application/json").status_code == 403
    client = login(users.leader)
    assert "原因" in client.post(cancel, {}, content_type="application/json").json()["reason"][0]
    assert client.post(cancel, {"reason": "重复下达"}, content_type="application/json").json()["is_cancelled"]
    mine = item_id(task, town.tongliang)
    refused = login(users.tongliang).post(f"{ITEMS}{mine}/receive/")
    assert refused.status_code == 400 and "撤销" in str(refused.json())


# --- attachments ----------------------------------------------------------------------------------------------------


def issue_with_attachments(login, users, town, *files, targets=None):
    body = {**task_body(town), "attachments": list(files), "measures[0]name": "排查隐患", "measures[0]unit_label": "处"}
    body.pop("measures")
    if targets is not None:
        body["targets"] = targets
    response = login(users.leader).post(TASKS, body)
    assert response.status_code == 201, response.json()
    return response.json()


def test_an_attachment_is_shown_to_those_who_see_the_task_only(login, users, town):
    notice = SimpleUploadedFile("通知.pdf", b"%PDF-1.4 notice", content_type="application/pdf")
    table = SimpleUploadedFile("台账.xlsx", b"PK\x03\x04 sheet", content_type="application/octet-stream")
    task = issue_with_attachments(login, users, town, notice, table, targets=[town.tongliang.unit.pk])
    assert [m["name"] for m in task["measures"]] == ["排查隐患"]
    pdf, xlsx = task["attachments"]
    assert (pdf["name"], xlsx["name"]) == ("通知.pdf", "台账.xlsx")
    client = login(users.tongliang)
    shown = client.get(pdf["url"])
    assert shown.status_code == 200 and shown["Content-Type"] == "application/pdf"
    assert shown["Content-Disposition"].startswith("inline")
    assert b"".join(shown.streaming_content) == b"%PDF-1.4 notice"
    downloaded = client.get(xlsx["url"])
    assert downloaded["Content-Disposition"].startswith("attachment")
    assert client.post(pdf["url"]).status_code == 405  # a file to read, nothing to post
    assert login(users.yangqiu).get(pdf["url"]).status_code == 404
    assert login(users.yangqiu).get(f"{TASKS}{task['id']}/").status_code == 404


def test_an_attachment_of_another_kind_is_refused(login, users, town):
    program = SimpleUploadedFile("setup.exe", b"MZ", content_type="application/octet-stream")
    body = {**task_body(town), "attachments": [program]}
    body.pop("measures")
    response = login(users.leader).post(TASKS, body)
    assert response.status_code == 400 and "exe" in str(response.json()["attachments"])
    assert Task.objects.count() == 0


# --- the lists' cost ------------------------------------------------------------------------------------------------


def list_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_lists_cost_the_same_whatever_the_number_of_villages(login, users, town):
    """Every item reported with a number, a member and a photo, so each thing a row shows is there to be fetched."""

    def issue_reported():
        task = issue(login, users, town, targets=[town.unit.pk], needs_photo=False)
        measure = task["measures"][0]["id"]
        for item in Item.objects.filter(task=task["id"], status=Item.Status.PENDING):
            services.item_report(user=users.admin, item=item, text="已排查", figures={measure: 1}, photos=[jpeg()],
                                 members=PartyMember.objects.filter(unit=item.unit)[:1])  # fmt: skip

    issue_reported()
    client = login(users.leader)
    few = {url: list_queries(client, url) for url in (ITEMS, TASKS)}
    for number in range(3, 7):
        make_village(town.area, f"新村{number}", f"43132110220{number}")
    issue_reported()
    assert Item.objects.count() == 2 + 6
    client = login(users.leader)
    many = {url: list_queries(client, url) for url in (ITEMS, TASKS)}
    assert many == few, (few, many)
