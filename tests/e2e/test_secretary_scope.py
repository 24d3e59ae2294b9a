"""The sharpest rule, in a real browser: a village secretary sees his own village and nothing of another."""

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_secretary_sees_only_his_village(page, console, screenshot, live_server, users, town):
    own_url = f"/units/{town.tongliang.unit.pk}/"
    other_url = f"/units/{town.yangqiu.unit.pk}/"

    log_in(page, users.tongliang.username, PASSWORD)

    # He lands on his own village's page, in Chinese.
    assert "/accounts/login/" not in page.url, "login failed: still on the login page"
    page.wait_for_load_state("networkidle")
    heading = page.locator("h1").first
    assert "铜梁村" in heading.inner_text(), f"landed on {page.url} with <h1> {heading.inner_text()!r}"
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    screenshot("home")

    # His village's page by its address: found, his, and nothing of 杨球村 on it.
    response = page.goto(own_url)
    assert response is not None and response.status == 200, f"{own_url} gave {response and response.status}"
    page.wait_for_load_state("networkidle")
    assert "铜梁村" in page.locator("h1").first.inner_text()
    assert "杨球村" not in page.content()
    screenshot("own-village")

    # Another village's page, id guessed in the URL: not found.
    response = page.goto(other_url)
    assert response is not None and response.status == 404, f"{other_url} gave {response and response.status}"
    assert "杨球村" not in page.content()
    screenshot("other-village")

    # No JavaScript errors and no missing assets (favicon included) anywhere, the expected 404 aside.
    errors = console.unexpected(allow_404_for={live_server.url + other_url})
    assert errors == [], "console errors:\n" + "\n".join(f"{e['url']}: {e['text']}" for e in errors)
