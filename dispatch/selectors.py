"""Reads of 任务督办: the tasks and items a user may see, an item's card (the one time-limit rule of the case
ledgers, reports.deadlines, with the task's own yellow days), the issuer's board and each role's task lists."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from branches.models import Assignment, Unit, User
from branches.scoping import CHANGE, REVIEW, VIEW, is_admin
from reports.plugins import deadline_state, overdue_q

from .models import ISSUER_ROLES, Extension, Figure, Item, Task

# --- who may see what -----------------------------------------------------------------------------------------------


def task_list(user):
    return Task.objects.restrict(user, VIEW).select_related("unit", "issued_by")


def item_list(user, action=VIEW):
    return Item.objects.restrict(user, action).select_related("task", "unit")


def can_issue(user):
    """Leaders, cadres and admins issue tasks (a secretary receives them)."""
    return bool(user.is_authenticated and (is_admin(user) or (user.role in ISSUER_ROLES and user.unit_id)))


def issuing_unit(user):
    """The unit a user's tasks are issued from: his town (a county leader's: his county)."""
    unit = user.unit
    if unit is None:
        return Unit.objects.filter(kind=Unit.Kind.TOWN).first() if is_admin(user) else None
    return unit.town or unit


def target_villages(units):
    """The villages and communities a task for `units` goes to: each unit's own if it is one, else those under it
    (a town, an area); each once, in tree order."""
    paths = [unit.path for unit in units]
    if not paths:
        return Unit.objects.none()
    under = Q()
    for path in paths:
        under |= Q(path__startswith=path)
    return Unit.objects.villages().filter(under).order_by("path")


def can_verify(user, item):
    return item_list(user, REVIEW).filter(pk=item.pk).exists()


def can_report(user, item):
    return item_list(user, CHANGE).filter(pk=item.pk).exists()


# --- the time limit -------------------------------------------------------------------------------------------------


def yellow_from(deadline, near_days):
    """The first day an item shows its yellow card if not reported (stored as Item.yellow_on)."""
    return deadline - timedelta(days=near_days)


def item_card(item, on=None):
    """The item's card on the day `on`: red past its deadline and not reported, yellow in its task's last
    `near_days`, else on time — reported (closed) it has none. reports.deadlines.deadline_state is the rule."""
    closed_on = None if item.is_open else (item.reported_on or timezone.localdate())
    return deadline_state(item.deadline, start=item.task.issued_on, closed_on=closed_on, on=on,
                          near_days=item.task.near_days)  # fmt: skip


def red_q(on):
    """Items overdue on the day `on`: the database's form of `item_card(...).is_over`."""
    return overdue_q(on, open_q=Q(status__in=Item.OPEN), closed_field="reported_on") & Q(task__is_cancelled=False)


def yellow_q(on):
    """Items in their yellow days on `on`, not reported and not yet overdue."""
    return Q(status__in=Item.OPEN, yellow_on__lte=on, deadline__gte=on, task__is_cancelled=False)


def red_items(items, on=None):
    return items.filter(red_q(on or timezone.localdate()))


def yellow_items(items, on=None):
    return items.filter(yellow_q(on or timezone.localdate()))


# --- the issuer's board ---------------------------------------------------------------------------------------------


@dataclass
class BoardRow:
    item: Item
    card: object
    figures: dict = field(default_factory=dict)  # measure id → value


@dataclass
class Board:
    task: Task
    measures: list
    rows: list
    totals: dict  # measure id → the sum reported
    counts: dict  # status → how many items

    @property
    def red(self):
        return sum(1 for row in self.rows if row.card.is_over)


def task_board(user, task, on=None):
    """Villages × status for one task, with the numbers each reported and their totals (those the user may see):
    a fixed number of queries whatever the number of villages."""
    on = on or timezone.localdate()
    items = list(item_list(user).filter(task=task).order_by("unit__path"))
    measures = list(task.measures.all())
    values = defaultdict(dict)
    for figure in Figure.objects.filter(item__in=[item.pk for item in items]).values("item_id", "measure_id", "value"):
        values[figure["item_id"]][figure["measure_id"]] = figure["value"]
    rows = [BoardRow(item, item_card(item, on), values[item.pk]) for item in items]
    totals = {m.pk: sum((row.figures.get(m.pk, Decimal(0)) for row in rows), Decimal(0)) for m in measures}
    counts = defaultdict(int)
    for item in items:
        counts[item.status] += 1
    return Board(task, measures, rows, totals, dict(counts))


def task_progress(tasks, *, user, on=None):
    """{task id: {status: count, "red": n, "yellow": n}} for a page of tasks, in three queries, of the items the
    user may see (a secretary: his village's, as on the board)."""
    on = on or timezone.localdate()
    ids = [task.pk for task in tasks]
    items = Item.objects.restrict(user, VIEW).filter(task__in=ids)
    found = defaultdict(lambda: defaultdict(int))
    for row in items.values("task_id", "status").annotate(n=Count("id")).order_by():
        found[row["task_id"]][row["status"]] = row["n"]
    for name, condition in (("red", red_q(on)), ("yellow", yellow_q(on))):
        for row in items.filter(condition).values("task_id").annotate(n=Count("id")).order_by():
            found[row["task_id"]][name] = row["n"]
    return found


# --- each role's lists ----------------------------------------------------------------------------------------------


def issued_by(user):
    return task_list(user).filter(issued_by=user)


def for_village(user):
    """The items of the user's own village (a secretary's), newest deadline last among the open ones first."""
    if user.unit_id is None:
        return Item.objects.none()
    return item_list(user).filter(unit=user.unit_id, task__is_cancelled=False).order_by("status", "deadline")


def to_verify(user):
    """Items reported and waiting for the user's verification."""
    return item_list(user, REVIEW).filter(status=Item.Status.REPORTED, task__is_cancelled=False).order_by("reported_on")


def waiting_for_branch(user):
    """Items the user's village has still to receive or report (its home page's 待办)."""
    return for_village(user).filter(status__in=Item.OPEN)


# --- whom an event concerns -----------------------------------------------------------------------------------------


def secretaries_of(unit):
    return list(User.objects.filter(role=User.Role.SECRETARY, unit=unit, is_active=True))


def verifiers_of(item):
    """The task's issuer and the village's 联村干部 (包村 today): who verifies its report."""
    cadres = (
        Assignment.objects.active()
        .filter(kind=Assignment.Kind.VILLAGE, unit=item.unit_id, cadre__user__is_active=True)
        .values_list("cadre__user", flat=True)
    )
    users = User.objects.filter(pk__in=list(cadres)).order_by("pk")
    issuer = item.task.issued_by
    return [*([issuer] if issuer is not None and issuer.is_active else []), *users.exclude(pk=item.task.issued_by_id)]


def extensions_waiting(user):
    """Requests for more time waiting for the user's decision: on items he may verify (the task's issuer, the
    village's 联村干部, the town's leaders), of tasks not cancelled."""
    items = Item.objects.restrict(user, REVIEW).filter(task__is_cancelled=False)
    return Extension.objects.filter(state=Extension.State.ASKED, item__in=items.values("pk"))
