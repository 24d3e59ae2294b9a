"""The 包企 rule is declared once, on the models' querysets (industry/models.py), and every way in gives its answer:
`restrict()`, the selectors, the API's scoped fields and the pages. The cadre who answers for an enterprise writes its
visits and problems wherever it lies; a cadre or secretary who does not, cannot — not even in his own village."""

from datetime import date, timedelta

import pytest
from rest_framework.test import APIClient

from branches.models import Assignment, Cadre
from branches.scoping import CHANGE, VIEW
from industry import selectors
from industry.models import ANSWER, Enterprise, Problem, ServiceVisit
from reports.today import today_for

from ..conftest import make_user


@pytest.fixture
def world(town, users):
    """The mill (at the town) is answered for by `cadre` (包村 铜梁村); `other` (杨球村) by nobody. `second` is a cadre
    with 包村 杨球村 who answers for no enterprise."""
    mill = Enterprise.objects.create(unit=town.unit, name="湖南角山米业有限公司", kind="above_scale")
    other = Enterprise.objects.create(unit=town.yangqiu.unit, name="杨球村合作社", kind="cooperative")
    cadre = Cadre.objects.get(user=users.cadre)
    Assignment.objects.create(kind="enterprise", cadre=cadre, unit=mill.unit, target=mill, start_date=date(2025, 1, 1))
    second_user = make_user("second", "cadre", town.unit)
    second = Cadre.objects.create(unit=town.unit, name="另一名联村干部", user=second_user)
    Assignment.objects.create(kind="village", unit=town.yangqiu.unit, cadre=second)
    visits = {e: ServiceVisit.objects.create(unit=e.unit, enterprise=e, cadre=cadre, date=date(2026, 1, 5))
              for e in (mill, other)}  # fmt: skip
    deadline = date.today() + timedelta(days=30)
    problems = {
        e: Problem.objects.create(unit=e.unit, enterprise=e, visit=visits[e], description=f"{e.name}的问题",
                                  responsible="王", deadline=deadline)
        for e in (mill, other)
    }  # fmt: skip
    logins = {"admin": users.admin, "leader": users.leader, "cadre": users.cadre, "second": second_user,
              "tongliang": users.tongliang, "yangqiu": users.yangqiu}  # fmt: skip
    return mill, other, visits, problems, logins


def test_restrict_gives_the_bao_qi_rule_and_the_selectors_give_the_same_rows(world):
    mill, other, visits, problems, logins = world
    answering = {"admin": {mill, other}, "cadre": {mill}}
    for name, user in logins.items():
        expected = answering.get(name, set())
        assert set(Enterprise.objects.restrict(user, ANSWER)) == expected, name
        assert set(ServiceVisit.objects.restrict(user, CHANGE)) == {visits[e] for e in expected}, name
        assert set(Problem.objects.restrict(user, CHANGE)) == {problems[e] for e in expected}, name
        for action in (VIEW, CHANGE):
            assert set(selectors.visit_list(user, action)) == set(ServiceVisit.objects.restrict(user, action)), name
            assert set(selectors.problem_list(user, action)) == set(Problem.objects.restrict(user, action)), name
        assert set(selectors.my_enterprises(user)) == expected, name
        assert selectors.answers_for(user, mill) == (mill in expected), name
    # reading stays the unit rule: the secretary of 杨球村 reads his village's visit, and changes none of them
    assert set(ServiceVisit.objects.restrict(logins["yangqiu"], VIEW)) == {visits[other]}


@pytest.mark.parametrize("resource", ["visits", "problems"])
def test_through_the_api_only_the_cadre_who_answers_for_it_creates_for_an_enterprise(world, resource):
    mill, other, visits, _problems, logins = world
    payload = {"date": date.today().isoformat(), "policies": "稳岗补贴"}
    if resource == "problems":
        payload = {"description": "用电容量不足", "responsible": "王", "deadline": "2030-01-01"}
    api = APIClient()
    for name, enterprise in (("second", mill), ("yangqiu", other), ("cadre", other), ("tongliang", mill)):
        api.force_authenticate(logins[name])
        response = api.post(f"/api/v1/industry/{resource}/", {**payload, "enterprise": enterprise.pk}, format="json")
        assert response.status_code == 400 and "enterprise" in response.json(), (name, response.content)
    api.force_authenticate(logins["cadre"])
    response = api.post(f"/api/v1/industry/{resource}/", {**payload, "enterprise": mill.pk}, format="json")
    assert response.status_code == 201, response.content
    # and a record of his enterprise is his to change, another's is read-only (403), through the same rule
    model = ServiceVisit if resource == "visits" else Problem
    assert model.objects.get(pk=response.json()["id"]).enterprise == mill
    api.force_authenticate(logins["second"])
    theirs = model.objects.filter(enterprise=mill).first()
    assert api.patch(f"/api/v1/industry/{resource}/{theirs.pk}/", {}, format="json").status_code == 403


