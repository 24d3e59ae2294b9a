"""任务督办 in the demo: a dozen tasks the leader sent down, most done and verified, some waiting for verification,
a few red and a couple still running, so the leaders' dashboard, each role's today list and the 积分 have content.

The demo is loaded once for the package (tests/demo/conftest.py); each test runs in a savepoint inside it."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from demo import dispatch as demo_dispatch
from dispatch import hooks, selectors
from dispatch.models import Every, Figure, Item, Step, Task
from reports.dashboard import alerts
from reports.today import today_for


def test_about_a_dozen_tasks_of_the_four_lines_most_done_some_red(demo_town, printout):
    tasks = Task.objects.filter(unit=demo_town)
    assert 10 <= tasks.count() <= 15
    assert set(tasks.values_list("issued_by__username", flat=True)) == {"leader"}
    assert set(tasks.values_list("work_line", flat=True)) == {"industry", "environment", "governance", "volunteers"}
    monthly = tasks.filter(title="每月安全隐患排查")
    assert monthly.filter(repeats=None).count() == 1 and monthly.exclude(repeats=None).count() == 2
    items = Item.objects.filter(task__unit=demo_town)
    today = timezone.localdate()
    done, red = items.filter(status=Item.Status.DONE).count(), items.filter(selectors.red_q(today)).count()
    assert done > items.count() / 2
    assert 1 <= red < 10
    assert items.filter(status=Item.Status.REPORTED).exists() and items.filter(selectors.yellow_q(today)).exists()
    assert "任务督办：镇里下达任务" in printout


def test_the_rows_are_those_the_services_would_write(demo_town):
    items = Item.objects.filter(task__unit=demo_town).select_related("task")
    for item in items:
        assert item.yellow_on == item.deadline - timedelta(days=item.task.near_days)
        assert (item.done_on is not None) == (item.status == Item.Status.DONE)
        assert (item.reported_on is not None) == (item.status in (Item.Status.REPORTED, Item.Status.DONE))
    steps = {(row["item_id"], row["action"]) for row in Step.objects.filter(item__in=items).values("item_id", "action")}
    for item in items:
        assert (item.pk, Step.Action.ISSUED) in steps
        assert ((item.pk, Step.Action.VERIFIED) in steps) == (item.status == Item.Status.DONE)
    reported = items.filter(status__in=(Item.Status.REPORTED, Item.Status.DONE))
    assert Figure.objects.filter(item__in=reported).count() >= reported.count()
    assert not Figure.objects.filter(item__in=items.filter(status__in=Item.OPEN)).exists()


def test_tongliang_and_yangqiu_have_work_waiting(villages):
    users = get_user_model().objects.in_bulk(["tongliang", "yangqiu"], field_name="username")
    for name, username in (("铜梁村", "tongliang"), ("杨球村", "yangqiu")):
        assert Item.objects.filter(unit=villages[name], status__in=Item.OPEN).exists()
        found = {item.code: n for item, n, _due in today_for(users[username])}
        assert found.get("dispatch.waiting", 0) >= 1


def test_the_leaders_dashboard_shows_the_red_tasks(demo_town):
    leader = get_user_model().objects.get(username="leader")
    counts = {alert.label: alert.count for alert in alerts.alerts_for(leader, demo_town)}
    assert counts["红牌任务（逾期未上报）"] > 0
    found = {item.code: n for item, n, _due in today_for(leader)}
    assert found.get("dispatch.to_verify", 0) > 0


def test_members_who_took_part_earn_points(demo_town, villages):
    months = Item.objects.filter(task__unit=demo_town).exclude(members=None).values_list("done_on", flat=True)
    assert months
    first, last = min(months), max(months)
    records = hooks.tasks_done(list(villages.values()), first, last)
    assert len(records) == Item.members.through.objects.filter(item__task__unit=demo_town).count() > 5


def test_a_second_load_adds_no_task(demo_town):
    before = (Task.objects.count(), Item.objects.count(), Step.objects.count(), Figure.objects.count())
    text = demo_dispatch.load(password="x")
    assert "本次新建任务 0 项" in text
    assert (Task.objects.count(), Item.objects.count(), Step.objects.count(), Figure.objects.count()) == before


def test_the_beat_job_finds_no_occurrence_due(demo_town):
    from dispatch import services

    assert services.tasks_repeat() == []  # the demo's monthly round is up to date
    assert Task.objects.filter(unit=demo_town, every=Every.MONTH).count() == 3
