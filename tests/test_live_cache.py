"""The cached live parts of pages (今日待办, the dashboard's exceptions and alerts, the reference counts): served from
the cache until something they count is written, then computed afresh on the very next page — whichever way it was
written (a page, the API, a task) — while reads, logins and bookkeeping leave them cached (jingzi/live.py,
branches.models.LiveVersion, reports/cache.py)."""

from datetime import timedelta
from fnmatch import fnmatchcase

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from branches.models import LiveVersion, PersonalDataAccess, Unit, User
from branches.selectors import live_units_written_by
from reports import periods, tasks
from reports.dashboard import alerts
from reports.monthly import services
from reports.today import items
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

MONTH = periods.last_complete_month()
KEY = periods.month_key(MONTH)


def approved(town, users, unit, capture):
    """An approved report of `unit`: the town has a roll-up version, so its pages' parts are cached."""
    secretary = users.tongliang if unit == town.tongliang.unit else users.yangqiu
    report = services.report_open(unit=unit, work_line="governance", month=MONTH)
    services.report_save_values(report=report, user=secretary, values={"gov.leaflets": 1, "gov.booster_doses": 2})
    services.report_submit(report=report, user=secretary)
    with capture(execute=True):
        services.report_approve(report=report, user=users.leader)
    return report


def dashboard(client, town):
    """(the leader's dashboard, its SQL queries)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    return response.content.decode(), len(queries.captured_queries)


def section(html, testid):
    start = html.index(f'data-testid="{testid}"')
    return html[start : html.index("</section>", start)]


def tokens():
    return dict(LiveVersion.objects.values_list("unit_id", "token"))


@pytest.fixture
def cached_town(town, users, django_capture_on_commit_callbacks):
    approved(town, users, town.yangqiu.unit, django_capture_on_commit_callbacks)
    return town


def test_a_report_submitted_on_its_page_waits_at_once_in_the_leaders_today_list(cached_town, users, client):
    town = cached_town
    leader = client
    leader.force_login(users.leader)
    first, cold = dashboard(leader, town)
    again, warm = dashboard(leader, town)
    assert "待审核的月报" not in section(first, "today") and warm < cold  # the second came from the cache

    secretary = APIClient()  # another browser
    secretary.login(username=users.tongliang.username, password=PASSWORD)
    entry = f"/reports/{town.tongliang.unit.pk}/governance/{KEY}/"
    saved = secretary.post(entry, {"version": 1, "v:gov.leaflets": "3", "v:gov.booster_doses": "4", "action": "submit"})
    assert saved.status_code == 302

    after, queries = dashboard(leader, town)
    assert "待审核的月报" in section(after, "today") and queries > warm  # computed afresh, not the cached list


def test_a_hazard_reported_through_the_api_shows_at_once_among_the_leaders_alerts(cached_town, users, client):
    town = cached_town
    client.force_login(users.leader)
    assert "逾期未整改的安全隐患" not in dashboard(client, town)[0]
    api = APIClient()
    api.force_authenticate(users.tongliang)
    found = MONTH.replace(day=2)
    created = api.post("/api/v1/governance/hazards/", {
        "unit": town.tongliang.grid.pk, "found_on": found.isoformat(), "item": "山塘无护栏", "responsible": "成娟",
        "deadline": (found + timedelta(days=3)).isoformat(),
    }, format="json")  # fmt: skip
    assert created.status_code == 201, created.content
    exceptions = dashboard(client, town)[0]
    assert "逾期未整改的安全隐患" in exceptions[exceptions.index('id="exceptions"') :]


def test_reading_logging_in_and_bookkeeping_leave_the_tokens(cached_town, users, client):
    town = cached_town
    client.force_login(users.leader)
    dashboard(client, town)  # a first write by the browser would have shown here
    before = tokens()
    dashboard(client, town)
    client.get(reverse("governance:hazard_list"))
    client.get(reverse("reports:dashboard"), {"unit": town.tongliang.unit.pk})
    APIClient().login(username=users.tongliang.username, password=PASSWORD)  # last_login, the session, axes
    household = town.tongliang.households[0]
    revealed = client.post(reverse("branches:household_detail", args=[household.pk]), {"reason": "核对低保材料"})
    assert revealed.status_code == 200 and PersonalDataAccess.objects.filter(user=users.leader).count() == 1
    assert tokens() == before


def test_a_write_renews_the_tokens_of_the_towns_its_writer_may_act_in(town, users):
    county_leader = make_user("county-leader", User.Role.LEADER, town.county)
    worker = make_user("tl-grid", User.Role.GRID_WORKER, town.tongliang.grid)
    for user in (users.tongliang, users.yangqiu, users.cadre, users.leader, worker):
        assert live_units_written_by(user) == [town.unit.pk], user
    assert live_units_written_by(county_leader) == [town.county.pk]  # every page below is keyed on it too
    assert live_units_written_by(users.admin) == [town.county.pk]


def test_a_task_that_writes_renews_every_top_unit_and_one_that_only_rolls_up_none(cached_town, users, settings):
    town = cached_town
    settings.CELERY_TASK_ALWAYS_EAGER = True
    before = tokens()
    tasks.rollup_full.delay()  # the roll-up has its own version; the live tokens stay
    assert tokens() == before
    town.yangqiu.households[0].delete()  # by hand: no request, no task
    assert tasks.refresh_derived.delay().get() == 1  # marks 杨球村's approved report changed: a task that writes
    after = tokens()
    assert after[town.county.pk] != before.get(town.county.pk)
    assert Unit.objects.get(pk=town.county.pk).depth == 1


def test_every_alert_and_today_item_counts_rows_whose_writes_renew_the_tokens(town, users):
    """A model pages count live must not be one the portal writes without renewing the tokens."""

    def uncounted(model):
        return any(fnmatchcase(model._meta.label_lower, pattern) for pattern in settings.LIVE_UNCOUNTED_MODELS)

    models = {spec.rows(users.leader, town.unit).model for spec in alerts.registered() if spec.rows}
    for user in (users.leader, users.cadre, users.tongliang):
        models |= {item.rows(user).model for item in items() if item.rows is not None}
    assert len(models) >= 5
    assert not [model for model in models if uncounted(model)]


def test_a_list_page_is_rendered_from_the_cache_until_a_hazard_is_logged(cached_town, users, client):
    town = cached_town
    client.force_login(users.leader)
    url = reverse("governance:hazard_list")

    def listed():
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url).content.decode()
        return html, len(queries.captured_queries)

    listed()
    first, cold = listed()
    assert "塘坝渗漏" not in first
    secretary = APIClient()
    secretary.login(username=users.tongliang.username, password=PASSWORD)
    logged = secretary.post("/governance/hazards/add/", {
        "unit": town.tongliang.grid.pk, "found_on": MONTH.replace(day=6).isoformat(), "item": "塘坝渗漏",
        "location": "二组", "measures": "清淤加固", "funds": "0.5", "responsible": "成娟",
        "deadline": MONTH.replace(day=20).isoformat(), "reviewer": "王海燕",
    })  # fmt: skip
    assert logged.status_code == 302
    after, queries = listed()
    assert "塘坝渗漏" in after and queries > cold  # its rows read again, not the cached table


def test_a_cached_list_is_each_readers_own(cached_town, users, client):
    """The same address gives each reader the rows he may see: the key is his."""
    url = reverse("branches:household_list")
    client.force_login(users.leader)
    leaders = client.get(url).content.decode()
    client.force_login(users.tongliang)
    secretarys = client.get(url).content.decode()
    assert "杨球村" in leaders and "杨球村" not in secretarys
    client.force_login(users.leader)
    assert client.get(url).content.decode().count("杨球村") == leaders.count("杨球村")
