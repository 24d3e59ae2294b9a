"""A login with a role but no unit sees nothing: no scope, no fallback on the top of the tree, and pages that would show
his unit say why they are empty. (The permission matrix, tests/security, walks every page and API answer as such
users; these are the pages a person meets first.)"""

import pytest

from branches.models import Assignment, Cadre, Household, Unit, User
from branches.scoping import CHANGE, REVIEW, VIEW, can_act_on_unit
from reports import worklines
from tests.conftest import make_user

MESSAGE = "您的账号尚未指定所属单位，请联系系统管理员。"
ROLES = (User.Role.SECRETARY, User.Role.CADRE, User.Role.LEADER)


def names_shown(html, town):
    """The names of the tree's units on a page, the portal's own name (which holds the county's) aside."""
    html = html.replace("中共双峰县井字镇委员会", "")
    units = (town.county, town.area, town.tongliang.unit, town.yangqiu.unit)
    return [unit.name for unit in units if unit.name in html]


@pytest.fixture
def loose(town):
    """One login per role attached to no unit; the cadre keeps his card and a 包村 of 铜梁村."""
    users = {role: make_user(f"loose_{role}", role, None) for role in ROLES}
    card = Cadre.objects.create(unit=town.unit, name="无单位干部", user=users[User.Role.CADRE])
    Assignment.objects.create(kind=Assignment.Kind.VILLAGE, unit=town.tongliang.unit, cadre=card)
    return users


@pytest.mark.parametrize("role", ROLES)
def test_no_unit_means_no_scope(town, loose, role):
    user = loose[role]
    for action in (VIEW, CHANGE, REVIEW):
        assert not Unit.objects.restrict(user, action).exists()
        assert not Household.objects.restrict(user, action).exists()
        assert not can_act_on_unit(user, town.tongliang.grid, action)


@pytest.mark.parametrize("role", ROLES)
def test_pages_that_show_his_unit_say_he_has_none(client, town, loose, role):
    client.force_login(loose[role])
    lines = [f"/lines/{code}/" for code, _label in worklines.choices()]
    for url in ["/", *lines, "/governance/disputes/monthly/"]:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert MESSAGE in html, url
        assert names_shown(html, town) == [], url


@pytest.mark.parametrize("role", ROLES)
def test_pages_that_need_a_unit_refuse_him_with_the_reason(client, town, loose, role):
    client.force_login(loose[role])
    for url in ("/dashboard/", "/reports/", "/reports/brief/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert MESSAGE in response.content.decode(), url
    assert client.get(f"/reports/?unit={town.unit.pk}").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_api_lists_are_empty(client, town, loose, role):
    client.force_login(loose[role])
    for url in ("/api/v1/units/", "/api/v1/households/", "/api/v1/assignments/", "/api/v1/party-members/"):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.json()
        assert (body["results"] if isinstance(body, dict) else body) == [], url


def test_an_admin_without_a_unit_still_lands_on_the_top_of_the_tree(client, town):
    client.force_login(make_user("root", User.Role.ADMIN, None))
    html = client.get("/lines/industry/").content.decode()
    assert MESSAGE not in html and "双峰县 ·" in html
