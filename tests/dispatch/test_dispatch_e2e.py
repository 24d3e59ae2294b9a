"""铜梁村's secretary, on a 390 px phone in a real browser, opens the town's task from his home page, receives it,
types its number, attaches a photo and reports it: the page says 已上报."""

from io import BytesIO

import pytest
from PIL import Image

from dispatch.models import Figure, Item
from tests.conftest import PASSWORD
from tests.e2e.conftest import browser, console, log_in, page, screenshot  # noqa: F401 — the browser fixtures

pytestmark = pytest.mark.e2e


def jpeg_bytes():
    buffer = BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


def test_the_secretary_reports_a_task_on_his_phone(page, console, screenshot, users, town, issue, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    task = issue(title="秋冬季安全隐患排查")
    item = Item.objects.get(task=task, unit=town.tongliang.unit)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, users.tongliang.username, PASSWORD)
    page.goto("/")
    page.wait_for_load_state("networkidle")
    with page.expect_navigation():
        page.get_by_test_id("dispatch-panel").get_by_role("link", name="秋冬季安全隐患排查").click()
    assert f"/dispatch/items/{item.pk}/" in page.url
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390  # no sideways scrolling on the phone
    screenshot("pending")

    with page.expect_navigation():
        page.get_by_test_id("receive").click()
    assert "已签收" in page.get_by_test_id("status").inner_text()
    page.fill("textarea[name=report_text]", "已排查全村42户，发现隐患3处，已全部整改。")
    number = page.locator(f"input[name=m_{task.measures.get().pk}]")
    assert number.get_attribute("inputmode") == "decimal"
    number.fill("3")
    page.set_input_files("input[name=photos]", files=[{"name": "scene.jpg", "mimeType": "image/jpeg",
                                                       "buffer": jpeg_bytes()}])  # fmt: skip
    submit = page.get_by_test_id("report-submit")
    assert submit.bounding_box()["height"] >= 40  # a button a thumb can hit
    screenshot("filled")
    with page.expect_navigation():
        submit.click()
    assert "已上报" in page.get_by_test_id("status").inner_text()
    assert page.locator("[data-testid=report] img").count() == 1
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    screenshot("reported")
    assert Figure.objects.get(item=item).value == 3
    assert console.unexpected() == []
