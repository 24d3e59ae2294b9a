"""Alerts of 支部+环境整治 on the dashboard (registered in reports.dashboard.alerts; reports never names us)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.selectors import households_without_keeper
from reports.plugins import Alert

from .selectors import overdue_problems, project_list, projects_late_on


def households_without_keeper_under(user, unit):
    return households_without_keeper(user, unit)


def gaps_url(unit):
    return f"{reverse('environment:gaps')}?under={unit.pk}"


def late_projects_under(user, unit):
    projects = project_list(user).filter(unit__path__startswith=unit.path)
    return projects_late_on(projects, timezone.localdate())


def projects_url(unit):
    return f"{reverse('environment:infrastructureproject_list')}?under={unit.pk}"


def overdue_problems_under(user, unit):
    return overdue_problems(user).filter(unit__path__startswith=unit.path)


def overdue_problems_url(unit):
    return f"{reverse('environment:environmentproblem_list')}?overdue=true&under={unit.pk}"


ALERTS = (Alert(_("无人包户的农户"), url=gaps_url, order=10, rows=households_without_keeper_under),)
ALERTS += (Alert(_("超过计划完工仍未完成的项目"), url=projects_url, order=20, rows=late_projects_under),)
ALERTS += (Alert(_("逾期未清理的环境问题"), url=overdue_problems_url, order=30, rows=overdue_problems_under),)
