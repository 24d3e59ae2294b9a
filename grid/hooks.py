"""What 网格事件 plugs into (reports/worklines.py's hooks): the people it tells as an event moves, its time limits
(to answer, to settle once escalated) counted overdue on the dashboard and in the 通报, and what waits for each role
today."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.scoping import VIEW
from reports.plugins import Alert, NotificationEvent, TimedCase, TodayItem

from . import selectors
from .models import GridEvent
from .services import ANSWER_KIND, SETTLE_KIND


def event_url(event):
    return reverse("grid:gridevent_detail", args=[event.pk])


def list_url(**query):
    url = reverse("grid:gridevent_list")
    return f"{url}?{urlencode(query)}" if query else url


def _message(text):
    def message(event):
        return text % {"kind": event.get_kind_display(), "grid": event.unit.name,
                       "village": selectors.village_of(event), "to": event.get_escalated_to_display(),
                       "deadline": f"{event.answer_deadline:%Y-%m-%d}",
                       "record": event.record._meta.verbose_name if event.record else ""}  # fmt: skip

    return message


NOTIFICATION_EVENTS = (
    NotificationEvent("grid.reported", _("网格事件上报"), selectors.secretaries_of,
                      _message(_("%(grid)s上报%(kind)s，请于%(deadline)s前受理。")), url=event_url),
    NotificationEvent("grid.accepted", _("网格事件已受理"), selectors.reporter_of,
                      _message(_("您上报的%(kind)s已受理，转入%(record)s。")), url=event_url),
    NotificationEvent("grid.escalated", _("网格事件上报办理"), selectors.escalation_targets,
                      _message(_("%(village)s%(grid)s的%(kind)s已上报%(to)s，请办理。")), url=event_url),
    NotificationEvent("grid.closed", _("网格事件已办结"), selectors.reporter_of,
                      _message(_("您上报的%(kind)s已办结。")), url=event_url),
)  # fmt: skip

# --- overdue: the dashboard's exceptions and the 通报's cases --------------------------------------------------------


def overdue_under(unit, on):
    """Events under `unit` past a time limit on `on`: not answered in time, or escalated and not settled in time."""
    return GridEvent.objects.filter(unit__path__startswith=unit.path).filter(selectors.overdue_events_q(on))


def overdue_seen(user, unit):
    return GridEvent.objects.restrict(user, VIEW).filter(unit__path__startswith=unit.path).filter(
        selectors.overdue_events_q(timezone.localdate()))  # fmt: skip


def overdue_url(unit):
    return list_url(overdue="true", under=unit.pk)


ALERTS = (Alert(_("网格事件逾期未受理/未办结"), url=overdue_url, order=40, rows=overdue_seen),)


def unanswered_under(unit, on):
    return GridEvent.objects.filter(unit__path__startswith=unit.path).filter(selectors.unanswered_q(on))


def unsettled_under(unit, on):
    return GridEvent.objects.filter(unit__path__startswith=unit.path).filter(selectors.unsettled_q(on))


TIMED_CASES = (
    TimedCase(_("网格事件逾期未受理"), unanswered_under, url=overdue_url, kind=ANSWER_KIND,
              kind_label=_("网格事件（自上报起受理）"), default_days=1),
    TimedCase(_("上报的网格事件逾期未办结"), unsettled_under, url=overdue_url, kind=SETTLE_KIND,
              kind_label=_("网格事件（自上报包村干部或综治中心起办结）"), default_days=7),
)  # fmt: skip

# --- what waits for each role today ---------------------------------------------------------------------------------

TODAY_ITEMS = (
    TodayItem("grid.waiting", _("待受理/待办理的网格事件"), url=lambda user: list_url(tab="waiting"),
              roles=("secretary", "cadre", "admin"), rows=selectors.waiting_for, deadline=selectors.deadline_now()),
    TodayItem("grid.mine", _("我上报的事件（处理中）"), url=lambda user: list_url(tab="mine"), roles=("grid_worker",),
              rows=selectors.mine_moving),
)  # fmt: skip
