"""Accounts: login throttling and lockout (django-axes) on the login page and the API's token endpoint, password
rules, session expiry, and the production settings (secure cookies, HSTS, `check --deploy` clean, no default secret,
no DEBUG, a Celery broker or eager tasks asked for by name)."""

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tests.conftest import PASSWORD

BASE_DIR = Path(__file__).resolve().parents[2]
WRONG = "not-the-password"


@pytest.fixture
def axes_on(settings, db):
    """django-axes as in production (tests/conftest.py turns it off for every other test), its records cleared."""
    settings.AXES_ENABLED = True
    axes_reset()
    yield settings
    axes_reset()


def log_in(client, username, password, address="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_login_page_for_half_an_hour(client, users, axes_on):
    assert axes_on.AXES_FAILURE_LIMIT == 5 and axes_on.AXES_COOLOFF_TIME == timedelta(minutes=30)
    for _attempt in range(4):
        page = log_in(client, "tongliang", WRONG)
        assert page.status_code == 200 and "用户名或密码不正确" in page.content.decode()
    locked = log_in(client, "tongliang", WRONG)
    assert locked.status_code == 429
    refused = log_in(client, "tongliang", PASSWORD)  # even the right password, while locked
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "已暂时锁定" in html and "30 分钟" in html
    assert "_auth_user_id" not in client.session
    # Another login from the same office, and the same login from elsewhere, are not locked.
    assert log_in(client, "yangqiu", PASSWORD).status_code == 302
    assert log_in(client.__class__(), "tongliang", PASSWORD, address="10.0.0.2").status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, users, axes_on):
    for _attempt in range(5):
        log_in(client, "tongliang", WRONG)
    assert log_in(client, "tongliang", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert log_in(client, "tongliang", PASSWORD).status_code == 302


def test_a_successful_login_clears_the_failures(client, users, axes_on):
    for _attempt in range(4):
        log_in(client, "tongliang", WRONG)
    assert log_in(client, "tongliang", PASSWORD).status_code == 302
    client.logout()
    for _attempt in range(4):
        assert log_in(client, "tongliang", WRONG).status_code == 200  # counting starts again


def test_the_api_token_endpoint_is_throttled_too(users, axes_on):
    api = APIClient(REMOTE_ADDR="10.0.0.9")
    url = "/api/v1/auth/token/"
    for _attempt in range(4):
        assert api.post(url, {"username": "tongliang", "password": WRONG}).status_code == 400
    assert api.post(url, {"username": "tongliang", "password": WRONG}).status_code == 429
    locked = api.post(url, {"username": "tongliang", "password": PASSWORD})
    assert locked.status_code == 429
    assert "已暂时锁定" in locked.json()["detail"]
    assert "token" not in locked.json()
    # and the page login of the same user from the same address shares the count
    assert log_in(APIClient(), "tongliang", PASSWORD, address="10.0.0.9").status_code == 429


# --- passwords --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "reason"),
    [("Ab1!", "太短"), ("password123", "太常见"), ("83920174650", "只包含数字"), ("tongliang1", "相似")],
)
def test_weak_passwords_are_refused_in_chinese(users, password, reason):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, users.tongliang)
    assert reason in " ".join(refused.value.messages), refused.value.messages


def test_the_password_change_page_refuses_a_weak_password_in_chinese(client, users):
    client.force_login(users.tongliang)
    page = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "太常见" in html or "只包含数字" in html
    users.tongliang.refresh_from_db()
    assert users.tongliang.check_password(PASSWORD)


# --- sessions ---------------------------------------------------------------------------------------------------------


def test_a_session_lasts_eight_hours_and_then_asks_for_the_login(client, users, settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    response = log_in(client, "tongliang", PASSWORD)
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE and cookie["httponly"]
    session = Session.objects.get(session_key=cookie.value)
    assert abs((session.expire_date - timezone.now()).total_seconds() - 8 * 3600) < 60
    assert client.get(reverse("home")).status_code == 302  # a secretary lands on his village
    assert client.get(reverse("branches:household_list")).status_code == 200
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = client.get(reverse("branches:household_list"))
    assert expired.status_code == 302 and expired["Location"].startswith(reverse("login"))


def test_logging_out_ends_the_session(client, users):
    log_in(client, "tongliang", PASSWORD)
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("branches:household_list")).status_code == 302
    assert not Session.objects.exists()


