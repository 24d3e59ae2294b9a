"""Alerts of 支部+基层治理 on the dashboard (registered in reports.dashboard.alerts; reports never names us)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reports.plugins import Alert

from .selectors import overdue_disputes, overdue_hazards, overdue_petitions


def overdue_hazards_under(user, unit):
    return overdue_hazards(user).filter(unit__path__startswith=unit.path)


def overdue_hazards_url(unit):
    return f"{reverse('governance:hazard_list')}?overdue=true&under={unit.pk}"


def overdue_disputes_under(user, unit):
    return overdue_disputes(user).filter(unit__path__startswith=unit.path)


def overdue_disputes_url(unit):
    return f"{reverse('governance:disputecase_list')}?overdue=true&under={unit.pk}"


def overdue_petitions_under(user, unit):
    return overdue_petitions(user).filter(unit__path__startswith=unit.path)


def overdue_petitions_url(unit):
    return f"{reverse('governance:petitioncase_list')}?overdue=true&under={unit.pk}"


ALERTS = (
    # Each gives its rows too: the dashboard counts them with the other lines' in one statement.
    Alert(_("逾期未整改的安全隐患"), url=overdue_hazards_url, order=10, rows=overdue_hazards_under),
    Alert(_("超过调解时限未结的矛盾纠纷"), url=overdue_disputes_url, order=20, rows=overdue_disputes_under),
    Alert(_("超过化解时限的信访积案"), url=overdue_petitions_url, order=30, rows=overdue_petitions_under),
)
