"""Synthetic environment ledgers for `manage.py seed_scale` (reports/scale.py explains the contract).

Per village: its rules and 131 method, about three cleanup records a month (屋边/路边/水边), now and then a hollow house
demolished and a toilet accepted, and 门前三包 pledges from most households. Per town: a yearly campaign, its own
road-side cleanup each month and a sewage plant built over the first two years. Returns the derived figures of the
rows written.
"""

from bisect import bisect_left
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from reports.plugins import add_months, insert, new_ids

from .models import (
    Campaign,
    CleanupRecord,
    HollowHouse,
    InfrastructureProject,
    Pledge,
    ProjectProgress,
    ToiletRenovation,
    VillageRules,
    WorkMethod,
)

SIDES = [choice for choice, _label in CleanupRecord.Side.choices]
PLACES = {"house": "房前屋后", "road": "村主干道两侧", "water": "山塘四周"}
TOILET_KINDS = [choice for choice, _label in ToiletRenovation.Kind.choices]
CLEANUP_FIELDS = ("garbage_tons", "billboards", "road_km", "river_km")
CODES = {"garbage_tons": "env.garbage_tons", "billboards": "env.billboards_removed", "road_km": "env.road_km",
         "river_km": "env.river_km"}  # fmt: skip
BUILD_MONTHS = 24


def day_in(month, rng):
    return month + timedelta(days=rng.randrange(28))


def tenths(low, high, rng, step=100):
    return Decimal(rng.randrange(int(low * step), int(high * step) + 1)) / step


def cleanup(unit_id, month, side, rng, campaign=None, town=False):
    return {
        "unit_id": unit_id, "campaign_id": campaign, "date": day_in(month, rng), "side": side,
        "place": "S331沿线" if town else PLACES[side],
        "garbage_tons": tenths(0.5, 8 if town else 3, rng), "billboards": rng.choice((0, 0, 0, 1, 2)),
        "road_km": tenths(0.2, 2, rng) if side == "road" else Decimal(0),
        "river_km": tenths(0.1, 1, rng) if side == "water" else Decimal(0),
        "participants": rng.randint(5, 40), "note": "",
    }  # fmt: skip


def add_cleanup(figures, unit_id, month, row):
    for name in CLEANUP_FIELDS:
        key = (unit_id, month)
        figures[CODES[name]][key] = figures[CODES[name]].get(key, Decimal(0)) + Decimal(row[name])


