"""The issue's third Must-show: with an SMTP server and a group robot on loopback, a new task reaches the village
secretary's mailbox and his group's robot; with the robot down its delivery is retried and arrives once it is back.
(tests/reports/test_notification_delivery.py tests the delivery itself; the real worker:
tests/reports/test_notification_worker.py.)"""

from datetime import timedelta

import pytest
from django.utils import timezone

from reports import tasks as report_tasks
from reports.models import Delivery, NotificationChannel
from tests.reports.test_notification_delivery import robot_down, smtp  # noqa: F401 — the loopback receivers


@pytest.fixture(autouse=True)
def loopback_robots(settings):
    settings.NOTIFY_WEBHOOK_HOSTS = ["127.0.0.1"]
    settings.NOTIFY_RETRY_BASE_SECONDS = 1


def test_a_new_task_reaches_his_mailbox_and_his_groups_robot(
    users, issue, smtp, robot_down, django_capture_on_commit_callbacks  # noqa: F811
):
    robot = robot_down
    robot.start()
    NotificationChannel.objects.create(user=users.tongliang, kind="email", address="tongliang@example.cn")
    NotificationChannel.objects.create(user=users.tongliang, kind="wecom", address=robot.url())
    with django_capture_on_commit_callbacks(execute=True):
        issue(title="三边三清集中整治")
    (recipients, mail), *others = smtp.messages
    assert recipients == ["tongliang@example.cn"] and others == []
    assert "三边三清集中整治" in mail.get_body().get_content()
    assert any("三边三清集中整治" in text for text in robot.contents())
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_with_the_robot_down_the_task_arrives_when_it_is_back(
    users, issue, robot_down, django_capture_on_commit_callbacks  # noqa: F811
):
    robot = robot_down
    NotificationChannel.objects.create(
        user=users.yangqiu, kind="dingtalk", address=robot.url("/robot/send?access_token=t")
    )
    with django_capture_on_commit_callbacks(execute=True):
        task = issue(title="门前三包检查")
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert task.items.count() == 2  # the task is issued whatever the robot does
    robot.start()
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        report_tasks.retry_deliveries()
    delivery.refresh_from_db()
    assert delivery.status == "sent"
    assert any("门前三包检查" in text for text in robot.contents())
