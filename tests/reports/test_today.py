"""今日待办 first on each role's home page: every app's today items with their counts and links, on the user's own
unit's page only."""

import pytest

from branches.models import User
from grid import services as grid_services
from grid.models import GridEvent
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def today_block(html):
    start = html.index('data-testid="today"')
    return html[start:html.index("</section>", start)]


def test_the_secretarys_home_lists_what_waits_for_him_first(town, users, login):
    worker = make_user("tl-grid1", User.Role.GRID_WORKER, town.tongliang.grid)
    event = GridEvent(unit=town.tongliang.grid, kind="other", description="路灯坏了")
    grid_services.event_report(user=worker, event=event)
    html = login(users.tongliang).get("/", follow=True).content.decode()
    block = today_block(html)
    assert "待受理/待办理的网格事件" in block and "/grid/events/?tab=waiting" in block
    assert html.index('data-testid="today"') < html.index('data-testid="grid-panel"')  # first of the panels
    # The grid worker's own home lists his event as moving; 杨球村's secretary has nothing waiting.
    assert "我上报的事件（处理中）" in today_block(login(worker).get("/").content.decode())
    assert "今天没有待办事项" in today_block(login(users.yangqiu).get("/", follow=True).content.decode())


def test_the_panel_is_the_users_own_home_only(town, users, login):
    client = login(users.leader)
    assert 'data-testid="today"' in client.get("/", follow=True).content.decode()  # his town's dashboard
    assert 'data-testid="today"' not in client.get(town.tongliang.unit.get_absolute_url()).content.decode()
