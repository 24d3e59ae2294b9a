"""Alerts of 支部+产业发展 on the dashboard (registered in reports.dashboard.alerts; reports never names us)."""

from django.urls import reverse

from reports.plugins import Alert

from .selectors import overdue_problems


def count_overdue_problems(user, unit):
    return overdue_problems(user).filter(unit__path__startswith=unit.path).count()


def overdue_problems_url(unit):
    return f"{reverse('industry:problem_list')}?overdue=true&under={unit.pk}"


ALERTS = (Alert("逾期未办结的企业问题", count_overdue_problems, overdue_problems_url, order=10),)
