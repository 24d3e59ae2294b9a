"""The 网格事件 panel on a unit's page (a secretary's home page is his village's): the events waiting for the village
to answer, with their time limits, and how many were reported this month; on a town's or area's page, the overdue
ones under it. One query whatever the number of events."""

from django.db.models import Q
from django.utils import timezone

from . import selectors
from .models import GridEvent

PANEL_EVENTS = 8


def grid_panel(request, unit):
    today = timezone.localdate()
    events = selectors.event_list(request.user).filter(unit__path__startswith=unit.path)
    if not unit.is_village:
        overdue = events.filter(selectors.overdue_events_q(today)).count()
        return ("grid/_panel.html", {"unit": unit, "overdue": overdue}) if overdue else None
    month_start = today.replace(day=1)
    found = list(events.filter(Q(status__in=GridEvent.OPEN_STATUSES) | Q(reported_at__date__gte=month_start))
                 .order_by("answer_deadline", "pk"))  # fmt: skip
    if not found:
        return None
    waiting = [event for event in found if event.is_open]
    rows = [(event, selectors.time_state(event, today)) for event in waiting[:PANEL_EVENTS]]
    month = sum(1 for event in found if timezone.localdate(event.reported_at) >= month_start)
    return "grid/_panel.html", {"unit": unit, "village": True, "rows": rows, "more": len(waiting) > PANEL_EVENTS,
                                "month": month}  # fmt: skip


