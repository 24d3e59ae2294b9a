"""A secretary fills in his monthly form on a phone with no network: it is kept on the phone as 未同步 and reaches
the server exactly once when the network comes back — through a conflict with someone else's save, a lost answer,
or an expired login (static/js/offline.js, templates/offline/sw.js, branches/idempotency.py).

Playwright's offline mode does not stop a service worker's own requests, so the live server itself is cut off too
(`gate`): while "offline" it refuses every request and records it, and the tests check that no write got through.
"""

from decimal import Decimal

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError

from branches.offline import PAGES_CACHE
from reports import periods
from reports.models import MonthlyReport, ReportEvent
from reports.monthly import services
from tests.conftest import PASSWORD
from tests.e2e.conftest import RESULTS_DIR, log_in
from tests.e2e.offline import go_offline, go_online, open_with_worker

pytestmark = pytest.mark.e2e

LINE = "governance"
CODE = "gov.leaflets"
MONTH = periods.last_complete_month()
def entry_path(town):
    return f"/reports/{town.tongliang.unit.pk}/{LINE}/{periods.month_key(MONTH)}/"


def type_offline(page, value):
    """Reload the form with no network (from the service worker), type a figure, save: kept on the phone."""
    page.reload()
    field = page.locator(f"input[name='v:{CODE}']")
    field.fill(value)
    assert page.get_by_role("button", name="提交审核").is_disabled()
    page.get_by_role("button", name="保存草稿").click()
    item = page.locator("[data-offline-item]")
    item.wait_for()
    assert "未同步" in item.inner_text()
    assert page.locator("[data-offline-badge]").is_visible()
    assert "1" in page.locator("[data-offline-count]").inner_text()


def snap(page, name):
    RESULTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS_DIR / f"offline-monthly-{name}.png"), full_page=True)


def report_of(town):
    return MonthlyReport.objects.filter(unit=town.tongliang.unit, work_line=LINE, month=MONTH).first()


def stored(town):
    report = report_of(town)
    return services.values_by_code(report)[CODE].value if report else None


def settles_at(page, town, value):
    """Wait until the server's save of `value` is committed. The live server may still hold its transaction when the
    gate has passed its answer on; on SQLite the test's read then meets a locked table rather than waiting."""

    def committed():
        try:
            return stored(town) == value
        except OperationalError:
            return False

    wait_for(page, committed)


def saves_by(user):
    return ReportEvent.objects.filter(user=user, action=ReportEvent.Action.SAVE).count()


