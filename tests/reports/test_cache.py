"""The cache of what only approvals change (reports/cache.py): a leader never sees a figure older than the last
roll-up, a second read is served from the cache, Redis down still gives the page, and every roll-up write bumps the
town's roll-up version in its own transaction."""

import logging
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import cache, periods, worklines
from reports.dashboard import selectors as dashboard
from reports.models import RollupVersion
from reports.monthly import selectors, services
from reports.rollup import build
from reports.rollup.selectors import rollup_version
from reports.rollup.services import rollups_deferred
from tests.test_dashboard import card_values

MONTH = periods.last_complete_month()
KEY = periods.month_key(MONTH)
CODE = "gov.booster_doses"

ROOT = Path(__file__).resolve().parents[2]


def approve(town, users, unit, booster, capture):
    secretary = users.tongliang if unit == town.tongliang.unit else users.yangqiu
    report = services.report_open(unit=unit, work_line="governance", month=MONTH)
    services.report_save_values(report=report, user=secretary, values={"gov.leaflets": 1, CODE: booster})
    services.report_submit(report=report, user=secretary)
    with capture(execute=True):
        services.report_approve(report=report, user=users.leader)
    return report


def town_page(client, town):
    response = client.get(reverse("reports:dashboard"), {"unit": town.unit.pk, "period": KEY})
    assert response.status_code == 200
    return response.content.decode()


def counted_page(client, town):
    with CaptureQueriesContext(connection) as context:
        html = town_page(client, town)
    return html, len(context.captured_queries)


def versions(town):
    """(the town's roll-up version, the county's); None where no roll-up was written yet."""
    stored = dict(RollupVersion.objects.values_list("unit_id", "version"))
    return stored.get(town.unit.pk), stored.get(town.county.pk)


NONE_YET = (None, None)


def test_a_leader_sees_the_approval_just_rolled_up(login, town, users, django_capture_on_commit_callbacks):
    approve(town, users, town.tongliang.unit, 10, django_capture_on_commit_callbacks)
    leader = login(users.leader)
    assert card_values(town_page(leader, town))[CODE] == "10"  # the page is now in the cache
    assert card_values(town_page(leader, town))[CODE] == "10"
    approve(town, users, town.yangqiu.unit, 5, django_capture_on_commit_callbacks)
    assert card_values(town_page(leader, town))[CODE] == "15"  # at once: the roll-up moved the town's version


def test_the_second_read_comes_from_the_cache(login, town, users, django_capture_on_commit_callbacks):
    approve(town, users, town.tongliang.unit, 10, django_capture_on_commit_callbacks)
    leader = login(users.leader)
    cold_html, cold = counted_page(leader, town)
    warm_html, warm = counted_page(leader, town)
    print(f"dashboard: {cold} queries cold, {warm} from the cache")
    assert card_values(warm_html) == card_values(cold_html)
    assert warm == WARM_QUERIES == cold - 10


# The session and user, the units (the page's, menu counts) and the page's keys (roll-up version and live tokens, one
# statement): the rendered body comes from the cache — no roll-up read, no tree of the user's scope, no count of the
# live exceptions, alerts, today list or reference lists until something is written.
WARM_QUERIES = 5


def test_what_is_cached_does_not_cross_the_users_scope(town, users, django_capture_on_commit_callbacks):
    """The town's figures filled in for a leader who sees both villages are not what someone who sees 铜梁村 only gets
    from the cache: the villages each sees are part of the key (and the ranking lists only them)."""
    approve(town, users, town.tongliang.unit, 10, django_capture_on_commit_callbacks)
    approve(town, users, town.yangqiu.unit, 5, django_capture_on_commit_callbacks)
    period = periods.month_period(MONTH)

    def ranked(tree):
        specs = {code: dashboard.ranking_spec(code, None) for code, _label in worklines.choices()}
        parts = dashboard.cached_rollup_parts(cache.keys_for(tree.unit), tree, period, specs, dashboard.due_month())
        section = next(section for section in parts["sections"] if section.code == "governance")
        return [village.name for village, _value, _url in section.ranking.rows]

    whole = dashboard.unit_tree(users.leader, town.unit)
    assert sorted(ranked(whole)) == ["杨球村", "铜梁村"]
    narrow = dashboard.Tree(unit=town.unit, ancestors=whole.ancestors, children=whole.children,
                            reporting=[unit for unit in whole.reporting if unit.name != "杨球村"])  # fmt: skip
    assert ranked(narrow) == ["铜梁村"]


def test_with_redis_down_the_dashboard_still_renders(
    login, town, users, django_capture_on_commit_callbacks, settings, caplog
):
    approve(town, users, town.tongliang.unit, 10, django_capture_on_commit_callbacks)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/1",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    leader = login(users.leader)
    with caplog.at_level(logging.WARNING, logger="branches.cache"):
        assert card_values(town_page(leader, town))[CODE] == "10"
        approve(town, users, town.yangqiu.unit, 5, django_capture_on_commit_callbacks)
        assert card_values(town_page(leader, town))[CODE] == "15"
    warnings = [record for record in caplog.records if record.name == "branches.cache"]
    assert len(warnings) == 1 and "cache unavailable" in warnings[0].getMessage()


