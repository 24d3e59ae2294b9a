"""Reference lists (农户, 党员, 村民小组与网格, 党组织) live on their own pages, reached from the 名录 card of each home
page with their counts; the village's 村民小组与网格 page is scoped like every other page and exports to Excel."""

import re
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from branches.models import GridWorker, Household, Unit
from tests.conftest import add_unit

pytestmark = pytest.mark.django_db


def grids_url(unit):
    return reverse("branches:unit_grids", args=[unit.pk])


def reference_links(html):
    """{data-reference-list: (href, the link's text without tags)} of the page's 名录 card."""
    links = re.findall(r'<a [^>]*data-reference-list="(\w+)" href="([^"]+)">(.*?)</a>', html, re.S)
    return {name: (href.replace("&amp;", "&"), " ".join(re.sub(r"<[^>]+>", " ", text).split()))
            for name, href, text in links}  # fmt: skip


@pytest.fixture
def second_grid(town):
    """A second grid in 铜梁村's group, with a worker and one household nobody covers."""
    grid = add_unit(Unit.objects.get(pk=town.tongliang.group.pk), "铜梁村第2网格", Unit.Kind.GRID)
    GridWorker.objects.create(unit=grid, name="第二网格员")
    Household.objects.create(unit=grid, head_name="邻格户主")
    return grid


def test_the_village_page_links_its_reference_lists_with_their_counts_and_lists_none_of_them(login, town, users):
    village = town.tongliang.unit
    html = login(users.tongliang).get(f"/units/{village.pk}/").content.decode()
    links = reference_links(html)
    assert links == {
        "households": (f"/households/?under={village.pk}", "农户 3 户"),
        "members": (f"/party-members/?under={village.pk}&is_active=true", "党员 1 名"),
        "grids": (grids_url(village), "村民小组与网格 1 个网格"),
        "organisations": (f"/party-organisations/?under={village.pk}", "党组织 1 个"),
    }
    assert "铜梁村户主1" not in html and "铜梁村党员" not in html  # the lists themselves are on their pages
    assert "铜梁村党支部" in html  # the 党组织 card stays


def test_each_reference_link_opens_the_villages_list(login, town, users):
    client = login(users.tongliang)
    links = reference_links(client.get(f"/units/{town.tongliang.unit.pk}/").content.decode())
    expected = {"households": "铜梁村户主3", "members": "铜梁村党员", "grids": "铜梁村第1网格",
                "organisations": "铜梁村党支部"}  # fmt: skip
    for name, (href, _text) in links.items():
        page = client.get(href)
        assert page.status_code == 200 and expected[name] in page.content.decode(), name


def test_the_grid_page_shows_each_grid_with_its_group_workers_and_coverage(login, town, users, second_grid):
    member = town.tongliang.member
    for household in town.tongliang.households[:2]:
        member.links.create(household=household, unit=household.unit)
    GridWorker.objects.create(unit=town.tongliang.grid, name="第一网格员")
    html = login(users.tongliang).get(grids_url(town.tongliang.unit)).content.decode()
    rows = [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in re.findall(r"<tr>(.*?)</tr>", html, re.S)[1:]]
    assert rows == ["铜梁村第1网格 铜梁村一组 第一网格员 3 2 0 66.7%", "铜梁村第2网格 铜梁村一组 第二网格员 1 0 0 0.0%"]
    assert "1 个村民小组 · 2 个网格" in html
    assert '<li class="breadcrumb-item active" aria-current="page">村民小组与网格</li>' in html
    assert "杨球村" not in html


def test_another_villages_secretary_gets_404_and_his_own_page_holds_none_of_it(login, town, users):
    client = login(users.yangqiu)
    assert client.get(grids_url(town.tongliang.unit)).status_code == 404
    assert client.get(grids_url(town.tongliang.unit) + "?export=xlsx").status_code == 404
    own = client.get(grids_url(town.yangqiu.unit)).content.decode()
    assert "杨球村第1网格" in own and "铜梁村" not in own


def test_a_grid_worker_sees_his_grid_alone(login, town, users, grid_workers, second_grid):
    client = login(grid_workers.tongliang)
    assert client.get(grids_url(town.tongliang.unit)).status_code == 404  # his village is above his grid
    assert client.get(grids_url(second_grid)).status_code == 404
    html = client.get(grids_url(town.tongliang.grid)).content.decode()
    assert "铜梁村第1网格" in html and "铜梁村一组" in html and "铜梁村网格员" in html
    assert "铜梁村第2网格" not in html and "第二网格员" not in html


def test_a_cadre_sees_the_grids_of_every_village_of_his_town(login, town, users, second_grid):
    html = login(users.cadre).get(grids_url(town.unit)).content.decode()
    for grid in ("铜梁村第1网格", "铜梁村第2网格", "杨球村第1网格"):
        assert grid in html, grid
    assert '<th scope="col">村（社区）</th>' in html  # above the villages, each grid says whose it is


def test_a_village_without_grids_says_so(login, town, users):
    Household.objects.filter(unit=town.tongliang.grid).delete()
    Unit.objects.get(pk=town.tongliang.grid.pk).delete()
    html = login(users.tongliang).get(grids_url(town.tongliang.unit)).content.decode()
    assert 'data-testid="grids-empty"' in html and "尚未划分网格。" in html and "已有 1 个村民小组" in html
    assert "导出 Excel" not in html


def test_the_grids_export_to_excel(login, town, users, second_grid):
    response = login(users.tongliang).get(grids_url(town.tongliang.unit) + "?export=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("网格", "村民小组", "网格员", "农户", "已联系", "微网格", "覆盖率（%）")
    # an empty cell (no worker yet) reads back as None
    assert rows[1:] == [
        ("铜梁村第1网格", "铜梁村一组", None, 3, 0, 0, 0),
        ("铜梁村第2网格", "铜梁村一组", "第二网格员", 1, 0, 0, 0),
    ]


def test_the_grid_page_only_reads(login, town, users):
    assert login(users.tongliang).post(grids_url(town.tongliang.unit)).status_code == 405


def test_the_cadres_home_links_the_towns_reference_lists(login, town, users, second_grid):
    links = reference_links(login(users.cadre).get("/").content.decode())
    pk = town.unit.pk
    assert links == {
        "villages": (f"/units/?kind=village&under={pk}", "村（社区） 2 个"),
        "households": (f"/households/?under={pk}", "农户 7 户"),
        "members": (f"/party-members/?under={pk}&is_active=true", "党员 2 名"),
        "grids": (grids_url(town.unit), "村民小组与网格 3 个网格"),
    }


def test_the_grid_workers_home_links_his_grids_households(login, town, grid_workers, second_grid):
    links = reference_links(login(grid_workers.tongliang).get("/").content.decode())
    assert links == {"households": (f"/households/?under={town.tongliang.grid.pk}", "我的网格（农户） 3 户")}
