"""The permission matrix: every page of the URL conf and every operation of the OpenAPI schema, asked as anonymous,
the secretary of another village (杨球村), the village's own secretary (铜梁村), its 包村 cadre, a leader and the
admin, reading and writing the records of 铜梁村 (one of every scoped model, tests/security/world.py) by their ids.

The routes come from the URL conf and the schema, and the records from the models, so a new page, viewset or model
is in the matrix without anyone remembering it; one that leaks (a viewset whose queryset is not the scoped selector,
a page that looks a record up unscoped) fails here — the last two tests prove it on a deliberately leaking viewset
and page. What each role must get (DESIGN §1, branches/scoping.py):

- anonymous: pages redirect to the login page; the API answers 401/403.
- yangqiu (another village's secretary) and yq_grid (a grid worker of 杨球村's grid): 404 on every page and API
  object of 铜梁村, reading or writing, whatever the method (405 only where the method is allowed to nobody); never
  200/201/204/500. His pages, Excel exports and
  API lists never hold 铜梁村's records (their text carries a marker), and a copy of one posted to the API is not
  created.
- tongliang (铜梁村's secretary) and cadre (包村 铜梁村): read what the admin reads — the secretary nothing outside
  his village (the town's records are a 404 to him).
- leader: reads what the admin reads; ledger forms and writes are refused (403/404, or 405 where nobody may), except
  what a leader is there for (approve/return a report, verify a hazard, approve volunteers' hours).
- admin: reads every page; no write is refused for permission (no 401/403).
- nounit_secretary, nounit_cadre, nounit_leader (a role but no unit): no row of any village on any page or API
  answer (neither 铜梁村's marker nor the name of any unit of the tree), 403/404 on every object, no write at all.
- every model saved while answering is watched: anonymous and the leader write nothing (but the leader's reviews),
  the other secretary nothing outside his own village.
- a GET writes nothing, whoever asks: every statement sent to the database is recorded (tests/sql_writes.py, through
  `connection.execute_wrapper`, which sees the bulk writes signals miss) and an INSERT, UPDATE or DELETE during a GET
  is named with its URL and table. Nothing is allowed: a logged-in GET saves no session (only a modified session is
  saved) and django-axes writes only on a login attempt.
- nobody ever gets a 500.
"""

import os

import pytest
from django.urls import resolve, reverse

from tests.sql_writes import written_table

from .matrix import NO_UNIT, OTHER_VILLAGE, ROLES, ask, client_for, workbook_text
from .routes import api_operations, api_query, api_record, api_url, page_routes, page_url, post_body
from .world import MARK

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")
READ = "get"

# Writes a leader is there for (DESIGN §1: leaders approve/return monthly reports; a cadre or a leader verifies a
# rectified hazard); each answers as its service decides, which this matrix only requires not to be a 500.
LEADER_MAY = {
    "reports:action",
    "reports:review",
    "governance:hazard_step",
    "volunteers:hours_review",
    "/api/v1/volunteers/participations/review/",
    "/api/v1/reports/{unit_id}/{work_line}/{month}/approve/",
    "/api/v1/reports/{unit_id}/{work_line}/{month}/return/",
    "/api/v1/governance/hazards/{id}/advance/",
    "/api/v1/governance/hazards/{id}/return/",
    # 任务督办: the town's leaders issue tasks, press and cancel them, verify or return a village's report and decide
    # on its request for more time.
    "/api/v1/dispatch/tasks/",
    "/api/v1/dispatch/tasks/{id}/press/",
    "/api/v1/dispatch/tasks/{id}/cancel/",
    "/api/v1/dispatch/items/{id}/verify/",
    "/api/v1/dispatch/items/{id}/return/",
    "/api/v1/dispatch/items/{id}/decide/",
}
# What a user writes on his own behalf, not to any ledger: his notifications marked read, his notification channels,
# and a test message to himself (a notification and its deliveries).
OWN_WRITES = {"reports.Notification", "reports.NotificationChannel", "reports.Delivery"}


def writes_on_read(where, answer):
    """A GET writes nothing (DESIGN §2: reads go through selectors): every statement that wrote, named with its
    table, as violations."""
    statements = dict.fromkeys(sql[:200] for sql in answer.statements)  # once each, in the order sent
    return [f"{where}, a GET wrote {written_table(sql)}: {sql}" for sql in statements]