def test_a_villages_panel_follows_the_rollups_too(login, town, users, django_capture_on_commit_callbacks):
    from reports.dashboard.selectors import village_panel

    approve(town, users, town.tongliang.unit, 10, django_capture_on_commit_callbacks)
    first = village_panel(town.tongliang.unit)
    with CaptureQueriesContext(connection) as context:
        assert village_panel(town.tongliang.unit) == first
    assert len(context.captured_queries) == 1  # the version only
    before = rollup_version(town.tongliang.unit)
    approve(town, users, town.yangqiu.unit, 5, django_capture_on_commit_callbacks)
    assert rollup_version(town.tongliang.unit) != before  # a new token: the panel's cached figures are left behind


# --- the version ---------------------------------------------------------------------------------------------------


def test_an_approval_bumps_its_towns_and_countys_version(town, users, django_capture_on_commit_callbacks):
    assert versions(town) == NONE_YET
    approve(town, users, town.tongliang.unit, 10, django_capture_on_commit_callbacks)
    town_token, county_token = versions(town)
    assert town_token is not None and county_token is not None
    assert rollup_version(town.tongliang.unit) == rollup_version(town.area) == rollup_version(town.unit) == town_token
    assert rollup_version(town.county) == county_token
    approve(town, users, town.yangqiu.unit, 5, django_capture_on_commit_callbacks)
    assert versions(town)[0] != town_token and versions(town)[1] != county_token


def test_a_rolled_back_rollup_leaves_the_version(town, users, django_capture_on_commit_callbacks):
    with rollups_deferred():
        report = approve(town, users, town.tongliang.unit, 10, django_capture_on_commit_callbacks)
    with pytest.raises(RuntimeError), transaction.atomic():
        build.rebuild_for_report(report)
        assert None not in versions(town)  # written in the roll-up's transaction…
        raise RuntimeError("the worker dies before the commit")
    assert versions(town) == NONE_YET  # …and gone with it
    build.rebuild_for_report(report)
    assert None not in versions(town)


def test_the_nightly_rebuild_bumps_the_version_when_it_writes(town, users, django_capture_on_commit_callbacks):
    with rollups_deferred():
        approve(town, users, town.tongliang.unit, 10, django_capture_on_commit_callbacks)
    assert versions(town) == NONE_YET
    build.rebuild_all()
    written = versions(town)
    assert None not in written
    build.rebuild_all()  # nothing changed, nothing written: the cached pages stay good
    assert versions(town) == written
    build.rebuild_period(periods.month_period(MONTH))
    assert versions(town) == written


# --- the brief and the work lines' summaries ------------------------------------------------------------------------


def brief_figure(town, users):
    from reports.brief.selectors import brief_draft

    return brief_draft(town.unit, periods.month_period(MONTH)).figures.get(CODE)


def work_line_figure(town, users):
    rows = selectors.summary(town.unit, periods.month_period(MONTH), "governance")
    return next(row.value for row in rows if row.spec.code == CODE)


def summary_figures(town, users):
    table = selectors.summary_tables(users.leader, town.unit, periods.month_period(MONTH), ["governance"])[0]
    town_figure = next(row.value for row in table["rows"] if row.spec.code == CODE)
    column = [spec.code for spec in table["children"]["specs"]].index(CODE)
    return town_figure, [values[column] for _area, values in table["children"]["rows"]]


def children_figures(town, users):
    matrix = selectors.children_matrix(users.leader, town.unit, periods.month_period(MONTH), "governance")
    column = [spec.code for spec in matrix["specs"]].index(CODE)
    return [values[column] for _area, values in matrix["rows"]]


@pytest.mark.parametrize(
    ("read", "first", "then"),
    [
        (brief_figure, Decimal(10), Decimal(15)),
        (work_line_figure, Decimal(10), Decimal(15)),
        (summary_figures, (Decimal(10), [Decimal(10)]), (Decimal(15), [Decimal(15)])),
        (children_figures, [Decimal(10)], [Decimal(15)]),
    ],
)
def test_the_brief_and_summaries_follow_the_rollups(town, users, django_capture_on_commit_callbacks, read, first, then):
    approve(town, users, town.tongliang.unit, 10, django_capture_on_commit_callbacks)
    assert read(town, users) == first
    with CaptureQueriesContext(connection) as warm:
        assert read(town, users) == first
    rollup_reads = [query for query in warm.captured_queries if '"reports_rollup"' in query["sql"]]
    assert not rollup_reads
    approve(town, users, town.yangqiu.unit, 5, django_capture_on_commit_callbacks)
    assert read(town, users) == then


@pytest.mark.parametrize(
    ("environment", "backend"),
    [
        ({}, "django.core.cache.backends.locmem.LocMemCache"),
        ({"REDIS_URL": "redis://127.0.0.1:6379/0"}, "django.core.cache.backends.redis.RedisCache"),
        ({"REDIS_URL": "redis://127.0.0.1:6379/0", "CACHE": "off"}, "django.core.cache.backends.dummy.DummyCache"),
    ],
)
def test_the_cache_backend_follows_the_environment(environment, backend):
    """CACHE=off (the benchmark's cache-off capacity run) caches nothing, whatever REDIS_URL says; reading the
    settings never connects to Redis."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CACHE", "JINGZI_ENV")}
    code = "import jingzi.settings as s; print(s.CACHES['default']['BACKEND'])"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**env, **environment},
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == backend
