"""The environment panel on a village's page: the month's cleanup, the households nobody answers for yet and the
environment problems still to clean."""

from branches.selectors import households_without_keeper

from .models import EnvironmentProblem
from .selectors import problem_list


def environment_panel(request, unit):
    if not unit.is_village:
        return None
    open_problems = problem_list(request.user).filter(status=EnvironmentProblem.Status.OPEN,
                                                      unit__path__startswith=unit.path).count()  # fmt: skip
    return "environment/_panel.html", {"unit": unit, "gaps": households_without_keeper(request.user, unit).count(),
                                       "open_problems": open_problems}  # fmt: skip
