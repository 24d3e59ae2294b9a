"""An item's way from 待签收 to 已办结, who may take each step, and the cards of its time limit."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dispatch import selectors, services
from dispatch.models import Item, Step
from reports.models import Notification


def item_of(task, village):
    return Item.objects.get(task=task, unit=village.unit)


def test_issuing_gives_each_village_an_item_and_tells_its_secretary(
    town, users, issue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        task = issue()
    assert sorted(task.items.values_list("unit__name", flat=True)) == ["杨球村", "铜梁村"]
    assert set(task.items.values_list("status", flat=True)) == {Item.Status.PENDING}
    told = Notification.objects.filter(key__startswith="dispatch.issued")
    assert sorted(told.values_list("user__username", flat=True)) == ["tongliang", "yangqiu"]
    assert "安全隐患排查" in told.first().message


def test_a_task_for_the_town_goes_to_every_village(town, users, issue):
    task = issue(targets=[town.unit])
    assert task.items.count() == 2


def test_a_secretary_cannot_issue(town, users, issue):
    with pytest.raises(PermissionDenied):
        issue(by=users.tongliang)


def test_received_reported_verified(town, users, issue):
    task = issue()
    item = item_of(task, town.tongliang)
    item = services.item_receive(user=users.tongliang, item=item)
    assert item.status == Item.Status.RECEIVED
    measure = task.measures.get()
    item = services.item_report(user=users.tongliang, item=item, text="排查完毕", figures={measure.pk: "12"})
    assert (item.status, item.reported_on) == (Item.Status.REPORTED, timezone.localdate())
    item = services.item_verify(user=users.cadre, item=item)
    assert item.status == Item.Status.DONE
    actions = list(item.steps.values_list("action", flat=True))
    assert actions == [Step.Action.ISSUED, Step.Action.RECEIVED, Step.Action.REPORTED, Step.Action.VERIFIED]
    board = selectors.task_board(users.leader, task)
    assert board.totals[measure.pk] == Decimal("12.00")
    assert board.counts == {Item.Status.DONE: 1, Item.Status.PENDING: 1}


def test_a_secretary_cannot_touch_another_villages_item(town, users, issue):
    task = issue()
    with pytest.raises(PermissionDenied):
        services.item_receive(user=users.yangqiu, item=item_of(task, town.tongliang))
    assert list(selectors.item_list(users.yangqiu).filter(task=task).values_list("unit__name", flat=True)) == ["杨球村"]


def test_the_numbers_are_checked(town, users, issue):
    task = issue()
    item = item_of(task, town.tongliang)
    measure = task.measures.get()
    for bad in ("", "abc", "-3"):
        with pytest.raises(ValidationError) as error:
            services.item_report(user=users.tongliang, item=item, text="好", figures={measure.pk: bad})
        assert "figures" in error.value.message_dict
    assert item_of(task, town.tongliang).status == Item.Status.PENDING


def test_returned_and_reported_again(town, users, issue):
    task = issue(measures=())
    item = services.item_report(user=users.tongliang, item=item_of(task, town.tongliang), text="已办")
    with pytest.raises(ValidationError):
        services.item_return(user=users.cadre, item=item, reason=" ")
    item = services.item_return(user=users.cadre, item=item, reason="照片不清")
    assert (item.status, item.reported_on) == (Item.Status.RETURNED, None)
    item = services.item_report(user=users.tongliang, item=item, text="补充照片")
    assert item.status == Item.Status.REPORTED


def test_a_secretary_cannot_verify_his_own(town, users, issue):
    task = issue(measures=())
    item = services.item_report(user=users.tongliang, item=item_of(task, town.tongliang), text="已办")
    with pytest.raises(PermissionDenied):
        services.item_verify(user=users.tongliang, item=item)


def test_cards_yellow_then_red_by_the_one_rule(town, users, issue):
    today = timezone.localdate()
    task = issue(deadline=today + timedelta(days=2), near_days=3, measures=())
    item = item_of(task, town.tongliang)
    assert selectors.item_card(item, today).code == "near"
    assert selectors.yellow_items(Item.objects.all(), today).count() == 2
    later = today + timedelta(days=3)
    assert selectors.item_card(item, later).is_over
    assert selectors.red_items(Item.objects.all(), later).count() == 2
    services.item_report(user=users.tongliang, item=item, text="已办")
    assert selectors.red_items(Item.objects.all(), later).count() == 1


def test_an_extension_granted_moves_the_deadline(town, users, issue):
    today = timezone.localdate()
    task = issue(deadline=today + timedelta(days=1), measures=())
    item = item_of(task, town.tongliang)
    extension = services.extension_ask(user=users.tongliang, item=item, until=today + timedelta(days=20), reason="雨天")
    with pytest.raises(ValidationError):
        services.extension_ask(user=users.tongliang, item=item, until=today + timedelta(days=30), reason="再延")
    services.extension_decide(user=users.leader, extension=extension, grant=True)
    item.refresh_from_db()
    assert item.deadline == today + timedelta(days=20)
    assert not selectors.item_card(item, today + timedelta(days=5)).is_over


def test_press_tells_only_those_not_reported(town, users, issue, django_capture_on_commit_callbacks):
    task = issue(measures=())
    services.item_report(user=users.tongliang, item=item_of(task, town.tongliang), text="已办")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.task_press(user=users.leader, task=task) == 1
    pressed = Notification.objects.filter(key__startswith="dispatch.pressed")
    assert list(pressed.values_list("user__username", flat=True)) == ["yangqiu"]


def test_a_monthly_task_repeats(town, users, issue):
    today = timezone.localdate()
    task = issue(every="month", issued_on=today - timedelta(days=40), deadline=today - timedelta(days=30), measures=())
    issued = services.tasks_repeat(today)
    assert len(issued) >= 1
    assert all(copy.items.count() == 2 for copy in issued)
    assert services.tasks_repeat(today) == []
    assert task.occurrences.count() == len(issued)


def test_cancelling_keeps_its_reason_and_only_the_issuer_may(town, users, issue):
    task = issue(measures=())
    with pytest.raises(PermissionDenied):
        services.task_cancel(user=users.cadre, task=task, reason="不需要了")
    services.task_cancel(user=users.leader, task=task, reason="与三边三清合并下达")
    last = task.history.latest()
    assert (last.is_cancelled, last.history_change_reason) == (True, "与三边三清合并下达")
    assert last.history_user == users.leader
