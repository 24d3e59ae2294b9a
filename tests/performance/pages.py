"""The pages whose SQL query counts are pinned (tests/performance/test_query_counts.py) and benchmarked (bench/):
every dashboard and report page, every list page of the URL conf and every list endpoint of the API routers, each
with the login that opens it, found from a seeded county (reports.scale.Seeded)."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from branches.models import User
from reports.models import MonthlyReport

PAGE_APPS = ("reports", "industry", "environment", "governance", "volunteers", "branches")
# Pages of those apps that are not read pages: forms that only POST, downloads built for one unit.
NOT_PAGES = {
    "reports:notifications_read", "reports:notification_channel_test", "reports:notification_channel_change",
    "reports:excel_template", "branches:text_size",
}  # fmt: skip
# Pages only an admin may open (a leader or secretary gets a 403): measured as the county's admin.
ADMIN_PAGES = {"branches:personal_data_access"}
DASHBOARDS = {"reports:dashboard", "reports:completeness", "reports:review", "reports:bulletin"}
REPORTS = {"reports:summary"}
# Pages built of every work line's panels or paragraphs: a fixed number of queries each, more than 15 together.
# home: the panels (+2 for 网格事件 and 环境问题) and the "today" list: one statement for the items that give their
# rows, one query for each that counts itself (+2 for a secretary: his reports to submit, those returned; +1 for a
# leader: the overdue cases) — 47 when each item was its own count query; a secretary's village page lost its
# households, members and grids to pages of their own (名录).
COMPOSITE = {"home": 32, "reports:brief": 25}
DASHBOARD_BUDGET = 15  # DESIGN §8: dashboard and report pages
LIST_BUDGET = 20  # list pages and API list endpoints


@dataclass(frozen=True)
class Page:
    key: str  # stable across data sizes: what the test is named after
    url: str
    username: str
    kind: str  # dashboard | report | entry | composite | list | api
    budget: int = LIST_BUDGET


def budget_for(name, kind):
    if kind == "composite":
        return COMPOSITE[name]
    return DASHBOARD_BUDGET if kind in ("dashboard", "report") else LIST_BUDGET


def _routes():
    """(name, namespace) of every URL pattern without arguments, from the URL conf (a new page is covered)."""
    found = []

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                if pattern.pattern.converters or pattern.pattern.regex.groups:
                    continue
                found.append((pattern.name, namespace))

    walk(get_resolver().url_patterns)
    return found


def list_page_names():
    """Every argument-free GET page of the project's apps but the add forms (dashboards included)."""
    names = set()
    for name, namespace in _routes():
        full = f"{namespace}:{name}" if namespace else name
        if (namespace in PAGE_APPS or full == "home") and not name.endswith("_add") and full not in NOT_PAGES:
            names.add(full)
    return sorted(names)


def api_list_names():
    """Every list endpoint of the API routers (`<basename>-list`), with its namespace."""
    names = set()
    for name, namespace in _routes():
        if name.endswith("-list"):
            names.add(f"{namespace}:{name}" if namespace else name)
    return sorted(names)


def logins(seeded):
    town = seeded.towns[0]
    village = town.villages[0]
    return {
        "county": "scale-leader",
        "admin": "scale-admin",
        "town": User.objects.get(pk=town.leader_ids[0]).username,
        "secretary": User.objects.get(pk=village.secretary_id).username,
    }


def pages(seeded):
    """Every page to pin, for the seeded county: lists and API lists as the county leader (everything in scope)
    and as a village secretary; dashboards as the county leader, a town leader and the secretary; report pages."""
    who = logins(seeded)
    town = seeded.towns[0]
    village = town.villages[0]
    last = seeded.months[-1]
    found = []
    for name in list_page_names():
        kind = ("dashboard" if name in DASHBOARDS else "report" if name in REPORTS
                else "composite" if name in COMPOSITE else "list")  # fmt: skip
        roles = ("county", "secretary") if kind == "list" else ("county", "town", "secretary")
        if name in ADMIN_PAGES:
            roles = ("admin",)
        for role in roles:
            found.append(Page(f"{name}@{role}", reverse(name), who[role], kind, budget_for(name, kind)))
    for role, unit in (("county", seeded.county), ("town", town.unit)):
        found.append(Page(f"reports:dashboard?unit={role}@county", f"{reverse('reports:dashboard')}?unit={unit.pk}",
                          who["county"], "dashboard", DASHBOARD_BUDGET))  # fmt: skip
        found.append(Page(f"reports:summary?unit={role}@county", f"{reverse('reports:summary')}?unit={unit.pk}",
                          who["county"], "report", DASHBOARD_BUDGET))  # fmt: skip
    drill = reverse("reports:dashboard_indicator", args=["gov.hazards_found"])
    found.append(Page("reports:dashboard_indicator@town", drill, who["town"], "dashboard", DASHBOARD_BUDGET))
    found.append(Page("reports:dashboard_indicator@county", f"{drill}?unit={seeded.county.pk}", who["county"],
                      "dashboard", DASHBOARD_BUDGET))  # fmt: skip
    for work_line in ("industry", "environment", "governance", "volunteers"):
        found.append(Page(f"reports:work_line[{work_line}]@town", reverse("reports:work_line", args=[work_line]),
                          who["town"], "dashboard", DASHBOARD_BUDGET))  # fmt: skip
        for unit, suffix, roles in ((village.unit, "", ("secretary", "town")), (town.unit, "/town", ("town",))):
            report = MonthlyReport.objects.filter(unit=unit, work_line=work_line, month=last).first()
            if report is None:
                continue
            url = reverse("reports:entry", args=[unit.pk, work_line, report.month_key])
            for role in roles:
                found.append(Page(f"reports:entry[{work_line}]{suffix}@{role}", url, who[role], "entry",
                                  DASHBOARD_BUDGET))  # fmt: skip
    grids = reverse("branches:unit_grids", args=[village.unit.pk])  # the village's 村民小组与网格, from its 名录
    for role in ("secretary", "town"):
        found.append(Page(f"branches:unit_grids@{role}", grids, who[role], "list"))
    found.append(Page("branches:unit_grids?unit=county@county", reverse("branches:unit_grids", args=[seeded.county.pk]),
                      who["county"], "list"))  # fmt: skip
    for name in api_list_names():
        for role in ("county", "secretary"):
            found.append(Page(f"api:{name}@{role}", reverse(name), who[role], "api"))
    found.append(Page("api:api-indicators@county", reverse("api-indicators"), who["county"], "api"))
    rollups = f"{reverse('api-rollups')}?unit={town.unit.pk}&period={last.year}"
    found.append(Page("api:api-rollups@county", rollups, who["county"], "api"))
    return found
