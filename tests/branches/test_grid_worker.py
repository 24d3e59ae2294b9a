"""网格员: a grid worker keeps his own grid's households, whole, and nothing of another grid's or village's — through
the pages, the Excel export, the API and guessed ids. Of those households he updates only the contact data (phone,
house number, note); he creates, deletes and renames none, and the history shows him as the one who changed them."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from branches.models import Household, Unit
from tests.conftest import add_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def grids(town, users, grid_workers):
    """His grid's household (with a phone), one on a second grid of 铜梁村, one of 杨球村."""
    mine = town.tongliang.households[0]
    mine.phone = "13912345678"
    mine.save()
    second = add_unit(Unit.objects.get(pk=town.tongliang.group.pk), "铜梁村第2网格", Unit.Kind.GRID)
    neighbour = Household.objects.create(unit=second, head_name="邻格户主", house_number="9", phone="13700001111")
    return {"mine": mine, "neighbour": neighbour, "other_village": town.yangqiu.households[0]}


@pytest.fixture
def api(grid_workers):
    client = APIClient()
    client.force_authenticate(grid_workers.tongliang)
    return client


def test_he_sees_his_grids_households_whole_and_no_others(login, grid_workers, grids, town):
    client = login(grid_workers.tongliang)
    page = client.get("/households/").content.decode()
    assert "铜梁村户主1" in page and "13912345678" in page  # whole: he keeps their contact data
    assert "邻格户主" not in page and "杨球村户主1" not in page

    sheet = load_workbook(BytesIO(client.get("/households/?export=xlsx").content)).active
    exported = [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "13912345678" in exported
    assert not any("邻格户主" in cell or "杨球村" in cell for cell in exported)


def test_the_api_lists_only_his_grid(api, grids, town):
    rows = api.get("/api/v1/households/?page_size=100").json()["results"]
    assert {row["unit"] for row in rows} == {town.tongliang.grid.pk}
    assert {row["head_name"] for row in rows} == {f"铜梁村户主{i}" for i in range(1, 4)}
    assert api.get(f"/api/v1/households/{grids['mine'].pk}/").json()["phone"] == "13912345678"


@pytest.mark.parametrize("whose", ["neighbour", "other_village"])
def test_guessed_ids_of_another_grid_are_not_found(login, api, grid_workers, grids, whose):
    pk = grids[whose].pk
    client = login(grid_workers.tongliang)
    for url in (f"/households/{pk}/", f"/households/{pk}/edit/", f"/households/{pk}/delete/",
                f"/households/{pk}/contact/"):  # fmt: skip
        assert client.get(url).status_code == 404, url
    assert client.post(f"/households/{pk}/contact/", {"phone": "13600000000"}).status_code == 404
    assert api.get(f"/api/v1/households/{pk}/").status_code == 404
    assert api.patch(f"/api/v1/households/{pk}/contact/", {"phone": "13600000000"}, format="json").status_code == 404
    assert api.patch(f"/api/v1/households/{pk}/", {"phone": "13600000000"}, format="json").status_code == 404
    assert api.delete(f"/api/v1/households/{pk}/").status_code == 404
    grids[whose].refresh_from_db()
    assert grids[whose].phone != "13600000000"


def test_he_cannot_add_delete_or_rename_a_household(login, api, grid_workers, grids, town):
    mine = grids["mine"]
    client = login(grid_workers.tongliang)
    assert "新增" not in client.get("/households/").content.decode()
    detail = client.get(f"/households/{mine.pk}/").content.decode()
    assert "更新联系方式" in detail and f"/households/{mine.pk}/edit/" not in detail and "删除" not in detail
    assert client.get("/households/add/").status_code == 403
    new = {"unit": town.tongliang.grid.pk, "head_name": "新户", "population": 2}
    assert client.post("/households/add/", new).status_code == 403
    assert client.get(f"/households/{mine.pk}/edit/").status_code == 404
    assert client.post(f"/households/{mine.pk}/delete/").status_code == 404

    assert api.post("/api/v1/households/", new, format="json").status_code == 403
    assert api.patch(f"/api/v1/households/{mine.pk}/", {"head_name": "改名"}, format="json").status_code == 403
    assert api.delete(f"/api/v1/households/{mine.pk}/").status_code == 403
    renamed = api.patch(f"/api/v1/households/{mine.pk}/contact/", {"head_name": "改名", "phone": "13600000000"},
                        format="json")  # fmt: skip
    assert renamed.status_code == 400 and "head_name" in renamed.json()
    mine.refresh_from_db()
    assert (mine.head_name, mine.phone) == ("铜梁村户主1", "13912345678")
    assert Household.objects.filter(head_name="新户").count() == 0


def test_he_updates_a_phone_and_the_history_shows_him(login, grid_workers, grids):
    mine = grids["mine"]
    client = login(grid_workers.tongliang)
    form = client.get(f"/households/{mine.pk}/contact/").content.decode()
    assert 'name="phone"' in form and 'name="head_name"' not in form and 'name="population"' not in form
    response = client.post(f"/households/{mine.pk}/contact/", {"phone": "13600000000", "house_number": "12",
                                                                "note": "户主外出务工，联系其子"})  # fmt: skip
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.phone, mine.house_number, mine.head_name) == ("13600000000", "12", "铜梁村户主1")
    assert mine.history.latest().history_user == grid_workers.tongliang
    detail = client.get(f"/households/{mine.pk}/").content.decode()
    assert "铜梁村网格员" in detail  # the history names him

    bad = client.post(f"/households/{mine.pk}/contact/", {"phone": "12345"})
    assert bad.status_code == 400 and "13600000000" == Household.objects.get(pk=mine.pk).phone


