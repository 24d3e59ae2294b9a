"""The 文明实践 panel on a village's (or the town's) page: its station, and the hours waiting for this user."""

from .models import Station
from .selectors import pending_hours


def volunteers_panel(request, unit):
    station = Station.objects.filter(unit=unit).first()
    if station is None and not unit.is_village:
        return None
    waiting = pending_hours(request.user).filter(activity__station=station).count() if station else 0
    return "volunteers/_panel.html", {"unit": unit, "station": station, "waiting": waiting}
