"""Notifications reach people outside the portal (issue 21): by email over SMTP and through WeCom/DingTalk group
robots, each user through the channels he chose; a failed send is retried with a growing pause and given up (the
admins told) after the last attempt; no page waits on a send.

The receivers are real servers on loopback: aiosmtpd for the mail, an HTTP server for the robots' webhooks."""

import time
from datetime import date, timedelta

import pytest
from django.db import OperationalError, connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from branches.models import Assignment, Cadre
from industry.models import Enterprise, Problem, ServiceVisit
from reports import periods, plugins
from reports import tasks as report_tasks
from reports.models import Delivery, Notification, NotificationChannel
from reports.notifications import delivery as notification_delivery
from reports.notifications import reminders, services
from reports.setup import SCHEDULES
from tests.reports.notify_servers import Robot, SmtpServer

pytestmark = pytest.mark.django_db
TEXT = "铜梁村 3 月环境整治月报已被退回，请修改后重新提交。"
WECOM = NotificationChannel.Kind.WECOM
DINGTALK = NotificationChannel.Kind.DINGTALK
EMAIL = NotificationChannel.Kind.EMAIL


@pytest.fixture(autouse=True)
def loopback_robots(settings):
    """The robots here listen on loopback, which the portal refuses by default (NOTIFY_WEBHOOK_HOSTS)."""
    settings.NOTIFY_WEBHOOK_HOSTS = ["qyapi.weixin.qq.com", "oapi.dingtalk.com", "127.0.0.1"]


@pytest.fixture
def smtp(settings):
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "portal@jingzi.example.cn"
    yield server
    server.stop()


@pytest.fixture
def robot():
    """The robot's webhook, up."""
    server = Robot()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def robot_down():
    """A robot whose port is closed until the test starts it."""
    server = Robot()
    yield server
    server.stop()


@pytest.fixture
def fast_retries(settings):
    settings.NOTIFY_RETRY_BASE_SECONDS = 1


def channel(user, kind, address):
    return NotificationChannel.objects.create(user=user, kind=kind, address=address)


def notify_now(django_capture_on_commit_callbacks, users, **kwargs):
    """notify(), its after-commit sends run as the commit would run them (the test sits in a transaction)."""
    with django_capture_on_commit_callbacks(execute=True):
        return services.notify(users, **kwargs)


