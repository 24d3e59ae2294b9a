"""axe-core audits every role's pages at phone and desktop width: no serious or critical violation (the WCAG 2.1 A/AA
rules at both widths, axe's best practices at desktop width).

Each role audits his home page, the dashboard and the monthly entry form where he opens them, one list, one detail
and one add form of every app he uses (任务督办, 支部生活, 网格事件, 文明实践, 产业发展, 环境整治, 基层治理, the
shared 农户 ledger), and the reports pages (月度通报 list and detail, 工作简报, 填报进度, 月报审核). A page of each
kind shares its template with the app's other ledgers, so one of each stands for them all; where a role's own form has
a template of its own (the cadre's 走访 form with its rows of problems), that one is his add form.
A second test sends two forms back with their errors (the error messages' colour on the page's grey background).

Time (182 pages; measured at 50-75 s for the audits, 70-130 s for the module, on a busy 2-core machine): one browser
context per role and width, reused for all its pages, with axe-core added to each page as it opens (an init script:
sending it into each page after loading took a third of the time); axe returns its violations only. Every page is
audited at both widths, since a table that fits a desktop scrolls sideways on a phone; the best-practice rules read
the markup, the same at both widths, so they run once (TAGS).

axe-core comes from npm (a dev dependency) and is injected by the test only; nothing of it is served to users.
"""

import time
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from dispatch import services as dispatch_services
from dispatch.models import Task
from environment import services as environment_services
from environment.models import InfrastructureProject
from governance import services as governance_services
from governance.models import Hazard, VisitLog
from grid import services as grid_services
from grid.models import GridEvent
from industry import services as industry_services
from industry.models import Enterprise
from partylife import services as partylife_services
from partylife.models import Meeting, MeetingKind
from reports import periods
from reports.bulletin import services as bulletin_services
from tests.conftest import PASSWORD, make_grid_worker
from tests.e2e.conftest import log_in
from volunteers import services as volunteer_services
from volunteers.models import Activity, ActivityType, Station

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The rules that depend on the layout (contrast, sideways scrolling, reflow) run at both widths; axe's best practices
# (landmarks, heading order, empty table headers …) read the markup, which is the same at both, so they run once.
TAGS = {"phone": WCAG_TAGS, "desktop": [*WCAG_TAGS, "best-practice"]}
BLOCKING = {"serious", "critical"}


def make_rows(town, users, grid_worker):
    """One record of each app in 铜梁村, through the apps' own services, for the detail pages."""
    village = town.tongliang
    today = timezone.localdate()
    last_month = periods.last_complete_month()
    task = dispatch_services.task_issue(
        user=users.leader, task=Task(title="安全隐患排查", deadline=today + timedelta(days=10)),
        targets=[village.unit], measures=(dispatch_services.MeasureSpec("排查隐患", "处"),),
    )  # fmt: skip
    meeting = partylife_services.meeting_save(
        user=users.tongliang,
        instance=Meeting(
            organisation=village.organisation, kind=MeetingKind.ASSEMBLY, held_on=last_month, topic="学习党章"
        ),
    )
    event = grid_services.event_report(
        user=grid_worker,
        event=GridEvent(unit=village.grid, kind="hazard", description="山塘坝体渗水", place="三组山塘"),
    )
    station = volunteer_services.station_save(
        user=users.tongliang,
        instance=Station(unit=village.unit, name="铜梁村新时代文明实践站", established_on=last_month),
    )
    kind, _created = ActivityType.objects.get_or_create(name="理论宣讲")
    activity = volunteer_services.activity_save(
        user=users.tongliang,
        instance=Activity(
            station=station, title="反诈宣传进村组", type=kind, starts_at=timezone.now() + timedelta(days=3)
        ),
    )
    enterprise = industry_services.enterprise_save(
        user=users.tongliang, instance=Enterprise(unit=village.unit, name="铜梁村油茶合作社", kind="cooperative")
    )
    industry_services.enterprise_assign(user=users.admin, enterprise=enterprise, cadre=users.cadre.cadre)
    project = environment_services.infrastructure_project_save(
        user=users.tongliang,
        instance=InfrastructureProject(unit=village.unit, name="村道硬化", planned_investment=120, start=last_month),
    )
    hazard = governance_services.hazard_save(
        user=users.tongliang, instance=Hazard(unit=village.unit, found_on=today, item="危房", responsible="村主任")
    )
    visit = governance_services.visit_log_save(
        user=grid_worker, instance=VisitLog(household=village.households[0], date=today, aspect="contact")
    )
    bulletin = bulletin_services.bulletin_build(town=town.unit, month=last_month)
    bulletin_services.bulletin_publish(bulletin=bulletin, user=users.leader)
    return SimpleNamespace(
        task=task, item=task.items.get(), meeting=meeting, event=event, activity=activity, enterprise=enterprise,
        project=project, hazard=hazard, visit=visit, bulletin=bulletin,
    )  # fmt: skip


