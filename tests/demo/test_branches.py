"""`manage.py load_demo`: the demo 井字镇 has the article's figures, its logins work, and loading again with
--password, or over a grid someone has filled, does what it says (loading twice changing nothing is
tests/demo/test_idempotent.py).

The demo is loaded once for the package (tests/demo/conftest.py) inside a transaction that is rolled back at the end;
each test runs in a savepoint inside it (as Django's TestCase.setUpTestData does), so the tests can load again without
paying twice.
"""

from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import Count, F

from branches.models import (
    Assignment,
    Cadre,
    GridWorker,
    Household,
    HouseholdLink,
    MicroGrid,
    PartyMember,
    PartyOrganisation,
    Unit,
    User,
)
from demo import branches as demo

pytestmark = pytest.mark.django_db  # tests/demo/ holds database tests only (see its conftest)

KNOWN_UNITS = (
    "关圣殿社区 坪石村 同德村 增峰村 世仁村 万里村 黄巢村 莲塘村 石奇村 花桥村 花山村 三石村 长湾村 约溪村 松柏村 "
    "铜梁村 杨球村"
).split()


def load(*args):
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def snapshot():
    models = (
        Unit, User, Household, PartyOrganisation, PartyMember, HouseholdLink, MicroGrid, MicroGrid.households.through,
        Cadre, GridWorker, Assignment,
    )  # fmt: skip
    return {model.__name__: model.objects.count() for model in models}



def test_the_plan_adds_up_to_the_article():
    plan = demo.grid_plan()
    assert len(demo.VILLAGES) == 22
    assert [spec.name for spec in demo.VILLAGES[:17]] == KNOWN_UNITS
    assert all(spec.name.startswith("示例村") for spec in demo.VILLAGES[17:])
    assert all(spec.grids in (5, 6) for spec in demo.VILLAGES)
    assert len(plan) == 122
    assert sum(quota for _spec, _number, quota, _micro in plan) == 1158
    assert sum(1 for *_rest, has_micro in plan if has_micro) == 116


@pytest.mark.django_db
def test_the_tree_has_the_articles_units(demo_town):
    units = Unit.objects.under(demo_town)
    villages = units.villages()
    assert villages.count() == 22
    assert set(villages.values_list("name", flat=True)) >= set(KNOWN_UNITS)
    assert villages.filter(kind=Unit.Kind.COMMUNITY).get().name == "关圣殿社区"
    assert sorted(villages.values_list("code", flat=True)) == [f"431321102{n:03d}" for n in range(1, 23)]
    assert Unit.objects.get_parent(demo_town).code == "431321"
    assert units.filter(kind=Unit.Kind.AREA).count() == 4
    assert all(Unit.objects.get_parent(village).kind == Unit.Kind.AREA for village in villages)
    grids = units.filter(kind=Unit.Kind.GRID)
    assert grids.count() == 122
    assert units.filter(kind=Unit.Kind.GROUP).count() == 122
    assert all(Unit.objects.get_parent(grid).kind == Unit.Kind.GROUP for grid in grids)
    per_village = [units.filter(kind=Unit.Kind.GRID, path__startswith=village.path).count() for village in villages]
    assert set(per_village) == {5, 6}
    assert GridWorker.objects.filter(unit__in=grids).values("unit").distinct().count() == 122


@pytest.mark.django_db
def test_households_members_links_and_micro_grids(demo_town):
    grids = Unit.objects.filter(kind=Unit.Kind.GRID, path__startswith=demo_town.path)
    sizes = grids.annotate(n=Count("household")).values_list("n", flat=True)
    assert min(sizes) >= 30 and max(sizes) <= 45
    assert PartyMember.objects.count() == 1158
    assert PartyMember.objects.filter(unit__kind__in=Unit.VILLAGE_KINDS).count() == 1158
    assert PartyMember.objects.filter(is_group_leader=True).exists()
    assert not Household.objects.filter(links__isnull=True).exists()  # 五个到户 全覆盖
    assert not HouseholdLink.objects.exclude(unit=F("household__unit")).exists()
    assert MicroGrid.objects.count() == 116
    for micro_grid in MicroGrid.objects.select_related("leader"):
        assert set(micro_grid.households.values_list("unit", flat=True)) == {micro_grid.unit_id}
        assert micro_grid.leader.is_group_leader
    tongliang = PartyOrganisation.objects.get(unit__name="铜梁村")
    assert tongliang.name == "铜梁村党总支部"
    assert tongliang.level == PartyOrganisation.Level.GENERAL_BRANCH
    assert tongliang.parent.level == PartyOrganisation.Level.COMMITTEE
    assert PartyOrganisation.objects.filter(unit__kind__in=Unit.VILLAGE_KINDS).exclude(secretary_name="").count() == 22


