"""A secretary sets up where his notifications go, on a phone (390 px): the 通知渠道 page (issue 21)."""

from reports.models import NotificationChannel
from tests.conftest import PASSWORD
from tests.e2e.conftest import RESULTS_DIR, ConsoleLog, log_in

PHONE = {"width": 390, "height": 844}
WEBHOOK = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"


def test_a_secretary_adds_a_robot_on_his_phone(browser, live_server, town, users):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai",
                                  viewport=PHONE)  # fmt: skip
    context.set_default_timeout(15_000)
    page = context.new_page()
    console = ConsoleLog(page)
    try:
        log_in(page, users.tongliang.username, PASSWORD)
        page.goto("/notifications/channels/")
        assert "还没有通知渠道" in page.inner_text("main")

        page.select_option("select[name='kind']", "email")
        page.fill("input[name='address']", "tongliang@")
        with page.expect_navigation():
            page.get_by_role("button", name="添加", exact=True).click()
        assert "请输入有效的邮箱地址" in page.inner_text("main")

        page.select_option("select[name='kind']", "wecom")
        page.fill("input[name='address']", WEBHOOK)
        with page.expect_navigation():
            page.get_by_role("button", name="添加", exact=True).click()
        listed = page.locator("[data-testid='channels']").inner_text()
        assert "企业微信群机器人" in listed and "https://qyapi.weixin.qq.com/…5aaa" in listed
        assert "693a91f6" not in page.content()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
        RESULTS_DIR.mkdir(exist_ok=True)
        page.screenshot(path=str(RESULTS_DIR / "notification-channels-390.png"), full_page=True)

        with page.expect_navigation():
            page.get_by_role("button", name="停用").click()
        assert "已停用" in page.locator("[data-testid='channels']").inner_text()
        assert NotificationChannel.objects.get(user=users.tongliang).is_active is False
        # The refused address was answered 400 (the form again, with its error); anything else is unexpected.
        assert [e for e in console.unexpected() if "status of 400" not in e["text"]] == []
    finally:
        context.close()
