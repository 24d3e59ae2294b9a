"""Celery tasks of 任务督办: thin, calling the services. Beat runs them daily (dispatch/hooks.py SCHEDULES, created in
the database by reports' `ensure_schedules()` after `migrate`); they are found by these names."""

from celery import shared_task

from . import services


@shared_task(name="dispatch.tasks.send_cards")
def send_cards():
    """Daily: tell each branch once when its item turns yellow and once when red; returns how many were told."""
    return services.cards_notify()


@shared_task(name="dispatch.tasks.repeat_tasks")
def repeat_tasks():
    """Daily: issue each recurring task's occurrences that are due; returns how many."""
    return len(services.tasks_repeat())
