"""axe-core audits every role's main pages at phone and desktop width: no serious or critical WCAG 2.1 A/AA violation.

axe-core comes from npm (a dev dependency) and is injected by the test only; nothing of it is served to users.
"""

import time
from pathlib import Path

import pytest
from django.urls import reverse

from reports import periods
from tests.conftest import PASSWORD, make_grid_worker
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}


def pages_for(role, town):
    """The pages each role audits: home, dashboard, the monthly entry form, a list, a detail and an add form."""
    household = town.tongliang.households[0]
    month = periods.month_key(periods.last_complete_month())
    entry = reverse("reports:entry", args=[town.tongliang.unit.pk, "governance", month])
    common = {
        "home": "/",
        "list": reverse("branches:household_list"),
        "detail": reverse("branches:household_detail", args=[household.pk]),
    }
    if role == "grid_worker":  # the dashboard sends him home; his add form is the event report
        return {**common, "add": reverse("grid:gridevent_add")}
    pages = {**common, "dashboard": reverse("reports:dashboard")}
    if role == "secretary":  # only he opens a month that has no report yet
        pages.update(entry=entry, add=reverse("governance:hazard_add"))
    return pages


def audit(page):
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """tags => axe.run(document, {runOnly: {type: "tag", values: tags}}).then(r => r.violations.map(v => ({
            id: v.id, impact: v.impact, count: v.nodes.length,
            targets: v.nodes.slice(0, 4).map(n => n.target.join(" ")),
            colours: [...new Set(v.nodes.map(n => (n.any[0] || {}).data).filter(d => d && d.fgColor)
                .map(d => `${d.fgColor} on ${d.bgColor} ${d.contrastRatio}`))]
        })))""",
        WCAG_TAGS,
    )


def log_in_context(browser, live_server, username, viewport):
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai", viewport=viewport
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, username, PASSWORD)
    return context, page


def test_every_roles_pages_pass_axe_at_phone_and_desktop_width(browser, live_server, town, users):
    grid_worker = make_grid_worker(town.tongliang, "tl-grid1")
    logins = [
        ("leader", users.leader), ("cadre", users.cadre), ("secretary", users.tongliang), ("grid_worker", grid_worker),
    ]  # fmt: skip
    started = time.monotonic()
    found, audited = [], 0
    for role, user in logins:
        for width, viewport in WIDTHS.items():
            context, page = log_in_context(browser, live_server, user.username, viewport)
            try:
                for name, url in pages_for(role, town).items():
                    response = page.goto(url)
                    assert response.ok, f"{role} {width} {name}: {url} answered {response.status}"
                    page.wait_for_load_state("load")
                    audited += 1
                    for violation in audit(page):
                        found.append({"role": role, "width": width, "page": name, **violation})
            finally:
                context.close()
    report = "\n".join(
        f"{v['role']:<11} {v['width']:<7} {v['page']:<9} {v['impact']:<8} {v['id']} ×{v['count']}: {v['targets']}"
        + (f" {v['colours']}" if v["colours"] else "")
        for v in found
    )
    print(f"\naxe-core: {audited} pages audited in {time.monotonic() - started:.1f} s\n{report}")
    blocking = [v for v in found if v["impact"] in BLOCKING]
    assert not blocking, "serious or critical accessibility violations:\n" + "\n".join(
        line for line in report.splitlines() if line.split()[3] in BLOCKING
    )
