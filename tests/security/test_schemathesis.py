"""The API fuzzed from its own OpenAPI schema (schemathesis, against the WSGI app in-process): every operation, with
generated valid and invalid data, as 铜梁村's secretary and as the admin (token authentication), over the records of
tests/security/world.py. Never a 500, and every answer the schema describes matches the schema.

Bounded: a few examples per operation and role (SCHEMATHESIS_MAX_EXAMPLES, default 4), so the whole run stays within
a minute or two; raise it locally to search harder.

Checks: `not_a_server_error` and `response_schema_conformance` (a documented response whose body does not match its
schema). Left out on purpose: `status_code_conformance` and `content_type_conformance`, because drf-spectacular
documents only each operation's success; the 400/403/404/405/409/413 the API answers by design (DESIGN §6/§7) are
not listed in the schema, and these two checks would report every one of them.
"""

import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.urls import Resolver404
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance

from .routes import ApiOperation, month_key

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "4"))
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture(scope="module")
def api_schema(world, keep_the_test_connection, django_db_blocker):
    from jingzi.wsgi import application

    with django_db_blocker.unblock():
        return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)


@pytest.fixture(scope="module")
def keep_the_test_connection():
    """Requests go straight to the WSGI app, whose request_started/finished signals close a connection that is inside
    a transaction (PostgreSQL): the test's own. Django's test client unhooks them the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def tokens(world, django_db_blocker):
    with django_db_blocker.unblock():
        return {role: Token.objects.create(user=getattr(world.users, role)).key for role in ("tongliang", "admin")}


def aim_at_the_world(case, world):
    """Half the generated ids name a real record of 铜梁村 (random ids are almost all 404s), and report URLs get
    铜梁村 and a real month half the time, so the checks also see the answers about existing records."""
    params = case.path_parameters or {}
    if isinstance(params.get("id"), int) and params["id"] % 2 == 0:
        probe = case.path
        for name in params:
            probe = probe.replace("{" + name + "}", "1" if name == "id" else str(params[name]))
        try:
            model = ApiOperation(case.path, case.method.lower(), {}).model(probe)
        except (LookupError, Resolver404):
            model = None
        if model in world.records:
            params["id"] = world.records[model].pk
    if isinstance(params.get("unit_id"), int) and params["unit_id"] % 2 == 0:
        params["unit_id"] = world.village.pk
    if isinstance(params.get("month"), str) and len(params["month"]) % 2:
        params["month"] = month_key()
    if isinstance(params.get("work_line"), str) and len(params["work_line"]) % 2:
        params["work_line"] = "environment"


FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def fuzz(api_schema, world, token, modes):
    """Every operation, with data of the given kinds (valid, invalid); the failures of all, not just the first."""
    failures, operations = [], 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in modes:

            @FUZZ_SETTINGS
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                aim_at_the_world(case, world)
                case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)

            try:
                run()
            except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 — every failure is reported at the end
                failures.append(f"{operation.method.upper()} {operation.path} ({mode}): {error}")
    return operations, failures


def test_the_api_as_the_village_secretary(api_schema, world, tokens):
    """Valid and invalid data, as the secretary (his own village's records and the other ids refused)."""
    modes = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    operations, failures = fuzz(api_schema, world, tokens["tongliang"], modes)
    assert operations > 200
    assert not failures, "\n\n".join(failures)


def test_the_api_as_the_admin(api_schema, world, tokens):
    """Valid data as the admin, who reaches every record (invalid data is refused the same way for everybody)."""
    operations, failures = fuzz(api_schema, world, tokens["admin"], (GenerationMode.POSITIVE,))
    assert not failures, "\n\n".join(failures)
