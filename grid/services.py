"""Writes of grid events: report, accept (into its work line's ledger, through the line's event sink), escalate,
close. Each step checks who may take it, keeps the history with the user, and tells the people it concerns."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Unit
from branches.photos import photos_attach
from branches.scoping import CHANGE, ensure_can_act_on_unit
from branches.services import record_save, workflow_save
from reports.plugins import deadline_for, event_sink, notify_event

from . import selectors
from .models import GridEvent

ANSWER_KIND = "grid_answer"  # the village's time to answer an event (reports.models.CaseLimit)
SETTLE_KIND = "grid_settle"  # the cadre's or centre's time to settle an escalated one


def _check_household(event):
    household = event.household
    if household is not None and not household.unit.is_under(event.unit.village or event.unit):
        raise ValidationError({"household": _("所选农户不在该村（社区）。")})


def event_report(*, user, event, photos=()):
    """A grid worker's (or a secretary's) report from a grid: saved with its photos, its village told."""
    if event.unit_id is None or event.unit.kind != Unit.Kind.GRID:
        raise ValidationError({"unit": _("请选择事件所在的网格。")})
    ensure_can_act_on_unit(user, event.unit, CHANGE)
    _check_household(event)
    event.reporter = user
    event.reported_at = event.reported_at or timezone.now()
    event.status = GridEvent.Status.REPORTED
    event.answer_deadline = deadline_for(ANSWER_KIND, timezone.localdate(event.reported_at))
    with transaction.atomic():
        record_save(user=user, instance=event)
        if photos:
            photos_attach(user=user, record=event, uploads=photos)
    transaction.on_commit(lambda: notify_event("grid.reported", event))
    return event


def _ensure_handles(user, event):
    if not selectors.may_handle(user, event):
        raise PermissionDenied(_("该事件由所在村（社区）受理，上报后由包村干部或镇综治中心办理。"))


def _ensure_status(event, *statuses, message):
    if event.status not in statuses:
        raise ValidationError(message)


def event_accept(*, user, event, kind=None, asked=None):
    """The village accepts the event as `kind` (its reported kind unless re-classified): it becomes that work line's
    ledger row through the line's own service, and the event points at it. Nothing is saved if the line refuses."""
    _ensure_handles(user, event)
    _ensure_status(event, GridEvent.Status.REPORTED, GridEvent.Status.ESCALATED,
                   message=_("该事件已受理或已办结。"))  # fmt: skip
    kind = kind or event.kind
    if kind not in selectors.sink_kinds():
        raise ValidationError({"register": _("“其他”类事件不进入台账，请直接办结或上报。")})
    with transaction.atomic():
        row = event_sink(kind).accept(
            user=user, unit=event.unit, reported_on=event.reported_on, description=event.description,
            place=event.place, household=event.household,
            reporter=event.reporter.display_name if event.reporter else "", **(asked or {}),
        )  # fmt: skip
        event.kind = kind
        event.record = row
        event.status = GridEvent.Status.ACCEPTED
        event.answered_on = event.answered_on or timezone.localdate()
        event.handled_by = user
        register = row._meta.verbose_name
        workflow_save(user=user, instance=event, reason=_("受理，转入%(register)s") % {"register": register})
    transaction.on_commit(lambda: notify_event("grid.accepted", event))
    return event


def event_escalate(*, user, event, to, note):
    """Hand the event up: the village to its 包村 cadre or the town's 综治中心, the cadre to the centre."""
    _ensure_handles(user, event)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("请写明上报原因。")})
    if to not in GridEvent.To.values:
        raise ValidationError({"to": _("请选择上报至包村干部或镇综治中心。")})
    if event.status == GridEvent.Status.ESCALATED and not (
        event.escalated_to == GridEvent.To.CADRE and to == GridEvent.To.CENTRE
    ):
        raise ValidationError({"to": _("该事件已上报，只能由包村干部再上报镇综治中心。")})
    _ensure_status(event, GridEvent.Status.REPORTED, GridEvent.Status.ESCALATED,
                   message=_("该事件已受理或已办结，不能再上报。"))  # fmt: skip
    today = timezone.localdate()
    event.status = GridEvent.Status.ESCALATED
    event.escalated_to = to
    event.escalated_on = today
    event.escalation_deadline = deadline_for(SETTLE_KIND, today)
    event.answered_on = event.answered_on or today
    event.handled_by = user
    event.result = f"{event.result}\n{today:%Y-%m-%d} {_('上报')}{event.get_escalated_to_display()}：{note}".strip()
    workflow_save(user=user, instance=event, reason=note)
    transaction.on_commit(lambda: notify_event("grid.escalated", event, key=f"{event.pk}-{to}"))
    return event


def event_close(*, user, event, result):
    """办结: the event settled — on the spot by the village, or by whoever it was escalated to — with what was done.
    Its reporter is told."""
    _ensure_handles(user, event)
    result = (result or "").strip()
    if not result:
        raise ValidationError({"result": _("请填写处理结果。")})
    _ensure_status(event, GridEvent.Status.REPORTED, GridEvent.Status.ACCEPTED, GridEvent.Status.ESCALATED,
                   message=_("该事件已办结。"))  # fmt: skip
    today = timezone.localdate()
    event.status = GridEvent.Status.CLOSED
    event.closed_on = today
    event.answered_on = event.answered_on or today
    event.handled_by = user
    event.result = f"{event.result}\n{today:%Y-%m-%d} {_('办结')}：{result}".strip()
    workflow_save(user=user, instance=event, reason=result)
    transaction.on_commit(lambda: notify_event("grid.closed", event))
    return event