@pytest.mark.django_db
def test_the_four_level_chain(demo_town):
    """领导班子包片、联村干部包村、村支两委包组、党员组长包户."""
    areas = Unit.objects.filter(kind=Unit.Kind.AREA, path__startswith=demo_town.path)
    for area in areas:
        assert Assignment.objects.get(kind=Assignment.Kind.AREA, unit=area).cadre.is_leader
    assert Cadre.objects.filter(is_leader=True).count() == 6
    assert Cadre.objects.filter(is_leader=False).count() >= 16
    villages = Unit.objects.under(demo_town).villages()
    for village in villages:
        assert Assignment.objects.get(kind=Assignment.Kind.VILLAGE, unit=village).cadre is not None
    for group in Unit.objects.filter(kind=Unit.Kind.GROUP, path__startswith=demo_town.path):
        member = Assignment.objects.get(kind=Assignment.Kind.GROUP, unit=group).member
        assert group.path.startswith(member.unit.path)
    households = Assignment.objects.filter(kind=Assignment.Kind.HOUSEHOLD).select_related("member", "household")
    assert households.exists()
    for assignment in households:
        assert assignment.member.is_group_leader
        assert assignment.unit_id == assignment.household.unit_id
    kept = households.values("household").distinct().count()
    assert Household.objects.count() - kept == 22  # one gap per village, to show what a gap looks like
    assert not Assignment.objects.filter(cadre__isnull=False, member__isnull=False).exists()


@pytest.mark.django_db
def test_the_cadre_login_answers_for_tongliang_and_yangqiu(demo_town):
    cadre = User.objects.get(username="cadre").cadre
    assigned = Assignment.objects.filter(cadre=cadre, kind=Assignment.Kind.VILLAGE)
    assert sorted(assigned.values_list("unit__name", flat=True)) == ["杨球村", "铜梁村"]


@pytest.mark.django_db
def test_the_demo_logins(demo_town):
    password = settings.DEMO_PASSWORD
    expected = {
        "admin": (User.Role.ADMIN, "井字镇"),
        "leader": (User.Role.LEADER, "井字镇"),
        "cadre": (User.Role.CADRE, "井字镇"),
        "tongliang": (User.Role.SECRETARY, "铜梁村"),
        "yangqiu": (User.Role.SECRETARY, "杨球村"),
    }
    for username, (role, unit_name) in expected.items():
        user = authenticate(username=username, password=password)
        assert user is not None, username
        assert (user.role, user.unit.name) == (role, unit_name)
        assert user.first_name
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert User.objects.get(username="leader").cadre.is_leader
    # The village party secretaries (the volunteers demo adds two station managers with a secretary's rights).
    secretaries = User.objects.filter(role=User.Role.SECRETARY, username__in=demo.secretary_usernames().values())
    assert secretaries.count() == 22
    assert set(secretaries.values_list("unit", flat=True)) == set(
        Unit.objects.under(demo_town).villages().values_list("pk", flat=True)
    )
    for user in secretaries:
        assert authenticate(username=user.username, password=password) is not None
        assert user.first_name == PartyOrganisation.objects.get(unit=user.unit).secretary_name


@pytest.mark.django_db
def test_the_printout(printout):
    for figure in ("村/社区 22", "网格 122", "党员 1158", "微网格 116", "农户 "):
        assert figure in printout
    for username in ("admin", "leader", "cadre", "tongliang", "yangqiu", "sec01", "sec20"):
        assert username in printout
    assert settings.DEMO_PASSWORD in printout


@pytest.mark.django_db
def test_password_option(demo_town):
    before = snapshot()
    output = load("--password", "another-pass-2026")
    assert snapshot() == before
    assert authenticate(username="yangqiu", password="another-pass-2026") is not None
    assert authenticate(username="yangqiu", password=settings.DEMO_PASSWORD) is None
    assert "another-pass-2026" in output
    # Without --password an existing login keeps its password, and the printout says so.
    assert "未改动" in load()


