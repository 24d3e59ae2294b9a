"""Alerts of 支部+产业发展 on the dashboard (registered in reports.dashboard.alerts; reports never names us)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reports.plugins import Alert

from .selectors import overdue_problems


def overdue_problems_under(user, unit):
    return overdue_problems(user).filter(unit__path__startswith=unit.path)


def overdue_problems_url(unit):
    return f"{reverse('industry:problem_list')}?overdue=true&under={unit.pk}"


ALERTS = (Alert(_("逾期未办结的企业问题"), url=overdue_problems_url, order=10, rows=overdue_problems_under),)
