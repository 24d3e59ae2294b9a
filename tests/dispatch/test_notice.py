"""The 督办通知 of a town task: declared by 任务督办 through reports.plugins (a DocumentKind the core lays out in its
one GB/T 9704 layout, tests/gbt9704.py), downloaded as a draft with no number, issued once under the town's next
督 文号 into the register; scoped — a secretary gets the notices addressed to his village, addressed to his village
only, and no notice of a task sent only to other villages (page, API)."""

import pytest
from django.utils import timezone

from dispatch import notices
from reports.documents.layout import DOCX_TYPE, chinese_date
from reports.models import IssuedDocument
from reports.plugins import hooks
from tests import gbt9704

pytestmark = pytest.mark.django_db

MARK = "中共双峰县井字镇委员会文件"


@pytest.fixture
def issuing_town(town):
    town.unit.issuing_name, town.unit.doc_prefix = "中共双峰县井字镇委员会", "井"
    town.unit.save()
    return town


def notice_url(task):
    return f"/dispatch/tasks/{task.pk}/notice/"


def test_the_notice_is_a_document_the_dispatch_app_declares():
    assert [kind.code for kind in hooks("documents") if kind.work_line == "dispatch"] == [notices.CODE]


def test_the_notice_says_what_who_by_when_and_what_to_report(issuing_town, users, login, issue):
    task = issue(description="逐户排查用电、用火隐患。\n建立隐患台账。", near_days=3)
    year = timezone.localdate().year
    response = login(users.leader).get(notice_url(task))
    assert response.status_code == 200 and response["Content-Type"] == DOCX_TYPE
    document = gbt9704.read(response.content)
    gbt9704.check_layout(document)
    gbt9704.check_head(document, MARK, f"井督〔{year}〕　号")  # a draft: no number
    gbt9704.check_title(next(p for p in document.paragraphs if p.text == "关于安全隐患排查的督办通知"),
                        "关于安全隐患排查的督办通知")  # fmt: skip
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert "铜梁村、杨球村：" in texts  # addressed to the villages the task was sent to
    assert "逐户排查用电、用火隐患。" in texts and "建立隐患台账。" in texts
    deadline = task.deadline
    assert any(f"请于{deadline.year}年{deadline.month}月{deadline.day}日前办结并上报" in text for text in texts)
    assert any("排查隐患（处）" in text for text in texts)
    assert texts[-2:] == ["中共双峰县井字镇委员会", chinese_date(timezone.localdate())]
    assert not IssuedDocument.objects.exists()


def test_issuing_the_notice_gives_the_next_number_once(issuing_town, users, login, issue):
    first, second = issue(), issue(title="河道清理")
    year = timezone.localdate().year
    client = login(users.leader)
    for task in (first, second):
        assert client.post(notice_url(task), {"issue": "1"}).status_code == 302
    client.post(notice_url(first), {"issue": "1"})  # refused: issued once
    issued = list(IssuedDocument.objects.order_by("number").values_list("reference", "source"))
    assert issued == [(f"井督〔{year}〕1号", f"task_notice:{first.pk}"),
                      (f"井督〔{year}〕2号", f"task_notice:{second.pk}")]  # fmt: skip
    gbt9704.check_head(gbt9704.read(client.get(notice_url(second)).content), MARK, f"井督〔{year}〕2号")
    assert f"井督〔{year}〕2号" in client.get(f"/dispatch/tasks/{second.pk}/").content.decode()
    register = client.get("/reports/documents/").content.decode()
    assert "关于安全隐患排查的督办通知" in register and "关于河道清理的督办通知" in register


def test_a_secretary_gets_the_notices_addressed_to_his_village_only(issuing_town, users, login, issue):
    both = issue()
    theirs = issue(title="杨球村专项整治", targets=[issuing_town.yangqiu.unit])
    client = login(users.tongliang)
    document = gbt9704.read(client.get(notice_url(both)).content)
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert "铜梁村：" in texts and not any("杨球村" in text for text in texts)
    assert client.get(notice_url(theirs)).status_code == 404
    assert client.post(notice_url(both), {"issue": "1"}).status_code == 403  # he receives, he does not issue
    listed = client.get("/api/v1/dispatch/tasks/").json()["results"]
    assert [row["notice_url"] for row in listed] == [notice_url(both)]
    assert not IssuedDocument.objects.exists()


def test_the_notice_prints_as_its_document(issuing_town, users, login, issue):
    task = issue()
    client = login(users.leader)
    page = client.get(notice_url(task), {"print": "1"})
    assert page.status_code == 200
    gbt9704.check_print_matches(page.content.decode(), gbt9704.read(client.get(notice_url(task)).content))
    assert login(users.yangqiu).get(notice_url(issue(targets=[issuing_town.tongliang.unit])),
                                    {"print": "1"}).status_code == 404  # fmt: skip
