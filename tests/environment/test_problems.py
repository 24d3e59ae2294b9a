"""The environment problems a village must clean (issue 22): a grid worker's accepted event becomes one through the
line's event sink and its own service; a cleanup record closes the problems it names; the ledger's pages, export and
API keep to the user's village; an overdue problem counts in the 通报 through the line's timed case."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from environment.models import CleanupRecord, EnvironmentProblem
from reports import periods
from reports.bulletin.services import bulletin_build
from reports.plugins import deadline_for, deliver, event_sink, hooks

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def report(town, village="tongliang", **more):
    place = getattr(town, village)
    return {"unit": place.grid, "reported_on": TODAY - timedelta(days=3), "description": "河边堆放建筑垃圾",
            "place": "观瑞河桥头", "household": place.households[0], "reporter": "网格员小周", **more}  # fmt: skip


def problem(town, user, village="tongliang", **more):
    return deliver("environment", user=user, **report(town, village, **more))


def api_for(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_an_accepted_event_becomes_a_problem_the_village_must_clean(town, users):
    assert str(event_sink("environment").label) == "环境问题"
    asked = event_sink("environment").form(data={})
    assert asked.is_valid(), asked.errors  # nothing else is required: the default limit applies
    made = problem(town, users.tongliang, **asked.cleaned_data)
    stored = EnvironmentProblem.objects.get(pk=made.pk)
    assert (stored.unit, stored.place) == (town.tongliang.grid, "观瑞河桥头")
    assert stored.found_on == TODAY - timedelta(days=3)
    assert stored.description == "河边堆放建筑垃圾" and "网格员小周" in stored.note
    assert stored.status == EnvironmentProblem.Status.OPEN
    assert stored.deadline == deadline_for("environment_problem", stored.found_on)
    assert stored.history.first().history_user == users.tongliang
    given = problem(town, users.tongliang, deadline=TODAY + timedelta(days=2))
    assert given.deadline == TODAY + timedelta(days=2)


def test_bad_input_is_refused_by_field_and_another_village_cannot_accept(town, users):
    with pytest.raises(ValidationError) as refused:
        problem(town, users.tongliang, deadline=TODAY - timedelta(days=10))  # before it was found
    assert "deadline" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        problem(town, users.tongliang, reported_on=TODAY + timedelta(days=1))
    assert "found_on" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        problem(town, users.yangqiu)
    assert not EnvironmentProblem.objects.exists()


def test_the_ledger_keeps_to_the_users_village(login, town, users):
    ours = problem(town, users.tongliang, description="铜梁村沟渠堵塞")
    theirs = problem(town, users.yangqiu, village="yangqiu", description="杨球村路边垃圾")
    client = login(users.tongliang)
    listed = client.get("/environment/problems/")
    assert listed.status_code == 200
    page = listed.content.decode()
    assert "铜梁村沟渠堵塞" in page and "杨球村路边垃圾" not in page
    assert "铜梁村沟渠堵塞" in client.get("/environment/problems/", {"q": "沟渠"}).content.decode()
    assert "铜梁村沟渠堵塞" not in client.get("/environment/problems/", {"status": "cleaned"}).content.decode()
    detail = client.get(f"/environment/problems/{ours.pk}/")
    assert detail.status_code == 200 and "deadline-" in detail.content.decode()  # the time-limit badge
    assert client.get(f"/environment/problems/{theirs.pk}/").status_code == 404  # a guessed id
    assert client.get(f"/environment/problems/{theirs.pk}/edit/").status_code == 404
    sheet = load_workbook(BytesIO(client.get("/environment/problems/?export=xlsx").content)).active
    cells = [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "铜梁村沟渠堵塞" in cells and "杨球村路边垃圾" not in cells

    api = api_for(users.tongliang)
    assert [row["id"] for row in api.get("/api/v1/environment/problems/").json()["results"]] == [ours.pk]
    assert api.get(f"/api/v1/environment/problems/{theirs.pk}/").status_code == 404
    refused = api.post("/api/v1/environment/problems/", {"unit": town.yangqiu.grid.pk, "found_on": TODAY.isoformat(),
                                                          "description": "越权"})  # fmt: skip
    assert refused.status_code == 400 and "unit" in refused.json()
    made = api.post("/api/v1/environment/problems/", {"unit": town.tongliang.grid.pk, "found_on": TODAY.isoformat(),
                                                       "description": "塘边死鱼"})  # fmt: skip
    assert made.status_code == 201, made.json()
    assert made.json()["deadline"] == deadline_for("environment_problem", TODAY).isoformat()

    leader = login(users.leader)
    both = leader.get("/environment/problems/").content.decode()
    assert "铜梁村沟渠堵塞" in both and "杨球村路边垃圾" in both


def test_a_cleanup_record_closes_the_problems_it_names(login, town, users):
    first = problem(town, users.tongliang, description="沟渠堵塞")
    second = problem(town, users.tongliang, description="路边垃圾")
    theirs = problem(town, users.yangqiu, village="yangqiu", description="杨球村垃圾")
    client = login(users.tongliang)
    form = client.get("/environment/cleanups/add/").content.decode()
    assert "沟渠堵塞" in form and "杨球村垃圾" not in form  # only his own open problems are offered
    cleanup = {"unit": town.tongliang.grid.pk, "date": TODAY.isoformat(), "side": "water", "place": "观瑞河",
               "garbage_tons": "1.5", "billboards": 0, "road_km": "0", "river_km": "0.2",
               "participants": 12}  # fmt: skip
    refused = client.post("/environment/cleanups/add/", {**cleanup, "closes": [theirs.pk]})
    assert refused.status_code == 400 and not CleanupRecord.objects.exists()
    saved = client.post("/environment/cleanups/add/", {**cleanup, "closes": [first.pk]})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    record = CleanupRecord.objects.get()
    first.refresh_from_db()
    assert (first.status, first.cleaned_on, first.cleanup) == (EnvironmentProblem.Status.CLEANED, TODAY, record)
    assert first.history.first().history_user == users.tongliang
    assert "沟渠堵塞" in client.get(f"/environment/cleanups/{record.pk}/").content.decode()
    assert "沟渠堵塞" not in client.get("/environment/cleanups/add/").content.decode()  # closed: no longer offered

    api = api_for(users.tongliang)
    answer = api.post("/api/v1/environment/cleanups/", {**cleanup, "closes": [second.pk]}, format="json")
    assert answer.status_code == 201, answer.json()
    second.refresh_from_db()
    assert second.status == EnvironmentProblem.Status.CLEANED and second.cleanup_id == answer.json()["id"]
    assert answer.json()["problems"] == [second.pk]
    again = api.post("/api/v1/environment/cleanups/", {**cleanup, "closes": [theirs.pk]}, format="json")
    assert again.status_code == 400 and "closes" in again.json()
    theirs.refresh_from_db()
    assert theirs.status == EnvironmentProblem.Status.OPEN


def test_an_overdue_problem_counts_in_the_bulletin_through_the_timed_case(town, users):
    month = periods.add_months(periods.current_month(), -1)
    as_of = TODAY  # the 通报 of last month, built now
    found = month + timedelta(days=2)
    late = problem(town, users.tongliang, reported_on=found, deadline=found + timedelta(days=5))
    problem(town, users.tongliang, reported_on=found, deadline=as_of + timedelta(days=5))  # still within its limit
    case = next(case for case in hooks("timed_cases") if case.kind == "environment_problem")
    assert list(case.rows(town.tongliang.unit, as_of)) == [late]
    assert not case.rows(town.yangqiu.unit, as_of).exists()
    rows = {row.unit_id: row for row in bulletin_build(town=town.unit, month=month, today=as_of).rows.all()}
    said = [reason["text"] for reason in rows[town.tongliang.unit.pk].reasons]
    assert "环境问题逾期未清理 1 处" in said
    assert not any("环境问题" in reason["text"] for reason in rows[town.yangqiu.unit.pk].reasons)


def test_a_problem_entered_and_edited_on_its_pages(login, town, users):
    client = login(users.tongliang)
    assert client.get("/environment/problems/add/").status_code == 200
    found = TODAY - timedelta(days=20)
    entered = client.post("/environment/problems/add/", {"unit": town.tongliang.grid.pk, "found_on": found.isoformat(),
                                                         "place": "二组塘边", "description": "塘边堆放秸秆",
                                                         "status": "open"})  # fmt: skip
    assert entered.status_code == 302, entered.content.decode()[:2000]
    made = EnvironmentProblem.objects.get()
    assert made.deadline == deadline_for("environment_problem", found) < TODAY  # the default limit, already past
    overdue = client.get("/environment/problems/", {"overdue": "true"}).content.decode()
    assert "塘边堆放秸秆" in overdue and "deadline-over" in overdue  # red: past its limit
    assert "塘边堆放秸秆" not in client.get("/environment/problems/", {"overdue": "false"}).content.decode()
    edit = {"unit": town.tongliang.grid.pk, "found_on": found.isoformat(), "place": "二组塘边",
            "description": "塘边堆放秸秆", "status": "open",
            "deadline": (TODAY + timedelta(days=3)).isoformat()}  # fmt: skip
    asked = client.post(f"/environment/problems/{made.pk}/edit/", edit)
    assert asked.status_code == 400 and "修改原因" in asked.content.decode()  # a changed time limit says why
    changed = client.post(f"/environment/problems/{made.pk}/edit/", {**edit, "reason": "汛期延后清理"})
    assert changed.status_code == 302
    made.refresh_from_db()
    assert made.deadline == TODAY + timedelta(days=3)
    cleaned = {**edit, "deadline": made.deadline.isoformat(), "status": "cleaned"}
    refused = client.post(f"/environment/problems/{made.pk}/edit/", cleaned)
    assert refused.status_code == 400 and "请填写清理日期" in refused.content.decode()
    assert client.post(f"/environment/problems/{made.pk}/edit/",
                       {**cleaned, "cleaned_on": TODAY.isoformat()}).status_code == 302  # fmt: skip
    made.refresh_from_db()
    assert (made.status, made.cleaned_on, made.cleanup) == (EnvironmentProblem.Status.CLEANED, TODAY, None)


def test_the_problems_a_cleanup_closed_follow_its_date_and_reopen_if_it_is_deleted(login, town, users):
    closed = problem(town, users.tongliang, description="沟渠堵塞")
    client = login(users.tongliang)
    cleanup = {"unit": town.tongliang.grid.pk, "date": TODAY.isoformat(), "side": "road", "garbage_tons": "0.5",
               "billboards": 0, "road_km": "1", "river_km": "0", "participants": 6}  # fmt: skip
    assert client.post("/environment/cleanups/add/", {**cleanup, "closes": [closed.pk]}).status_code == 302
    record = CleanupRecord.objects.get()
    earlier = TODAY - timedelta(days=1)
    moved = client.post(f"/environment/cleanups/{record.pk}/edit/", {**cleanup, "date": earlier.isoformat()})
    assert moved.status_code == 302, moved.content.decode()[:2000]
    closed.refresh_from_db()
    assert (closed.status, closed.cleaned_on) == (EnvironmentProblem.Status.CLEANED, earlier)
    assert client.post(f"/environment/cleanups/{record.pk}/delete/").status_code == 302
    closed.refresh_from_db()
    assert (closed.status, closed.cleaned_on, closed.cleanup) == (EnvironmentProblem.Status.OPEN, None, None)
    assert closed.history.first().history_user == users.tongliang
