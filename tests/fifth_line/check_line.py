"""Run by tests/test_fifth_line.py with `--ds=tests.fifth_line.settings`: with one line added to INSTALLED_APPS, the
added work line (the sixth, after 支部建设) is everywhere the project's five are — navigation, its work-line page, the
monthly report with its counted figure, the summary tables, its ledger's pages and API scoped to the village, the
demo's load order, the hooks."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from demo import loader
from reports import worklines
from reports.monthly import selectors as monthly
from reports.registry import registry
from reports.today import today_for
from tests.conftest import build_town, build_users
from tests.fifth_line import demo
from tests.fifth_line.models import Returnee

pytestmark = pytest.mark.django_db
LABEL = "支部+人才回引"


@pytest.fixture
def town(db):
    return build_town()


@pytest.fixture
def users(town):
    return build_users(town)


def test_the_line_is_declared_after_the_projects_five():
    assert worklines.codes() == ["industry", "environment", "governance", "volunteers", "party", "talent"]
    assert dict(worklines.choices())["talent"] == LABEL
    assert [spec.code for spec in registry.for_work_line("talent")] == ["talent.returnees", "talent.trainings"]


def test_navigation_and_its_work_line_page_show_it(client, users):
    client.force_login(users.admin)
    home = client.get("/").content.decode()
    assert LABEL in home and "/lines/talent/" in home
    page = client.get("/lines/talent/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "返乡人才" in text and "技能培训" in text and reverse("fifth_line:returnee_list") in text


def test_the_monthly_report_counts_its_ledger(client, town, users):
    village, month = town.tongliang.unit, timezone.localdate().replace(day=1)
    Returnee.objects.create(unit=village, name="刘返乡", returned_on=timezone.localdate())
    assert [spec.code for spec in monthly.specs_for(village, "talent")] == ["talent.returnees", "talent.trainings"]
    client.force_login(users.tongliang)
    page = client.get(reverse("reports:entry", args=[village.pk, "talent", month.strftime("%Y-%m")]))
    assert page.status_code == 200
    assert "返乡人才" in page.content.decode() and "技能培训" in page.content.decode()


def test_the_summary_tables_offer_it(client, users):
    client.force_login(users.leader)
    page = client.get(reverse("reports:summary"))
    assert page.status_code == 200 and '<option value="talent"' in page.content.decode()


def test_its_ledger_pages_are_derived_and_scoped(client, town, users):
    client.force_login(users.tongliang)
    saved = client.post(reverse("fifth_line:returnee_add"), {
        "unit": town.tongliang.unit.pk, "name": "王电商", "skill": "直播带货", "returned_on": "2026-03-01",
    })  # fmt: skip
    assert saved.status_code == 302
    row = Returnee.objects.get(name="王电商")
    assert client.get(reverse("fifth_line:returnee_detail", args=[row.pk])).status_code == 200
    assert "王电商" in client.get(reverse("fifth_line:returnee_list")).content.decode()
    client.force_login(users.yangqiu)  # another village's secretary
    assert client.get(reverse("fifth_line:returnee_detail", args=[row.pk])).status_code == 404
    assert "王电商" not in client.get(reverse("fifth_line:returnee_list")).content.decode()
    future = client.post(reverse("fifth_line:returnee_add"), {
        "unit": town.yangqiu.unit.pk, "name": "未来人", "returned_on": date(2099, 1, 1).isoformat(),
    })  # fmt: skip
    assert future.status_code == 400 and not Returnee.objects.filter(name="未来人").exists()


def test_its_api_is_derived_and_scoped(client, town, users):
    Returnee.objects.create(unit=town.yangqiu.unit, name="杨某", returned_on=date(2026, 2, 1))
    client.force_login(users.tongliang)
    created = client.post("/api/v1/talent/returnees/", {
        "unit": town.tongliang.unit.pk, "name": "铜某", "returned_on": "2026-02-02",
    }, content_type="application/json")  # fmt: skip
    assert created.status_code == 201, created.content
    names = [row["name"] for row in client.get("/api/v1/talent/returnees/").json()["results"]]
    assert names == ["铜某"]
    refused = client.post("/api/v1/talent/returnees/", {
        "unit": town.yangqiu.unit.pk, "name": "越界", "returned_on": "2026-02-02",
    }, content_type="application/json")  # fmt: skip
    assert refused.status_code == 400 and "unit" in refused.json()


def test_its_demo_module_runs_in_the_load_order(town):
    order = loader.load_order()
    assert order.index("demo.partylife") < order.index("tests.fifth_line.demo") < order.index("demo.reports")
    assert demo.load(password="x") == "返乡人才：新增 2 人。"
    assert Returnee.objects.count() == 2


def test_its_today_item_reaches_the_user(town, users):
    Returnee.objects.create(unit=town.tongliang.unit, name="今日", returned_on=timezone.localdate())
    found = {item.code: count for item, count, _due in today_for(users.tongliang)}
    assert found["talent.returned"] == 1
    assert "talent.returned" not in {item.code for item, _n, _due in today_for(users.yangqiu)}
