"""A real Celery worker, fed through Redis, delivers notifications to a group robot (issue 21), and retries one whose
robot was down until it comes up.

As tests/reports/test_celery_worker.py: the test process publishes to the Redis of ``TEST_REDIS_URL`` on a queue of
its own, ``celery -A jingzi worker`` runs as a subprocess on pytest's test database (PostgreSQL, so the worker sees the
committed rows). Without them the test is skipped on a developer machine, and fails under CI."""

import pytest
from celery import signals

from reports import tasks as report_tasks
from reports.models import Delivery, NotificationChannel
from reports.notifications import services
from tests.processes import celery_worker_process, routed_broker
from tests.reports.notify_servers import Robot

TASK = "reports.tasks.deliver_notification"
TIMEOUT = 30
TEXT = "铜梁村 3 月环境整治月报已被退回，请修改后重新提交。"


@pytest.fixture
def real_broker(redis_url, settings, monkeypatch):
    with routed_broker(redis_url, [report_tasks.deliver_notification], settings, monkeypatch) as broker:
        yield broker


@pytest.fixture
def celery_worker(real_broker, transactional_db, tmp_path, monkeypatch):
    """The worker, its retries one second apart (it reads the settings from its environment)."""
    monkeypatch.setenv("NOTIFY_RETRY_BASE_SECONDS", "1")
    monkeypatch.setenv("NOTIFY_WEBHOOK_HOSTS", "127.0.0.1")  # the robot listens on loopback
    with celery_worker_process(real_broker, tmp_path / "celery-worker.log") as worker:
        yield worker


@pytest.fixture
def robot():
    server = Robot()
    yield server
    server.stop()


@pytest.fixture
def ran_here():
    """Tasks that ran in the test process (eagerly): none may."""
    ran = []

    def on_prerun(sender=None, task_id=None, **kwargs):
        ran.append(sender.name)

    signals.task_prerun.connect(on_prerun, weak=False)
    yield ran
    signals.task_prerun.disconnect(on_prerun)


def delivery_state():
    return list(Delivery.objects.values_list("status", "attempts", "last_error"))


def test_the_worker_delivers_to_the_robot(celery_worker, robot, town, users, ran_here):
    robot.start()
    NotificationChannel.objects.create(user=users.tongliang, kind="wecom", address=robot.url())

    services.notify([users.tongliang], message=TEXT, key="worker-1")  # autocommit: enqueued at once

    celery_worker.wait_for(lambda: f"the robot to be posted; deliveries {delivery_state()}",
                           lambda: Delivery.objects.filter(status="sent").exists(), TIMEOUT)  # fmt: skip
    assert robot.contents() == [TEXT]
    assert delivery_state() == [("sent", 1, "")]
    assert ran_here == [], f"the delivery ran in the test process, not in the worker: {ran_here}"
    assert f"Task {TASK}[" in celery_worker.log()


def test_the_worker_retries_until_the_robot_is_up(celery_worker, robot, town, users, ran_here):
    NotificationChannel.objects.create(user=users.tongliang, kind="wecom", address=robot.url())

    services.notify([users.tongliang], message=TEXT, key="worker-2")

    celery_worker.wait_for(lambda: f"a failed attempt; deliveries {delivery_state()}",
                           lambda: Delivery.objects.filter(status="failed").exists(), TIMEOUT)  # fmt: skip
    robot.start()
    celery_worker.wait_for(lambda: f"the retry to reach the robot; deliveries {delivery_state()}",
                           lambda: Delivery.objects.filter(status="sent").exists(), TIMEOUT)  # fmt: skip
    delivery = Delivery.objects.get()
    assert delivery.attempts >= 2 and delivery.sent_at is not None
    assert robot.contents() == [TEXT]
    assert "robot-secret-token" not in celery_worker.log()  # the webhook URL is never logged
    assert ran_here == []
