"""An unsafe API request with an Idempotency-Key is done once: a phone's retry after a lost answer saves nothing
twice (branches/idempotency.py)."""

from datetime import timedelta

from django.test.client import encode_multipart
from django.utils import timezone
from rest_framework.test import APIClient

from branches.models import Household, IdempotentRequest
from reports import periods
from reports.models import ReportEvent
from reports.monthly import services
from tests.conftest import PASSWORD

KEY = periods.month_key(periods.last_complete_month())
LINE = "governance"


def report_url(town):
    return f"/api/v1/reports/{town.tongliang.unit.pk}/{LINE}/{KEY}/"


def put(client, url, body, key=None):
    headers = {"Idempotency-Key": key} if key else {}
    return client.put(url, body, content_type="application/json", headers=headers)


def saves(town):
    return ReportEvent.objects.filter(report__unit=town.tongliang.unit, action=ReportEvent.Action.SAVE).count()


def leaflets(town):
    report = services.report_open(unit=town.tongliang.unit, work_line=LINE, month=periods.last_complete_month())
    return services.values_by_code(report)["gov.leaflets"].value


def test_the_same_key_twice_saves_once_and_replays_the_answer(login, town, users):
    client = login(users.tongliang)
    first = put(client, report_url(town), {"values": {"gov.leaflets": 7}}, key="k-1")
    again = put(client, report_url(town), {"values": {"gov.leaflets": 7}}, key="k-1")
    assert first.status_code == again.status_code == 200
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert saves(town) == 1 and leaflets(town) == 7
    assert IdempotentRequest.objects.filter(user=users.tongliang, key="k-1").count() == 1


def test_the_same_key_with_another_body_is_refused_in_chinese(login, town, users):
    client = login(users.tongliang)
    assert put(client, report_url(town), {"values": {"gov.leaflets": 7}}, key="k-2").status_code == 200
    response = put(client, report_url(town), {"values": {"gov.leaflets": 8}}, key="k-2")
    assert response.status_code == 422
    assert "幂等键" in response.json()["detail"]
    assert saves(town) == 1 and leaflets(town) == 7


def test_without_a_key_every_request_is_done(login, town, users):
    client = login(users.tongliang)
    assert put(client, report_url(town), {"values": {"gov.leaflets": 7}}).status_code == 200
    assert put(client, report_url(town), {"values": {"gov.leaflets": 9}}).status_code == 200
    assert saves(town) == 2 and leaflets(town) == 9
    assert not IdempotentRequest.objects.exists()


def test_keys_are_per_user(login, town, users):
    put(login(users.tongliang), report_url(town), {"values": {"gov.leaflets": 7}}, key="shared")
    response = put(login(users.cadre), report_url(town), {"values": {"gov.leaflets": 7}}, key="shared")
    assert response.status_code == 200 and "Idempotent-Replayed" not in response.headers
    assert saves(town) == 2


def test_a_refusal_is_replayed_too_and_writes_nothing(login, town, users):
    client = login(users.tongliang)
    first = put(client, report_url(town), {"values": {"gov.leaflets": -1}}, key="k-bad")
    again = put(client, report_url(town), {"values": {"gov.leaflets": -1}}, key="k-bad")
    assert first.status_code == again.status_code == 400
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"


def test_a_retry_while_the_first_is_running_waits(login, town, users):
    client = login(users.tongliang)
    IdempotentRequest.objects.create(user=users.tongliang, key="k-run", method="PUT", path=report_url(town),
                                     body_digest="x")  # fmt: skip
    response = put(client, report_url(town), {"values": {"gov.leaflets": 7}}, key="k-run")
    assert response.status_code == 409 and "请求正在处理" in response.json()["detail"]
    assert saves(town) == 0


def test_a_multipart_retry_with_another_boundary_is_the_same_request(login, town, users):
    """The browser draws a new multipart boundary each time the queue rebuilds the form."""
    client = login(users.tongliang)
    data = {"unit": town.tongliang.grid.pk, "head_name": "离线户", "population": 3}
    for boundary in ("first-boundary", "second-boundary"):
        response = client.post("/api/v1/households/", encode_multipart(boundary, data),
                               content_type=f"multipart/form-data; boundary={boundary}",
                               headers={"Idempotency-Key": "k-photo"})  # fmt: skip
        assert response.status_code == 201, response.content
    assert Household.objects.filter(head_name="离线户").count() == 1


def test_an_api_token_client_gets_the_same(town, users):
    client = APIClient()
    token = client.post("/api/v1/auth/token/", {"username": "tongliang", "password": PASSWORD}).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    for _ in range(2):
        response = client.put(report_url(town), {"values": {"gov.leaflets": 4}}, format="json",
                              headers={"Idempotency-Key": "k-token"})  # fmt: skip
        assert response.status_code == 200
    assert response.headers["Idempotent-Replayed"] == "true" and saves(town) == 1


def test_old_keys_are_forgotten_when_new_ones_are_written(login, town, users):
    old = IdempotentRequest.objects.create(user=users.tongliang, key="old", method="PUT", path="/api/v1/x/",
                                           body_digest="x", status=200,
                                           created=timezone.now() - timedelta(days=8))  # fmt: skip
    put(login(users.tongliang), report_url(town), {"values": {"gov.leaflets": 7}}, key="new")
    assert not IdempotentRequest.objects.filter(pk=old.pk).exists()


def test_an_expired_session_is_told_apart_from_a_refusal(client, town, users):
    response = put(client, report_url(town), {"values": {"gov.leaflets": 7}}, key="k-anon")
    assert response.status_code == 403 and response.json()["code"] == "not_authenticated"
    assert not IdempotentRequest.objects.exists() and saves(town) == 0


def test_a_conflict_carries_both_sides(login, town, users):
    """Someone saved the report meanwhile: the 409 keeps its message and adds what is saved now and by whom."""
    secretary = login(users.tongliang)
    version = put(secretary, report_url(town), {"values": {"gov.leaflets": 3}}).json()["version"]
    assert put(login(users.cadre), report_url(town), {"values": {"gov.leaflets": 5}}).status_code == 200
    response = put(login(users.tongliang), report_url(town), {"values": {"gov.leaflets": 9}, "version": version})
    assert response.status_code == 409
    body = response.json()
    assert "请刷新页面后再保存" in body["detail"] and body["code"] == "conflict"
    assert body["version"] == version + 1
    assert body["current"] == {"gov.leaflets": 5}
    assert body["updated_by"] == users.cadre.display_name
    assert leaflets(town) == 5
