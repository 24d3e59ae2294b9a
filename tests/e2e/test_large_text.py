"""大字 and 200 % text (WCAG 1.4.4 Resize text, 1.4.10 Reflow): the secretary's pages stay usable with larger text.

At 390 × 844 with the 大字 switch on, and at 1280 × 800 with the root font at 200 %, the page body never scrolls
sideways (a wide table scrolls inside its own `.table-responsive` box, which is allowed) and every control of the top
bar is inside the window and not covered by another element.
"""

import pytest
from django.urls import reverse

from branches.models import User
from reports import periods
from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
DOUBLE_TEXT = "html { font-size: 200% !important; }"

# What sticks out of the window sideways: the page's own width, and the elements that make it so (those inside a box
# that scrolls or clips on its own are that box's business).
OVERFLOW = """() => {
  const width = window.innerWidth;
  const label = (el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`;
  const contained = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(up).overflowX)) return true;
    }
    return false;
  };
  const culprits = [...document.body.querySelectorAll("*")]
    .filter(el => el.getBoundingClientRect().right > width + 1 && el.checkVisibility() && !contained(el))
    .slice(0, 6)
    .map(el => `${label(el)} right=${el.getBoundingClientRect().right.toFixed(0)}`);
  return {scrollWidth: document.documentElement.scrollWidth, width, culprits};
}"""

# A control is reachable when it is shown, lies inside the window's width and is what a tap at its centre hits.
UNREACHABLE = """selector => {
  const label = (el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`;
  const problem = (el) => {
    el.scrollIntoView({block: "center", inline: "nearest"});
    const box = el.getBoundingClientRect();
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    const name = `${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 16)}"`;
    if (box.left < -1 || box.right > window.innerWidth + 1) {
      return `${name} outside the window: ${box.left.toFixed(0)}…${box.right.toFixed(0)}`;
    }
    return el.contains(hit) ? null : `${name} covered by ${hit ? label(hit) : "nothing"}`;
  };
  return [...document.querySelectorAll(selector)].filter(el => el.checkVisibility()).map(problem).filter(Boolean);
}"""
TOP_BAR = "nav.portal-navbar .navbar-brand, nav.portal-navbar .navbar-toggler, [data-text-size] button"
MENU = "nav.portal-navbar .nav-link"


def secretary_pages(town):
    month = periods.month_key(periods.last_complete_month())
    return {
        "home": "/",
        "entry": reverse("reports:entry", args=[town.tongliang.unit.pk, "governance", month]),
        "households": reverse("branches:household_list"),
    }


def open_context(browser, live_server, viewport):
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai", viewport=viewport
    )
    context.set_default_timeout(15_000)
    return context, context.new_page()


def layout_problems(page, name):
    problems = []
    overflow = page.evaluate(OVERFLOW)
    if overflow["scrollWidth"] > overflow["width"]:
        problems.append(
            f"{name}: the page is {overflow['scrollWidth']} px wide in a {overflow['width']} px window, "
            f"because of {overflow['culprits']}"
        )
    problems += [f"{name}: {problem}" for problem in page.evaluate(UNREACHABLE, TOP_BAR)]
    return problems


def menu_problems(page, name):
    """The menu's links, opened behind the toggler on a narrow window."""
    toggler = page.locator("nav.portal-navbar .navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        page.locator("#nav.show").wait_for()
        page.wait_for_timeout(400)  # the collapse's height transition
    return [f"{name} menu: {problem}" for problem in page.evaluate(UNREACHABLE, MENU)]


def test_the_switch_makes_the_text_larger_and_the_phone_pages_still_fit(browser, live_server, town, users):
    context, page = open_context(browser, live_server, PHONE)
    try:
        log_in(page, users.tongliang.username, PASSWORD)
        size = "parseFloat(getComputedStyle(document.body).fontSize)"
        normal = page.evaluate(size)
        page.evaluate("window.notReloaded = true")
        page.get_by_role("button", name="大字").click()
        page.wait_for_function("document.documentElement.classList.contains('text-large')")
        assert page.evaluate("window.notReloaded === true"), "with script the page changes in place"
        assert page.get_by_role("button", name="大字").get_attribute("aria-pressed") == "true"
        assert page.evaluate(size) >= normal * 1.2
        assert User.objects.get(pk=users.tongliang.pk).large_text, "the switch is kept on the login"

        problems = []
        for name, url in secretary_pages(town).items():
            page.goto(url)
            assert page.evaluate("document.documentElement.className") == "text-large", f"{name}: not remembered"
            problems += layout_problems(page, name) + menu_problems(page, name)
    finally:
        context.close()
    assert not problems, "with 大字 at 390 × 844:\n" + "\n".join(problems)


def test_the_desktop_pages_stay_usable_at_double_text_size(browser, live_server, town, users):
    context, page = open_context(browser, live_server, DESKTOP)
    problems = []
    try:
        log_in(page, users.tongliang.username, PASSWORD)
        for name, url in secretary_pages(town).items():
            page.goto(url)
            page.add_style_tag(content=DOUBLE_TEXT)
            assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") == 32
            problems += layout_problems(page, name) + menu_problems(page, name)
    finally:
        context.close()
    assert not problems, "with the text at 200 % at 1280 × 800:\n" + "\n".join(problems)
