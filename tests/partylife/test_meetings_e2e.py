"""The 铜梁村 secretary records a 支部党员大会 with its attendance on a 390 px phone, in a real browser: one row per
member with big buttons, nothing wider than the screen, saved in one go."""

import pytest

from branches.models import PartyMember
from partylife.models import Attendance, Meeting
from tests.conftest import PASSWORD
from tests.e2e.conftest import browser, console, log_in, page, screenshot  # noqa: F401 — the browser fixtures

pytestmark = pytest.mark.e2e


def test_the_secretary_records_an_assembly_with_attendance_on_his_phone(page, console, screenshot, users, town):  # noqa: F811
    organisation = town.tongliang.organisation
    for name in ("王建国", "李红梅", "张流动"):
        PartyMember.objects.create(unit=town.tongliang.unit, organisation=organisation, name=name)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, users.tongliang.username, PASSWORD)
    page.goto("/party/meetings/add/")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=member-row]").count() == 4
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390  # no sideways scrolling on the phone
    screenshot("empty")

    page.select_option("select[name=kind]", "assembly")
    page.fill("input[name=topic]", "学习贯彻党的二十届三中全会精神")
    page.fill("input[name=place]", "村党群服务中心")
    rows = page.locator("[data-testid=member-row]")
    li = rows.filter(has_text="李红梅")
    li.get_by_text("请假", exact=True).click()
    li.get_by_placeholder("请假事由（请假时填写）").fill("生病住院")
    zhang = rows.filter(has_text="张流动")
    zhang.get_by_text("远程参会", exact=True).click()
    zhang.get_by_placeholder("外出所在地（远程参会时填写）").fill("广东东莞")
    box = li.get_by_text("请假", exact=True).bounding_box()
    assert box["height"] >= 40  # a button a thumb can hit
    screenshot("filled")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    assert "/party/meetings/" in page.url and "出席率 100.0%" in page.content()
    screenshot("saved")
    meeting = Meeting.objects.get()
    assert dict(Attendance.objects.filter(meeting=meeting).values_list("member__name", "status")) == {
        "铜梁村党员": "present", "王建国": "present", "李红梅": "excused", "张流动": "remote"}  # fmt: skip
    assert console.unexpected() == []
