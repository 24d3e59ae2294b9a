"""民情走访 and 敲门行动 by a grid worker: his own login records them, signed with his GridWorker record, for his grid's
households only; a secretary's visits by party members work as before, and a visit has exactly one author."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from branches.models import Household, Unit
from governance import selectors
from governance.models import DoorKnock, VisitLog
from tests.conftest import add_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(grid_workers):
    return grid_workers.tongliang.grid_worker


@pytest.fixture
def neighbour(town):
    """A household on a second grid of 铜梁村, which is not his."""
    second = add_unit(Unit.objects.get(pk=town.tongliang.group.pk), "铜梁村第2网格", Unit.Kind.GRID)
    return Household.objects.create(unit=second, head_name="邻格户主")


def today():
    return timezone.localdate().isoformat()


def test_his_visit_form_offers_his_grids_households_and_signs_it_with_him(login, grid_workers, worker, town,
                                                                           neighbour):  # fmt: skip
    client = login(grid_workers.tongliang)
    form = client.get("/governance/visits/add/").content.decode()
    assert 'name="member"' not in form and 'name="grid_worker"' not in form
    assert "铜梁村户主1" in form and "邻格户主" not in form and "杨球村户主1" not in form
    household = town.tongliang.households[0]
    response = client.post("/governance/visits/add/", {"household": household.pk, "date": today(),
                                                        "aspect": "visit", "raised": "路灯坏了"})  # fmt: skip
    assert response.status_code == 302
    visit = VisitLog.objects.get()
    assert (visit.grid_worker, visit.member, visit.unit) == (worker, None, town.tongliang.grid)
    assert visit.history.latest().history_user == grid_workers.tongliang
    page = client.get(f"/governance/visits/{visit.pk}/").content.decode()
    assert worker.name in page
    home = client.get("/").content.decode()
    assert "本月民情走访" in home

    refused = client.post("/governance/visits/add/", {"household": neighbour.pk, "date": today(), "aspect": "visit"})
    assert refused.status_code == 400 and VisitLog.objects.count() == 1


def test_his_visits_and_knocks_through_the_api(grid_workers, worker, town, neighbour):
    api = APIClient()
    api.force_authenticate(grid_workers.tongliang)
    household = town.tongliang.households[1]
    created = api.post("/api/v1/governance/visits/", {"household": household.pk, "date": today(), "aspect": "contact"},
                       format="json")  # fmt: skip
    assert created.status_code == 201 and created.json()["grid_worker"] == worker.pk
    assert created.json()["member"] is None
    for other in (neighbour, town.yangqiu.households[0]):
        response = api.post("/api/v1/governance/visits/", {"household": other.pk, "date": today(), "aspect": "visit"},
                            format="json")  # fmt: skip
        assert response.status_code in (400, 403), other
    knock = api.post("/api/v1/governance/door-knocks/", {"household": household.pk, "date": today(),
                                                          "result": "宣传防诈骗"}, format="json")  # fmt: skip
    assert knock.status_code == 201, knock.json()
    row = DoorKnock.objects.get()
    assert (row.grid_worker, row.by, row.unit) == (worker, worker.name, town.tongliang.grid)
    elsewhere = api.post("/api/v1/governance/door-knocks/", {"household": neighbour.pk, "date": today()},
                         format="json")  # fmt: skip
    assert elsewhere.status_code == 400 and DoorKnock.objects.count() == 1
    # another grid's records stay out of his lists, and their ids are not found
    other = VisitLog.objects.create(unit=town.yangqiu.grid, member=town.yangqiu.member,
                                    household=town.yangqiu.households[0], date=timezone.localdate(), aspect="visit")
    assert [row["id"] for row in api.get("/api/v1/governance/visits/").json()["results"]] == [created.json()["id"]]
    assert api.get(f"/api/v1/governance/visits/{other.pk}/").status_code == 404


def test_his_door_knock_page_signs_it(login, grid_workers, worker, town):
    client = login(grid_workers.tongliang)
    form = client.get("/governance/door-knocks/add/").content.decode()
    assert 'name="by"' not in form and 'name="unit"' not in form
    response = client.post("/governance/door-knocks/add/", {"household": town.tongliang.households[2].pk,
                                                            "date": today(), "result": "已告知"})  # fmt: skip
    assert response.status_code == 302
    knock = DoorKnock.objects.get()
    assert (knock.grid_worker, knock.by) == (worker, worker.name)


def test_a_grid_worker_login_linked_to_no_record_is_told_so(login, town):
    loose = make_user("loose-grid", "grid_worker", town.tongliang.grid)
    response = login(loose).post("/governance/visits/add/", {"household": town.tongliang.households[0].pk,
                                                             "date": today(), "aspect": "visit"})  # fmt: skip
    assert response.status_code == 400 and "尚未关联网格员信息" in response.content.decode()
    assert not VisitLog.objects.exists()


def test_a_secretarys_visits_still_work_with_exactly_one_author(login, users, town, worker):
    client = login(users.tongliang)
    household = town.tongliang.households[0]
    visit = {"household": household.pk, "date": today(), "aspect": "policy"}
    assert client.post("/governance/visits/add/", {**visit, "member": town.tongliang.member.pk}).status_code == 302
    assert VisitLog.objects.get().member == town.tongliang.member
    neither = client.post("/governance/visits/add/", visit)
    assert neither.status_code == 400 and "只选一个" in neither.content.decode()
    both = client.post("/governance/visits/add/", {**visit, "member": town.tongliang.member.pk,
                                                   "grid_worker": worker.pk})  # fmt: skip
    assert both.status_code == 400
    by_worker = client.post("/governance/visits/add/", {**visit, "grid_worker": worker.pk})
    assert by_worker.status_code == 302  # a secretary may record his grid worker's visit
    assert VisitLog.objects.count() == 2


def test_the_database_keeps_one_author(town, worker):
    visit = VisitLog(unit=town.tongliang.grid, household=town.tongliang.households[0], date=timezone.localdate(),
                     aspect="visit")  # fmt: skip
    with pytest.raises(ValidationError, match="只选一个"):
        visit.full_clean()
    visit.grid_worker = worker
    visit.full_clean()


def test_party_points_count_only_members_visits(town, worker):
    """党员先锋积分 reads the visits by member: a grid worker's visit earns no member points and breaks nothing."""
    day = timezone.localdate()
    common = {"unit": town.tongliang.grid, "household": town.tongliang.households[0], "date": day, "aspect": "visit"}
    VisitLog.objects.create(member=town.tongliang.member, **common)
    VisitLog.objects.create(grid_worker=worker, **common)
    records = selectors.member_visits([town.tongliang.grid], day.replace(day=1), day)
    assert [record.member_id for record in records] == [town.tongliang.member.pk]