def ledger(app, model, row, *, add=True):
    """The list, detail and (unless the role adds nothing there) add pages of one generic ledger."""
    pages = {
        f"{app} list": reverse(f"{app}:{model}_list"),
        f"{app} detail": reverse(f"{app}:{model}_detail", args=[row.pk]),
    }
    if add:
        pages[f"{app} add"] = reverse(f"{app}:{model}_add")
    return pages


def app_pages(role, rows):
    """One list, detail and add form of every app the role uses: a leader reads and issues tasks but adds no record;
    a secretary follows his village's item of a task, not the town's task."""
    adds = role != "leader"
    pages = {
        "dispatch list": reverse("dispatch:task_list"),
        "dispatch detail": reverse("dispatch:task_detail", args=[rows.task.pk]),
        "dispatch add": reverse("dispatch:task_new"),
    }
    if role == "secretary":
        pages["dispatch detail"] = reverse("dispatch:item_detail", args=[rows.item.pk])
        del pages["dispatch add"]
    for app, model, row in (
        ("partylife", "meeting", rows.meeting), ("volunteers", "activity", rows.activity),
        ("industry", "enterprise", rows.enterprise), ("environment", "infrastructureproject", rows.project),
        ("governance", "hazard", rows.hazard),
    ):  # fmt: skip
        pages.update(ledger(app, model, row, add=adds))
    if role == "cadre":  # his industry form is the visit to the enterprise he answers for (包企), with its problems
        pages["industry add"] = reverse("industry:servicevisit_add")
    # Of these roles only a secretary reports a grid's event (the grid worker's own pages are in `pages_for`).
    pages.update(ledger("grid", "gridevent", rows.event, add=role == "secretary"))
    return pages


def report_pages(role, town, rows):
    """The 月报 menu's pages the role opens: 审核 is the town's, not a secretary's."""
    pages = {
        "bulletin list": reverse("reports:bulletin"),
        "bulletin detail": reverse(
            "reports:bulletin_detail", args=[town.unit.pk, periods.month_key(rows.bulletin.month)]
        ),
        "brief": reverse("reports:brief"),
        "completeness": reverse("reports:completeness"),
    }
    if role != "secretary":
        pages["review"] = reverse("reports:review")
    return pages


def pages_for(role, town, rows):
    """{name: url} of the pages each role audits."""
    household = town.tongliang.households[0]
    common = {
        "home": "/",
        "branches list": reverse("branches:household_list"),
        "branches detail": reverse("branches:household_detail", args=[household.pk]),
    }
    if role == "grid_worker":  # he keeps his grid's events, households and visits; the dashboard sends him home
        return {
            **common,
            **ledger("grid", "gridevent", rows.event),
            **ledger("governance", "visitlog", rows.visit),
        }
    pages = {
        **common,
        "dashboard": reverse("reports:dashboard"),
        **app_pages(role, rows),
        **report_pages(role, town, rows),
    }
    if role == "secretary":  # only he opens a month that has no report yet
        month = periods.month_key(periods.last_complete_month())
        pages["entry"] = reverse("reports:entry", args=[town.tongliang.unit.pk, "governance", month])
    return pages


