"""What 任务督办 plugs into (reports/worklines.py's hooks): the events it tells people about, the red tasks on the
leaders' dashboard and in the 通报 (counted as overdue cases, and its own part of the score), what waits for each role
today, the members' points for the tasks they took part in, and the jobs beat runs daily."""

from collections import defaultdict
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.scoping import VIEW
from reports.plugins import (
    Alert,
    NotificationEvent,
    PointRecord,
    PointSource,
    Schedule,
    ScorePart,
    TimedCase,
    TodayItem,
    add_months,
    marks,
)

from . import selectors
from .models import Item


def item_url(item):
    return reverse("dispatch:item_detail", args=[item.pk])


def extension_url(extension):
    return item_url(extension.item)


def _village_secretaries(item):
    return selectors.secretaries_of(item.unit)


def _branch_and_issuer(item):
    return [*selectors.secretaries_of(item.unit), *selectors.verifiers_of(item)[:1]]


def _message(text):
    def message(item):
        return text % {"task": item.task.title, "village": item.unit.name, "deadline": f"{item.deadline:%Y-%m-%d}"}

    return message


def _extension_message(extension):
    return _("%(village)s申请“%(task)s”延期至%(until)s：%(reason)s") % {
        "village": extension.item.unit.name, "task": extension.item.task.title,
        "until": f"{extension.until:%Y-%m-%d}", "reason": extension.reason,
    }  # fmt: skip


def _decision_message(extension):
    text = _("“%(task)s”延期至%(until)s的申请已同意。") if extension.state == "granted" else _(
        "“%(task)s”的延期申请未获同意：%(note)s")  # fmt: skip
    return text % {"task": extension.item.task.title, "until": f"{extension.until:%Y-%m-%d}", "note": extension.note}


NOTIFICATION_EVENTS = (
    NotificationEvent("dispatch.issued", _("新任务下达"), _village_secretaries,
                      _message(_("新任务：“%(task)s”，请于%(deadline)s前办结上报。")), url=item_url),
    NotificationEvent("dispatch.reported", _("任务已上报"), selectors.verifiers_of,
                      _message(_("%(village)s已上报“%(task)s”，请核验。")), url=item_url),
    NotificationEvent("dispatch.verified", _("任务已办结"), _village_secretaries,
                      _message(_("“%(task)s”已核验办结。")), url=item_url),
    NotificationEvent("dispatch.returned", _("任务被退回"), _village_secretaries,
                      _message(_("“%(task)s”的上报被退回，请查看原因后重新上报。")), url=item_url),
    NotificationEvent("dispatch.pressed", _("任务催办"), _village_secretaries,
                      _message(_("催办：“%(task)s”尚未上报，时限%(deadline)s。")), url=item_url),
    NotificationEvent("dispatch.yellow", _("任务黄牌预警"), _village_secretaries,
                      _message(_("黄牌：“%(task)s”将于%(deadline)s到期，尚未上报。")), url=item_url),
    NotificationEvent("dispatch.red", _("任务红牌逾期"), _branch_and_issuer,
                      _message(_("红牌：%(village)s“%(task)s”已超过时限%(deadline)s未上报。")), url=item_url),
    NotificationEvent("dispatch.extension_asked", _("任务延期申请"), lambda ext: selectors.verifiers_of(ext.item),
                      _extension_message, url=extension_url),
    NotificationEvent("dispatch.extension_decided", _("延期申请审批"), lambda ext: _village_secretaries(ext.item),
                      _decision_message, url=extension_url),
)  # fmt: skip


# --- the task pages the hooks link to -------------------------------------------------------------------------------
# The list of tasks takes its filters in the query string (card=red|yellow, under=<unit id>, status=…,
# extension=asked).


def list_url(**query):
    url = reverse("dispatch:task_list")
    return f"{url}?{urlencode(query)}" if query else url


# --- red tasks: the dashboard's exceptions and the 通报's overdue cases ---------------------------------------------


def red_under(user, unit):
    """The items the user may see under `unit` that are red today (open past their deadline)."""
    return Item.objects.restrict(user, VIEW).filter(unit__path__startswith=unit.path).filter(
        selectors.red_q(timezone.localdate()))  # fmt: skip


def red_url(unit):
    return list_url(card="red", under=unit.pk)


def overdue_under(unit, on):
    """The items under `unit` overdue on `on`: the rows the 通报 counts against each village."""
    return Item.objects.filter(unit__path__startswith=unit.path).filter(selectors.red_q(on))


ALERTS = (Alert(_("红牌任务（逾期未上报）"), url=red_url, order=10, rows=red_under),)
# No kind or default limit: each task carries its own deadline, set by its issuer.
TIMED_CASES = (TimedCase(_("督办任务逾期未上报"), overdue_under, measure=_("项"), url=red_url),)

