"""Time limits as data, one rule (reports/deadlines.py): a petition backlog case gets its deadline from the admin's
limit when it is taken on; past it, it is red on its page, in the dashboard's exceptions and in the 通报; extending
it needs a reason (kept in its history); a later change of the default limit rules the cases accepted after it."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from governance.models import DisputeCase, PetitionCase
from reports import periods
from reports.brief.selectors import brief_draft
from reports.bulletin.services import bulletin_build
from reports.deadlines import deadline_state
from reports.models import CaseLimit

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LIST = "/governance/petitions/"
REASON = "信访人提出新的补偿诉求，包案领导申请延期"


def add_petition(client, unit, taken_on, **extra):
    """Take a backlog case on through the add page, with no deadline of its own."""
    data = {"unit": unit.pk, "title": "祖坟迁移补偿诉求", "petitioner": "李四", "received_on": "2025-03-01",
            "taken_on": taken_on.isoformat(), "status": "in_progress", **extra}  # fmt: skip
    response = client.post(f"{LIST}add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return PetitionCase.objects.get(title="祖坟迁移补偿诉求")


def edit_data(case, **changes):
    data = {"unit": case.unit_id, "title": case.title, "petitioner": case.petitioner, "received_on": case.received_on,
            "taken_on": case.taken_on, "deadline": case.deadline, "status": case.status,
            "progress": case.progress}  # fmt: skip
    return {**data, **changes}


def exceptions_panel(client):
    html = client.get("/dashboard/").content.decode()
    start = html.index("dashboard-exceptions")
    return html[start : html.index("</section>", start)]


def bulletin_reasons(town):
    bulletin = bulletin_build(town=town.unit, month=periods.last_complete_month(), today=TODAY)
    row = bulletin.rows.get(unit=town.yangqiu.unit)
    return " ".join(reason["text"] for reason in row.reasons)


def brief_text(town):
    return brief_draft(town.yangqiu.unit, periods.month_period(periods.current_month())).text


def test_a_backlog_case_is_given_its_limit_from_when_it_is_taken_on_not_its_first_petition(login, town, users):
    case = add_petition(login(users.yangqiu), town.yangqiu.unit, TODAY - timedelta(days=3))
    assert case.received_on.year == 2025  # first petitioned long ago: it would be long overdue counted from then
    assert case.deadline == case.taken_on + timedelta(days=60)
    page = login(users.yangqiu).get(f"{LIST}{case.pk}/").content.decode()
    assert "deadline-on_time" in page and "deadline-over" not in page


def test_an_overdue_petition_is_red_everywhere_and_a_reasoned_extension_turns_it_back(login, town, users):
    client = login(users.yangqiu)
    case = add_petition(client, town.yangqiu.unit, TODAY - timedelta(days=70))
    assert case.deadline == TODAY - timedelta(days=10)

    # red on the governance pages (list and detail), in the dashboard's exceptions and in the next 通报
    assert "deadline-over" in client.get(LIST).content.decode()
    sheet = load_workbook(BytesIO(client.get(f"{LIST}?export=xlsx").content)).active
    assert "超期10天" in " ".join(str(cell.value) for cell in sheet[2])  # the export says so too
    assert "超期10天" in client.get(f"{LIST}{case.pk}/").content.decode()
    assert "超过化解时限的信访积案" in exceptions_panel(login(users.leader))
    assert "信访积案超期未化解 1 件" in bulletin_reasons(town)
    assert "信访积案超期未化解1件" in brief_text(town)  # this month's brief, as of today

    # extended with a reason on the edit page: on time again everywhere, the reason in its history
    client = login(users.yangqiu)
    new_deadline = TODAY + timedelta(days=20)
    response = client.post(f"{LIST}{case.pk}/edit/", edit_data(case, deadline=new_deadline, reason=REASON))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.deadline == new_deadline
    assert case.history.first().history_change_reason == REASON
    detail = client.get(f"{LIST}{case.pk}/").content.decode()
    assert "deadline-over" not in detail and REASON in detail  # the history on the page shows why
    assert "超过化解时限的信访积案" not in exceptions_panel(login(users.leader))
    assert "信访积案" not in bulletin_reasons(town)
    assert "超期未化解" not in brief_text(town)


def test_a_deadline_changed_without_a_reason_is_refused_on_the_page_and_in_the_api(login, town, users):
    case = add_petition(login(users.yangqiu), town.yangqiu.unit, TODAY - timedelta(days=70))
    before = case.deadline
    response = login(users.yangqiu).post(f"{LIST}{case.pk}/edit/",
                                         edit_data(case, deadline=TODAY + timedelta(days=20)))  # fmt: skip
    assert response.status_code == 400 and "修改办理时限必须填写修改原因。" in response.content.decode()

    api = APIClient()
    api.force_authenticate(users.yangqiu)
    url = f"/api/v1/governance/petitions/{case.pk}/"
    response = api.patch(url, {"deadline": (TODAY + timedelta(days=20)).isoformat()}, format="json")
    assert response.status_code == 400
    assert response.json()["reason"] == ["修改办理时限必须填写修改原因。"]
    case.refresh_from_db()
    assert case.deadline == before

    response = api.patch(url, {"deadline": (TODAY + timedelta(days=20)).isoformat(), "reason": REASON},
                         format="json")  # fmt: skip
    assert response.status_code == 200 and response.json()["deadline"] == (TODAY + timedelta(days=20)).isoformat()
    assert "reason" not in response.json()  # written, never read back
    assert PetitionCase.objects.get(pk=case.pk).history.first().history_change_reason == REASON
    # other edits need no reason
    assert api.patch(url, {"progress": "已约访两次"}, format="json").status_code == 200


def test_a_petition_accepted_after_the_admin_changes_the_default_takes_the_new_limit(login, town, users):
    earlier = add_petition(login(users.yangqiu), town.yangqiu.unit, TODAY - timedelta(days=5))
    limit = CaseLimit.objects.get(kind="petition")
    assert (limit.days, limit.default_days) == (60, 60)
    users.admin.is_staff = users.admin.is_superuser = True  # the Django admin's own flags
    users.admin.save()
    admin = login(users.admin)
    response = admin.post(f"/admin/reports/caselimit/{limit.pk}/change/", {"days": 90})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CaseLimit.objects.get(kind="petition").days == 90

    api = APIClient()
    api.force_authenticate(users.yangqiu)
    taken = TODAY - timedelta(days=1)
    response = api.post("/api/v1/governance/petitions/", {
        "unit": town.yangqiu.unit.pk, "title": "采砂损毁河堤赔偿诉求", "petitioner": "王五",
        "received_on": "2025-06-01", "taken_on": taken.isoformat(),
    }, format="json")  # fmt: skip
    assert response.status_code == 201, response.json()
    assert response.json()["deadline"] == (taken + timedelta(days=90)).isoformat()
    earlier.refresh_from_db()
    assert earlier.deadline == earlier.taken_on + timedelta(days=60)  # a case's own deadline stays
    # a client that does not say when the case was taken on: the day it is entered
    response = api.post("/api/v1/governance/petitions/", {
        "unit": town.yangqiu.unit.pk, "title": "房屋产权争议", "petitioner": "赵六", "received_on": "2024-01-05",
    }, format="json")  # fmt: skip
    assert response.status_code == 201, response.json()
    assert (response.json()["taken_on"], response.json()["deadline"]) == (TODAY.isoformat(),
                                                                         (TODAY + timedelta(days=90)).isoformat())


def test_a_dispute_gets_a_month_from_its_acceptance_and_turns_yellow_in_its_last_days(login, town, users):
    client = login(users.yangqiu)
    data = {"unit": town.yangqiu.unit.pk, "kind": "land", "summary": "宅基地界址纠纷", "parties": "张三、李四",
            "received_on": (TODAY - timedelta(days=27)).isoformat(), "result": "pending"}  # fmt: skip
    assert client.post("/governance/disputes/add/", data).status_code == 302
    case = DisputeCase.objects.get(summary="宅基地界址纠纷")
    assert case.deadline == case.received_on + timedelta(days=30)
    assert "deadline-near" in client.get("/governance/disputes/").content.decode()  # 3 days left of 30: yellow


def test_near_is_the_last_fifth_of_the_cases_time_at_most_a_week():
    start = TODAY - timedelta(days=53)
    assert deadline_state(start + timedelta(days=60), start=start).code == "near"  # 7 days left of 60
    assert deadline_state(start + timedelta(days=61), start=start).code == "on_time"  # 8 left
    short = TODAY - timedelta(days=8)
    assert deadline_state(short + timedelta(days=10), start=short).code == "near"  # 2 of 10 left: the last fifth
    assert deadline_state(short + timedelta(days=11), start=short).code == "on_time"
    assert deadline_state(TODAY - timedelta(days=1)).code == "over"
    assert deadline_state(TODAY - timedelta(days=1), closed_on=TODAY).code == "done"
