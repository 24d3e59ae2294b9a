"""A grid worker on his phone (Chromium at 390×844): his home is his grid's workbench, his menu holds only what he
keeps, and he updates a household's phone from its page; another grid's household is not found."""

import pytest

from branches.models import Household, Unit
from tests.conftest import PASSWORD, add_unit
from tests.e2e.conftest import RESULTS_DIR, log_in

pytestmark = pytest.mark.e2e


def snap(page, name):
    RESULTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS_DIR / f"grid-worker-{name}.png"), full_page=True)


def test_a_grid_worker_keeps_his_grids_households_from_his_phone(phone, town, users, grid_workers):
    second = add_unit(Unit.objects.get(pk=town.tongliang.group.pk), "铜梁村第2网格", Unit.Kind.GRID)
    neighbour = Household.objects.create(unit=second, head_name="邻格户主")
    context, page = phone
    log_in(page, grid_workers.tongliang.username, PASSWORD)
    assert page.get_by_role("heading", name="铜梁村第1网格").is_visible()
    assert page.get_by_role("link", name="事件上报").first.is_visible()
    snap(page, "home")

    page.locator(".navbar-toggler").click()
    menu = page.locator("#nav")
    for item in ("事件上报", "我的事件", "我的网格（农户）", "民情走访", "敲门行动"):
        assert menu.get_by_role("link", name=item).is_visible(), item
    assert menu.get_by_text("领导驾驶舱").count() == 0 and menu.get_by_text("组织架构").count() == 0
    menu.get_by_role("link", name="我的网格（农户）").click()
    assert page.get_by_text("邻格户主").count() == 0
    page.get_by_role("link", name="铜梁村户主1").first.click()
    assert page.get_by_role("link", name="编辑").count() == 0
    page.get_by_role("link", name="更新联系方式").click()
    page.locator("input[name='phone']").fill("13612345678")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    assert page.get_by_text("13612345678").first.is_visible()
    snap(page, "household")
    assert Household.objects.get(head_name="铜梁村户主1").phone == "13612345678"

    response = page.goto(f"/households/{neighbour.pk}/")
    assert response.status == 404
