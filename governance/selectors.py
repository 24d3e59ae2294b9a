"""Reads of the governance ledgers, scoped by the user."""

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils import timezone

from branches.scoping import REVIEW, VIEW

from .models import Hazard, PatrolMember, PatrolTeam, SafetyAction


def team_list(user, action=VIEW):
    active = Q(members__is_active=True)
    return (
        PatrolTeam.objects.restrict(user, action)
        .select_related("unit")
        .annotate(member_count=Count("members", filter=active, distinct=True))
        .order_by("unit__path", "name")
    )


def member_list(user, action=VIEW):
    return PatrolMember.objects.restrict(user, action).select_related("team", "unit").order_by("team", "name")


def action_list(user, action=VIEW):
    return (
        SafetyAction.objects.restrict(user, action)
        .select_related("unit", "team")
        .annotate(hazard_count=Count("hazards"))
        .order_by("-date", "-id")
    )


def hazard_list(user, action=VIEW):
    """Hazards, overdue first, then by deadline. A reviewer (cadre, leader) may act on the ones he reviews."""
    today = timezone.localdate()
    overdue = Case(
        When(status__in=Hazard.OPEN_STATUSES, deadline__lt=today, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    hazards = Hazard.objects.select_related("unit", "action")
    if action == VIEW:
        hazards = hazards.restrict(user, VIEW)
    else:
        hazards = hazards.filter(
            Q(pk__in=Hazard.objects.restrict(user, action).values("pk"))
            | Q(pk__in=Hazard.objects.restrict(user, REVIEW).values("pk"))
        )
    return hazards.annotate(overdue_rank=overdue).order_by("overdue_rank", "deadline", "id")


def overdue_hazards(user):
    return hazard_list(user).filter(status__in=Hazard.OPEN_STATUSES, deadline__lt=timezone.localdate())
