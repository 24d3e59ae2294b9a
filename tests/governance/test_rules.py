"""The hazards' rules are declared once, on their queryset (governance/models.py): REVIEW, moving a hazard along
the 六定 chain, is its village's (and cadre's) or a reviewer's; VERIFY, the last step or a return, is the reviewer's
alone. `restrict()`, the selector, an API field, the API's steps and the pages give the same answer."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from rest_framework import serializers
from rest_framework.test import APIClient

from branches.api.base import ScopedPrimaryKeyField
from branches.scoping import CHANGE, REVIEW, VIEW
from governance import selectors, services
from governance.models import VERIFY, Hazard


@pytest.fixture
def hazards(town, users):
    """A rectified hazard in each village (the cadre has 包村 铜梁村 only)."""
    day = date.today() - timedelta(days=3)

    def make(village, item):
        return Hazard.objects.create(
            unit=village.grid, found_on=day, item=item, responsible="成娟", deadline=day + timedelta(days=10),
            status="rectified", rectified_on=day,
        )  # fmt: skip

    return make(town.tongliang, "山塘无护栏"), make(town.yangqiu, "电线私拉乱接")


def expected_rules(users, ours, theirs):
    both = {ours, theirs}
    return {
        # login: (REVIEW: moves it along, VERIFY: verifies or returns it)
        users.admin: (both, both),
        users.leader: (both, both),
        users.cadre: ({ours}, {ours}),
        users.tongliang: ({ours}, set()),
        users.yangqiu: ({theirs}, set()),
    }


def test_restrict_gives_the_hazard_rules_and_the_selector_the_same_rows(town, users, hazards):
    ours, theirs = hazards
    for user, (review, verify) in expected_rules(users, ours, theirs).items():
        assert set(Hazard.objects.restrict(user, REVIEW)) == review, user
        assert set(Hazard.objects.restrict(user, VERIFY)) == verify, user
        for action in (VIEW, CHANGE, REVIEW):
            assert set(selectors.hazard_list(user, action)) == set(Hazard.objects.restrict(user, action)), user
        assert {h for h in hazards if services.may_verify(user, h)} == verify, user


class HazardChoice(serializers.Serializer):
    to_verify = ScopedPrimaryKeyField(queryset=Hazard.objects.all(), action=VERIFY)
    to_move = ScopedPrimaryKeyField(queryset=Hazard.objects.all(), action=REVIEW)


def test_an_api_field_choosing_a_hazard_asks_the_same_rules(town, users, hazards):
    ours, theirs = hazards
    for user, (review, verify) in expected_rules(users, ours, theirs).items():
        for hazard in hazards:
            choice = HazardChoice(data={"to_verify": hazard.pk, "to_move": hazard.pk},
                                  context={"request": SimpleNamespace(user=user)})  # fmt: skip
            choice.is_valid()
            assert ("to_verify" not in choice.errors) == (hazard in verify), (user, hazard)
            assert ("to_move" not in choice.errors) == (hazard in review), (user, hazard)


def test_the_api_steps_and_the_pages_follow_the_rules(town, users, hazards, login):
    ours, theirs = hazards
    api = APIClient()
    api.force_authenticate(users.tongliang)  # his village's hazard: he moves it, but may not verify it
    assert api.post(f"/api/v1/governance/hazards/{ours.pk}/advance/", {}, format="json").status_code == 403
    assert api.post(f"/api/v1/governance/hazards/{theirs.pk}/advance/", {}, format="json").status_code == 404
    api.force_authenticate(users.cadre)  # not his village
    assert api.post(f"/api/v1/governance/hazards/{theirs.pk}/advance/", {}, format="json").status_code == 403
    for hazard in hazards:
        hazard.refresh_from_db()
        assert hazard.status == "rectified"

    secretary = login(users.tongliang)
    page = secretary.get(f"/governance/hazards/{ours.pk}/").content.decode()
    assert f"/governance/hazards/{ours.pk}/return/" not in page
    assert secretary.post(f"/governance/hazards/{theirs.pk}/return/", {"note": "x"}).status_code == 404
    secretary.post(f"/governance/hazards/{ours.pk}/return/", {"note": "护栏不牢"})
    ours.refresh_from_db()
    assert ours.status == "rectified"

    cadre = login(users.cadre)
    assert f"/governance/hazards/{ours.pk}/return/" in cadre.get(f"/governance/hazards/{ours.pk}/").content.decode()
    assert cadre.post(f"/governance/hazards/{theirs.pk}/advance/").status_code == 404
    cadre.post(f"/governance/hazards/{ours.pk}/advance/")
    ours.refresh_from_db()
    assert ours.status == "verified"
    api.force_authenticate(users.leader)
    response = api.post(f"/api/v1/governance/hazards/{theirs.pk}/advance/", {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "verified"
