"""Locust users for the load runs (bench/load.py starts it headless against gunicorn on loopback).

The scenario comes from the JSON file named by BENCH_SCENARIO, written by the driver: session keys made in the
database (no login, so PBKDF2 is not what is measured), the URLs each kind of user opens, and for secretaries their
village, the current month and the entered indicators of each work line. Secretaries open their monthly form and save
it with new figures; every save that the server confirmed (302) is written to BENCH_SAVED at the end, so the driver
can check that each saved value is in the database.
"""

import itertools
import json
import os
import random
import re
import threading
from urllib.parse import urlparse

import gevent
from locust import HttpUser, between, events, task

SCENARIO = json.load(open(os.environ["BENCH_SCENARIO"])) if os.environ.get("BENCH_SCENARIO") else {}
SAVED = {}  # "unit|work_line|month" → {code: value} of the last confirmed save
_lock = threading.Lock()
_secretaries = itertools.cycle(SCENARIO.get("secretaries") or [None])
_readers = itertools.count()

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')


def sign_in(user):
    """The session made by the driver, as the cookie a login would have set (for the server's host name)."""
    user.client.cookies.set("sessionid", user.me["session"], domain=urlparse(user.host).hostname, path="/")


def save_line(user, line):
    """Open the current month's form of `line`, read its CSRF token and version, save new figures; a confirmed save
    (302) is recorded for the driver's check."""
    url = f"/reports/{user.me['unit']}/{line}/{user.me['month']}/"
    with user.client.get(url, name="monthly form: open", catch_response=True) as page:
        token, version = TOKEN.search(page.text), VERSION.search(page.text)
        if page.status_code != 200 or "/accounts/login/" in page.url or not token or not version:
            page.failure(f"form not editable ({page.status_code})")
            return
    values = {code: str(user.rng.randint(1, top)) for code, top in user.me["lines"][line].items()}
    data = {"csrfmiddlewaretoken": token.group(1), "version": version.group(1),
            **{f"v:{code}": value for code, value in values.items()}}  # fmt: skip
    with user.client.post(url, data=data, name="monthly form: save", allow_redirects=False,
                          headers={"Referer": user.host + url}, catch_response=True) as saved:  # fmt: skip
        if saved.status_code == 302:
            with _lock:
                SAVED[f"{user.me['unit']}|{line}|{user.me['month']}"] = values
            saved.success()
        else:
            saved.failure(f"save refused ({saved.status_code})")


class Secretary(HttpUser):
    """A village secretary filling the current month's forms, one work line after another."""

    fixed_count = int(os.environ.get("BENCH_SECRETARIES", "0"))
    wait_time = between(3, 10)  # reading the form and typing two figures

    def on_start(self):
        with _lock:
            self.me = next(_secretaries)
        sign_in(self)
        self.lines = itertools.cycle(sorted(self.me["lines"]))
        self.rng = random.Random(self.me["unit"])

    @task
    def save_form(self):
        save_line(self, next(self.lines))


class MonthEndSecretary(HttpUser):
    """A village secretary in the days before the 5th: he arrives at a moment of his own within the first
    BENCH_ARRIVALS seconds of the run, then opens and saves each of his work lines' forms once, 3–10 s apart, and
    is done."""

    fixed_count = int(os.environ.get("BENCH_MONTH_END", "0"))

    def on_start(self):
        with _lock:
            self.me = next(_secretaries)
        sign_in(self)
        self.rng = random.Random(self.me["unit"])
        self.todo = sorted(self.me["lines"])
        gevent.sleep(self.rng.uniform(0, float(os.environ.get("BENCH_ARRIVALS", "0"))))

    def wait_time(self):
        return self.rng.uniform(3, 10) if self.todo else 24 * 3600  # done: nothing more until the run ends

    @task
    def save_next_form(self):
        if self.todo:
            save_line(self, self.todo.pop(0))


class Leader(HttpUser):
    """A leader going through dashboards and report pages."""

    fixed_count = int(os.environ.get("BENCH_LEADERS", "0"))
    wait_time = between(3, 10)  # reading a page

    def on_start(self):
        readers = SCENARIO["leaders"]
        with _lock:
            self.me = readers[next(_readers) % len(readers)]
        sign_in(self)

    @task
    def browse(self):
        label, url = random.choice(self.me["pages"])
        with self.client.get(url, name=label, catch_response=True) as page:
            if page.status_code != 200 or "/accounts/login/" in page.url:
                page.failure(f"{page.status_code} {page.url}")


@events.test_stop.add_listener
def write_saved(environment, **kwargs):
    path = os.environ.get("BENCH_SAVED")
    if path:
        with _lock, open(path, "w") as handle:
            json.dump(SAVED, handle, ensure_ascii=False)
