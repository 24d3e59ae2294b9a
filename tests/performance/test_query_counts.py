"""SQL query counts of every dashboard, report page, list page and API list endpoint are independent of the data size
(no N+1) and within a fixed budget (DESIGN §8: at most 15 for dashboards and report pages).

The same pages are built at two data sizes with `seed_scale`'s small county — 1 town × 2 villages × 1 year, then 2
towns × 4 villages × 2 years — and their counts must be equal. The pages come from the URL conf and the API routers
(tests/performance/pages.py), so a new list or endpoint is covered without anyone remembering it. Each page is asked
for twice and the second request counted, so process-wide caches (content types, say) do not blur the figure.
"""

import tempfile

import pytest
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from branches.models import User
from reports import scale
from tests.conftest import FAST_HASHER
from tests.performance.pages import DASHBOARD_BUDGET, pages

SIZES = {
    "smaller": {"towns": 1, "villages": 2, "areas": 1, "years": 1},
    "larger": {"towns": 2, "villages": 4, "areas": 2, "years": 2},
}


def count_queries(client, page):
    """(queries, their SQL) of the page's second request; a page that redirects (home → a secretary's village) is
    counted at its target."""
    client.force_login(User.objects.get(username=page.username))
    url = page.url
    first = client.get(url)
    if first.status_code == 302 and first["Location"].startswith("/"):
        url = first["Location"]
        first = client.get(url)
    assert first.status_code == 200, (page.key, first.status_code)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (page.key, response.status_code)
    return len(queries.captured_queries), [query["sql"] for query in queries.captured_queries]


@pytest.fixture(scope="module")
def counts(django_db_setup, django_db_blocker):
    """{size: {page key: (count, sql)}}: each size seeded in a transaction rolled back afterwards."""
    measured = {}
    media = tempfile.TemporaryDirectory(prefix="jingzi-perf-media-")
    with media, override_settings(PASSWORD_HASHERS=FAST_HASHER, MEDIA_ROOT=media.name):
        for size, options in SIZES.items():
            with django_db_blocker.unblock(), transaction.atomic():
                seeded = scale.seed_county(scale="small", log=lambda text: None, **options)
                client = Client()
                measured[size] = {page.key: (page, *count_queries(client, page)) for page in pages(seeded)}
                transaction.set_rollback(True)
    return measured


def page_keys():
    """The page keys, known before any data exists (they are the same at both sizes)."""
    from tests.performance.pages import api_list_names, list_page_names

    return len(list_page_names()), len(api_list_names())


def test_the_page_catalogue_is_not_empty():
    lists, apis = page_keys()
    assert lists > 50 and apis > 35


@pytest.mark.django_db
def test_every_page_has_the_same_query_count_at_both_sizes_within_its_budget(counts):
    smaller, larger = counts["smaller"], counts["larger"]
    assert smaller.keys() == larger.keys()
    differing, over = [], []
    for key, (page, count, _sql) in sorted(smaller.items()):
        _page, bigger, sql = larger[key]
        if count != bigger:
            differing.append(f"{key}: {count} → {bigger}")
        if max(count, bigger) > page.budget:
            over.append(f"{key}: {max(count, bigger)} > {page.budget}\n    " + "\n    ".join(q[:160] for q in sql))
    assert differing == [], "query counts that grow with the data (N+1):\n" + "\n".join(differing)
    assert over == [], "over budget:\n" + "\n".join(over)


@pytest.mark.django_db
def test_dashboards_report_and_entry_pages_keep_to_the_design_budget(counts):
    pinned = {key: count for key, (page, count, _sql) in counts["larger"].items()
              if page.kind in ("dashboard", "report", "entry")}  # fmt: skip
    assert pinned and max(pinned.values()) <= DASHBOARD_BUDGET, pinned
    kinds = {page.kind for page, _count, _sql in counts["larger"].values()}
    assert kinds == {"dashboard", "report", "entry", "composite", "list", "api"}
