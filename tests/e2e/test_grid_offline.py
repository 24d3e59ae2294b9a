"""The issue's Must-show on a phone (Chromium at 390×844): a grid worker reports a hazard with a photo with no
network — kept on the phone as 未同步, the server sees nothing — and it arrives exactly once when the network comes
back; the village's secretary accepts it and it stands in the 六定 hazard register and in the month's governance
figures."""


import pytest
from django.utils import timezone
from PIL import Image

from branches.models import Photo, User
from branches.photos import photos_of
from governance.models import Hazard
from grid.models import GridEvent
from reports import periods
from reports.monthly import selectors as report_selectors
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import RESULTS_DIR, log_in
from tests.e2e.offline import go_offline, go_online, open_with_worker

pytestmark = pytest.mark.e2e


def big_photo(tmp_path):
    """A phone camera's picture: 4,000 × 3,000 px."""
    path = tmp_path / "scene.jpg"
    Image.new("RGB", (4000, 3000), (90, 140, 60)).save(path, format="JPEG", quality=70)
    return path


def snap(page, name):
    RESULTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS_DIR / f"grid-offline-{name}.png"), full_page=True)


def hazards_found_this_month(town):
    month = periods.current_month()
    shown = report_selectors.report_as_shown(town.tongliang.unit, "governance", month, unsaved_draft=True)
    _report, values = shown
    return values["gov.hazards_found"].value or 0


def test_a_hazard_reported_offline_arrives_once_and_becomes_a_row_of_the_register(
        phone, gate, live_server, town, users, tmp_path, settings):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path / "media"
    worker = make_user("tl-grid1", User.Role.GRID_WORKER, town.tongliang.grid)
    context, page = phone
    log_in(page, worker.username, PASSWORD)
    open_with_worker(page, "/grid/events/new/")
    found_before = hazards_found_this_month(town)

    go_offline(context, gate)
    page.reload()  # the form comes from the phone's copy
    form = page.get_by_test_id("event-form")
    form.get_by_label("事件类型").select_option("hazard")
    form.get_by_label("事件描述").fill("三组山塘坝体渗水，坝下有三户")
    form.get_by_label("地点").fill("三组山塘")
    form.locator("input[name='photos']").set_input_files(str(big_photo(tmp_path)))
    form.get_by_test_id("event-submit").click()
    item = page.locator("[data-offline-item]")
    item.wait_for()
    assert "未同步" in item.inner_text() and "事件上报" in item.inner_text()
    assert form.get_by_label("事件描述").input_value() == ""  # emptied for the next report
    snap(page, "queued")
    assert gate.writes(offline=True) == [] and not GridEvent.objects.exists()

    go_online(context, gate)
    item.wait_for(state="detached")
    page.wait_for_url("**/grid/events/*/")  # the phone goes on to the event it reported
    event = GridEvent.objects.get()
    assert (event.reporter, event.unit, event.kind, event.status) == (worker, town.tongliang.grid, "hazard",
                                                                       GridEvent.Status.REPORTED)  # fmt: skip
    photo = photos_of(event).get()
    assert max(photo.width, photo.height) == 1600  # shrunk on the phone, before it was queued
    assert len([entry for entry in gate.writes(offline=False) if entry[2] == "/api/v1/grid/events/"]) == 1
    assert "待受理" in page.get_by_test_id("status").inner_text()
    snap(page, "sent")

    # The village's secretary accepts it into the 六定 register, with what the register asks.
    context.clear_cookies()
    log_in(page, users.tongliang.username, PASSWORD)
    page.goto(event.get_absolute_url())
    accept = page.get_by_test_id("accept-form")
    accept.get_by_label("转入台账").select_option("hazard")
    hazard_fields = accept.locator("[data-register='hazard']")
    hazard_fields.get_by_label("定项目（隐患）").fill("三组山塘坝体渗水")
    hazard_fields.get_by_label("定责任人").fill("李组长")
    with page.expect_navigation():
        page.get_by_test_id("accept").click()
    assert "已受理" in page.get_by_test_id("status").inner_text()
    hazard = Hazard.objects.get()
    assert (hazard.unit, hazard.responsible, hazard.found_on) == (town.tongliang.grid, "李组长", timezone.localdate())
    snap(page, "accepted")

    page.goto("/governance/hazards/")
    assert "三组山塘坝体渗水" in page.locator("main").inner_text()
    assert hazards_found_this_month(town) == found_before + 1
    assert Photo.objects.count() == 1
