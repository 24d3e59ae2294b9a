"""The industry panel on home and village pages: a village's collective income against the 5万 line; a cadre's open
and overdue enterprise problems."""

from django.utils import timezone

from branches.scoping import REVIEW, can_act_on_unit

from .models import Problem
from .selectors import monthly_income, my_enterprises, overdue_problems, problem_list, problems_overdue_on, weak_line


def industry_panel(request, unit):
    user = request.user
    context = {"unit": unit}
    if unit.is_village:
        context["income"] = sum(monthly_income(unit, timezone.localdate().year))
        context["weak_line"] = weak_line()
    enterprises = my_enterprises(user)
    if enterprises.exists():
        open_problems = problem_list(user).filter(enterprise__in=enterprises.values("pk"),
                                                  status__in=Problem.OPEN_STATUSES)  # fmt: skip
        context["enterprise_count"] = enterprises.count()
        context["open_problems"] = open_problems.count()
        context["overdue_problems"] = problems_overdue_on(open_problems, timezone.localdate()).count()
    if not unit.is_village and can_act_on_unit(user, unit, REVIEW):
        context["town_overdue"] = overdue_problems(user).filter(unit__path__startswith=unit.path).count()
    if len(context) == 1:
        return None
    return "industry/_panel.html", context
