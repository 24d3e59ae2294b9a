"""Issue 23's must-show: on a 390 × 844 phone each role's home page starts with what needs him today, above the
fold, and reaches a link to its reference lists (名录: households, members, grids …) within two screens."""

import pytest

from tests.conftest import PASSWORD, make_grid_worker
from tests.e2e.conftest import RESULTS_DIR, log_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
TODAY_ABOVE = 844  # the "today" list starts on the first screen
REFERENCE_WITHIN = 1688  # the first reference-list link lies within two screens


def secretary(town, users):
    return users.tongliang


def cadre(town, users):
    return users.cadre


def grid_worker(town, users):
    return make_grid_worker(town.tongliang, "tl-grid1")


# The roles measured, each with how to get its login from the `town` and `users` fixtures.
# LEAD: add the leader here once his landing page is settled.
ROLES = [
    ("secretary", secretary),
    ("cadre", cadre),
    ("grid_worker", grid_worker),
]


def top_of(page, selector):
    """The y of the first element matching `selector`, in page coordinates (not the viewport's)."""
    element = page.locator(selector).first
    element.wait_for(state="attached")
    return element.evaluate("e => e.getBoundingClientRect().top + window.scrollY")


@pytest.mark.parametrize("role, login_of", ROLES, ids=[role for role, _ in ROLES])
def test_today_first_and_reference_lists_within_two_screens(browser, live_server, town, users, role, login_of):
    user = login_of(town, users)
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai",
                                  viewport=PHONE, is_mobile=True, has_touch=True)  # fmt: skip
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        log_in(page, user.username, PASSWORD)
        page.wait_for_load_state("load")
        RESULTS_DIR.mkdir(exist_ok=True)
        page.screenshot(path=str(RESULTS_DIR / f"home-layout-{role}.png"), full_page=True)
        today = top_of(page, "[data-testid=today]")
        reference = top_of(page, "a[data-reference-list]")
        print(f"\n{role}: today at y={today:.0f}, first reference list at y={reference:.0f}, "
              f"page {page.evaluate('document.documentElement.scrollHeight')} px tall")  # fmt: skip
        assert today < TODAY_ABOVE, f"{role}: 今日待办 starts at y={today:.0f}"
        assert reference <= REFERENCE_WITHIN, f"{role}: the first reference-list link is at y={reference:.0f}"
    finally:
        context.close()
