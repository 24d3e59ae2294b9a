"""The documents the office sends, tried as the town's office would after `load_demo`: the brief, the last 通报 and a
task's 督办通知 download as .docx in the GB/T 9704-2012 layout (tests/gbt9704.py), under the name and the 代字 the
demo gives the town as data (中共双峰县井字镇委员会, 井) — none of it from code."""

import pytest
from django.utils import timezone

from branches.models import User
from dispatch.models import Task
from reports import periods
from reports.bulletin.services import bulletin_build, bulletin_publish
from tests import gbt9704

pytestmark = pytest.mark.django_db

MARK = "中共双峰县井字镇委员会文件"


def test_the_towns_brief_bulletin_and_task_notice_are_proper_documents(demo_town, villages, last, client):
    assert (demo_town.issuing_name, demo_town.doc_prefix) == ("中共双峰县井字镇委员会", "井")
    year = timezone.localdate().year
    leader, admin = User.objects.get(username="leader"), User.objects.get(username="admin")
    client.force_login(leader)

    brief = gbt9704.read(client.post("/reports/brief/", {"unit": demo_town.pk, "title": "井字镇工作简报"}).content)
    gbt9704.check_layout(brief)
    gbt9704.check_head(brief, "工作简报", "第　　期")
    assert any(p.text.startswith("中共双峰县井字镇委员会\t") for p in brief.paragraphs)

    bulletin_publish(bulletin=bulletin_build(town=demo_town, month=last, user=admin), user=leader)
    response = client.get(f"/reports/bulletin/{demo_town.pk}/{periods.month_key(last)}/", {"export": "docx"})
    bulletin = gbt9704.read(response.content)
    gbt9704.check_layout(bulletin)
    gbt9704.check_head(bulletin, MARK, f"井通报〔{year}〕　号")
    assert len(bulletin.tables[0].rows) == 1 + len(villages)  # the header and every village and community

    task = Task.objects.filter(unit=demo_town).order_by("pk").first()
    notice = gbt9704.read(client.get(f"/dispatch/tasks/{task.pk}/notice/").content)
    gbt9704.check_layout(notice)
    gbt9704.check_head(notice, MARK, f"井督〔{year}〕　号")
