"""The governance panel on home and village pages: hazards past their deadline in the viewer's scope."""

from .selectors import overdue_hazards


def governance_panel(request, unit):
    count = overdue_hazards(request.user).filter(unit__path__startswith=unit.path).count()
    if not count:
        return None
    return "governance/_panel.html", {"unit": unit, "overdue": count}
