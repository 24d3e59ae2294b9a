"""The security tests' world: the town and logins of tests/conftest.py plus one record of every scoped model in
铜梁村, built once per module inside a transaction that is rolled back at the end (each test runs in a savepoint)."""

import tempfile

import pytest
from django.db import transaction
from django.test import override_settings

from tests.conftest import FAST_HASHER

from .world import MARK, build_world


@pytest.fixture(scope="module")
def world(request, django_db_setup, django_db_blocker):
    """A module sets WORLD_TEXT (a string, or a function of the model) to fill the free-text fields with it."""
    text = getattr(request.module, "WORLD_TEXT", MARK)
    media = tempfile.TemporaryDirectory(prefix="jingzi-security-media-")
    with media, django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER, MEDIA_ROOT=media.name):
        with transaction.atomic():
            yield build_world(text)
            transaction.set_rollback(True)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
