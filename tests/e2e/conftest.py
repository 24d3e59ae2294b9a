"""Browser tests: Playwright's sync API driving Debian's Chromium (never a downloaded browser).

On a developer machine without Chromium the tests are skipped with the reason; in CI (``CI`` set) a missing Chromium
or Playwright is a failure, so a skip can never hide a broken browser set-up.
"""

import os
import tempfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.e2e.offline import Gate
from tests.processes import unavailable

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture(scope="module")
def browser():
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        unavailable(f"Chromium not found at {CHROMIUM}: install Debian's chromium (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed: pip install -r requirements-dev.txt")

    # Playwright's sync API keeps an asyncio loop running in this thread while it is started, which makes Django's
    # async-safety check refuse ORM calls from the test and its fixtures. Allow them only while the browser is up.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class ConsoleLog:
    """Console errors and uncaught page exceptions seen by one page."""

    def __init__(self, page):
        self.errors = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.errors.append({"text": f"uncaught: {exc}", "url": page.url}))

    def _on_console(self, message):
        if message.type == "error":
            self.errors.append({"text": message.text, "url": message.location.get("url", "")})

    def unexpected(self, *, allow_404_for=()):
        """Errors other than Chromium's 'status of 404' report for a page the test expects to be missing."""
        return [
            error for error in self.errors if not (error["url"] in allow_404_for and "status of 404" in error["text"])
        ]


@pytest.fixture
def page(browser, live_server):
    # A phone-sized screen (village secretaries use phones) and a Chinese browser, as the secretaries have.
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 412, "height": 915},
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def console(page):
    """Collects the page's console errors from the start of the test."""
    return ConsoleLog(page)


@pytest.fixture
def screenshot(page, request):
    """screenshot("name") saves a full-page PNG to test-results/<test>-<name>.png."""
    RESULTS_DIR.mkdir(exist_ok=True)

    def take(name):
        path = RESULTS_DIR / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def log_in(page, username, password):
    page.goto("/accounts/login/")
    form = page.locator("form:has(input[name='password'])")
    form.locator("input[name='username']").fill(username)
    form.locator("input[name='password']").fill(password)
    with page.expect_navigation():
        form.locator("button[type='submit'], input[type='submit']").first.click()


# --- the offline tests' network and phone (tests/e2e/offline.py) ----------------------------------------------


@pytest.fixture
def gate(live_server):
    server = live_server.thread.httpd
    app = server.get_app()
    gate = Gate(app)
    server.set_app(gate)
    try:
        yield gate
    finally:
        server.set_app(app)


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai",
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
    )  # fmt: skip
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield context, page
    finally:
        context.close()
        assert errors == [], f"uncaught errors on the page: {errors}"


@pytest.fixture
def demo(live_server, settings):
    """The Jingzi demo, committed so the live server's thread sees it (the test's database is flushed after)."""
    with tempfile.TemporaryDirectory(prefix="jingzi-demo-media-") as media:
        settings.MEDIA_ROOT = media
        call_command("load_demo", stdout=StringIO())
        yield