def wait_for(page, condition, timeout_ms=10_000):
    for _ in range(timeout_ms // 100):
        if condition():
            return
        page.wait_for_timeout(100)
    raise AssertionError("waited in vain")


def wait_until_sent(page):
    page.locator("[data-offline-item]").wait_for(state="detached")
    page.wait_for_load_state("load")
    # The badge is redrawn from the queue after the item leaves it: wait for it, do not sample it once.
    page.locator("[data-offline-badge]").wait_for(state="hidden")


def test_a_value_typed_offline_meets_a_conflicting_save_and_is_kept(phone, gate, live_server, town, users):
    context, page = phone
    log_in(page, users.tongliang.username, PASSWORD)
    open_with_worker(page, entry_path(town))

    go_offline(context, gate)
    type_offline(page, "12")
    assert page.locator("h1").first.inner_text().startswith("铜梁村")  # the page came from the phone's copy
    snap(page, "queued-offline")

    # Meanwhile the town's cadre saves another figure for the same indicator.
    report = services.report_open(unit=town.tongliang.unit, work_line=LINE, month=MONTH)
    services.report_save_values(report=report, user=users.cadre, values={CODE: "20"})
    assert gate.writes(offline=True) == [] and saves_by(users.tongliang) == 0

    go_online(context, gate)
    item = page.locator("[data-offline-item][data-status='conflict']")
    item.wait_for()
    assert "有冲突" in item.inner_text() and "请刷新页面后再保存" in item.inner_text()
    assert item.locator("[data-mine='gov.leaflets']").inner_text() == "12"
    assert item.locator("[data-theirs='gov.leaflets']").inner_text() == "20"
    assert users.cadre.display_name in item.inner_text()
    snap(page, "conflict")
    assert stored(town) == Decimal(20) and saves_by(users.tongliang) == 0  # nothing lost, nothing overwritten yet

    item.get_by_role("button", name="用我的值覆盖").click()
    wait_until_sent(page)
    assert stored(town) == Decimal(12)
    assert saves_by(users.tongliang) == 1
    assert page.locator(f"input[name='v:{CODE}']").input_value() == "12"

    # Logging out forgets the pages kept on the phone (a shared phone: the next user sees none of them offline).
    with page.expect_navigation():
        page.evaluate("document.querySelector('form[data-offline-logout]').requestSubmit()")
    assert "/accounts/login/" in page.url
    assert page.evaluate(f"caches.has('{PAGES_CACHE}')") is False


def test_a_value_arrives_once_when_the_first_answer_is_lost(phone, gate, live_server, town, users):
    context, page = phone
    log_in(page, users.tongliang.username, PASSWORD)
    open_with_worker(page, entry_path(town))

    go_offline(context, gate)
    type_offline(page, "7")
    assert gate.writes(offline=True) == [] and report_of(town) is None

    gate.lose_next_answer = True
    go_online(context, gate)
    wait_for(page, lambda: gate.writes(offline=False))
    page.wait_for_timeout(300)  # the phone has heard its 502
    # The server saved it, the phone never heard so: still 未同步, and sent again with the same key on the next load.
    settles_at(page, town, Decimal(7))
    assert "未同步" in page.locator("[data-offline-item]").inner_text()
    page.reload()
    wait_until_sent(page)
    puts = [entry for entry in gate.writes(offline=False) if entry[1] == "PUT"]
    assert len(puts) == 2 and puts[0][3] == puts[1][3], puts  # one key, two tries
    assert stored(town) == Decimal(7) and saves_by(users.tongliang) == 1


def test_an_expired_login_makes_the_value_wait_for_the_next_login(phone, gate, live_server, town, users):
    context, page = phone
    log_in(page, users.tongliang.username, PASSWORD)
    open_with_worker(page, entry_path(town))

    go_offline(context, gate)
    type_offline(page, "5")
    Session.objects.all().delete()  # his login expires while he is out of reach

    go_online(context, gate)
    item = page.locator("[data-offline-item][data-status='waiting-login']")
    item.wait_for()
    assert "登录已过期" in item.inner_text()
    assert report_of(town) is None or stored(town) is None

    with page.expect_navigation():
        item.get_by_role("link", name="重新登录").click()
    form = page.locator("form:has(input[name='password'])")
    form.locator("input[name='username']").fill(users.tongliang.username)
    form.locator("input[name='password']").fill(PASSWORD)
    with page.expect_navigation():
        form.locator("button[type='submit'], input[type='submit']").first.click()
    wait_until_sent(page)
    assert page.url.endswith(entry_path(town))
    assert stored(town) == Decimal(5) and saves_by(users.tongliang) == 1


MAKE_FORM = """([grid, population]) => {
  // A form like the grid-event form: fields and photos, posted as multipart to an API endpoint.
  const form = document.createElement("form");
  form.dataset.offlineEndpoint = "/api/v1/households/";
  form.dataset.offlineLabel = "新增农户";
  form.innerHTML = `<input name="unit" value="${grid}"><input name="head_name" value="离线户主">
    <input name="population" aria-label="人口" value="${population}">
    <input type="file" name="photos" multiple><button type="submit">保存</button>`;
  const picture = (width, height, type) => new Promise((resolve) => {
    const canvas = document.createElement("canvas");
    Object.assign(canvas, { width, height });
    canvas.getContext("2d").fillRect(0, 0, width / 2, height / 2);
    const named = (blob) => new File([blob], `photo-${width}.${type}`, { type: `image/${type}` });
    canvas.toBlob((blob) => resolve(named(blob)), `image/${type}`);
  });
  return Promise.all([picture(3000, 2000, "jpeg"), picture(100, 50, "png")]).then((files) => {
    const transfer = new DataTransfer();
    files.forEach((file) => transfer.items.add(file));
    form.querySelector("input[type=file]").files = transfer.files;
    document.querySelector("main").prepend(form);
    document.dispatchEvent(new Event("offline:refresh"));
  });
}"""

STORED_PHOTOS = """() => idb.openDB("jingzi-offline").then((db) => db.getAll("queue")).then((items) => Promise.all(
  items[0].files.map(([name, blob, filename]) => createImageBitmap(blob).then((bitmap) =>
    [name, filename, blob.type, bitmap.width, bitmap.height])))
)"""


def test_a_form_with_photos_is_kept_with_the_photos_shrunk_and_sent_once(phone, gate, live_server, town, users):
    """The generic path the grid-event form uses: fields and photos, multipart, photos shrunk before they are kept."""
    from branches.models import Household

    context, page = phone
    log_in(page, users.tongliang.username, PASSWORD)
    page.goto(entry_path(town))
    page.evaluate(MAKE_FORM, [town.tongliang.grid.pk, "4"])

    go_offline(context, gate)
    page.evaluate("document.querySelector('form[data-offline-endpoint=\"/api/v1/households/\"]').requestSubmit()")
    item = page.locator("[data-offline-item]")
    item.wait_for()
    assert "未同步" in item.inner_text() and "新增农户" in item.inner_text()
    photos = page.evaluate(STORED_PHOTOS)
    assert photos == [
        ["photos", "photo-3000.jpg", "image/jpeg", 1600, 1067],  # longest side 1,600 px
        ["photos", "photo-100.png", "image/png", 100, 50],  # small enough: untouched
    ]
    assert gate.writes(offline=True) == [] and not Household.objects.filter(head_name="离线户主").exists()

    go_online(context, gate)
    item.wait_for(state="detached")
    assert Household.objects.filter(head_name="离线户主", population=4, unit=town.tongliang.grid).count() == 1


def test_a_refused_form_stays_with_the_servers_reasons_until_the_user_acts(phone, gate, live_server, town, users):
    from branches.models import Household

    context, page = phone
    log_in(page, users.tongliang.username, PASSWORD)
    page.goto(entry_path(town))
    page.evaluate(MAKE_FORM, [town.tongliang.grid.pk, "-3"])
    page.evaluate("document.querySelector('form[data-offline-endpoint=\"/api/v1/households/\"]').requestSubmit()")
    item = page.locator("[data-offline-item][data-status='rejected']")
    item.wait_for()
    assert "被退回" in item.inner_text() and "人口：" in item.inner_text()  # the field's name and the API's reason
    assert not Household.objects.filter(head_name="离线户主").exists()

    page.reload()  # kept on the phone, not sent again by itself
    page.evaluate(MAKE_FORM, [town.tongliang.grid.pk, ""])
    item.wait_for()
    item.get_by_role("button", name="放回表单修改").click()
    item.wait_for(state="detached")
    assert page.locator("input[name='population']").input_value() == "-3"
    assert len([entry for entry in gate.writes(offline=False) if entry[2] == "/api/v1/households/"]) == 1
