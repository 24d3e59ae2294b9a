"""Issue 23's must-show: on a 390 × 844 phone, after `load_demo`, each role's home page starts with what needs him
today, above the fold, and reaches a link to its reference lists (名录: villages, households, members, grids …)
within two screens. The demo's data (22 villages, 1,158 members, every panel filled) is what a real town looks like;
the small test fixtures would leave every page short."""

import pytest
from django.conf import settings

from tests.e2e.conftest import RESULTS_DIR, log_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
TODAY_ABOVE = 844  # the "today" list starts on the first screen
REFERENCE_WITHIN = 1688  # the first reference-list link lies within two screens
# The demo's logins, one per role (README: 演示账号): where each lands is his home.
DEMO_ROLES = {"leader": "leader", "cadre": "cadre", "secretary": "tongliang", "grid_worker": "tl-grid1"}


def top_of(page, selector):
    """The y of the first visible element matching `selector`, in page coordinates (not the viewport's)."""
    element = page.locator(selector).locator("visible=true").first
    element.wait_for()
    return element.evaluate("e => e.getBoundingClientRect().top + window.scrollY")


def test_today_first_and_reference_lists_within_two_screens(browser, live_server, demo):
    measured, failures = [], []
    for role, username in DEMO_ROLES.items():
        context = browser.new_context(base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai",
                                      viewport=PHONE, is_mobile=True, has_touch=True)  # fmt: skip
        context.set_default_timeout(15_000)
        page = context.new_page()
        try:
            log_in(page, username, settings.DEMO_PASSWORD)
            page.wait_for_load_state("load")
            RESULTS_DIR.mkdir(exist_ok=True)
            page.screenshot(path=str(RESULTS_DIR / f"home-layout-{role}.png"), full_page=True)
            today = top_of(page, "[data-testid=today]")
            reference = top_of(page, "a[data-reference-list]")
            height = page.evaluate("document.documentElement.scrollHeight")
            measured.append(f"{role:<11} {page.url.removeprefix(live_server.url):<14} today y={today:.0f}, "
                            f"first reference list y={reference:.0f}, page {height} px")  # fmt: skip
            if today >= TODAY_ABOVE:
                failures.append(f"{role}: 今日待办 starts at y={today:.0f}")
            if reference > REFERENCE_WITHIN:
                failures.append(f"{role}: the first reference-list link is at y={reference:.0f}")
        finally:
            context.close()
    print("\n" + "\n".join(measured))
    assert not failures, failures
