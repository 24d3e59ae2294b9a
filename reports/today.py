"""今日待办: the first panel of a user's home page — what needs him today, from every app's `today_items` hook
(reports/worklines.py: town tasks, grid events, hazards, terms due …), each with its count and one tap to act. Shown
on his own unit's page only (his home), not on every unit page he opens."""

from . import worklines


def today_panel(request, unit):
    user = request.user
    if not user.is_authenticated or unit.pk != getattr(user, "unit_id", None):
        return None
    rows = [(item.label, count, item.url(user)) for item, count in worklines.today_for(user)]
    return "reports/_today.html", {"rows": rows}
