"""Indicators of 支部+文明实践 (DESIGN §5, volunteer rows), all derived from the ledgers, and the work line's pages.

Stations, teams and volunteers are stocks (what is registered at the month's end); activities, the people they
served and the approved hours are flows of the month the activity was held in. A town counts its own 实践所, its own
teams (和森故里红色宣讲队) and volunteers; its roll-up adds its villages'.
"""

from django.db.models import Q
from django.urls import reverse

from reports.plugins import (
    DERIVED,
    FLOW,
    STOCK,
    IndicatorSpec,
    add_months,
    count,
    local_midnight,
    month_rows,
    own,
    total,
)

from .models import Activity, Participation, Station, Volunteer, VolunteerTeam


def stations(unit, month):
    return count(own(Station.objects.filter(is_active=True, established_on__lt=add_months(month, 1)), unit))


def team_count(**conditions):
    def derive(unit, month):
        teams = VolunteerTeam.objects.filter(is_active=True, founded_on__lt=add_months(month, 1), **conditions)
        return count(own(teams, unit))

    return derive


def registered_volunteers(unit, month):
    """Joined by the month's end and not left before it ended."""
    month_end = add_months(month, 1)
    registered = Volunteer.objects.filter(joined_on__lt=month_end).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=month_end)
    )
    return count(own(registered, unit))


def held_in(unit, month):
    """Held in the month, local time. A range on `starts_at` itself, not on its date: the index serves it, and
    SQLite need not convert every row's time zone in Python."""
    held = Activity.objects.filter(status=Activity.Status.HELD)
    start, end = local_midnight(month), local_midnight(add_months(month, 1))
    return own(held, unit).filter(starts_at__gte=start, starts_at__lt=end)


def activities(unit, month):
    return count(held_in(unit, month))


def people_served(unit, month):
    return total(held_in(unit, month), "people_served")


def approved_hours(unit, month):
    participations = Participation.objects.filter(
        status=Participation.Status.APPROVED, activity__in=held_in(unit, month)
    )
    return total(participations, "hours")


def listed_under(url_name, **query):
    def rows_url(unit, month):
        params = "".join(f"&{key}={value}" for key, value in query.items())
        return f"{reverse(url_name)}?under={unit.pk}{params}"

    return rows_url


def derived(code, name, unit, kind, derive, rows_url, order, **extra):
    return IndicatorSpec(
        code=code, name=name, unit=unit, work_line="volunteers", kind=kind, source=DERIVED, derive=derive,
        rows_url=rows_url, order=order, **extra,
    )  # fmt: skip


HELD = month_rows("volunteers:activity_list", status="held")

INDICATORS = (
    derived("vol.stations", "新时代文明实践所(站)", "个", STOCK, stations, listed_under("volunteers:station_list"), 10),
    derived("vol.teams", "志愿服务团队", "个", STOCK, team_count(), listed_under("volunteers:volunteerteam_list"), 20),
    derived("vol.professional_teams", "专业志愿服务队", "个", STOCK, team_count(is_professional=True),
            listed_under("volunteers:volunteerteam_list", is_professional="true"), 30),
    derived("vol.volunteers", "注册志愿者", "名", STOCK, registered_volunteers,
            listed_under("volunteers:volunteer_list", is_active="true"), 40),
    derived("vol.activities", "志愿服务活动", "场次", FLOW, activities, HELD, 50),
    derived("vol.people_served", "服务群众", "人次", FLOW, people_served, HELD, 60),
    derived("vol.volunteer_hours", "志愿服务时长（已审核）", "小时", FLOW, approved_hours, HELD, 70, decimals=1),
)  # fmt: skip


def own_station(user):
    unit = user.unit
    return reverse("volunteers:station_home", args=[unit.pk]) if unit is not None else None


PAGES = (
    ("本所（站）", own_station),
    ("活动日历", "volunteers:calendar"),
    ("志愿服务活动", "volunteers:activity_list"),
    ("时长审核", "volunteers:hours_review"),
    ("志愿者", "volunteers:volunteer_list"),
    ("志愿服务团队", "volunteers:volunteerteam_list"),
    ("文明实践所（站）", "volunteers:station_list"),
    ("光荣榜", "volunteers:honour_roll"),
)