def test_the_pages_refuse_a_visit_or_problem_of_an_enterprise_he_does_not_answer_for(world, login):
    mill, other, visits, problems, logins = world
    for name in ("second", "yangqiu", "leader"):
        client = login(logins[name])
        reads = client.get(f"/industry/visits/{visits[mill].pk}/").status_code
        assert reads == (404 if name == "yangqiu" else 200), name  # the town's cadres and leaders read it
        assert client.get(f"/industry/visits/{visits[mill].pk}/edit/").status_code in (403, 404), name
        assert client.get(f"/industry/problems/{problems[mill].pk}/edit/").status_code in (403, 404), name
        assert client.get(f"/industry/visits/{visits[other].pk}/edit/").status_code in (403, 404), name
        response = client.post(f"/industry/problems/{problems[mill].pk}/status/", {"status": "in_progress"})
        assert response.status_code in (403, 404), name
    problems[mill].refresh_from_db()
    assert problems[mill].status == "open"
    client = login(logins["cadre"])
    assert client.get(f"/industry/visits/{visits[mill].pk}/edit/").status_code == 200
    assert client.get(f"/industry/problems/{problems[mill].pk}/edit/").status_code == 200
    assert client.get(f"/industry/visits/{visits[other].pk}/edit/").status_code in (403, 404)
    form = client.get("/industry/visits/add/").content.decode()
    assert "湖南角山米业有限公司" in form and "杨球村合作社" not in form


def test_through_the_api_a_problem_hangs_only_on_a_visit_he_may_change(world):
    mill, other, visits, _problems, logins = world
    api = APIClient()
    api.force_authenticate(logins["cadre"])
    payload = {"enterprise": mill.pk, "description": "用电容量不足", "responsible": "王", "deadline": "2030-01-01"}
    response = api.post("/api/v1/industry/problems/", {**payload, "visit": visits[other].pk}, format="json")
    assert response.status_code == 400 and "visit" in response.json(), response.content
    response = api.post("/api/v1/industry/problems/", {**payload, "visit": visits[mill].pk}, format="json")
    assert response.status_code == 201 and response.json()["visit"] == visits[mill].pk


def test_a_problem_hangs_only_on_a_visit_to_its_own_enterprise(world, users):
    """Even one who may change every visit (an admin) cannot file the mill's problem under a visit to another."""
    mill, other, visits, _problems, _logins = world
    api = APIClient()
    api.force_authenticate(users.admin)
    payload = {"enterprise": mill.pk, "description": "用电容量不足", "responsible": "王", "deadline": "2030-01-01"}
    response = api.post("/api/v1/industry/problems/", {**payload, "visit": visits[other].pk}, format="json")
    assert response.status_code == 400 and response.json()["visit"] == ["该走访记录不是对这家企业的走访。"]
    assert not Problem.objects.filter(description="用电容量不足").exists()


def test_the_cadre_who_answers_for_an_enterprise_is_told_of_its_open_problems_by_their_deadline(world, login):
    mill, _other, visits, problems, logins = world
    sooner = Problem.objects.create(unit=mill.unit, enterprise=mill, visit=visits[mill], description="用电增容",
                                    responsible="王", deadline=date.today() + timedelta(days=3))  # fmt: skip
    found = {item.code: (n, due) for item, n, due in today_for(logins["cadre"])}
    assert found["industry.open_problems"] == (2, sooner.deadline)  # the mill's two, not 杨球村合作社's
    assert "industry.open_problems" not in {item.code for item, _n, _due in today_for(logins["second"])}
    page = login(logins["cadre"]).get("/", follow=True).content.decode()
    today = page[page.index('data-testid="today"') :]
    row = today[: today.index("</a>", today.index("我包联企业的未办结问题"))]
    assert f"{sooner.deadline.month}月{sooner.deadline.day}日截止" in row
    listed = login(logins["cadre"]).get(row[row.rindex('href="') + 6 :].split('"')[0]).content.decode()
    assert "用电增容" in listed and problems[mill].description in listed and "杨球村合作社的问题" not in listed
