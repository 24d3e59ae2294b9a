"""What 任务督办 plugs into the rest of the portal: its red items on the leaders' dashboard and in the 通报, what
waits for each role today, the points of the members who took part in a task done, and its daily jobs on beat."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from dispatch import hooks, services, tasks
from dispatch.models import Item, Task
from jingzi.celery import app
from partylife import selectors as party
from partylife.models import Every, MeetingRule
from reports import periods
from reports.bulletin import services as bulletin_services
from reports.dashboard import alerts
from reports.models import Notification
from reports.setup import declared_schedules, ensure_schedules
from reports.today import today_for
from tests.conftest import add_unit, make_user

RED = "红牌任务（逾期未上报）"


def item_of(task, village):
    return Item.objects.get(task=task, unit=village.unit)


def red_counts(user, unit):
    return {alert.label: alert.count for alert in alerts.alerts_for(user, unit)}


@pytest.fixture
def overdue(issue):
    """A task issued three weeks ago, due five days ago: both villages' items are red today."""
    today = timezone.localdate()
    return issue(issued_on=today - timedelta(days=21), deadline=today - timedelta(days=5))


# --- the dashboard ------------------------------------------------------------------------------------------------


def test_a_red_item_is_counted_on_the_leaders_dashboard_of_its_town_only(town, users, overdue):
    assert red_counts(users.leader, town.unit)[RED] == 2
    assert red_counts(users.leader, town.tongliang.unit)[RED] == 1
    assert red_counts(users.tongliang, town.unit)[RED] == 1  # a secretary sees his own village's only
    alert = next(alert for alert in alerts.alerts_for(users.leader, town.unit) if alert.label == RED)
    assert alert.url == f"/dispatch/?card=red&under={town.unit.pk}"
    assert alert.work_line == "dispatch" and alert.work_line_label == "任务督办"

    other = add_unit(town.county, "杏子铺镇", "town", "431321103")
    stranger = make_user("xingzipu", "leader", other)
    assert red_counts(stranger, other)[RED] == 0
    assert red_counts(users.leader, other)[RED] == 0

    services.item_report(user=users.tongliang, item=item_of(overdue, town.tongliang), text="已排查",
                         figures={overdue.measures.get().pk: "3"})  # fmt: skip
    assert red_counts(users.leader, town.unit)[RED] == 1  # reported late: no longer open, no longer red


def test_an_item_not_yet_due_or_of_a_cancelled_task_is_not_red(town, users, issue, overdue):
    issue(title="防汛检查")  # due in ten days
    services.task_cancel(user=users.leader, task=overdue, reason="重复下达")
    assert red_counts(users.leader, town.unit)[RED] == 0


# --- the 通报 -----------------------------------------------------------------------------------------------------

MONTH = date(2025, 3, 1)
AS_OF = date(2025, 4, 10)


@pytest.fixture
def march(town, users, issue):
    """A task due 20 March 2025: 铜梁村 reported on 15 March (verified), 杨球村 never did."""
    MeetingRule.objects.update(every=Every.NONE)  # 组织生活 drops out: the villages differ only in their tasks
    task = issue(issued_on=date(2025, 3, 1), deadline=date(2025, 3, 20))
    item = services.item_report(user=users.tongliang, item=item_of(task, town.tongliang), text="排查完毕",
                                figures={task.measures.get().pk: "5"})  # fmt: skip
    services.item_verify(user=users.cadre, item=item)
    Item.objects.filter(pk=item.pk).update(reported_on=date(2025, 3, 15), done_on=date(2025, 3, 16))
    return task


def bulletin_rows(town):
    bulletin = bulletin_services.bulletin_build(town=town.unit, month=MONTH, today=AS_OF)
    return {row.unit.name: row for row in bulletin.rows.select_related("unit")}


def texts(row):
    return [reason["text"] for reason in row.reasons]


def test_the_bulletin_counts_an_overdue_item_against_its_village(town, march):
    rows = bulletin_rows(town)
    late, done = rows["杨球村"], rows["铜梁村"]
    assert "督办任务逾期未上报 1 项" in texts(late)  # an overdue case, as the other lines' (3 points)
    assert "督办任务本月到期1项：逾期未上报1项" in texts(late)  # and the part of the score it misses
    assert late.parts["dispatch.tasks"] == {"label": "任务督办", "score": 0.0, "max": 10}
    assert done.parts["dispatch.tasks"] == {"label": "任务督办", "score": 10.0, "max": 10}
    assert not [text for text in texts(done) if "督办" in text]
    assert done.parts["cases"]["score"] - late.parts["cases"]["score"] == 3
    assert late.score < done.score


def test_a_village_with_nothing_due_in_the_month_is_not_judged_on_tasks(town, users, issue):
    MeetingRule.objects.update(every=Every.NONE)
    issue(issued_on=date(2025, 3, 1), deadline=date(2025, 4, 2), targets=[town.tongliang.unit])  # due in April
    rows = bulletin_rows(town)
    assert "dispatch.tasks" not in rows["铜梁村"].parts and "dispatch.tasks" not in rows["杨球村"].parts


def test_a_late_report_earns_part_of_the_score(town, users, issue):
    first = issue(issued_on=date(2025, 3, 1), deadline=date(2025, 3, 10), targets=[town.tongliang.unit])
    second = issue(issued_on=date(2025, 3, 1), deadline=date(2025, 3, 20), targets=[town.tongliang.unit],
                   measures=())  # fmt: skip
    for task, reported in ((first, date(2025, 3, 12)), (second, date(2025, 3, 18))):
        figures = {measure.pk: "1" for measure in task.measures.all()}
        item = services.item_report(user=users.tongliang, item=item_of(task, town.tongliang), text="已办",
                                    figures=figures)  # fmt: skip
        Item.objects.filter(pk=item.pk).update(reported_on=reported)
    earned, reasons = hooks.judge_tasks([town.tongliang.unit, town.yangqiu.unit], MONTH, AS_OF)[town.tongliang.unit.pk]
    assert earned == Decimal(5)
    assert [str(text) for text in reasons] == ["督办任务本月到期2项：按时上报1项，逾期上报1项"]


