"""The pages as a user meets them: own village only, edits with history, exports scoped like the lists."""

from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from branches.models import Household


def test_anonymous_is_sent_to_login(client, town):
    response = client.get(f"/units/{town.tongliang.unit.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_login_page_is_chinese(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert 'lang="zh-Hans"' in html and "用户名" in html and "密码" in html


def test_english_is_available(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    html = client.get("/accounts/login/").content.decode()
    assert 'lang="en"' in html and "Password" in html


def test_secretary_lands_on_his_village(login, town, users):
    response = login(users.tongliang).get("/", follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/units/{town.tongliang.unit.pk}/"
    assert "铜梁村" in html and "铜梁村党支部" in html
    assert f'data-reference-list="households" href="/households/?under={town.tongliang.unit.pk}"' in html
    assert "杨球村" not in html


def test_secretary_gets_404_for_anything_of_another_village(login, town, users):
    client = login(users.tongliang)
    other = town.yangqiu
    for url in (
        f"/units/{other.unit.pk}/",
        f"/units/{other.grid.pk}/",
        f"/households/{other.households[0].pk}/",
        f"/households/{other.households[0].pk}/edit/",
        f"/party-members/{other.member.pk}/",
        f"/party-organisations/{other.organisation.pk}/",
    ):
        assert client.get(url).status_code == 404, url


def test_lists_and_exports_hold_own_village_only(login, town, users):
    client = login(users.tongliang)
    html = client.get("/households/").content.decode()
    assert "铜梁村户主1" in html and "杨球村户主1" not in html
    export = client.get("/households/?export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(export.content)).active
    heads = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(heads) == ["铜梁村户主1", "铜梁村户主2", "铜梁村户主3"]
    assert sheet.cell(1, 1).value == "户主"


def test_leader_sees_every_village_but_cannot_edit(login, town, users):
    client = login(users.leader)
    assert client.get("/").url == reverse("reports:dashboard")  # he lands on his town's dashboard
    html = client.get("/units/?kind=village").content.decode()  # 名录: 村（社区）
    assert "铜梁村" in html and "杨球村" in html
    assert client.get(f"/households/{town.yangqiu.households[0].pk}/").status_code == 200
    assert client.get(f"/households/{town.yangqiu.households[0].pk}/edit/").status_code == 404


def test_cadre_edits_his_village_only(login, town, users):
    client = login(users.cadre)
    own, other = town.tongliang.households[0], town.yangqiu.households[0]
    assert client.get(f"/households/{own.pk}/edit/").status_code == 200
    assert client.get(f"/households/{other.pk}/edit/").status_code == 404
    assert client.get(f"/households/{other.pk}/").status_code == 200


def test_edit_is_recorded_with_who_old_and_new(login, town, users):
    client = login(users.tongliang)
    household = town.tongliang.households[0]
    response = client.post(
        f"/households/{household.pk}/edit/",
        {"unit": household.unit_id, "head_name": household.head_name, "house_number": "88", "population": 5},
    )
    assert response.status_code == 302
    html = client.get(f"/households/{household.pk}/").content.decode()
    assert "修改记录" in html and "门牌号" in html and "88" in html
    assert "tongliang" in html or users.tongliang.display_name in html


def test_household_cannot_be_moved_into_another_village(login, town, users):
    client = login(users.tongliang)
    household = town.tongliang.households[0]
    response = client.post(
        f"/households/{household.pk}/edit/",
        {"unit": town.yangqiu.grid.pk, "head_name": "换村", "population": 2},
    )
    assert response.status_code == 400
    assert "选择一个有效的选项" in response.content.decode()
    household.refresh_from_db()
    assert household.unit_id == town.tongliang.grid.pk and household.head_name != "换村"


def test_bad_numbers_are_refused_in_chinese_and_nothing_changes(login, town, users):
    client = login(users.tongliang)
    household = town.tongliang.households[0]
    for population in ("-3", "三口人"):
        response = client.post(
            f"/households/{household.pk}/edit/",
            {"unit": household.unit_id, "head_name": "新名字", "population": population},
        )
        assert response.status_code == 400
        assert "新名字" in response.content.decode()  # the form keeps what was typed
    household.refresh_from_db()
    assert household.head_name != "新名字"


def test_secretary_adds_a_household_and_links_a_member(login, town, users):
    client = login(users.tongliang)
    response = client.post("/households/add/", {"unit": town.tongliang.grid.pk, "head_name": "新户", "population": 3})
    assert response.status_code == 302
    household = Household.objects.get(head_name="新户")
    member = town.tongliang.member
    client.post(f"/party-members/{member.pk}/links/add/", {"household": household.pk})
    assert member.links.filter(household=household).exists()
    assert "新户" in client.get(f"/party-members/{member.pk}/").content.decode()


def test_village_page_shows_coverage(login, town, users):
    link_member = town.tongliang.member
    for household in town.tongliang.households[:2]:
        link_member.links.create(household=household, unit=household.unit)
    html = login(users.tongliang).get(f"/units/{town.tongliang.unit.pk}/").content.decode()
    assert "66.7%" in html and "1 户未覆盖" in html


def test_list_search_filters_and_paginates(login, town, users):
    grid = town.tongliang.grid
    Household.objects.bulk_create(Household(unit=grid, head_name=f"批量{i:03d}") for i in range(60))
    client = login(users.tongliang)
    first = client.get("/households/").content.decode()
    assert "共 63 条" in first and "批量059" not in first
    assert "批量059" in client.get("/households/?page=2").content.decode()
    found = client.get("/households/?q=批量007").content.decode()
    assert "共 1 条" in found


def test_chinese_even_when_the_browser_asks_for_english(client, db):
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-Hans"' in html and "用户名" in html
