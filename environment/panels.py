"""The environment panel on a village's page: the month's cleanup and the households nobody answers for yet."""

from branches.selectors import households_without_keeper


def environment_panel(request, unit):
    if not unit.is_village:
        return None
    return "environment/_panel.html", {"unit": unit, "gaps": households_without_keeper(request.user, unit).count()}