def seed(villages, months, rng):
    figures = defaultdict(dict)
    first = months[0]
    towns = {}
    for village in villages:
        towns.setdefault(village.town.pk, village.town)

    # The towns: a campaign a year, their own cleanups, a sewage plant.
    campaigns, cleanups, projects, progress = [], [], [], []
    campaign_of = {}
    for town in towns.values():
        for year in sorted({month.year for month in months}):
            pk = new_ids(Campaign, 1)[0]
            campaigns.append({"id": pk, "unit_id": town.pk, "name": f"{year}年三边三清", "start": max(first.replace(
                year=year, month=1), first), "end": None, "description": ""})  # fmt: skip
            campaign_of[(town.pk, year)] = pk
        for month in months:
            row = cleanup(town.pk, month, "road", rng, campaign_of[(town.pk, month.year)], town=True)
            cleanups.append(row)
            add_cleanup(figures, town.pk, month, row)
        project = new_ids(InfrastructureProject, 1)[0]
        capacity = tenths(8, 20, rng, 10)
        projects.append({"id": project, "unit_id": town.pk, "name": f"{town.name}污水处理厂",
                         "planned_investment": Decimal(1200), "planned_pipe_km": Decimal(5),
                         "yearly_capacity": capacity, "start": first,
                         "planned_end": add_months(first, BUILD_MONTHS), "description": ""})  # fmt: skip
        for index, month in enumerate(months[:BUILD_MONTHS]):
            step = {"unit_id": town.pk, "project_id": project, "date": day_in(month, rng),
                    "investment": tenths(20, 60, rng), "pipe_km": tenths(0.05, 0.3, rng),
                    "percent_done": min(100, (index + 1) * 100 // BUILD_MONTHS), "milestone": ""}  # fmt: skip
            progress.append(step)
            figures["env.sewage_investment"][(town.pk, month)] = step["investment"]
            figures["env.pipe_km"][(town.pk, month)] = step["pipe_km"]
        for month in months:
            figures["env.sewage_capacity"][(town.pk, month)] = capacity  # started in the first month
    insert(Campaign, campaigns)
    insert(InfrastructureProject, projects)
    insert(ProjectProgress, progress)

    # The villages.
    rules, methods, houses, toilets, pledges = [], [], [], [], []
    for village in villages:
        key = village.unit.pk
        rules.append({"unit_id": key, "version": 1, "title": f"{village.unit.name}村规民约",
                      "text": "爱护环境，门前三包，移风易俗。", "adopted_on": first - timedelta(days=200)})  # fmt: skip
        methods.append({"unit_id": key, "is_pilot": village.number <= 2, "started_on": first, "mechanism": "",
                        "volunteers": 0})  # fmt: skip
        for month in months:
            for side in rng.sample(SIDES, rng.randint(2, 3)):
                where = key if rng.random() < 0.7 else rng.choice(village.grids).pk
                row = cleanup(where, month, side, rng, campaign_of[(village.town.pk, month.year)])
                cleanups.append(row)
                add_cleanup(figures, key, month, row)
            demolished = 1 if rng.random() < 0.15 else 0
            for _house in range(demolished):
                houses.append({"unit_id": key, "owner_id": None, "location": f"{rng.choice(village.grids).name}",
                               "area_m2": tenths(40, 200, rng, 10), "status": HollowHouse.Status.DEMOLISHED,
                               "demolished_on": day_in(month, rng)})  # fmt: skip
            figures["env.hollow_houses"][(key, month)] = Decimal(demolished)
            accepted = 1 if rng.random() < 0.3 else 0
            for _toilet in range(accepted):
                household, grid = rng.choice(village.households)
                done = day_in(month, rng)
                toilets.append({"unit_id": grid, "household_id": household, "kind": rng.choice(TOILET_KINDS),
                                "completed_on": max(month, done - timedelta(days=10)), "accepted": True,
                                "accepted_on": done})  # fmt: skip
            figures["env.toilets"][(key, month)] = Decimal(accepted)
        houses += [{"unit_id": key, "owner_id": None, "location": village.unit.name, "area_m2": None,
                    "status": HollowHouse.Status.PLANNED, "demolished_on": None}] * rng.randint(0, 2)  # fmt: skip
        # 门前三包: most households signed before the period, some during it; a few withdrew.
        signed_on = []
        for household, grid in village.households:
            chance = rng.random()
            if chance > 0.85:
                continue
            when = first - timedelta(days=rng.randint(1, 300)) if chance < 0.7 else day_in(
                add_months(first, rng.randrange(len(months))), rng)  # fmt: skip
            withdrawn = chance < 0.02
            pledges.append({"unit_id": grid, "household_id": household, "signed_on": when,
                            "status": Pledge.Status.WITHDRAWN if withdrawn else Pledge.Status.SIGNED,
                            "hygiene": True, "greening": True, "order": True})  # fmt: skip
            if not withdrawn:
                signed_on.append(when)
        signed_on.sort()
        for month in months:
            figures["env.pledged_households"][(key, month)] = Decimal(bisect_left(signed_on, add_months(month, 1)))
    insert(VillageRules, rules)
    insert(WorkMethod, methods)
    insert(CleanupRecord, cleanups)
    insert(HollowHouse, [dict(row) for row in houses])
    insert(ToiletRenovation, toilets)
    insert(Pledge, pledges)
    return figures
