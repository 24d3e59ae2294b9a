"""Synthetic 文明实践 ledgers for `manage.py seed_scale` (reports/scale.py explains the contract).

Per town: its 新时代文明实践所 with a professional team, a few volunteers and an activity a month. Per village: its 站,
one or two teams, some thirty volunteers joining over the years (a few leaving), one or two activities a month held
with three to six volunteers each, their hours mostly approved; the last month keeps an activity still planned.
Returns the derived figures of the rows written.
"""

from bisect import bisect_left
from collections import defaultdict
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from reports.plugins import add_months, insert, new_ids

from .models import Activity, ActivityType, Participation, Station, Volunteer, VolunteerTeam

TYPES = ("理论宣讲", "助力春耕", "三留一困关爱", "破冰除雪", "疫情防控", "反电信诈骗宣传", "学雷锋", "人居环境整治")


def day_in(month, rng):
    return month + timedelta(days=rng.randrange(28))


def activity_types():
    types = list(ActivityType.objects.filter(is_active=True).order_by("order", "id"))
    if not types:
        types = [ActivityType.objects.get_or_create(name=name, defaults={"order": index * 10})[0]
                 for index, name in enumerate(TYPES)]  # fmt: skip
    return types


def seed(villages, months, rng):
    figures = defaultdict(dict)
    first, end_of_data = months[0], add_months(months[-1], 1)
    zone = timezone.get_current_timezone()
    types = activity_types()
    rows = defaultdict(list)
    units = {}
    for village in villages:
        units.setdefault(village.town.pk, (village.town, True, village.town.name, None))
    for village in villages:
        units[village.unit.pk] = (village.unit, False, village.unit.name, village.secretary_id)

    def stock(code, unit_id, dates):
        dates = sorted(dates)
        for month in months:
            figures[code][(unit_id, month)] = Decimal(bisect_left(dates, add_months(month, 1)))

    for unit, is_town, name, manager in units.values():
        station = new_ids(Station, 1)[0]
        opened = first - timedelta(days=rng.randint(30, 400)) if rng.random() < 0.9 else day_in(months[1], rng)
        kind = "所" if is_town else "站"
        rows[Station].append({"id": station, "unit_id": unit.pk, "name": f"{name}新时代文明实践{kind}",
                              "address": "", "opening_hours": "周一至周五 8:30—17:30", "person_in_charge": "",
                              "phone": "", "manager_id": manager, "established_on": opened,
                              "is_active": True})  # fmt: skip
        stock("vol.stations", unit.pk, [opened])

        teams, team_dates, professional_dates = [], [], []
        for index in range(1 if is_town else rng.randint(1, 2)):
            team = new_ids(VolunteerTeam, 1)[0]
            founded = first - timedelta(days=rng.randint(1, 300)) if index == 0 else day_in(
                months[rng.randrange(len(months))], rng)  # fmt: skip
            rows[VolunteerTeam].append({"id": team, "unit_id": unit.pk, "name": f"{name}志愿服务队{index + 1}",
                                        "station_id": station, "is_professional": is_town, "leader_name": "",
                                        "founded_on": founded, "is_active": True, "description": ""})  # fmt: skip
            teams.append(team)
            team_dates.append(founded)
            if is_town:
                professional_dates.append(founded)
        stock("vol.teams", unit.pk, team_dates)
        stock("vol.professional_teams", unit.pk, professional_dates)

        volunteers, joined, left = [], [], []
        for _index in range(rng.randint(6, 10) if is_town else rng.randint(20, 40)):
            pk = new_ids(Volunteer, 1)[0]
            joins = first - timedelta(days=rng.randint(1, 500)) if rng.random() < 0.6 else day_in(
                months[rng.randrange(len(months))], rng)  # fmt: skip
            leaves = joins + timedelta(days=rng.randint(200, 2000)) if rng.random() < 0.1 else None
            if leaves is not None and leaves >= end_of_data:
                leaves = None
            rows[Volunteer].append({"id": pk, "unit_id": unit.pk, "name": "志愿者", "gender": rng.choice("MF"),
                                    "phone": "", "skills": "", "party_member_id": None, "joined_on": joins,
                                    "is_active": leaves is None, "left_on": leaves})  # fmt: skip
            rows[Volunteer.teams.through].append({"volunteer_id": pk, "volunteerteam_id": rng.choice(teams)})
            volunteers.append((pk, joins, leaves))
            joined.append(joins)
            if leaves is not None:
                left.append(leaves)
        joined.sort()
        left.sort()
        for month in months:
            month_end = add_months(month, 1)
            # registered = joined before the month's end and not left before it (left_on < month_end)
            figures["vol.volunteers"][(unit.pk, month)] = Decimal(
                bisect_left(joined, month_end) - bisect_left(left, month_end)
            )

        for month in months:
            held = served = hours = 0
            for index in range(1 if is_town else rng.randint(1, 2)):
                activity = new_ids(Activity, 1)[0]
                starts = datetime.combine(day_in(month, rng), time(rng.randint(8, 15)), tzinfo=zone)
                planned = month == months[-1] and index == 0 and not is_town
                people = 0 if planned else rng.randint(20, 150)
                rows[Activity].append({"id": activity, "unit_id": unit.pk, "title": f"{rng.choice(types).name}活动",
                                       "type_id": rng.choice(types).pk, "station_id": station, "starts_at": starts,
                                       "ends_at": starts + timedelta(hours=2), "place": "村部", "description": "",
                                       "people_served": people,
                                       "status": Activity.Status.PLANNED if planned else Activity.Status.HELD,
                                       })  # fmt: skip
                rows[Activity.teams.through].append({"activity_id": activity, "volunteerteam_id": teams[0]})
                if planned:
                    continue
                held += 1
                served += people
                day = starts.date()
                present = [pk for pk, joins, leaves in volunteers if joins <= day and (leaves is None or leaves > day)]
                for volunteer in rng.sample(present, min(len(present), rng.randint(3, 6))):
                    given = Decimal(rng.randint(2, 8)) / 2
                    approved = rng.random() < 0.9
                    rows[Participation].append({
                        "unit_id": unit.pk, "activity_id": activity, "volunteer_id": volunteer, "hours": given,
                        "status": Participation.Status.APPROVED if approved else Participation.Status.PENDING,
                        "reviewed_by_id": manager if approved else None,
                        "reviewed_at": starts + timedelta(days=2) if approved else None, "review_note": "",
                    })  # fmt: skip
                    hours += given if approved else 0
            figures["vol.activities"][(unit.pk, month)] = Decimal(held)
            figures["vol.people_served"][(unit.pk, month)] = Decimal(served)
            figures["vol.volunteer_hours"][(unit.pk, month)] = Decimal(hours)

    for model in (Station, VolunteerTeam, Volunteer, Volunteer.teams.through, Activity, Activity.teams.through,
                  Participation):  # fmt: skip
        insert(model, rows[model])
    return figures