def test_the_api_contact_update(api, grid_workers, grids):
    mine = grids["mine"]
    response = api.patch(f"/api/v1/households/{mine.pk}/contact/", {"phone": "13500000000"}, format="json")
    assert response.status_code == 200 and response.json()["phone"] == "13500000000"
    assert mine.history.latest().history_user == grid_workers.tongliang
    assert api.patch(f"/api/v1/households/{mine.pk}/contact/", {"phone": "abc"}, format="json").status_code == 400


def test_a_leader_may_not_update_contact_data_and_a_secretary_may(login, users, grids):
    mine = grids["mine"]
    assert login(users.leader).get(f"/households/{mine.pk}/contact/").status_code == 404
    leader = APIClient()
    leader.force_authenticate(users.leader)
    assert leader.patch(f"/api/v1/households/{mine.pk}/contact/", {"phone": "13500000000"},
                        format="json").status_code == 403  # fmt: skip
    secretary = login(users.tongliang)
    assert secretary.post(f"/households/{mine.pk}/contact/", {"phone": "13500000000"}).status_code == 302
    assert secretary.get(f"/households/{grids['other_village'].pk}/contact/").status_code == 404


def test_his_home_shows_his_grid_and_his_villages_public_information(login, grid_workers, grids, town, users):
    from branches.models import PartyOrganisation

    PartyOrganisation.objects.filter(unit=town.tongliang.unit).update(secretary_name="铜梁书记")
    users.tongliang.phone = "13811112222"
    users.tongliang.save()
    page = login(grid_workers.tongliang).get("/").content.decode()
    for shown in ("铜梁村第1网格", "铜梁村", "铜梁书记", "13811112222", "联村干部", "网格员工作台"):
        assert shown in page, shown
    assert "杨球村" not in page
    assert "领导驾驶舱" not in page and "月报审核" not in page  # his navigation holds only what he has
    dashboard = login(grid_workers.tongliang).get(reverse("reports:dashboard"))
    assert dashboard.status_code == 302


def test_the_grid_worker_record_links_only_a_grid_worker_login_of_its_grid(login, users, grid_workers, town):
    from branches.models import GridWorker

    client = login(users.tongliang)
    worker = GridWorker.objects.create(unit=town.tongliang.grid, name="新网格员")
    form = {"unit": town.tongliang.grid.pk, "name": "新网格员", "user": users.tongliang.pk}
    response = client.post(f"/grid-workers/{worker.pk}/edit/", form)
    assert response.status_code == 400  # his own secretary login is no grid worker's
    form["user"] = grid_workers.yangqiu.pk  # another village's grid worker is not even offered
    assert client.post(f"/grid-workers/{worker.pk}/edit/", form).status_code == 400
    worker.refresh_from_db()
    assert worker.user is None
