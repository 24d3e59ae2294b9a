"""Alerts of 支部+基层治理 on the leaders' dashboard (registered with reports.alerts; reports never names us)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from reports.alerts import register_alert

from .models import DisputeCase
from .selectors import dispute_list, overdue_hazards

# 《人民调解工作若干规定》: a mediation committee settles a dispute "一般在一个月内调结"; a case still being mediated
# after that is overdue. Disputes carry no deadline of their own, so the rule's month is the deadline.
DISPUTE_DAYS = 30


def count_overdue_hazards(user, unit):
    return overdue_hazards(user).filter(unit__path__startswith=unit.path).count()


def overdue_hazards_url(unit):
    return f"{reverse('governance:hazard_list')}?overdue=true&under={unit.pk}"


def dispute_cutoff():
    """Disputes received on or before this day and still pending are overdue."""
    return timezone.localdate() - timedelta(days=DISPUTE_DAYS + 1)


def count_overdue_disputes(user, unit):
    pending = dispute_list(user).filter(unit__path__startswith=unit.path, result=DisputeCase.Result.PENDING)
    return pending.filter(received_on__lte=dispute_cutoff()).count()


def overdue_disputes_url(unit):
    query = f"result={DisputeCase.Result.PENDING}&received_before={dispute_cutoff().isoformat()}&under={unit.pk}"
    return f"{reverse('governance:disputecase_list')}?{query}"


register_alert("governance", "逾期未整改的安全隐患", count_overdue_hazards, overdue_hazards_url, order=10)
register_alert("governance", "调解超过 30 天未结的矛盾纠纷", count_overdue_disputes, overdue_disputes_url, order=20)