def test_the_score_part_asks_one_query_whatever_the_villages(town, issue, django_assert_num_queries):
    issue(issued_on=date(2025, 3, 1), deadline=date(2025, 3, 20))
    with django_assert_num_queries(1):
        judged = hooks.judge_tasks([town.tongliang.unit, town.yangqiu.unit], MONTH, AS_OF)
    assert set(judged) == {town.tongliang.unit.pk, town.yangqiu.unit.pk}


# --- today ----------------------------------------------------------------------------------------------------------


def today(user):
    return {item.code: count for item, count, _due in today_for(user) if item.work_line == "dispatch"}


def test_what_waits_for_each_role_today(town, users, issue):
    task = issue()
    assert today(users.tongliang) == {"dispatch.waiting": 1}
    assert today(users.leader) == {}
    item = services.item_report(user=users.tongliang, item=item_of(task, town.tongliang), text="已办",
                                figures={task.measures.get().pk: "2"})  # fmt: skip
    services.extension_ask(user=users.yangqiu, item=item_of(task, town.yangqiu), until=task.deadline + timedelta(5),
                           reason="连日降雨，需延后排查")  # fmt: skip
    assert today(users.tongliang) == {}
    assert today(users.yangqiu) == {"dispatch.waiting": 1}
    assert today(users.leader) == {"dispatch.to_verify": 1, "dispatch.extensions": 1}
    assert today(users.cadre) == {"dispatch.to_verify": 1}  # 杨球村 is not his village
    services.item_verify(user=users.cadre, item=item)
    assert today(users.leader) == {"dispatch.extensions": 1}
    # Each waits by the item's own deadline: the village's to report, the leader's to decide the extension by.
    deadlines = {item.code: due for user in (users.yangqiu, users.leader) for item, _n, due in today_for(user)}
    assert deadlines["dispatch.waiting"] == deadlines["dispatch.extensions"] == task.deadline
    links = {entry.code: entry.url(users.leader) for entry, _n, _due in today_for(users.leader)}
    assert links["dispatch.extensions"] == "/dispatch/?extension=asked"


# --- points ---------------------------------------------------------------------------------------------------------


def test_members_who_took_part_in_a_task_done_earn_points(town, users, issue):
    task = issue(needs_verify=False)
    member = town.tongliang.member
    services.item_report(user=users.tongliang, item=item_of(task, town.tongliang), text="党员带头排查",
                         figures={task.measures.get().pk: "4"}, members=[member])  # fmt: skip
    month = periods.current_month(timezone.localdate())
    ranking = party.point_ranking(users.leader, month)
    rows = {row.member.pk: row for row in ranking.rows}
    assert rows[member.pk].total == Decimal(2)  # the rule of "tasks.done": 2 points a task
    (part,) = rows[member.pk].sources
    assert (part.source.code, part.quantity, part.records[0].text) == ("tasks.done", Decimal(1), "安全隐患排查")
    assert part.records[0].url == f"/dispatch/items/{item_of(task, town.tongliang).pk}/"
    assert rows[town.yangqiu.member.pk].total == 0


def test_a_task_reported_but_not_yet_verified_earns_nothing(town, users, issue):
    task = issue()
    services.item_report(user=users.tongliang, item=item_of(task, town.tongliang), text="已办",
                         figures={task.measures.get().pk: "4"}, members=[town.tongliang.member])  # fmt: skip
    today_ = timezone.localdate()
    assert hooks.tasks_done([town.tongliang.unit], today_, today_) == []


# --- beat -----------------------------------------------------------------------------------------------------------


def test_the_daily_jobs_are_on_beat_once(db):
    from django_celery_beat.models import PeriodicTask

    wanted = {"dispatch.tasks.send_cards", "dispatch.tasks.repeat_tasks"}
    found = PeriodicTask.objects.filter(task__in=wanted)  # created after `migrate`
    assert {task.task for task in found} == wanted
    assert all(task.enabled and task.crontab.day_of_month == "*" for task in found)
    ensure_schedules()
    ensure_schedules()
    assert PeriodicTask.objects.filter(task__in=wanted).count() == 2
    app.loader.import_default_modules()  # what a worker does at start: every app's tasks.py
    assert {task for _name, task, _crontab in declared_schedules()} <= set(app.tasks)  # each schedule runs something


def test_the_jobs_run(town, users, issue, overdue):
    today_ = timezone.localdate()
    issue(title="每月安全检查", issued_on=today_ - timedelta(days=40), deadline=today_ - timedelta(days=33),
          every="month", targets=[town.tongliang.unit])  # fmt: skip
    assert tasks.repeat_tasks.delay().get() == 1  # its next month's occurrence
    assert Task.objects.filter(title="每月安全检查").count() == 2
    sent = tasks.send_cards.delay().get()
    assert sent >= 2
    told = Notification.objects.filter(key__startswith="dispatch.red")
    assert {"tongliang", "yangqiu"} <= set(told.values_list("user__username", flat=True))
    assert tasks.send_cards.delay().get() == sent  # told once: the keys keep a second run quiet
    assert Notification.objects.filter(key__startswith="dispatch.red").count() == told.count()
