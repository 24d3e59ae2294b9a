"""The leaders' dashboard on the Jingzi demo: the leader's KPI cards show the article's figures (DESIGN §5) within the
query budget, and every dashboard of the demo opens; the dashboard's own tests are tests/test_dashboard.py.

The demo is loaded once for the package (tests/demo/conftest.py); each test runs in a savepoint inside it.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branches.models import Unit, User
from reports.checks import display
from reports.models import Rollup
from reports.registry import registry
from reports.templatetags.reports_tags import rate
from tests.test_dashboard import QUERY_BUDGET, THIS_YEAR, card_values, dashboard_page

pytestmark = pytest.mark.django_db  # tests/demo/ holds database tests only (see its conftest)

ARTICLE = {
    "ind.enterprise_cadres": 16, "ind.enterprises_assigned": 66, "ind.enterprise_jobs": 60,
    "env.garbage_tons": 427, "env.road_km": 12, "env.river_km": 3, "env.sewage_investment": 1020,
    "env.pipe_km": Decimal("3.88"), "env.sewage_capacity": 18, "env.hollow_houses": 541, "env.toilets": 53,
    "org.grids": 122, "gov.covering_members": 1158, "gov.micro_grids": 116, "gov.booster_doses": 7779,
    "gov.checkpoints": 24, "gov.patrol_teams": 6, "gov.patrol_cadres": 78, "gov.road_safety_actions": 37,
    "gov.umbrellas_removed": 186, "gov.helmet_persuasions": 695, "gov.illegal_crackdowns": 26,
    "gov.hazard_inspections": 50, "gov.mediation_rooms": 22, "gov.disputes_mediated": 467,
    "gov.petitions_resolved": 16,
}  # fmt: skip


@pytest.mark.django_db
def test_the_leaders_dashboard_shows_the_articles_figures(printout, client):
    leader = User.objects.get(username="leader")
    client.force_login(leader)
    with CaptureQueriesContext(connection) as context:
        html = dashboard_page(client)
    assert len(context.captured_queries) <= QUERY_BUDGET
    cards = card_values(html)
    for code, figure in ARTICLE.items():
        assert cards[code] == display(Decimal(figure)), (code, cards[code])
    town = leader.unit
    stored = Rollup.objects.filter(unit=town, period=THIS_YEAR.key).values_list("indicator__code", "value")
    for code, value in stored:
        if code in cards:  # a rate to the places its indicator declares (98.4 %), any other figure whole
            assert cards[code] == rate(value, registry.get(code)), code
    assert int(cards["env.billboards_removed"]) >= 200 and int(cards["gov.hazards_found"]) >= 170


@pytest.mark.django_db
def test_every_demo_dashboard_opens(printout, client):
    client.force_login(User.objects.get(username="leader"))
    town = User.objects.get(username="leader").unit
    for unit in Unit.objects.filter(path__startswith=town.path, kind__in=("area", "village", "community")):
        assert client.get(reverse("reports:dashboard"), {"unit": unit.pk}).status_code == 200, unit
    for spec in registry.all():
        url = reverse("reports:dashboard_indicator", args=[spec.code])
        assert client.get(url).status_code == 200, spec.code
    tongliang = User.objects.get(username="tongliang")
    client.force_login(tongliang)
    html = dashboard_page(client)
    assert "铜梁村" in html and "杨球村" not in html