@pytest.mark.django_db
def test_a_grid_that_already_has_households_is_left_alone(demo_town):
    grid = Unit.objects.get(name="杨球村第1网格")
    member = PartyMember.objects.filter(household__unit=grid).first()
    Assignment.objects.filter(household__unit=grid).delete()
    member.links.all().delete()
    kept = Household.objects.filter(unit=grid).count()
    load()
    assert Household.objects.filter(unit=grid).count() == kept
    assert PartyMember.objects.count() == 1158


@pytest.mark.django_db
def test_the_town_cadre_sees_the_articles_counts_on_his_home_page(demo_town, client):
    assert client.login(username="cadre", password=settings.DEMO_PASSWORD)
    html = client.get("/").content.decode()
    for stat, value in (("grids", "122"), ("members", "1158"), ("micro_grids", "116")):
        assert f'data-stat="{stat}">{value}<' in html, stat
    assert 'data-stat="villages">22<' in html
    assert client.get("/units/?kind=village").content.decode().count("431321102") >= 21


@pytest.mark.django_db
def test_tongliang_sees_only_his_village_after_the_demo(demo_town, client):
    assert client.login(username="tongliang", password=settings.DEMO_PASSWORD)
    units = client.get("/api/v1/units/?kind=village").json()
    assert [row["name"] for row in units["results"]] == ["铜梁村"]
    everything = client.get("/api/v1/units/?page_size=1000").json()
    tongliang = Unit.objects.get(name="铜梁村")
    assert all(Unit.objects.get(pk=row["id"]).path.startswith(tongliang.path) for row in everything["results"])
    other = Unit.objects.get(name="杨球村")
    assert client.get(f"/units/{other.pk}/").status_code == 404


def test_people_have_made_up_mobiles_that_a_leader_sees_masked(demo_town, client):
    """Households, party members, cadres and grid workers carry plausible, made-up mobiles (so masking shows); the
    town's leader, who may not change a household, sees its phone as 138****1234 and never whole."""
    import re

    from branches.masking import mask_number

    mobile = re.compile(r"^1[3-9]\d{9}$")
    for model in (Household, PartyMember, Cadre, GridWorker):
        phones = list(model.objects.values_list("phone", flat=True))
        assert phones and all(mobile.match(phone) for phone in phones), model.__name__
        assert len(set(phones)) > 0.95 * len(phones), f"{model.__name__}: phones repeat"
    household = Household.objects.filter(unit__path__startswith=demo_town.path).order_by("id").first()
    leader = User.objects.filter(role=User.Role.LEADER, unit=demo_town).order_by("id").first()
    client.force_login(leader)
    page = client.get(f"/households/{household.pk}/").content.decode()
    assert household.phone not in page and mask_number(household.phone) in page


@pytest.mark.django_db
def test_a_grid_worker_login_for_each_grid_of_tongliang_and_yangqiu(demo_town, printout, client):
    """tl-grid1 … tl-grid6 and yq-grid1 … yq-grid6: 网格员 on their grid, linked to its GridWorker, printed."""
    for village, prefix in (("铜梁村", "tl-grid"), ("杨球村", "yq-grid")):
        grids = Unit.objects.filter(kind=Unit.Kind.GRID, path__startswith=Unit.objects.get(name=village).path)
        assert grids.count() == 6
        for number, grid in enumerate(grids.order_by("path"), start=1):
            user = authenticate(username=f"{prefix}{number}", password=settings.DEMO_PASSWORD)
            assert user is not None, (prefix, number)
            assert (user.role, user.unit) == (User.Role.GRID_WORKER, grid)
            assert user.grid_worker.unit == grid and user.first_name == user.grid_worker.name
            assert f"{prefix}{number}" in printout
    assert client.login(username="yq-grid2", password=settings.DEMO_PASSWORD)
    page = client.get("/").content.decode()
    assert "杨球村" in page and "网格员工作台" in page
    households = client.get("/api/v1/households/?page_size=1000").json()["results"]
    grid = User.objects.get(username="yq-grid2").unit
    assert households and {row["unit"] for row in households} == {grid.pk}
