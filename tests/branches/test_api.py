"""The API of DESIGN §6 for the shared model: token auth, scoped lists, 400s with field errors in Chinese."""

import pytest
from rest_framework.test import APIClient

from branches.models import Household, PartyMember
from tests.conftest import PASSWORD


@pytest.fixture
def api():
    def as_user(user):
        client = APIClient()
        response = client.post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD})
        assert response.status_code == 200
        client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
        return client

    return as_user


def test_token_refused_for_a_wrong_password(town, users):
    response = APIClient().post("/api/v1/auth/token/", {"username": "tongliang", "password": "wrong"})
    assert response.status_code == 400


def test_anonymous_gets_nothing(town):
    assert APIClient().get("/api/v1/units/").status_code in (401, 403)


def test_units_are_scoped_and_shaped_as_designed(api, town, users):
    body = api(users.tongliang).get("/api/v1/units/").json()
    assert {row["name"] for row in body["results"]} == {"铜梁村", "铜梁村一组", "铜梁村第1网格"}
    village = next(row for row in body["results"] if row["name"] == "铜梁村")
    assert set(village) == {"id", "name", "kind", "parent", "code"}
    assert village["parent"] == town.area.pk and village["kind"] == "village" and body["count"] == 3


def test_units_filter_by_kind_and_parent(api, town, users):
    client = api(users.leader)
    villages = client.get("/api/v1/units/?kind=village").json()
    assert sorted(row["name"] for row in villages["results"]) == ["杨球村", "铜梁村"]
    children = client.get(f"/api/v1/units/?parent={town.area.pk}").json()
    assert children["count"] == 2
    assert api(users.tongliang).get("/api/v1/units/?kind=village").json()["count"] == 1


def test_households_of_another_village_are_invisible(api, town, users):
    client = api(users.tongliang)
    rows = client.get("/api/v1/households/").json()["results"]
    assert {row["head_name"] for row in rows} == {"铜梁村户主1", "铜梁村户主2", "铜梁村户主3"}
    other = town.yangqiu.households[0]
    assert client.get(f"/api/v1/households/{other.pk}/").status_code == 404
    assert client.patch(f"/api/v1/households/{other.pk}/", {"head_name": "x"}).status_code == 404
    assert client.delete(f"/api/v1/households/{other.pk}/").status_code == 404


def test_creating_in_another_village_is_a_400_and_saves_nothing(api, town, users):
    before = Household.objects.count()
    response = api(users.tongliang).post(
        "/api/v1/households/", {"unit": town.yangqiu.grid.pk, "head_name": "越界户", "population": 2}
    )
    assert response.status_code == 400
    assert "unit" in response.json()
    assert Household.objects.count() == before


def test_bad_numbers_get_field_errors(api, town, users):
    client = api(users.tongliang)
    for population in (-1, "三口", 10**9):
        response = client.post(
            "/api/v1/households/", {"unit": town.tongliang.grid.pk, "head_name": "坏数", "population": population}
        )
        assert response.status_code == 400, population
        assert "population" in response.json()
    assert not Household.objects.filter(head_name="坏数").exists()


def test_create_and_update_are_recorded(api, town, users):
    client = api(users.tongliang)
    response = client.post(
        "/api/v1/households/", {"unit": town.tongliang.grid.pk, "head_name": "接口户", "population": 4}
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    assert client.patch(f"/api/v1/households/{pk}/", {"population": 5}).status_code == 200
    history = Household.objects.get(pk=pk).history.order_by("history_date")
    assert [h.population for h in history] == [4, 5]
    assert {h.history_user for h in history} == {users.tongliang}


def test_leader_reads_but_cannot_write(api, town, users):
    client = api(users.leader)
    assert client.get("/api/v1/households/").json()["count"] == 6
    household = town.tongliang.households[0]
    assert client.patch(f"/api/v1/households/{household.pk}/", {"population": 9}).status_code == 403
    household.refresh_from_db()
    assert household.population != 9


def test_party_member_takes_his_organisations_unit(api, town, users):
    response = api(users.tongliang).post(
        "/api/v1/party-members/", {"name": "新党员", "organisation": town.tongliang.organisation.pk}
    )
    assert response.status_code == 201, response.json()
    member = PartyMember.objects.get(name="新党员")
    assert member.unit == town.tongliang.unit
    refused = api(users.tongliang).post(
        "/api/v1/party-members/", {"name": "越界党员", "organisation": town.yangqiu.organisation.pk}
    )
    assert refused.status_code == 400 and "organisation" in refused.json()


def test_party_members_list_is_scoped(api, town, users):
    rows = api(users.yangqiu).get("/api/v1/party-members/").json()["results"]
    assert [row["name"] for row in rows] == ["杨球村党员"]


def test_schema_and_offline_docs(api, town, users):
    client = api(users.leader)
    schema = client.get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    assert "/api/v1/units/" in schema.json()["paths"]
    docs = client.get("/api/v1/docs/").content.decode()
    assert "swagger-ui" in docs and "cdn" not in docs.lower() and "//unpkg" not in docs