# --- the 通报's part: reported on time ----------------------------------------------------------------------------
#
# The part weighs 10 beside the core's 40 (reports), 30 (targets) and 30 (overdue cases) and 支部建设's 10: scaled to
# 100 it is about a twelfth of a village's score. A village earns the share of its items due in the month that it
# reported by their deadline; an item still open past its deadline also counts among the overdue cases (3 points
# each), as the other lines' cases do. A village with nothing due in the month drops the part; nor does an item due
# later than the bulletin's day count against it until its deadline has passed.

TASK_WEIGHT = 10


def judge_tasks(villages, month, as_of):
    """{village id: (earned, [reason])} of the villages with items due in `month` (tasks not cancelled): one query
    whatever the number of villages."""
    rows = Item.objects.filter(
        unit__in=[village.pk for village in villages], deadline__gte=month, deadline__lt=add_months(month, 1),
        task__is_cancelled=False,
    ).values_list("unit_id", "status", "deadline", "reported_on")  # fmt: skip
    tally = defaultdict(lambda: {"due": 0, "on_time": 0, "open": 0, "late": 0})
    for unit_id, status, deadline, reported_on in rows:
        on_time = reported_on is not None and status not in Item.OPEN and reported_on <= deadline
        if not on_time and deadline >= as_of:
            continue  # not due yet on the bulletin's day
        counts = tally[unit_id]
        counts["due"] += 1
        if on_time:
            counts["on_time"] += 1
        elif status in Item.OPEN:
            counts["open"] += 1
        else:
            counts["late"] += 1
    return {unit_id: judged_tasks(counts) for unit_id, counts in tally.items()}


TALLY_WORDS = (("on_time", _("按时上报%(n)s项")), ("late", _("逾期上报%(n)s项")), ("open", _("逾期未上报%(n)s项")))


def judged_tasks(counts):
    """(earned, reasons) of one village's tally: one line saying how its month's items went, when any was late (a
    village that reported everything on time has no reason: green). The items still open are also the 通报's overdue
    cases, listed by their own line."""
    earned = (Decimal(TASK_WEIGHT) * counts["on_time"] / counts["due"]).quantize(Decimal("0.1"))
    if counts["on_time"] == counts["due"]:
        return earned, []
    parts = [text % {"n": counts[key]} for key, text in TALLY_WORDS if counts[key]]
    said = {"due": counts["due"], "parts": marks().comma.join(parts)}
    return earned, [_("督办任务本月到期%(due)s项：%(parts)s") % said]


SCORE_PARTS = (ScorePart("dispatch.tasks", _("任务督办"), TASK_WEIGHT, judge_tasks),)

# --- what waits for each role today ---------------------------------------------------------------------------------

TODAY_ITEMS = (
    TodayItem("dispatch.waiting", _("待签收/待上报的督办任务"), url=lambda user: list_url(), roles=("secretary",),
              rows=selectors.waiting_for_branch, deadline="deadline"),
    TodayItem("dispatch.to_verify", _("待我核验的督办任务"), url=lambda user: list_url(status=Item.Status.REPORTED),
              roles=("cadre", "leader", "admin"), rows=selectors.to_verify),
    # An extension asked is decided before the item's own deadline passes.
    TodayItem("dispatch.extensions", _("待审批的延期申请"), url=lambda user: list_url(extension="asked"),
              roles=("cadre", "leader", "admin"), rows=selectors.extensions_waiting, deadline="item__deadline"),
)  # fmt: skip

# --- 党员先锋积分: the members who took part in a task done -----------------------------------------------------------


def tasks_done(units, start, end):
    """[PointRecord]: one per member named on an item done (已办结) in `units` from `start` to `end`, dated the day
    it was done; one query."""
    Through = Item.members.through
    rows = (
        Through.objects.filter(item__unit__in=units, item__status=Item.Status.DONE, item__done_on__gte=start,
                               item__done_on__lte=end, item__task__is_cancelled=False)
        .values_list("partymember_id", "item_id", "item__done_on", "item__task__title")
        .order_by("item__done_on", "item_id", "partymember_id")
    )  # fmt: skip
    return [PointRecord(member_id=member_id, quantity=Decimal(1), on=done_on, text=title,
                        url=reverse("dispatch:item_detail", args=[item_id]))
            for member_id, item_id, done_on, title in rows]  # fmt: skip


# The rule (points a task, a monthly cap) is the branch-life line's PointRule "tasks.done": 2 points, at most 10.
POINT_SOURCES = (PointSource("tasks.done", _("完成督办任务"), tasks_done, measure=_("项")),)

# --- the jobs beat runs (dispatch/tasks.py) -------------------------------------------------------------------------

# The names are the rows' keys in the database (as reports/setup.py's own): plain text, never translated. The
# recurring tasks are issued first, so a new occurrence's cards are judged the same morning.
SCHEDULES = (
    Schedule("任务督办：每日下达到期的重复任务", "dispatch.tasks.repeat_tasks", {"minute": "15", "hour": "6"}),
    Schedule("任务督办：每日黄牌红牌提醒", "dispatch.tasks.send_cards", {"minute": "30", "hour": "7"}),
)