def make_due(delivery):
    """Move a failed delivery's next attempt into the past, as if its pause were over."""
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def retry_job(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return report_tasks.retry_deliveries()


# --- sent through every channel ------------------------------------------------------------------------------------


def test_a_notification_reaches_his_mailbox_and_his_robots(
    users, smtp, robot, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_BASE_URL = "https://dj.jingzi.example.cn"
    user = users.tongliang
    channel(user, EMAIL, "tongliang@example.cn")
    channel(user, WECOM, robot.url())
    channel(user, DINGTALK, robot.url("/robot/send?access_token=ding-secret-0042"))
    inactive = channel(user, WECOM, robot.url("/cgi-bin/webhook/send?key=switched-off"))
    NotificationChannel.objects.filter(pk=inactive.pk).update(is_active=False)
    channel(users.yangqiu, EMAIL, "yangqiu@example.cn")  # someone else's: not his notification

    made = notify_now(django_capture_on_commit_callbacks, [user], message=TEXT, url="/reports/1/environment/2026-03/",
                      key="returned-1")  # fmt: skip

    assert [n.user for n in made] == [user]
    link = "https://dj.jingzi.example.cn/reports/1/environment/2026-03/"
    (recipients, mail), *others = smtp.messages
    assert others == [] and recipients == ["tongliang@example.cn"]
    assert mail["Subject"].strip().startswith("井字镇党建工作平台提醒") and TEXT in mail["Subject"]
    body = mail.get_body().get_content()
    assert TEXT in body and link in body
    assert mail["From"] == "portal@jingzi.example.cn"

    paths = sorted(path for path, _body in robot.posts)
    assert paths == ["/cgi-bin/webhook/send?key=robot-secret-token-0042", "/robot/send?access_token=ding-secret-0042"]
    for _path, body in robot.posts:
        assert body["msgtype"] == "text" and set(body) == {"msgtype", "text"}
        assert TEXT in body["text"]["content"] and link in body["text"]["content"]

    deliveries = Delivery.objects.filter(notification__user=user)
    assert sorted(deliveries.values_list("channel__kind", "status", "attempts")) == [
        (DINGTALK, "sent", 1), (EMAIL, "sent", 1), (WECOM, "sent", 1),
    ]  # fmt: skip
    assert all(d.sent_at is not None and d.next_attempt_at is None for d in deliveries)


def test_the_same_key_is_told_once_and_a_sent_delivery_is_never_sent_again(
    users, robot, django_capture_on_commit_callbacks
):
    channel(users.tongliang, WECOM, robot.url())
    notify_now(django_capture_on_commit_callbacks, [users.tongliang], message=TEXT, key="once")
    assert notify_now(django_capture_on_commit_callbacks, [users.tongliang], message="again", key="once") == []
    delivery = Delivery.objects.get()
    assert notification_delivery.delivery_attempt(delivery.pk) is None
    assert retry_job(django_capture_on_commit_callbacks) == 0
    assert robot.contents() == [TEXT]
    assert Notification.objects.filter(user=users.tongliang).count() == 1


def test_no_channel_means_the_portal_only(users, django_capture_on_commit_callbacks):
    notify_now(django_capture_on_commit_callbacks, [users.tongliang], message=TEXT, key="portal-only")
    assert Notification.objects.filter(user=users.tongliang, message=TEXT).exists()
    assert not Delivery.objects.exists()


# --- failures, retries, giving up ------------------------------------------------------------------------------------


def test_a_robot_down_is_retried_after_its_pause_and_then_reached(
    users, robot_down, fast_retries, django_capture_on_commit_callbacks
):
    channel(users.tongliang, WECOM, robot_down.url())
    before = timezone.now()
    notify_now(django_capture_on_commit_callbacks, [users.tongliang], message=TEXT, key="down")

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert before + timedelta(seconds=1) <= delivery.next_attempt_at <= timezone.now() + timedelta(seconds=1)
    assert delivery.last_error and "robot-secret-token" not in delivery.last_error  # the URL is the token
    assert delivery.sent_at is None

    robot_down.start()
    # Not yet due: the retry job leaves it alone.
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() + timedelta(minutes=1))
    assert retry_job(django_capture_on_commit_callbacks) == 0
    assert notification_delivery.delivery_attempt(delivery.pk) is None  # a task's early copy spends no attempt
    assert robot_down.posts == []
    make_due(delivery)
    assert retry_job(django_capture_on_commit_callbacks) == 1

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 2, "")
    assert robot_down.contents() == [TEXT]


def test_an_errcode_in_the_reply_is_a_failure(users, robot, django_capture_on_commit_callbacks):
    robot.reply = {"errcode": 93000, "errmsg": "invalid webhook url"}
    channel(users.tongliang, DINGTALK, robot.url("/robot/send?access_token=ding-secret-0042"))
    notify_now(django_capture_on_commit_callbacks, [users.tongliang], message=TEXT, key="errcode")
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert "93000" in delivery.last_error and "ding-secret" not in delivery.last_error
    assert len(robot.posts) == 1  # it was posted, and refused


def test_the_pause_doubles_up_to_an_hour(settings):
    settings.NOTIFY_RETRY_BASE_SECONDS = 60
    pauses = [notification_delivery.retry_delay(attempt) for attempt in range(1, 10)]
    assert pauses == [60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]


