"""What a person sees while the database cannot be reached: a Chinese 503 that says to try again shortly and that
what was saved is safe — a page for the browser, JSON for the API — never Django's bare 500. Any other failure keeps
the 500 page. The outage itself (PostgreSQL stopped under gunicorn) is in test_faults.py; here the session store
fails the way it does when PostgreSQL has gone away, so the page is checked on every machine."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.test import Client

from tests.conftest import PASSWORD


@pytest.fixture
def logged_in(users):
    client = Client(raise_request_exception=False)
    assert client.login(username="tongliang", password=PASSWORD)
    return client


GONE = OperationalError("server closed the connection unexpectedly")


def database_gone(monkeypatch, error=GONE):
    def load(self):
        raise error

    monkeypatch.setattr(SessionStore, "load", load)


@pytest.mark.django_db
def test_a_page_while_the_database_is_gone_is_a_chinese_503_with_retry_after(logged_in, monkeypatch):
    database_gone(monkeypatch)
    response = logged_in.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "数据库暂时连不上" in page and "不会丢失" in page and "重新提交" in page


@pytest.mark.django_db
def test_the_api_while_the_database_is_gone_answers_json_503(logged_in, monkeypatch):
    database_gone(monkeypatch)
    response = logged_in.get("/api/v1/indicators/")
    assert response.status_code == 503
    assert "数据库暂时连不上" in response.json()["detail"]


@pytest.mark.django_db
def test_the_outage_page_follows_the_chosen_language(logged_in, monkeypatch):
    logged_in.cookies["django_language"] = "en"
    database_gone(monkeypatch)
    response = logged_in.get("/")
    assert response.status_code == 503
    assert "database" in response.content.decode().lower()


@pytest.mark.django_db
def test_any_other_failure_keeps_the_500_page(logged_in, monkeypatch):
    database_gone(monkeypatch, error=ZeroDivisionError("a bug"))
    response = logged_in.get("/")
    assert response.status_code == 500
    assert "系统出了点问题" in response.content.decode()
    assert "Retry-After" not in response