def test_his_knock_stays_in_his_grid(grid_workers, town):
    """A knock posted for another unit (a copy of a 铜梁村 record, say) is refused, not moved into his grid."""
    api = APIClient()
    api.force_authenticate(grid_workers.yangqiu)
    copied = {"unit": town.tongliang.unit.pk, "date": today(), "by": "某人", "result": "抄来的"}
    response = api.post("/api/v1/governance/door-knocks/", copied, format="json")
    assert response.status_code == 400 and "unit" in response.json()
    assert not DoorKnock.objects.exists()


def test_he_changes_only_what_he_signed(login, grid_workers, worker, town):
    """In his grid he may edit his own visit, never a party member's (which would become his) nor delete it."""
    common = {"unit": town.tongliang.grid, "household": town.tongliang.households[0], "date": timezone.localdate(),
              "aspect": "visit"}  # fmt: skip
    members = VisitLog.objects.create(member=town.tongliang.member, raised="党员走访", **common)
    his = VisitLog.objects.create(grid_worker=worker, raised="网格员走访", **common)
    client = login(grid_workers.tongliang)
    assert client.get(f"/governance/visits/{members.pk}/").status_code == 200  # he reads it
    assert client.get(f"/governance/visits/{members.pk}/edit/").status_code == 404
    assert client.get(f"/governance/visits/{his.pk}/edit/").status_code == 200
    api = APIClient()
    api.force_authenticate(grid_workers.tongliang)
    assert api.patch(f"/api/v1/governance/visits/{members.pk}/", {"raised": "改"}, format="json").status_code == 403
    members.refresh_from_db()
    assert (members.member, members.grid_worker, members.raised) == (town.tongliang.member, None, "党员走访")
