"""The API fuzzed from its own OpenAPI schema (schemathesis's fuzzing phase, against the WSGI app in-process): every
operation, with generated valid and invalid data, as 铜梁村's secretary and as the town's leader (token
authentication), with path ids drawn from the caller's own rows (tests/security/world.py), and the token endpoint
without any login. Never a 500, and every answer the schema describes matches the schema.

Bounded: a few examples per operation and role inside the suite (SCHEMATHESIS_MAX_EXAMPLES, default 2); `make fuzz`
runs the same with 20 (FUZZ_EXAMPLES), which .ci/run does after the suite.

Checks: `not_a_server_error` and `response_schema_conformance` (a documented response whose body does not match its
schema). Left out on purpose: `status_code_conformance` and `content_type_conformance`, because drf-spectacular
documents only each operation's success; the 400/403/404/405/409/413 the API answers by design (DESIGN §6/§7) are
not listed in the schema, and these two checks would report every one of them.
"""

import os
from collections import Counter

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

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "2"))
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
        return {role: Token.objects.create(user=getattr(world.users, role)).key for role in ROLES}


ROLES = ("tongliang", "leader")  # a village's secretary (writes his own rows), the town's leader (reads them all)
TOKEN_PATH = "/api/v1/auth/token/"


def aim_at_the_world(case, world):
    """A generated id names a real record of 铜梁村, one its caller may see (random ids are almost all 404s, which
    exercise nothing), and report URLs get 铜梁村 and a real month half the time, so the checks see the answers about
    existing records: the auditor's fuzzing found its 500s there."""
    params = case.path_parameters or {}
    if isinstance(params.get("id"), int):
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


def fuzz(api_schema, world, token, modes, label):
    """Every operation, with data of the given kinds (valid, invalid); the failures of all, not just the first. The
    token endpoint is called without a login (token None: that is how it is met), the others with the token. Prints
    how many operations and requests it made and how many answers were server errors (`report`)."""
    failures, operations, counts = [], 0, Counter()
    headers = {"Authorization": f"Token {token}"} if token else {}
    for result in api_schema.get_all_operations():
        operation = result.ok()
        if (token is None) != (operation.path == TOKEN_PATH):
            continue
        operations += 1
        for mode in modes:
            try:
                fuzz_one(operation, mode, world, headers, counts)
            except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 — every failure is reported at the end
                failures.append(f"{operation.method.upper()} {operation.path} ({mode}): {error}")
    report(f"{label}: {operations} operations, {counts['requests']} requests, {counts['5xx']} server errors, "
           f"{len(failures)} failing operation × mode")  # fmt: skip
    return operations, failures


def report(line):
    """Appended to $FUZZ_REPORT (`make fuzz` prints it): pytest captures the output of a passing test."""
    if os.environ.get("FUZZ_REPORT"):
        with open(os.environ["FUZZ_REPORT"], "a", encoding="utf-8") as out:
            out.write(f"{line} ({MAX_EXAMPLES} examples per operation and mode)\n")


def fuzz_one(operation, mode, world, headers, counts):
    @FUZZ_SETTINGS
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        aim_at_the_world(case, world)
        response = case.call(headers=headers)
        counts["requests"] += 1
        counts["5xx"] += response.status_code >= 500
        case.validate_response(response, checks=CHECKS, headers=headers)

    run()


BOTH = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


@pytest.mark.parametrize("role", ROLES)
def test_the_api_fuzzed_as(api_schema, world, tokens, role):
    """Valid and invalid data as the secretary (his own village's records, the other ids refused) and as the leader
    (who sees every record and may change none)."""
    operations, failures = fuzz(api_schema, world, tokens[role], BOTH, role)
    assert operations > 200
    assert not failures, "\n\n".join(failures)


def test_the_token_endpoint_fuzzed_without_login(api_schema, world):
    operations, failures = fuzz(api_schema, world, None, BOTH, "anonymous")
    assert operations == 1
    assert not failures, "\n\n".join(failures)
