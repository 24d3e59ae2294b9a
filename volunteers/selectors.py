"""Reads of the 文明实践 ledgers, scoped by the user: lists, the calendar, hours per volunteer, the roll of honour."""

import calendar
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from branches.calendars import month_weeks
from branches.scoping import REVIEW, VIEW
from reports.plugins import PointRecord, local_midnight

from .models import Activity, ActivityType, Participation, Station, Volunteer, VolunteerTeam

APPROVED = Participation.Status.APPROVED
ZERO_HOURS = Value(0, output_field=DecimalField(max_digits=8, decimal_places=1))


def approved_hours(prefix="participations__", **conditions):
    condition = Q(**{f"{prefix}status": APPROVED}, **{f"{prefix}{k}": v for k, v in conditions.items()})
    return Coalesce(Sum(f"{prefix}hours", filter=condition), ZERO_HOURS)


def _per_activity(**conditions):
    return Participation.objects.filter(activity=OuterRef("pk"), **conditions).order_by().values("activity")


def station_list(user, action=VIEW):
    return (
        Station.objects.restrict(user, action)
        .select_related("unit", "manager")
        .annotate(team_count=Count("teams", distinct=True))
        .order_by("unit__path")
    )


def team_list(user, action=VIEW):
    return (
        VolunteerTeam.objects.restrict(user, action)
        .select_related("unit", "station")
        .annotate(volunteer_count=Count("volunteers", filter=Q(volunteers__is_active=True)))
        .order_by("-is_professional", "unit__path", "name")
    )


def volunteer_list(user, action=VIEW):
    return (
        Volunteer.objects.restrict(user, action)
        .select_related("unit", "party_member")
        .prefetch_related("teams")  # the API lists each volunteer's teams
        .annotate(hours=approved_hours())
        .order_by("unit__path", "name", "id")
    )


def activity_list(user, action=VIEW):
    return (
        Activity.objects.restrict(user, action)
        .select_related("unit", "station", "type")
        .prefetch_related("teams")  # the API lists each activity's teams
        # Counted per row shown, not by grouping every activity in scope with every participation before the page is
        # cut (a county's list took seconds), and the paginator's count needs no join.
        .annotate(participant_count=Coalesce(Subquery(_per_activity().annotate(n=Count("pk")).values("n")), 0),
                  hours=Coalesce(Subquery(_per_activity(status=APPROVED).annotate(h=Sum("hours")).values("h")),
                                 ZERO_HOURS))
        .order_by("-starts_at", "-id")
    )  # fmt: skip


def participation_list(user, action=VIEW):
    return (
        Participation.objects.restrict(user, action)
        .select_related("volunteer", "activity", "activity__station", "unit", "reviewed_by")
        .order_by("-activity__starts_at", "activity_id", "volunteer__name")
    )


def activity_types():
    return ActivityType.objects.filter(is_active=True)


def reviewable_stations(user):
    """The stations whose hours this user approves: the model's REVIEW rule (those he manages, those he reviews)."""
    return Station.objects.restrict(user, REVIEW)


def pending_hours(user):
    """Hours waiting for this user's approval, oldest activity first."""
    return (
        Participation.objects.restrict(user, VIEW)
        .filter(status=Participation.Status.PENDING, activity__station__in=reviewable_stations(user))
        .select_related("volunteer", "activity", "activity__station", "activity__type", "unit")
        .order_by("activity__starts_at", "activity_id", "volunteer__name")
    )


def party_member_hours(units, start, end):
    """[PointRecord]: the approved hours of volunteers who are party members, at activities in `units` held from
    `start` to `end` (local dates, inclusive), one record per participation."""
    rows = (
        Participation.objects.filter(status=Participation.Status.APPROVED, unit__in=units,
                                     volunteer__party_member__isnull=False,
                                     activity__starts_at__gte=local_midnight(start),
                                     activity__starts_at__lt=local_midnight(end + timedelta(days=1)))
        .values_list("volunteer__party_member", "hours", "activity_id", "activity__starts_at", "activity__title")
        .order_by("activity__starts_at", "id")
    )  # fmt: skip
    return [
        PointRecord(member_id=member_id, quantity=hours, on=timezone.localtime(starts_at).date(), text=title,
                    url=reverse("volunteers:activity_detail", args=[activity_id]))
        for member_id, hours, activity_id, starts_at, title in rows
    ]  # fmt: skip


def participations_of(activity):
    return activity.participations.select_related("volunteer", "reviewed_by").order_by("volunteer__name")


def candidates_for(activity):
    """Volunteers who may be put down for an activity: registered on its day under the station's unit — the members
    of its teams if it names teams (the town's 所 reaches every village)."""
    day = timezone.localtime(activity.starts_at).date()
    volunteers = Volunteer.objects.filter(unit__path__startswith=activity.unit.path, joined_on__lte=day).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=day)
    )
    teams = list(activity.teams.all())
    if teams:
        volunteers = volunteers.filter(Q(teams__in=teams) | Q(participations__activity=activity)).distinct()
    return volunteers.select_related("unit").order_by("unit__path", "name", "id")


