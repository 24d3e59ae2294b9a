"""Safety in 支部+基层治理: a hazard logged by a secretary goes through to verified and counts in the month's
report; one left open past its deadline shows in the overdue list of the cadre and the leader."""

import re
from datetime import timedelta

from rest_framework.test import APIClient

from governance.models import Hazard, PatrolMember, PatrolTeam, SafetyAction
from reports import periods
from reports.monthly import selectors, services

MONTH = periods.last_complete_month()
DAY = MONTH.replace(day=6)


def log_hazard(client, town, item, deadline):
    return client.post("/governance/hazards/add/", {
        "unit": town.tongliang.grid.pk, "found_on": DAY.isoformat(), "item": item, "location": "一组山塘",
        "measures": "加装护栏、设置警示牌", "funds": "0.8", "responsible": "成娟", "deadline": deadline.isoformat(),
        "reviewer": "王海燕",
    })  # fmt: skip


def test_a_hazard_goes_from_found_to_verified_and_counts_in_the_month(login, town, users):
    client = login(users.tongliang)
    assert log_hazard(client, town, "山塘无护栏", DAY + timedelta(days=10)).status_code == 302
    hazard = Hazard.objects.get(item="山塘无护栏")
    assert hazard.status == "found" and hazard.unit == town.tongliang.grid

    for expected in ("rectifying", "rectified"):
        client.post(f"/governance/hazards/{hazard.pk}/advance/", {"note": "已安排施工"})
        hazard.refresh_from_db()
        assert hazard.status == expected
    refused = client.post(f"/governance/hazards/{hazard.pk}/advance/", follow=True).content.decode()
    hazard.refresh_from_db()
    assert hazard.status == "rectified" and "须由联村干部或镇领导验收" in refused

    login(users.cadre).post(f"/governance/hazards/{hazard.pk}/advance/")
    hazard.refresh_from_db()
    assert hazard.status == "verified" and hazard.verified_on is not None

    Hazard.objects.filter(pk=hazard.pk).update(rectified_on=DAY + timedelta(days=3))
    report = services.report_open(unit=town.tongliang.unit, work_line="governance", month=MONTH)
    values = {code: row.value for code, row in selectors.values_by_code(report).items()}
    assert values["gov.hazards_found"] == 1 and values["gov.hazards_rectified"] == 1
    entry = login(users.tongliang).get(f"/reports/{town.tongliang.unit.pk}/governance/{MONTH:%Y-%m}/").content.decode()
    assert f"/governance/hazards/?under={town.tongliang.unit.pk}&amp;found_after={MONTH.isoformat()}" in entry


def test_an_overdue_hazard_shows_for_the_cadre_and_the_leader(login, town, users):
    client = login(users.tongliang)
    log_hazard(client, town, "电线私拉乱接", DAY)
    Hazard.objects.filter(item="电线私拉乱接").update(
        found_on=DAY - timedelta(days=20), deadline=DAY - timedelta(days=5)
    )
    for user in (users.cadre, users.leader):
        page = login(user).get("/governance/hazards/?overdue=true").content.decode()
        assert "电线私拉乱接" in page, user
    assert "逾期未整改的安全隐患 1 处" in login(users.cadre).get("/").content.decode()
    dashboard = login(users.leader).get("/", follow=True).content.decode()  # the leader's home: 需要关注
    alert = re.search(r'<span class="me-auto">逾期未整改的安全隐患 .*?rounded-pill">(\d+)<', dashboard, re.S)
    assert alert and alert.group(1) == "1"
    secretary_home = login(users.tongliang).get("/", follow=True).content.decode()
    assert "逾期未整改的安全隐患 1 处" in secretary_home


def test_another_village_cannot_see_or_move_a_hazard(login, town, users):
    theirs = Hazard.objects.create(unit=town.yangqiu.unit, found_on=DAY, item="杨球村隐患", responsible="x",
                                   deadline=DAY + timedelta(days=3))  # fmt: skip
    client = login(users.tongliang)
    assert client.get(f"/governance/hazards/{theirs.pk}/").status_code == 404
    assert client.post(f"/governance/hazards/{theirs.pk}/advance/").status_code == 404
    assert "杨球村隐患" not in client.get("/governance/hazards/").content.decode()
    api = APIClient()
    api.force_authenticate(users.tongliang)
    assert api.get("/api/v1/governance/hazards/").json()["count"] == 0
    assert api.post(f"/api/v1/governance/hazards/{theirs.pk}/advance/").status_code == 404
    cadre = APIClient()
    cadre.force_authenticate(users.cadre)
    assert cadre.post(f"/api/v1/governance/hazards/{theirs.pk}/advance/").status_code == 403  # not his village
    theirs.refresh_from_db()
    assert theirs.status == "found"


def test_patrols_and_actions_count_for_the_town(town, users):
    team = PatrolTeam.objects.create(unit=town.unit, name="第一巡查队")
    for name in ("甲", "乙", "丙"):
        PatrolMember.objects.create(unit=town.unit, team=team, name=name)
    SafetyAction.objects.create(unit=town.unit, kind="road_safety", date=DAY, team=team, partners="派出所",
                                umbrellas_removed=7, helmet_persuasions=30)  # fmt: skip
    SafetyAction.objects.create(unit=town.tongliang.unit, kind="inspection", date=DAY)
    report = services.report_open(unit=town.unit, work_line="governance", month=MONTH)
    values = {code: row.value for code, row in selectors.values_by_code(report).items()}
    assert values["gov.patrol_teams"] == 1 and values["gov.patrol_cadres"] == 3
    assert values["gov.road_safety_actions"] == 1 and values["gov.umbrellas_removed"] == 7
    assert (
        values["gov.helmet_persuasions"] == 30 and values["gov.hazard_inspections"] == 0
    )  # the village's, not its own
    village = services.report_open(unit=town.tongliang.unit, work_line="governance", month=MONTH)
    assert selectors.values_by_code(village)["gov.hazard_inspections"].value == 1


def test_bad_hazard_input_is_refused(town, users):
    api = APIClient()
    api.force_authenticate(users.tongliang)
    base = {"unit": town.tongliang.unit.pk, "found_on": DAY.isoformat(), "item": "x", "responsible": "y",
            "deadline": (DAY + timedelta(days=5)).isoformat()}  # fmt: skip
    for change, field in (
        ({"deadline": (DAY - timedelta(days=1)).isoformat()}, "deadline"),
        ({"funds": "-1"}, "funds"),
        ({"item": ""}, "item"),
        ({"found_on": (periods.current_month() + timedelta(days=40)).isoformat()}, "found_on"),
    ):
        response = api.post("/api/v1/governance/hazards/", {**base, **change})
        assert response.status_code == 400 and field in response.json(), change
    assert not Hazard.objects.exists()


def test_case_lists_open_on_status_tabs(login, town, users):
    Hazard.objects.create(unit=town.tongliang.unit, found_on=DAY, item="甲隐患", responsible="x", deadline=DAY)
    Hazard.objects.create(unit=town.tongliang.unit, found_on=DAY, item="乙隐患", responsible="x", deadline=DAY,
                          status="verified", rectified_on=DAY, verified_on=DAY)  # fmt: skip
    client = login(users.tongliang)
    page = client.get("/governance/hazards/").content.decode()
    assert "nav-tabs" in page and "已验收" in page and "?status=verified" in page
    verified = client.get("/governance/hazards/?status=verified").content.decode()
    assert "乙隐患" in verified and "甲隐患" not in verified
    assert 'aria-current="page">已验收<' in verified
