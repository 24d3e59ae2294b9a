"""Reads of grid events: every list, page, export and API answer starts from `event_list(user)` (scoped)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, DateField, F, Q, When

from branches.models import Assignment, Cadre, Household, Unit, User
from branches.scoping import CHANGE, VIEW
from reports.plugins import deadline_state, hooks, overdue_q

from .models import HANDLE, GridEvent, Kind


def event_list(user, action=VIEW):
    return GridEvent.objects.restrict(user, action).select_related("unit", "reporter", "household", "record_type")


def may_handle(user, event):
    """May the user accept, escalate or close the event (its village, its 包村 cadre, the centre once it is theirs)?"""
    return GridEvent.objects.restrict(user, HANDLE).filter(pk=event.pk).exists()


def may_report(user):
    """Whoever may act in a grid reports from it: a grid worker in his, a secretary in his village's."""
    return report_units(user).exists()


def report_units(user):
    """The grids the user may report an event in: a grid worker's own, a secretary's village's."""
    return Unit.objects.restrict(user, CHANGE).filter(kind=Unit.Kind.GRID).order_by("path")


def households_for(user):
    """The households an event may name: those the user may change (a grid worker's grid)."""
    return Household.objects.restrict(user, CHANGE).select_related("unit").order_by("unit__path", "house_number")


def sink_kinds():
    """{kind: EventSink} of the event kinds some work line accepts into its ledger."""
    return {sink.kind: sink for sink in hooks("event_sinks") if sink.kind in Kind.values}


def village_of(event):
    return event.unit.village or event.unit


def secretaries_of(event):
    return list(User.objects.filter(role=User.Role.SECRETARY, unit=village_of(event), is_active=True))


def cadres_of(event):
    """The village's 包村 cadres today."""
    ids = (
        Assignment.objects.active()
        .filter(kind=Assignment.Kind.VILLAGE, unit=village_of(event), cadre__user__is_active=True)
        .values_list("cadre__user", flat=True)
    )
    return list(User.objects.filter(pk__in=list(ids)).order_by("pk"))


def centre_staff_of(event):
    """The staff of the 综治中心 of the event's town."""
    town = event.unit.town
    if town is None:
        return []
    ids = Cadre.objects.filter(unit=town, in_centre=True, user__is_active=True).values_list("user", flat=True)
    return list(User.objects.filter(pk__in=list(ids)).order_by("pk"))


def escalation_targets(event):
    if event.escalated_to == GridEvent.To.CENTRE:
        return centre_staff_of(event)
    return cadres_of(event)


def reporter_of(event):
    return [event.reporter] if event.reporter is not None and event.reporter.is_active else []


# --- time limits: one rule (reports.plugins.deadline_state / overdue_q) for pages, API, dashboard and 通报 ---------


def unanswered_q(on):
    """Events the village had not answered by their time to answer, on the day `on`."""
    return overdue_q(on, open_q=Q(answered_on__isnull=True), closed_field="answered_on",
                     deadline_field="answer_deadline")  # fmt: skip


def unsettled_q(on):
    """Escalated events not closed by the time given to settle them, on the day `on`."""
    return Q(escalation_deadline__isnull=False) & overdue_q(on, open_q=Q(closed_on__isnull=True),
                                                            closed_field="closed_on",
                                                            deadline_field="escalation_deadline")  # fmt: skip


def overdue_events_q(on):
    return unanswered_q(on) | unsettled_q(on)


def time_state(event, on=None):
    """The event's current time limit and its state: answering while the village has not, then settling while
    escalated."""
    if event.answered_on is None:
        return deadline_state(event.answer_deadline, start=event.reported_on, on=on)
    if event.escalation_deadline is not None:
        return deadline_state(event.escalation_deadline, start=event.escalated_on, closed_on=event.closed_on, on=on)
    return deadline_state(None)


def deadline_now():
    """The database's form of the deadline `time_state` judges: the time to answer while the event is unanswered,
    then the time to settle it (none unless escalated)."""
    return Case(When(answered_on__isnull=True, then=F("answer_deadline")), default=F("escalation_deadline"),
                output_field=DateField())  # fmt: skip


def waiting_for(user):
    """The events waiting for the user to act: those his village (or 包村) has not answered yet, and those escalated
    to him — to the 包村 cadre if he is one, to the centre if he works there."""
    escalated = Q(status=GridEvent.Status.ESCALATED)
    mine = Q(status=GridEvent.Status.REPORTED)
    if getattr(user, "role", None) == User.Role.CADRE:
        mine |= escalated & Q(escalated_to=GridEvent.To.CADRE)
    mine |= escalated & GridEvent.objects.centre_rule(user)
    return event_list(user, HANDLE).filter(mine)


def mine_moving(user):
    """A grid worker's own events not yet closed."""
    return event_list(user).filter(reporter=user).exclude(status=GridEvent.Status.CLOSED)


def events_linked_to(record):
    """The events that became `record` (for its page's link back)."""
    return GridEvent.objects.filter(record_type=ContentType.objects.get_for_model(record), record_id=record.pk)
