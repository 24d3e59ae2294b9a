"""Reads of the governance ledgers, scoped by the user."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from branches.scoping import REVIEW, VIEW
from branches.selectors import coverage_for_units
from reports.plugins import PointRecord, case_state, overdue_on, overdue_q

from .models import (
    VERIFY,
    Checkpoint,
    CheckpointStaff,
    DisputeCase,
    DoorKnock,
    Hazard,
    KeyPerson,
    KeyPersonKeeper,
    MediationCommittee,
    PassRecord,
    PatrolMember,
    PatrolTeam,
    PeopleIssue,
    PetitionCase,
    SafetyAction,
    VisitLog,
)


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
    """Hazards, overdue first, then by deadline. With REVIEW: the ones the user moves along (models.HazardQuerySet)."""
    overdue = Case(When(hazard_overdue_q(timezone.localdate()), then=Value(0)), default=Value(1),
                   output_field=IntegerField())  # fmt: skip
    # REVIEW, moving it along the chain, is the model's own rule (HazardQuerySet)
    hazards = Hazard.objects.select_related("unit", "action").restrict(user, action)
    return hazards.annotate(overdue_rank=overdue).order_by("overdue_rank", "deadline", "id")


def hazard_page(user, hazard):
    """Which steps the hazard's page offers the user, by the model's rules as the step page and the API ask them:
    moving it along the chain (REVIEW) and verifying or returning it (VERIFY)."""
    return {
        "can_review": hazard_list(user, REVIEW).filter(pk=hazard.pk).exists(),
        "can_verify": hazard_list(user, VERIFY).filter(pk=hazard.pk).exists(),
    }


# One case's state against its own deadline (red over, yellow near: reports.deadlines), as the lists and pages show it.
HAZARD_DATES = {"start": "found_on", "closed": "rectified_on"}
DISPUTE_DATES = {"start": "received_on", "closed": "closed_on"}
PETITION_DATES = {"start": "taken_on", "closed": "resolved_on"}


def hazard_state(hazard):
    return case_state(hazard, **HAZARD_DATES)


def dispute_state(dispute):
    return case_state(dispute, **DISPUTE_DATES)


def petition_state(petition):
    return case_state(petition, **PETITION_DATES)


def hazard_overdue_q(on):
    """A hazard past its rectification deadline and not yet rectified on the day `on` (reports.deadlines)."""
    return overdue_q(on, open_q=Q(status__in=Hazard.OPEN_STATUSES), closed_field="rectified_on")


def hazards_overdue_on(hazards, on):
    return hazards.filter(hazard_overdue_q(on))


def overdue_hazards(user):
    return hazards_overdue_on(hazard_list(user), timezone.localdate())


# --- disputes and petitions -----------------------------------------------------------------------------------------


def committee_list(user, action=VIEW):
    return MediationCommittee.objects.restrict(user, action).select_related("unit").order_by("unit__path")


def disputes_overdue_on(disputes, on):
    """Those of `disputes` past their own deadline and still being mediated on the day `on` (reports.deadlines)."""
    return overdue_on(disputes, on, open_q=Q(result=DisputeCase.Result.PENDING), closed_field="closed_on")


def petitions_overdue_on(petitions, on):
    """Those of `petitions` past their own deadline and not yet resolved on the day `on` (reports.deadlines)."""
    return overdue_on(petitions, on, open_q=~Q(status=PetitionCase.Status.RESOLVED), closed_field="resolved_on")


def overdue_disputes(user):
    return disputes_overdue_on(dispute_list(user), timezone.localdate())


def overdue_petitions(user):
    return petitions_overdue_on(petition_list(user), timezone.localdate())


def dispute_list(user, action=VIEW):
    return DisputeCase.objects.restrict(user, action).select_related("unit").order_by("result", "-received_on", "-id")


def petition_list(user, action=VIEW):
    return PetitionCase.objects.restrict(user, action).select_related("unit", "leader").order_by("status", "-id")


def dispute_table(user, unit, month_start, month_end):
    """The monthly 矛盾纠纷排查化解 table: by kind, received in the month, settled (and how), still pending."""
    cases = dispute_list(user).filter(unit__path__startswith=unit.path)
    received = dict(
        cases.filter(received_on__gte=month_start, received_on__lt=month_end)
        .values_list("kind").annotate(n=Count("id")).order_by()
    )  # fmt: skip
    closed = defaultdict(lambda: defaultdict(int))
    for kind, result, n in (
        cases.filter(closed_on__gte=month_start, closed_on__lt=month_end)
        .values_list("kind", "result").annotate(n=Count("id")).order_by()
    ):  # fmt: skip
        closed[kind][result] = n
    pending = dict(
        cases.filter(result=DisputeCase.Result.PENDING, received_on__lt=month_end)
        .values_list("kind").annotate(n=Count("id")).order_by()
    )  # fmt: skip
    rows = []
    for kind, label in DisputeCase.Kind.choices:
        done = closed[kind]
        rows.append({
            "kind": label, "received": received.get(kind, 0), "success": done[DisputeCase.Result.SUCCESS],
            "failed": done[DisputeCase.Result.FAILED], "transferred": done[DisputeCase.Result.TRANSFERRED],
            "pending": pending.get(kind, 0),
        })  # fmt: skip
    totals = {key: sum(row[key] for row in rows) for key in ("received", "success", "failed", "transferred", "pending")}
    return rows, totals


# --- 五个到户, key persons, checkpoints ---------------------------------------------------------------------


def visit_list(user, action=VIEW):
    return (
        VisitLog.objects.restrict(user, action)
        .select_related("unit", "member", "grid_worker", "household")
        .order_by("-date", "-id")
    )


def grid_worker_month(user, grid):
    """A grid worker's month so far: his visits and door knocks (signed with his record), overdue hazards in his
    grid."""
    start = timezone.localdate().replace(day=1)
    return {
        "unit": grid,
        "visits": visit_list(user).filter(grid_worker__user=user, date__gte=start).count(),
        "knocks": knock_list(user).filter(grid_worker__user=user, date__gte=start).count(),
        "overdue": overdue_hazards(user).filter(unit__path__startswith=grid.path).count(),
    }


def member_visits(units, start, end):
    """[PointRecord]: 五个到户 visits kept in `units` from `start` to `end`, one record each, naming the member who
    went (a point source of 党员先锋积分)."""
    rows = (VisitLog.objects.filter(unit__in=units, date__gte=start, date__lte=end, member__isnull=False)
            .values_list("id", "member_id", "date", "household__head_name", "aspect").order_by("date", "id"))
    aspects = dict(VisitLog.Aspect.choices)
    return [PointRecord(member_id=member_id, quantity=Decimal(1), on=day, text=f"{aspects[aspect]}：{household}",
                        url=reverse("governance:visitlog_detail", args=[pk]))
            for pk, member_id, day, household, aspect in rows]  # fmt: skip


def issue_list(user, action=VIEW):
    return (
        PeopleIssue.objects.restrict(user, action)
        .select_related("unit", "household")
        .order_by("status", "-raised_on", "-id")
    )


def key_person_list(user, action=VIEW):
    return (
        KeyPerson.objects.restrict(user, action)
        .select_related("unit")
        .annotate(keeper_count=Count("keepers"))
        .order_by("released_on", "-since", "id")
    )


def keeper_list(user, action=VIEW):
    # str(person) names its unit, and masking its phone asks for its own unit: select both with the row
    return (
        KeyPersonKeeper.objects.restrict(user, action)
        .select_related("unit", "person__unit", "role")
        .order_by("person", "role")
    )


def knock_list(user, action=VIEW):
    return DoorKnock.objects.restrict(user, action).select_related("unit", "household", "person").order_by("-date")


def checkpoint_list(user, action=VIEW):
    return (
        Checkpoint.objects.restrict(user, action)
        .select_related("unit")
        .annotate(staff_count=Count("staff", filter=Q(staff__is_active=True), distinct=True))
        .order_by("unit__path", "name")
    )


def staff_list(user, action=VIEW):
    return CheckpointStaff.objects.restrict(user, action).select_related("checkpoint").order_by("checkpoint", "name")


def pass_list(user, action=VIEW):
    # masking asks for each record's unit: select it with the row
    return PassRecord.objects.restrict(user, action).select_related("checkpoint", "unit").order_by("-at", "-id")


def village_overview(user, village):
    """What the village governance page shows, each a count or a short list (a fixed number of queries)."""
    today = timezone.localdate()
    under = {"unit__path__startswith": village.path}
    hazards = hazard_list(user).filter(**under)
    disputes = dispute_list(user).filter(**under, received_on__year=today.year)
    return {
        "coverage": coverage_for_units([village])[0],
        "visits": visit_list(user).filter(**under)[:8],
        "open_issues": issue_list(user).filter(**under, status=PeopleIssue.Status.OPEN)[:8],
        "open_issue_count": issue_list(user).filter(**under, status=PeopleIssue.Status.OPEN).count(),
        "key_persons": key_person_list(user).filter(**under, released_on__isnull=True).count(),
        "key_persons_short": key_person_list(user)
        .filter(**under, released_on__isnull=True, keeper_count__lt=5)
        .count(),
        "open_hazards": hazards.filter(status__in=Hazard.OPEN_STATUSES).count(),
        "overdue_hazards": hazards_overdue_on(hazards, today).count(),
        "disputes": dict(disputes.values_list("result").annotate(n=Count("id")).order_by()),
        "committee": committee_list(user).filter(unit=village).first(),
        "checkpoints": checkpoint_list(user).filter(**under, closed_on__isnull=True).count(),
        "petitions": petition_list(user).filter(**under).exclude(status=PetitionCase.Status.RESOLVED).count(),
    }


# --- backlogs: what is open at a moment (the monthly balance's stocks and the lists behind them) ---------------------

SETTLED_RESULTS = (DisputeCase.Result.SUCCESS, DisputeCase.Result.FAILED, DisputeCase.Result.TRANSFERRED)


def hazards_open_before(queryset, day):
    """Hazards open at the start of `day`: found before it and not rectified before it."""
    return queryset.filter(found_on__lt=day).exclude(rectified_on__lt=day)


def disputes_open_before(queryset, day):
    """Disputes open at the start of `day`: received before it and not settled (closed with a result) before it."""
    return queryset.filter(received_on__lt=day).exclude(result__in=SETTLED_RESULTS, closed_on__lt=day)


def petitions_open_before(queryset, day):
    """Petition cases open at the start of `day`: received before it and not resolved before it."""
    return queryset.filter(received_on__lt=day).exclude(status=PetitionCase.Status.RESOLVED, resolved_on__lt=day)
