"""Fixtures of the reports tests that start real processes."""

import os

import pytest
import redis
from django.conf import settings

from tests.processes import unavailable


@pytest.fixture
def redis_url():
    """TEST_REDIS_URL, answering PING, with PostgreSQL as the database."""
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        unavailable(
            f"needs PostgreSQL (DATABASE_URL=postgres://…), not {engine}: "
            "the worker runs in another process and must share the test database"
        )
    url = os.environ.get("TEST_REDIS_URL", "").strip()
    if not url:
        unavailable("TEST_REDIS_URL is not set (e.g. TEST_REDIS_URL=redis://127.0.0.1:6379/15)")
    client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
    try:
        client.ping()
    except redis.RedisError as error:
        unavailable(f"Redis at TEST_REDIS_URL={url} does not answer PING: {error}")
    finally:
        client.close()
    return url
