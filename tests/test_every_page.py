"""Every list, export and add page of every app answers each role without an error (from the URL conf, so a new
ledger is covered without anyone remembering it), and a secretary's lists hold nothing of another village."""

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.security.routes import page_routes


def named_routes(suffix):
    """The parameterless routes of every app whose name ends with `suffix` (from the shared walk of the URL conf in
    tests/security/routes.py, which the permission matrix uses too)."""
    return sorted(route.name for route in page_routes() if route.name.endswith(suffix) and not route.params)


LISTS = named_routes("_list")
ADDS = named_routes("_add")


def test_the_route_lists_are_not_empty():
    assert len(LISTS) > 30 and len(ADDS) > 25


ROLES = ["admin", "leader", "cadre", "tongliang", "tl-grid1"]


@pytest.mark.parametrize("role", ROLES)
def test_every_list_and_export_answers(client, users, grid_workers, role):
    assert client.login(username=role, password=PASSWORD)
    for name in LISTS:
        url = reverse(name)
        page = client.get(url)
        assert page.status_code == 200, (role, url, page.status_code)
        export = client.get(url + "?export=xlsx")
        assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml"), url


@pytest.mark.parametrize("role", ROLES)
def test_every_add_page_answers_or_refuses_cleanly(client, users, grid_workers, role):
    assert client.login(username=role, password=PASSWORD)
    for name in ADDS:
        response = client.get(reverse(name))
        assert response.status_code in (200, 403, 404), (role, name, response.status_code)
        if role == "leader":
            assert response.status_code != 200, name  # a leader reads; he adds nothing


def test_a_secretary_finds_no_other_village_in_any_list(client, town, users):
    assert client.login(username="tongliang", password=PASSWORD)
    for name in LISTS:
        html = client.get(reverse(name)).content.decode()
        assert "杨球村" not in html, name


def test_every_admin_changelist_opens_for_the_admin(client, users):
    from django.contrib import admin

    users.admin.is_staff = users.admin.is_superuser = True
    users.admin.save()
    assert client.login(username="admin", password=PASSWORD)
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