def test_after_the_last_attempt_it_is_abandoned_and_the_admins_see_it(
    users, robot, settings, login, django_capture_on_commit_callbacks
):
    settings.NOTIFY_MAX_ATTEMPTS = 3
    robot.reply = {"errcode": 93000, "errmsg": "invalid webhook url"}
    channel(users.tongliang, WECOM, robot.url())
    channel(users.admin, WECOM, robot.url("/cgi-bin/webhook/send?key=admins-robot"))  # the admin's own robot
    notify_now(django_capture_on_commit_callbacks, [users.tongliang], message=TEXT, key="doomed")
    delivery = Delivery.objects.get()
    for attempt in (2, 3):
        make_due(delivery)
        assert retry_job(django_capture_on_commit_callbacks) == 1
        delivery.refresh_from_db()
        assert delivery.attempts == attempt
    assert (delivery.status, delivery.next_attempt_at) == ("abandoned", None)
    make_due(delivery)
    assert retry_job(django_capture_on_commit_callbacks) == 0  # abandoned is final
    assert len(robot.posts) == 3

    notice = Notification.objects.get(user=users.admin)
    assert "已放弃" in notice.message and "93000" in notice.message
    assert not Delivery.objects.filter(notification=notice).exists()  # told in the portal only: no loop
    users.admin.is_staff = True  # the link goes to the admin site
    users.admin.save()
    page = login(users.admin).get(reverse("home"))
    assert "未能通过邮件或群机器人发出" in page.content.decode()
    assert reverse("admin:reports_delivery_changelist") in page.content.decode()


def test_the_admin_retries_an_abandoned_one_now(users, robot, settings, client, django_capture_on_commit_callbacks):
    settings.NOTIFY_MAX_ATTEMPTS = 1
    robot.reply = {"errcode": 93000, "errmsg": "invalid webhook url"}
    channel(users.tongliang, WECOM, robot.url())
    notify_now(django_capture_on_commit_callbacks, [users.tongliang], message=TEXT, key="retry-now")
    delivery = Delivery.objects.get()
    assert delivery.status == "abandoned"
    robot.reply = {"errcode": 0, "errmsg": "ok"}
    users.admin.is_staff = users.admin.is_superuser = True
    users.admin.save()
    client.force_login(users.admin)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("admin:reports_delivery_changelist"),
                             {"action": "retry_now", "_selected_action": [delivery.pk]})  # fmt: skip
    assert answer.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == "sent"
    assert len(robot.posts) == 2


def test_a_robot_outside_the_allowed_hosts_is_refused(
    users, robot, settings, login, django_capture_on_commit_callbacks
):
    settings.NOTIFY_WEBHOOK_HOSTS = ["qyapi.weixin.qq.com", "oapi.dingtalk.com"]
    answer = login(users.tongliang).post(
        reverse("reports:notification_channels"), {"kind": "wecom", "address": robot.url()}
    )
    assert answer.status_code == 400
    assert "只能填写企业微信或钉钉群机器人的地址" in answer.content.decode()
    # One saved before the list was narrowed is not posted to either.
    channel(users.tongliang, WECOM, robot.url())
    notify_now(django_capture_on_commit_callbacks, [users.tongliang], message=TEXT, key="outside")
    assert Delivery.objects.get().status == "failed" and robot.posts == []
    # He can switch it off, not back on.
    client = login(users.tongliang)
    change = reverse("reports:notification_channel_change")
    mine = NotificationChannel.objects.get(user=users.tongliang)
    assert client.post(change, {"channel": mine.pk, "op": "switch"}).status_code == 302
    mine.refresh_from_db()
    assert not mine.is_active
    page = client.post(change, {"channel": mine.pk, "op": "switch"}, follow=True).content.decode()
    assert "只能填写企业微信或钉钉群机器人的地址" in page
    mine.refresh_from_db()
    assert not mine.is_active


