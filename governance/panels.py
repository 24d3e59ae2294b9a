"""The governance panel on home and village pages: hazards past their deadline in the viewer's scope; on a grid
worker's home, his visits and door knocks this month besides."""

from branches.scoping import is_grid_worker

from .selectors import grid_worker_month, overdue_hazards


def governance_panel(request, unit):
    if is_grid_worker(request.user) and unit.pk == request.user.unit_id:
        return "governance/_grid_worker_panel.html", grid_worker_month(request.user, unit)
    count = overdue_hazards(request.user).filter(unit__path__startswith=unit.path).count()
    if not count:
        return None
    return "governance/_panel.html", {"unit": unit, "overdue": count}
