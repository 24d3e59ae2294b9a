"""Alerts of 支部+基层治理 on the dashboard (registered in reports.dashboard.alerts; reports never names us)."""

from django.urls import reverse
from django.utils import timezone

from reports.plugins import Alert

from .models import DisputeCase
from .selectors import dispute_cutoff, dispute_list, disputes_overdue_on, overdue_hazards


def count_overdue_hazards(user, unit):
    return overdue_hazards(user).filter(unit__path__startswith=unit.path).count()


def overdue_hazards_url(unit):
    return f"{reverse('governance:hazard_list')}?overdue=true&under={unit.pk}"


def count_overdue_disputes(user, unit):
    disputes = dispute_list(user).filter(unit__path__startswith=unit.path)
    return disputes_overdue_on(disputes, timezone.localdate()).count()


def overdue_disputes_url(unit):
    cutoff = dispute_cutoff(timezone.localdate())
    query = f"result={DisputeCase.Result.PENDING}&received_before={cutoff.isoformat()}&under={unit.pk}"
    return f"{reverse('governance:disputecase_list')}?{query}"


ALERTS = (Alert("逾期未整改的安全隐患", count_overdue_hazards, overdue_hazards_url, order=10),)
ALERTS += (Alert("调解超过 30 天未结的矛盾纠纷", count_overdue_disputes, overdue_disputes_url, order=20),)