def test_a_switched_off_channel_is_not_sent_to(users, robot, django_capture_on_commit_callbacks):
    mine = channel(users.tongliang, WECOM, robot.url())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notify([users.tongliang], message=TEXT, key="switched")
    services.channel_switch(user=users.tongliang, channel=mine, is_active=False)
    for callback in callbacks:
        callback()
    assert Delivery.objects.get().status == "abandoned"
    assert robot.posts == []


# --- the request does not wait ------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_page_returns_before_the_robot_answers(town, users, robot, login, settings):
    settings.NOTIFY_IN_BACKGROUND = True
    robot.delay = 3
    channel(users.tongliang, WECOM, robot.url())
    client = login(users.tongliang)

    started = time.monotonic()
    answer = client.post(reverse("reports:notification_channel_test"))
    took = time.monotonic() - started

    assert answer.status_code == 302
    assert took < 1.5, f"the page waited {took:.1f} s for the robot"
    delivery = wait_for(lambda: Delivery.objects.filter(status="sent").first(), timeout=15)
    assert delivery.channel.user == users.tongliang
    assert len(robot.posts) == 1 and "测试消息" in robot.contents()[0]


def wait_for(condition, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            found = condition()
        except OperationalError:  # SQLite: the sending thread holds the table for a moment
            found = None
        if found:
            return found
        time.sleep(0.1)
    pytest.fail(f"nothing after {timeout} s: {list(Delivery.objects.values('status', 'attempts', 'last_error'))}")


# --- the callers: reminders, returned reports, work-line events ------------------------------------------------------


def test_reminders_go_through_the_secretarys_channels(town, users, robot, django_capture_on_commit_callbacks):
    channel(users.tongliang, WECOM, robot.url())
    deadline = periods.deadline_for(periods.last_complete_month())
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.send_reminders(today=deadline + timedelta(days=1)) > 0
    assert robot.posts and all("逾期" in content for content in robot.contents())
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_a_work_line_event_reaches_the_cadre(town, users, smtp, django_capture_on_commit_callbacks):
    mill = Enterprise.objects.create(unit=town.unit, name="湖南角山米业有限公司", kind="above_scale")
    cadre = Cadre.objects.get(user=users.cadre)
    Assignment.objects.create(kind="enterprise", cadre=cadre, unit=mill.unit, target=mill, start_date=date(2025, 1, 1))
    visit = ServiceVisit.objects.create(unit=mill.unit, enterprise=mill, cadre=cadre, date=date(2026, 1, 5))
    problem = Problem.objects.create(unit=mill.unit, enterprise=mill, visit=visit, description="用电增容",
                                     responsible="王", deadline=date(2026, 2, 1))  # fmt: skip
    channel(users.cadre, EMAIL, "cadre@example.cn")

    with django_capture_on_commit_callbacks(execute=True):
        plugins.notify_event("industry.problem_overdue", problem)
        plugins.notify_event("industry.problem_overdue", problem)  # once per key
        plugins.notify_event("industry.problem_overdue", problem, key=f"{problem.pk}-2026-02-08")  # a repeated 催办

    notes = Notification.objects.filter(user=users.cadre)
    assert sorted(notes.values_list("key", flat=True)) == [
        f"industry.problem_overdue-{problem.pk}", f"industry.problem_overdue-{problem.pk}-2026-02-08",
    ]  # fmt: skip
    assert notes.first().url == reverse("industry:problem_detail", args=[problem.pk])
    assert len(smtp.messages) == 2
    assert all("湖南角山米业有限公司" in mail.get_body().get_content() for _to, mail in smtp.messages)


def test_the_retry_job_is_scheduled():
    assert ("reports.tasks.retry_deliveries", {"minute": "*/5"}) in [(task, when) for _n, task, when in SCHEDULES]


# --- the channels page ---------------------------------------------------------------------------------------------


def test_a_user_adds_lists_switches_and_deletes_his_channels(users, login):
    client = login(users.tongliang)
    url = reverse("reports:notification_channels")
    assert "还没有通知渠道" in client.get(url).content.decode()

    answer = client.post(
        url, {"kind": "wecom", "address": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcd-1234-wxyz"}
    )
    assert answer.status_code == 302
    mine = NotificationChannel.objects.get(user=users.tongliang)
    page = client.get(url).content.decode()
    assert "企业微信群机器人" in page and "https://qyapi.weixin.qq.com/…wxyz" in page
    assert "abcd-1234" not in page  # the token is not shown, even to its owner, in the list

    change = reverse("reports:notification_channel_change")
    client.post(change, {"channel": mine.pk, "op": "switch"})
    mine.refresh_from_db()
    assert not mine.is_active
    client.post(change, {"channel": mine.pk, "op": "delete"})
    assert not NotificationChannel.objects.filter(pk=mine.pk).exists()


@pytest.mark.parametrize(
    ("kind", "address", "error"),
    [
        ("email", "tongliang@", "请输入有效的邮箱地址"),
        ("email", "", "请填写地址"),
        ("wecom", "qyapi.weixin.qq.com/cgi-bin/webhook/send", "请输入以 http:// 或 https:// 开头的群机器人"),
        ("dingtalk", "ftp://oapi.dingtalk.com/robot/send", "请输入以 http:// 或 https:// 开头的群机器人"),
        ("sms", "13800000000", "请选择列表中的渠道"),
    ],
)
def test_a_bad_address_is_refused_in_chinese(users, login, kind, address, error):
    answer = login(users.tongliang).post(reverse("reports:notification_channels"), {"kind": kind, "address": address})
    assert answer.status_code == 400
    assert error in answer.content.decode()
    assert not NotificationChannel.objects.exists()


def test_nobody_reaches_another_users_channel(users, login):
    theirs = channel(users.yangqiu, EMAIL, "yangqiu@example.cn")
    client = login(users.tongliang)
    assert "yangqiu@example.cn" not in client.get(reverse("reports:notification_channels")).content.decode()
    change = reverse("reports:notification_channel_change")
    for op in ("switch", "delete"):
        assert client.post(change, {"channel": theirs.pk, "op": op}).status_code == 404
    assert client.post(change, {"channel": "x' OR 1=1", "op": "delete"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active


def test_the_page_writes_nothing_on_get(users, login):
    channel(users.tongliang, EMAIL, "tongliang@example.cn")
    client = login(users.tongliang)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("reports:notification_channels")).status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert [sql for sql in writes if "django_session" not in sql] == []


def test_the_test_message_goes_through_notify(users, robot, login, django_capture_on_commit_callbacks):
    channel(users.tongliang, WECOM, robot.url())
    client = login(users.tongliang)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("reports:notification_channel_test"))
    assert answer.status_code == 302
    assert Notification.objects.filter(user=users.tongliang, key__startswith="channel-test-").count() == 1
    assert len(robot.posts) == 1
    assert "已发送" in client.get(reverse("reports:notification_channels")).content.decode()


def test_the_admin_list_masks_the_webhook(users, client):
    channel(users.tongliang, DINGTALK, "https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef")
    users.admin.is_staff = users.admin.is_superuser = True
    users.admin.save()
    client.force_login(users.admin)
    page = client.get(reverse("admin:reports_notificationchannel_changelist")).content.decode()
    assert "https://oapi.dingtalk.com/…cdef" in page
    assert "0123456789ab" not in page
    troubled = client.get(reverse("admin:reports_delivery_changelist"), {"status__in": "failed,abandoned"})
    assert troubled.status_code == 200  # the link on the admin's home page


def test_the_channels_page_is_linked_from_the_notifications(users, login, django_capture_on_commit_callbacks):
    notify_now(django_capture_on_commit_callbacks, [users.tongliang], message=TEXT, key="linked")
    page = login(users.tongliang).get(reverse("home"), follow=True).content.decode()
    assert TEXT in page and reverse("reports:notification_channels") in page
    assert not Delivery.objects.filter(Q(status="failed") | Q(status="abandoned")).exists()