# --- production settings ----------------------------------------------------------------------------------------------

STRONG_KEY = "k3#Vq9!zP0m@L7w$Xr2&Nd5^Tb8*Hy1(Gs4)Fj6_Ce0+Ua9=Oi3~Ql"
SHOW_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps({k: getattr(s, k) "
    "for k in ('DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', "
    "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD', "
    "'SECURE_PROXY_SSL_HEADER', 'AXES_ENABLED', 'AXES_FAILURE_LIMIT', 'X_FRAME_OPTIONS')}))"
)


BROKER = "redis://127.0.0.1:6379/0"  # only named: reading the settings and `check` never connect to it
SETTINGS_FROM_ENV = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "JINGZI_ENV", "REDIS_URL", "CELERY_EAGER")


def production(**overrides):
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_FROM_ENV}
    env.update(JINGZI_ENV="production", SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="portal.example.org", REDIS_URL=BROKER,
               DJANGO_SETTINGS_MODULE="jingzi.settings", PYTHONWARNINGS="ignore")  # fmt: skip
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def run(args, env):
    return subprocess.run([sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120)


def test_production_sets_secure_cookies_hsts_and_ssl_redirect():
    done = run(["-c", SHOW_SETTINGS], production())
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout.strip().splitlines()[-1])
    assert shown["DEBUG"] is False
    assert shown["SESSION_COOKIE_SECURE"] and shown["CSRF_COOKIE_SECURE"] and shown["SESSION_COOKIE_HTTPONLY"]
    assert shown["SECURE_SSL_REDIRECT"] and shown["SECURE_HSTS_SECONDS"] >= 31536000
    assert shown["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and shown["SECURE_HSTS_PRELOAD"]
    assert shown["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert shown["AXES_ENABLED"] is True and shown["AXES_FAILURE_LIMIT"] == 5
    assert shown["X_FRAME_OPTIONS"] == "DENY"


def test_check_deploy_is_clean_with_production_settings():
    done = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production())
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("overrides", "refusal"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"SECRET_KEY": "django-insecure-jingzi-local-development-only"}, "SECRET_KEY"),
        ({"SECRET_KEY": "short-key"}, "SECRET_KEY"),
        ({"DEBUG": "1"}, "DEBUG"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_a_default_secret_debug_or_no_hosts(overrides, refusal):
    done = run(["manage.py", "check"], production(**overrides))
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr and refusal in done.stderr, done.stderr


SHOW_CELERY = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL]))"
)


def celery_settings(env):
    done = run(["-c", SHOW_CELERY], env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("eager", [None, "0"])
def test_production_refuses_to_start_without_a_broker(eager):
    """No REDIS_URL would run roll-ups inside web requests and no beat: refused, unless asked for by name."""
    done = run(["manage.py", "check"], production(REDIS_URL=None, CELERY_EAGER=eager))
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr and "REDIS_URL" in done.stderr and "CELERY_EAGER=1" in done.stderr


def test_production_runs_tasks_in_process_only_when_asked_by_name():
    assert celery_settings(production(REDIS_URL=None, CELERY_EAGER="1")) == [True, "memory://"]
    assert celery_settings(production()) == [False, BROKER]


def test_development_keeps_the_embedded_default():
    """Outside production, no REDIS_URL still means tasks in-process (make run, the test suite)."""
    env = production(JINGZI_ENV=None, SECRET_KEY=None, ALLOWED_HOSTS=None, REDIS_URL=None)
    assert celery_settings(env) == [True, "memory://"]
    assert celery_settings({**env, "REDIS_URL": BROKER}) == [False, BROKER]
