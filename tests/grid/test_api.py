"""网格事件 through the API (/api/v1/grid/events/): a grid worker reports with a photo, the village accepts it into the
hazard register with what the register asks, escalates or closes; another grid's events are 404s; bad input is a
400 with Chinese field errors."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance.models import Hazard
from grid.models import GridEvent
from tests.grid.conftest import jpeg

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/grid/events/"


def test_a_grid_worker_reports_with_a_photo_and_his_own_grid_is_taken(grids, login):
    client = login(grids.worker)
    answer = client.post(EVENTS, {"kind": "hazard", "description": "电线杆倾斜", "place": "一组", "photos": [jpeg()],
                                  "latitude": "", "longitude": "", "household": ""})  # fmt: skip
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["unit"] == grids.first.pk and body["status"] == "reported" and body["status_display"] == "待受理"
    assert len(body["photos"]) == 1 and body["url"] == f"/grid/events/{body['id']}/"
    assert body["time_limit"]["code"] in ("near", "on_time")


def test_bad_input_is_a_400_with_chinese_field_errors(grids, login):
    client = login(grids.worker)
    answer = client.post(EVENTS, {"kind": "flood", "description": "", "latitude": "200"})
    assert answer.status_code == 400
    errors = answer.json()
    assert {"kind", "description", "latitude"} <= set(errors)
    assert "不是合法选项" in errors["kind"][0] or "有效" in errors["kind"][0]
    fake = SimpleUploadedFile("a.jpg", b"not an image", content_type="image/jpeg")
    not_an_image = client.post(EVENTS, {"kind": "hazard", "description": "x", "photos": [fake]})
    assert not_an_image.status_code == 400 and "photos" in not_an_image.json()
    assert not GridEvent.objects.exists()


def test_another_grids_events_and_households_are_out_of_reach(grids, login, report):
    theirs = report(worker=grids.worker2, description="二网格的事件")
    client = login(grids.worker)
    assert client.get(EVENTS).json()["count"] == 0
    assert client.get(f"{EVENTS}{theirs.pk}/").status_code == 404
    assert client.post(f"{EVENTS}{theirs.pk}/close/", {"result": "x"}).status_code == 404
    # Nor can he report into the other grid, or name its household.
    answer = client.post(EVENTS, {"unit": grids.second.pk, "kind": "other", "description": "x"})
    assert answer.status_code == 400 and "unit" in answer.json()
    answer = client.post(EVENTS, {"kind": "other", "description": "x", "household": grids.neighbour.pk})
    assert answer.status_code == 400 and "household" in answer.json()


def test_the_village_accepts_into_the_hazard_register_through_the_api(grids, users, login, report):
    event = report()
    client = login(users.tongliang)
    registers = {row["kind"]: row for row in client.get(f"{EVENTS}registers/").json()}
    assert {"hazard", "dispute", "people", "environment"} <= set(registers)
    assert "responsible" in [field["name"] for field in registers["hazard"]["fields"]]
    refused = client.post(f"{EVENTS}{event.pk}/accept/", {"register": "hazard", "item": "坝体渗水"},
                          content_type="application/json")  # fmt: skip
    assert refused.status_code == 400 and "responsible" in refused.json() and not Hazard.objects.exists()
    deadline = timezone.localdate() + timedelta(days=5)
    answer = client.post(f"{EVENTS}{event.pk}/accept/", {"item": "坝体渗水", "responsible": "李组长",
                                                          "deadline": str(deadline)},
                         content_type="application/json")  # fmt: skip
    assert answer.status_code == 200, answer.json()
    hazard = Hazard.objects.get()
    assert answer.json()["record"] == {"model": "安全隐患", "id": hazard.pk, "text": "坝体渗水",
                                       "url": hazard.get_absolute_url()}  # fmt: skip
    assert (hazard.responsible, hazard.deadline) == ("李组长", deadline)
    again = client.post(f"{EVENTS}{event.pk}/accept/", {"item": "坝体渗水", "responsible": "李组长"},
                        content_type="application/json")  # fmt: skip
    assert again.status_code == 400 and Hazard.objects.count() == 1


def test_the_grid_worker_may_not_answer_and_the_other_village_gets_a_404(grids, users, login, report):
    event = report()
    assert login(grids.worker).post(f"{EVENTS}{event.pk}/close/", {"result": "x"}).status_code == 403
    assert login(users.yangqiu).post(f"{EVENTS}{event.pk}/close/", {"result": "x"}).status_code == 404
    answer = login(users.tongliang).post(f"{EVENTS}{event.pk}/escalate/", {"to": "centre", "note": ""})
    assert answer.status_code == 400 and "note" in answer.json()


def test_the_list_takes_a_fixed_number_of_queries(grids, login, report):
    for n in range(3):
        report(description=f"事件{n}")
    client = login(grids.worker)
    client.get(EVENTS)  # warm the session and content types
    with CaptureQueriesContext(connection) as few:
        assert client.get(EVENTS).json()["count"] == 3
    for n in range(6):
        report(description=f"更多事件{n}")
    with CaptureQueriesContext(connection) as more:
        assert client.get(EVENTS).json()["count"] == 9
    assert len(more) == len(few)


@pytest.mark.parametrize(("kind", "asked", "model"), [
    ("dispute", {"kind": "land", "parties": "张某、李某"}, "governance.DisputeCase"),
    ("people", {"handler": "王委员"}, "governance.PeopleIssue"),
    ("environment", {}, "environment.EnvironmentProblem"),
])  # fmt: skip
def test_each_kind_becomes_its_own_lines_register_row(grids, users, login, report, kind, asked, model):
    from django.apps import apps

    event = report(kind=kind, description=f"{kind} 事件")
    answer = login(users.tongliang).post(f"{EVENTS}{event.pk}/accept/", asked, content_type="application/json")
    assert answer.status_code == 200, answer.json()
    row = apps.get_model(model).objects.get()
    assert answer.json()["record"]["id"] == row.pk and row.unit == grids.first
    assert GridEvent.objects.get(pk=event.pk).record == row
