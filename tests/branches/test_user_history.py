"""Who gave whom which role and unit, and who was switched off, is kept in the users' change history (the admin site
shows it); a login is not a change."""

import pytest
from django.urls import reverse

from branches.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_role_unit_and_deactivation_are_kept_with_who_did_it(town, users, client):
    client.force_login(users.admin)
    user = users.cadre
    before = user.history.count()
    user.role, user.unit, user._history_user = User.Role.LEADER, town.tongliang.unit, users.admin
    user.save()
    user.is_active = False
    user.save()
    latest, previous = user.history.order_by("-history_id")[:2]
    assert user.history.count() == before + 2
    assert {change.field for change in previous.diff_against(previous.prev_record).changes} == {"role", "unit"}
    assert [change.field for change in latest.diff_against(previous).changes] == ["is_active"]
    assert previous.history_user == users.admin
    assert "password" not in {field.name for field in User.history.model._meta.fields}


def test_logging_in_stamps_last_login_without_a_history_row(users, client):
    before = users.leader.history.count()
    response = client.post(reverse("login"), {"username": "leader", "password": PASSWORD})
    assert response.status_code == 302
    users.leader.refresh_from_db()
    assert users.leader.last_login is not None
    assert users.leader.history.count() == before


def test_the_admin_site_shows_a_users_history(users, client):
    root = User.objects.create_superuser("root", password="x-Pass-2026!", role=User.Role.ADMIN)
    client.force_login(root)
    response = client.get(reverse("admin:branches_user_history", args=[users.cadre.pk]))
    assert response.status_code == 200
