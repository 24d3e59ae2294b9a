"""Touch targets on the phone forms: every button, link and field a secretary or grid worker taps measures at least
44 × 44 CSS px at 390 × 844 (WCAG 2.5.5, and Apple's and Google's guidance for a finger).

A checkbox or radio is measured together with its label: the label activates the input, so the tap target is the
box around both (WCAG 2.5.5 counts it so), and the portal pads the label rather than drawing a 44 px box.
"""

import pytest
from django.urls import reverse

from reports import periods
from tests.conftest import PASSWORD, make_grid_worker
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
MINIMUM = 44

# Every visible control of the page's forms in <main>, with the box a finger has to hit. Hidden inputs and elements
# not rendered (display: none, visibility: hidden, opacity 0, or of no size) are left out; nothing else is.
SMALL_TARGETS = """minimum => {
  const controls = "a[href], button, input:not([type=hidden]), select, textarea, summary";
  const union = (boxes) => {
    const left = Math.min(...boxes.map(b => b.left)), top = Math.min(...boxes.map(b => b.top));
    const right = Math.max(...boxes.map(b => b.right)), bottom = Math.max(...boxes.map(b => b.bottom));
    return {width: right - left, height: bottom - top};
  };
  const target = (el) => {
    const box = el.getBoundingClientRect();
    if (el.matches("input[type=checkbox], input[type=radio]") && el.labels.length) {
      return union([box, ...[...el.labels].map(label => label.getBoundingClientRect())]);
    }
    return {width: box.width, height: box.height};
  };
  const name = (el) => {
    const text = (el.getAttribute("aria-label") || el.labels?.[0]?.textContent || el.textContent || "").trim();
    const id = el.name ? `[name=${el.name}]` : "";
    return `${el.tagName.toLowerCase()}${el.type ? "[type=" + el.type + "]" : ""}${id} "${text.slice(0, 20)}"`;
  };
  const shown = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 &&
      el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true});
  };
  const forms = [...document.querySelectorAll("main form")];
  const found = forms.flatMap(form => [...form.querySelectorAll(controls)]).filter(shown);
  return {
    count: found.length,
    small: found.map(el => ({name: name(el), ...target(el)}))
      .filter(t => t.width < minimum - 0.5 || t.height < minimum - 0.5)
      .map(t => `${t.name}: ${t.width.toFixed(1)} × ${t.height.toFixed(1)}`),
  };
}"""


def phone_page(browser, live_server, username=None):
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PHONE,
        is_mobile=True, has_touch=True,
    )  # fmt: skip
    context.set_default_timeout(15_000)
    page = context.new_page()
    if username:
        log_in(page, username, PASSWORD)
    return context, page


def small_targets(page, url):
    response = page.goto(url)
    assert response.ok, f"{url} answered {response.status}"
    page.wait_for_load_state("load")
    result = page.evaluate(SMALL_TARGETS, MINIMUM)
    assert result["count"], f"{url}: no form control found, the page is not the form it should be"
    return [f"{url}: {line}" for line in result["small"]]


def test_every_control_of_the_phone_forms_is_at_least_44_px_square(browser, live_server, town, users):
    grid_worker = make_grid_worker(town.tongliang, "tl-grid1")
    month = periods.month_key(periods.last_complete_month())
    household = town.tongliang.households[0]
    forms = [
        (None, [reverse("login")]),
        (users.tongliang.username, [
            reverse("reports:entry", args=[town.tongliang.unit.pk, "governance", month]),
            reverse("governance:hazard_add"),
        ]),
        (grid_worker.username, [
            reverse("grid:gridevent_add"),
            reverse("branches:household_contact_edit", args=[household.pk]),
        ]),
    ]  # fmt: skip
    small = []
    for username, urls in forms:
        context, page = phone_page(browser, live_server, username)
        try:
            for url in urls:
                small += small_targets(page, url)
        finally:
            context.close()
    assert not small, "controls smaller than 44 × 44 px at 390 px wide:\n" + "\n".join(small)