def volunteer_hours_by_year(volunteer):
    """[(year, approved hours, activities)] of one volunteer, latest year first."""
    rows = (
        volunteer.participations.filter(status=APPROVED)
        .values_list("activity__starts_at__year")
        .annotate(hours=Sum("hours"), activities=Count("id"))
        .order_by("-activity__starts_at__year")
    )
    return list(rows)


def honour_roll(user, year, station=None, size=10):
    """{station: [volunteer with .hours and .activities]}: each station's volunteers with the most approved hours in
    `year` (a village's station counts its village's volunteers; the town's 所 its own)."""
    start = timezone.make_aware(datetime.combine(date(year, 1, 1), time.min))
    end = timezone.make_aware(datetime.combine(date(year + 1, 1, 1), time.min))
    in_year = {"activity__starts_at__gte": start, "activity__starts_at__lt": end}
    stations = station_list(user).filter(is_active=True)
    if station is not None:
        stations = stations.filter(pk=station.pk)
    ranked = (
        Volunteer.objects.restrict(user, VIEW)
        .annotate(hours=approved_hours(**in_year), activities=Count("participations", filter=Q(
            participations__status=APPROVED, **{f"participations__{k}": v for k, v in in_year.items()})))
        .filter(hours__gt=0)
        .select_related("unit")
        .order_by("unit__path", "-hours", "name")
    )  # fmt: skip
    by_unit = defaultdict(list)
    for volunteer in ranked:
        by_unit[volunteer.unit_id].append(volunteer)
    return [(station, by_unit.get(station.unit_id, [])[:size]) for station in stations]


def calendar_weeks(user, month, station=None):
    """The weeks of `month` (Monday first) as lists of (day, [activities]) — None for days of other months."""
    first = month.replace(day=1)
    days_in_month = calendar.monthrange(first.year, first.month)[1]
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(datetime.combine(first.replace(day=days_in_month), time.max))
    activities = activity_list(user).filter(starts_at__range=(start, end))
    if station is not None:
        activities = activities.filter(station=station)
    by_day = defaultdict(list)
    for activity in activities.order_by("starts_at", "id"):
        by_day[timezone.localtime(activity.starts_at).day].append(activity)
    return month_weeks(first, by_day)


def station_overview(station, today):
    """What a station's page shows beside its ledgers: counts, this month's activities, what is coming, what waits."""
    month_start = timezone.make_aware(datetime.combine(today.replace(day=1), time.min))
    activities = Activity.objects.filter(unit__path__startswith=station.unit.path)
    if not station.unit.is_village:
        activities = Activity.objects.filter(station=station)
    held = activities.filter(status=Activity.Status.HELD, starts_at__gte=month_start)
    return {
        "teams": station.teams.annotate(volunteer_count=Count("volunteers", filter=Q(volunteers__is_active=True))),
        "volunteers": Volunteer.objects.filter(unit__path__startswith=station.unit.path, is_active=True).count(),
        "held_this_month": held.select_related("type").order_by("-starts_at")[:10],
        "served_this_month": held.aggregate(total=Sum("people_served"))["total"] or 0,
        "upcoming": activities.filter(status=Activity.Status.PLANNED).select_related("type").order_by("starts_at")[:10],
        "pending": Participation.objects.filter(activity__station=station, status=Participation.Status.PENDING).count(),
    }


def station_page(user, station, today):
    """What a station's page shows besides its fields: its overview and this year's five most devoted volunteers."""
    return {**station_overview(station, today), "roll": honour_roll(user, today.year, station=station, size=5)}


def volunteer_page(volunteer):
    """What a volunteer's page shows besides his fields: his teams, approved hours by year and in all, and the
    activities he took part in, latest first."""
    by_year = volunteer_hours_by_year(volunteer)
    return {
        "teams": volunteer.teams.all(),
        "by_year": by_year,
        "total_hours": sum((hours for _year, hours, _count in by_year), 0),
        "participations": volunteer.participations.select_related("activity").order_by("-activity__starts_at")[:50],
    }


def activity_page(user, activity, now):
    """What an activity's page shows besides its fields: its teams, who took part and the hours approved so far,
    whether any still wait for approval and whether the user may give it (the station's REVIEW rule)."""
    participations = list(participations_of(activity))
    return {
        "teams": activity.teams.all(),
        "participations": participations,
        "approved_hours": sum(p.hours for p in participations if p.status == APPROVED),
        "may_review": reviewable_stations(user).filter(pk=activity.station_id).exists(),
        "has_pending": any(p.status == Participation.Status.PENDING for p in participations),
        "started": activity.starts_at <= now,
    }