def audit(page, tags):
    """The violations axe-core finds on the page (axe is already there: `log_in_context` adds it to every page)."""
    return page.evaluate(
        """tags => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
        .then(r => r.violations.map(v => ({
            id: v.id, impact: v.impact, count: v.nodes.length,
            targets: v.nodes.slice(0, 4).map(n => n.target.join(" ")),
            colours: [...new Set(v.nodes.map(n => (n.any[0] || {}).data).filter(d => d && d.fgColor)
                .map(d => `${d.fgColor} on ${d.bgColor} ${d.contrastRatio}`))]
        })))""",
        tags,
    )


def log_in_context(browser, live_server, username, viewport):
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai", viewport=viewport
    )
    context.set_default_timeout(15_000)
    # Given once to the context, axe is in every page it opens: cheaper than sending it into each page after loading.
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    log_in(page, username, PASSWORD)
    return context, page


def test_every_roles_pages_pass_axe_at_phone_and_desktop_width(browser, live_server, town, users):
    grid_worker = make_grid_worker(town.tongliang, "tl-grid1")
    rows = make_rows(town, users, grid_worker)
    logins = [
        ("leader", users.leader), ("cadre", users.cadre), ("secretary", users.tongliang), ("grid_worker", grid_worker),
    ]  # fmt: skip
    started = time.monotonic()
    found, audited = [], 0
    for role, user in logins:
        for width, viewport in WIDTHS.items():
            context, page = log_in_context(browser, live_server, user.username, viewport)
            try:
                for name, url in pages_for(role, town, rows).items():
                    response = page.goto(url)  # returns once the page has loaded
                    assert response.ok, f"{role} {width} {name}: {url} answered {response.status}"
                    audited += 1
                    for violation in audit(page, TAGS[width]):
                        found.append({"role": role, "width": width, "page": name.replace(" ", "-"), **violation})
            finally:
                context.close()
    assert_none_blocking(found, audited, started)


# A form sent back with its errors: one on the page's grey background (下达任务), one in a card (a ledger's add form).
REFUSED_FORMS = {"cadre": "dispatch:task_new", "secretary": "governance:hazard_add"}


def test_a_form_sent_back_with_errors_passes_axe(browser, live_server, users):
    logins = {"cadre": users.cadre, "secretary": users.tongliang}
    started = time.monotonic()
    found = []
    for role, url_name in REFUSED_FORMS.items():
        context, page = log_in_context(browser, live_server, logins[role].username, WIDTHS["phone"])
        try:
            page.goto(reverse(url_name))
            send_empty(page)
            assert page.locator(".invalid-feedback").count(), f"{url_name}: no error shown"
            for violation in audit(page, WCAG_TAGS):
                found.append({"role": role, "width": "phone", "page": url_name.replace(":", "-"), **violation})
        finally:
            context.close()
    assert_none_blocking(found, len(REFUSED_FORMS), started)


def send_empty(page):
    """Send the page's form as it is, past the browser's own checks, so that the server answers with its errors."""
    form = page.locator("main form[method=post]").last
    form.evaluate("form => { form.noValidate = true; }")
    with page.expect_navigation():
        form.locator("button[type=submit]").last.click()


def assert_none_blocking(found, audited, started):
    """Print every violation found, one line each, and fail on a serious or critical one."""
    report = "\n".join(
        f"{v['role']:<11} {v['width']:<7} {v['page']:<22} {v['impact']:<8} {v['id']} ×{v['count']}: {v['targets']}"
        + (f" {v['colours']}" if v["colours"] else "")
        for v in found
    )
    print(f"\naxe-core: {audited} pages audited in {time.monotonic() - started:.1f} s\n{report}")
    blocking = [v for v in found if v["impact"] in BLOCKING]
    assert not blocking, "serious or critical accessibility violations:\n" + "\n".join(
        line for line in report.splitlines() if line.split()[3] in BLOCKING
    )