def in_village(world, record):
    unit = record if record._meta.label == "branches.Unit" else getattr(record, "unit", None)
    return unit is not None and unit.path.startswith(world.village.path)


def page_record(world, route):
    if "pk" in route.params:
        return world.records[route.model]
    if "unit_id" in route.params:
        return world.village
    return None


@pytest.fixture(scope="module")
def pages(world):
    return page_routes()


@pytest.fixture(scope="module")
def schema(world, django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def ask_pages(world, routes):
    """{(route name, method, role): Answer} for the routes, as every role."""
    answers = {}
    for role in ROLES:
        client = client_for(world, role)
        for route in routes:
            url = page_url(route, world)
            for method in methods_for(route, role):
                body = post_body(route, world) if method == "post" else None
                answers[route.name, method, role] = ask(client, method, url, body)
    return answers


@pytest.fixture(scope="module")
def page_answers(world, pages, django_db_blocker):
    with django_db_blocker.unblock():
        return ask_pages(world, pages)


def test_the_walk_finds_the_pages_and_the_api(pages, schema):
    names = {route.name for route in pages}
    assert {"industry:enterprise_detail", "volunteers:activity_held", "reports:entry", "branches:photo"} <= names
    assert len(pages) > 150
    operations = api_operations(schema)
    assert {op.path for op in operations} >= {"/api/v1/volunteers/activities/{id}/held/", "/api/v1/households/{id}/"}
    assert len(operations) > 200


def methods_for(route, role):
    """Pages are asked GET and POST (what a browser sends); the objects of 铜梁村 also PUT, PATCH and DELETE by the
    other village's secretary (and the admin, to know where a method is allowed to nobody). A page that only shows
    (no form, no object) is not POSTed by those who may write anyway (the secretary, the cadre): nothing to learn."""
    if route.has_object and role in (*OTHER_VILLAGE, "admin", *NO_UNIT):
        return METHODS
    if role in ("tongliang", "cadre") and not route.is_form and not route.has_object:
        return ("get",)
    return ("get", "post")


# The portal's own name, on every page, holds the county's and the town's.
BRANDING = ("井字镇“一切工作到支部”平台", "井字镇 · 一切工作到支部", "中共双峰县井字镇委员会")


def unit_names(world):
    town = world.town
    return [MARK, *(unit.name for unit in (town.county, town.unit, town.area, world.village, world.other_village))]


def violations_of_no_unit(world, where, answer, *, read, record, nobody):
    """A user with a role but no unit: no unit of the tree named (so none of its rows or figures shown, which name
    their unit), every object refused, nothing written."""
    found = []
    text = answer.text()
    for brand in BRANDING:
        text = text.replace(brand, "")
    shown = [word for word in unit_names(world) if word in text]
    if read and shown:
        found.append(f"{where}, a user with no unit is shown {shown}")
    if record and answer.status not in (403, 404) and not nobody:
        found.append(f"{where}, expected 403/404 (a user with no unit reaches no record)")
    wrote = sorted({w.model for w in answer.writes if w.model not in OWN_WRITES})
    if wrote:
        found.append(f"{where}, a user with no unit wrote {wrote}")
    return found


def violations_of_pages(world, pages, answers):
    found = []
    login = reverse("login")
    own_path = world.other_village.path
    for route in pages:
        record = page_record(world, route)
        village_object = record is not None and in_village(world, record)
        for method in METHODS:
            admin = answers.get((route.name, method, "admin"))
            for role in ROLES:
                answer = answers.get((route.name, method, role))
                if answer is None:
                    continue
                where = f"{role:9} {method.upper():6} {route.name} ({page_url(route, world)}): {answer.status}"
                if answer.status >= 500:
                    found.append(f"{where} {answer.error}")
                    continue
                nobody = admin.status == 405 and answer.status == 405
                read = method == READ
                if read:
                    found += writes_on_read(where, answer)
                wrote = sorted({w.model for w in answer.writes if w.model not in OWN_WRITES})
                if role in ("anonymous", "leader") and wrote and route.name not in LEADER_MAY:
                    found.append(f"{where}, wrote {wrote}")
                outside = sorted({w.model for w in answer.writes if w.path and not w.path.startswith(own_path)})
                if role in OTHER_VILLAGE and outside:
                    found.append(f"{where}, wrote outside 杨球村: {outside}")
                if role == "anonymous":
                    if not (answer.status == 302 and answer.location.startswith(login)) and not nobody:
                        found.append(f"{where}, expected a redirect to the login page")
                elif role in OTHER_VILLAGE:
                    if record is not None and answer.status != 404 and not nobody:
                        found.append(f"{where}, expected 404 (not his village's)")
                    if read and MARK in answer.text():
                        found.append(f"{where}, shows a record of 铜梁村")
                elif role in NO_UNIT:
                    found += violations_of_no_unit(world, where, answer, read=read, record=record is not None,
                                                   nobody=nobody)  # fmt: skip
                elif role == "admin":
                    if read and route.is_generic and answer.status != 200:
                        found.append(f"{where}, every list, detail and form opens for the admin")
                    if not read and route.is_generic and answer.status in (401, 403, 404):
                        found.append(f"{where}, the admin may write everywhere")
                    if not read and answer.status in (401, 403):
                        found.append(f"{where}, the admin may write everywhere")
                elif role == "leader" and route.is_form:
                    if route.name not in LEADER_MAY and answer.status not in (403, 404, 405):
                        found.append(f"{where}, expected a refusal (403/404/405): a leader writes no ledger")
                elif read and record is not None and not route.is_form:
                    # Reading: the cadre and the leader read the whole town, the secretary his village.
                    if role == "tongliang" and not village_object:
                        if answer.status != 404:
                            found.append(f"{where}, expected 404 (not his village's)")
                    elif answer.status != admin.status:
                        found.append(f"{where}, expected {admin.status} as for the admin")
    return found


def test_every_route_resolves_to_itself(world, pages):
    """A route shadowed by an earlier pattern (as /governance/hazards/<pk>/<slug:step>/ once caught …/edit/) is a page
    nobody can open."""
    for route in pages:
        match = resolve(page_url(route, world))
        assert match.view_name == route.name, (route.name, match.view_name)


def test_pages(world, pages, page_answers):
    dump(page_answers, "pages.tsv")
    found = violations_of_pages(world, pages, page_answers)
    assert not found, f"{len(found)} answers out of line:\n" + "\n".join(found)


def test_page_matrix_size(pages, page_answers):
    assert len(page_answers) == sum(len(methods_for(route, role)) for route in pages for role in ROLES)




# --- the API ----------------------------------------------------------------------------------------------------------

PUBLIC_API = {"/api/v1/auth/token/"}  # the login of the API: open to anonymous by design (DESIGN §6)
CRUD_WRITES = ("post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def operations(schema):
    return api_operations(schema)


def write_body(operation, url, admin_client, operations):
    """A write's JSON body: the record as the admin reads it (for a create: the record of its list's detail route),
    or {} for an action."""
    if operation.method in ("put", "patch"):
        detail = url
    elif operation.method == "post" and f"{operation.path}{{id}}/" in {op.path for op in operations}:
        detail = None
    else:
        return {}
    if detail is None:
        return "copy"
    response = admin_client.get(detail)
    return response.json() if response.status_code == 200 else {}


def ask_api(world, operations, every_operation):
    """{(path, method, role): Answer} for the operations, as every role."""
    answers = {}
    admin = client_for(world, "admin")
    urls = {op: api_url(op, world) for op in operations}
    bodies = {}
    for op in operations:
        body = write_body(op, urls[op], admin, every_operation) if op.is_write else None
        if body == "copy":  # a create: a copy of 铜梁村's record of that list, read through its detail route
            detail = next(o for o in every_operation if o.path == f"{op.path}{{id}}/" and o.method == "get")
            response = admin.get(api_url(detail, world))
            body = response.json() if response.status_code == 200 else {}
        bodies[op] = body
    for role in ROLES:
        client = client_for(world, role)
        for op in operations:
            query = api_query(op, world)
            url = urls[op] + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
            answers[op.path, op.method, role] = ask(client, op.method, url, bodies[op], json_body=op.is_write)
    return answers


@pytest.fixture(scope="module")
def api_answers(world, operations, django_db_blocker):
    with django_db_blocker.unblock():
        return ask_api(world, operations, operations)


def violations_of_api(world, operations, answers):
    found = []
    own_path = world.other_village.path
    for op in operations:
        url = api_url(op, world)
        record = api_record(op, world, url)
        village_object = record is not None and in_village(world, record)
        shared = record is not None and getattr(record, "unit", None) is None and record != world.village
        admin = answers[op.path, op.method, "admin"]
        for role in ROLES:
            answer = answers[op.path, op.method, role]
            where = f"{role:9} {op.method.upper():6} {op.path} ({url}): {answer.status}"
            if answer.status >= 500:
                found.append(f"{where} {answer.error}")
                continue
            nobody = admin.status == 405 and answer.status == 405
            wrote = sorted({w.model for w in answer.writes if w.model not in OWN_WRITES})
            if op.method == "get":
                found += writes_on_read(where, answer)
            if op.path in PUBLIC_API:
                continue
            if role in ("anonymous", "leader") and wrote and op.path not in LEADER_MAY:
                found.append(f"{where}, wrote {wrote}")
            outside = sorted({w.model for w in answer.writes if w.path and not w.path.startswith(own_path)})
            if role in OTHER_VILLAGE and outside:
                found.append(f"{where}, wrote outside 杨球村: {outside}")
            if role == "anonymous":
                if answer.status not in (401, 403):
                    found.append(f"{where}, expected 401/403")
            elif role in OTHER_VILLAGE:
                if record is not None and not shared and answer.status != 404 and not nobody:
                    found.append(f"{where}, expected 404 (not his village's)")
                if op.method == "get" and MARK in answer.text():
                    found.append(f"{where}, shows a record of 铜梁村")
                if op.method == "post" and not op.has_object and 200 <= answer.status < 300:
                    found.append(f"{where}, created a copy of a record of 铜梁村")
            elif role in NO_UNIT:
                found += violations_of_no_unit(world, where, answer, read=op.method == "get",
                                               record=record is not None and not shared, nobody=nobody)  # fmt: skip
                if op.method == "post" and not op.has_object and 200 <= answer.status < 300:
                    found.append(f"{where}, a user with no unit created a record")
            elif role == "admin":
                if op.method == "get" and answer.status != 200:
                    found.append(f"{where}, the admin reads everything")
                if op.is_write and answer.status in (401, 403, 404):
                    found.append(f"{where}, the admin may write everywhere")
            elif op.method == "get":
                if role == "tongliang" and record is not None and not village_object and not shared:
                    if answer.status != 404:
                        found.append(f"{where}, expected 404 (not his village's)")
                elif answer.status != admin.status:
                    found.append(f"{where}, expected {admin.status} as for the admin")
            elif role == "leader" and op.path not in LEADER_MAY and op.method in CRUD_WRITES:
                if op.has_object and op.method != "post" and answer.status not in (403, 404, 405):
                    found.append(f"{where}, expected a refusal (403/404/405): a leader writes no ledger")
                if not op.has_object and op.method == "post" and answer.status not in (403, 405):
                    found.append(f"{where}, expected 403: a leader creates no ledger record")
                if 200 <= answer.status < 300:
                    found.append(f"{where}, expected a refusal: a leader writes no ledger")
    return found


def dump(answers, name):
    """SECURITY_MATRIX_DUMP=folder writes each matrix as a table (route, method, role, status), for reading."""
    folder = os.environ.get("SECURITY_MATRIX_DUMP")
    if folder:
        with open(os.path.join(folder, name), "w") as out:
            for (route, method, role), answer in sorted(answers.items()):
                out.write(f"{route}\t{method}\t{role}\t{answer.status}\n")


def test_api(world, operations, api_answers):
    dump(api_answers, "api.tsv")
    found = violations_of_api(world, operations, api_answers)
    assert not found, f"{len(found)} answers out of line:\n" + "\n".join(found)


# --- the matrix catches a leak ----------------------------------------------------------------------------------------


def unscoped(model):
    return staticmethod(lambda user, action="view": model.objects.all())


def test_the_matrix_fails_on_a_viewset_that_leaks(world, operations, monkeypatch):
    """A viewset whose queryset is not the scoped selector (here: every income of every village) is caught."""
    from industry.models import IncomeEntry

    viewset = resolve("/api/v1/industry/incomes/").func.cls  # the one the route serves
    monkeypatch.setattr(viewset, "selector", unscoped(IncomeEntry))
    leaking = [op for op in operations if op.path.startswith("/api/v1/industry/incomes/")]
    found = violations_of_api(world, leaking, ask_api(world, leaking, operations))
    assert any(line.startswith("yangqiu   GET    /api/v1/industry/incomes/{id}/") for line in found), found
    assert any("shows a record of 铜梁村" in line for line in found), found
    assert any(line.startswith("yangqiu   DELETE") for line in found), found


def test_the_matrix_fails_on_a_page_that_leaks(world, pages, monkeypatch):
    """A page that looks its record up unscoped (here: the income detail and edit pages) is caught."""
    from industry.models import IncomeEntry

    for name in ("detail", "edit"):
        view = resolve(reverse(f"industry:incomeentry_{name}", args=[1])).func.view_class  # the one the route serves
        monkeypatch.setattr(view, "selector", unscoped(IncomeEntry))
    leaking = [route for route in pages if route.name.startswith("industry:incomeentry_")]
    found = violations_of_pages(world, leaking, ask_pages(world, leaking))
    assert any(line.startswith("yangqiu   GET    industry:incomeentry_detail") for line in found), found
    assert any(line.startswith("yangqiu   POST   industry:incomeentry_edit") for line in found), found


def test_the_matrix_fails_on_a_get_that_writes(world, pages, monkeypatch):
    """A page whose GET writes is caught by the statement it sends, even a queryset update() no signal reports (here:
    the completeness page marks every report pending)."""
    from reports.models import MonthlyReport
    from reports.monthly import views

    reads = views.selectors.completeness

    def writing(user, month):
        MonthlyReport.objects.update(rollup_pending=True)
        return reads(user, month)

    monkeypatch.setattr(views.selectors, "completeness", writing)
    writes = [route for route in pages if route.name == "reports:completeness"]
    found = violations_of_pages(world, writes, ask_pages(world, writes))
    assert any(line.startswith("admin     GET    reports:completeness") and "a GET wrote reports_monthlyreport: UPDATE"
               in line for line in found), found  # fmt: skip


def test_opening_a_report_nobody_saved_writes_nothing(world):
    """The monthly entry page and the report API for 铜梁村's month before the world's (no report yet), as every
    role: the walk above only meets a report that exists. Who may fill it in sees a draft; the others as before."""
    from reports import periods

    month = periods.month_key(periods.add_months(periods.last_complete_month(), -1))
    page = reverse("reports:entry", args=[world.village.pk, "industry", month])
    api = f"/api/v1/reports/{world.village.pk}/industry/{month}/"
    expected = {"anonymous": (302, 403), **{role: (404, 404) for role in OTHER_VILLAGE}, "tongliang": (200, 200),
                "cadre": (200, 200),
                "leader": (404, 404), "admin": (200, 200), **{role: (404, 404) for role in NO_UNIT}}  # fmt: skip
    found = []
    for role in ROLES:
        client = client_for(world, role)
        for url, status in zip((page, api), expected[role], strict=True):
            answer = ask(client, "get", url)
            where = f"{role:9} GET    {url}: {answer.status}"
            found += writes_on_read(where, answer)
            if answer.status != status and not (role == "anonymous" and answer.status == 401):
                found.append(f"{where}, expected {status}")
    assert not found, "\n".join(found)


def exports_as(world, pages, role):
    """{route name: text of its workbook} for every Excel download of the pages (`?export=xlsx` on each list and
    report) as `role`."""
    client = client_for(world, role)
    texts = {}
    for route in pages:
        if route.is_form or route.params:
            continue
        answer = ask(client, "get", page_url(route, world) + "?export=xlsx")
        assert answer.status < 500, (route.name, answer.error)
        assert not answer.statements, (route.name, answer.statements)  # a download is a GET: it writes nothing
        if answer.content_type.startswith("application/vnd.openxml"):
            texts[route.name] = workbook_text(answer.body)
    return texts


@pytest.mark.parametrize("role", OTHER_VILLAGE)
def test_the_other_village_exports_nothing_of_tongliang(world, pages, role):
    texts = exports_as(world, pages, role)
    assert len(texts) > 40
    assert [name for name, text in texts.items() if MARK in text] == []


@pytest.mark.parametrize("role", NO_UNIT)
def test_a_user_with_no_unit_exports_nothing_of_any_unit(world, pages, role):
    texts = exports_as(world, pages, role)
    assert len(texts) > 40
    assert [(name, word) for name, text in texts.items() for word in unit_names(world) if word in text] == []
