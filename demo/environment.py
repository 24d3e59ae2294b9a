"""支部+环境整治 of the demo 井字镇 (`manage.py load_demo` runs this after branches, before reports).

What the article's second section says, as ledgers: every village's 村规民约 (a handful revised this year) and its “131”
work method (pilots 长湾村 and 杨球村, started last year); the town's campaigns (三边三清 this year, 村庄清洁行动 last
year) with cleanup records at villages and grids, and the town's own S331 road and 观瑞河 works; 门前三包 pledges of
about 95 % of the households; the registers of hollow houses and toilet renovations; the town's sewage plant with its
monthly progress; and a few photos as evidence.

The figures are chosen so the monthly reports counted from these ledgers roll up to the article's (demo/article.py):
this year, January to the last complete month, 427 t of old garbage, 200-odd billboards, 12 km of road (S331), 3 km of
river (观瑞河), 541 hollow houses demolished, 53 toilets accepted, and the plant's 1020 万元, 3.88 km of pipe and
18 万吨 a year. Every total is split by a deterministic partition, so the sums are exact. The reports flag a month far
above a unit's median month, or zero where the median is not: garbage is cleared every month at an even pace (last year
at 85 % of this year's), the plant advances every month by about the same step, and everything lumpy (billboards, the
town's road and river works, demolition and acceptance rounds) happens in at most four months of any twelve, so that a
unit's median month for it stays 0. Everything is found again by a natural key (a village's rules version, a cleanup's
unit, date, side and place, a household's pledge or toilet, a house's location in its village, a project's name, a
step's date), so loading twice changes nothing.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count, Sum
from PIL import Image, ImageDraw

from branches.models import Household, Photo, Unit, User
from branches.photos import photos_attach, photos_of
from demo import common
from demo.article import (
    BILLBOARDS,
    GARBAGE_TONS,
    HOLLOW_HOUSES,
    PILOTS,
    PLANT_CAPACITY,
    PLANT_INVESTMENT,
    PLANT_PIPE_KM,
    RIVER_KM,
    ROAD_KM,
    SANBIAN,
    TOILETS,
)
from demo.article import GUANGJIA as GUANGJIA_HALL
from demo.common import DemoMonths, demo_months, demo_villages, grids_of, month_index
from environment.models import (
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

SEED = 431321102
TOWN_CODE = "431321102"
# The article's figures for this year, January to the last complete month (DESIGN §5), come from demo.article:
# GARBAGE_TONS, BILLBOARDS, ROAD_KM (S331井字段), RIVER_KM (观瑞河), HOLLOW_HOUSES, TOILETS, PLANT_INVESTMENT (万元),
# PLANT_PIPE_KM, PLANT_CAPACITY (万吨 a year); so do the “131” pilots (PILOTS), SANBIAN and the 光甲堂 (GUANGJIA_HALL).

LAST_YEAR_GARBAGE = Decimal("0.85")  # last year's monthly pace against this year's
LAST_YEAR_HOUSES = 0.3  # demolition had only begun
LAST_YEAR_TOILETS = 0.7
PLANNED_HOUSES = (1, 4)  # still to come, per village
PENDING_TOILETS = 6  # finished, awaiting acceptance
TOWN_GARBAGE_WEIGHT = 4  # an S331 month's garbage against a village's usual month
TOWN_BILLBOARD_WEIGHT = 2.5
S331_SECTIONS = 4
RIVER_SECTIONS = 3
BILLBOARD_MONTHS = 3  # months of this year in which a village takes down billboards
ROUND_EVERY = 4  # a village demolishes (and has toilets accepted) every fourth month
PLEDGE_SHARES = (0.95, 0.965)  # below the first: signed; below the second: withdrawn; above: never signed

# January … December: 春节前大扫除, 春季整治; mild, so no month stands out.
CLEANUP_SEASON = (1.15, 0.85, 1.2, 1.1, 1.0, 0.9, 0.85, 0.9, 1.0, 1.05, 0.95, 1.1)
PLEDGE_MONTHS = (1, 2, 8, 10, 8, 6, 3, 2, 2, 1, 1, 1)  # last year's 入户签订, mostly in spring

HOUSE, ROAD, WATER = CleanupRecord.Side.HOUSE, CleanupRecord.Side.ROAD, CleanupRecord.Side.WATER
LAST_YEAR_CAMPAIGN = "村庄清洁行动"
PLANT = "井字镇污水处理厂"
GUANGJIA = f"{GUANGJIA_HALL}周边"


# ── arithmetic ──────────────────────────────────────────────────────────────────────────────────────────────────────


def split(total, weights, step=Decimal(1)):
    """common.split in Decimal steps: tonnes and kilometres."""
    return common.split(total, weights, step)

def spread(months, count, offset=0):
    """`count` months spread evenly over `months` (fewer if there are fewer), starting `offset` in."""
    count = min(count, len(months))
    return sorted({months[min(offset + i * len(months) // count, len(months) - 1)] for i in range(count)})


def day_in(month, rng, last_end):
    return min(month.replace(day=rng.randint(3, 28)), last_end)


def level(name, what):
    """A village's own pace for something (0.85–1.15), the same every year."""
    return random.Random(f"{SEED}:{name}:{what}:level").uniform(0.85, 1.15)


def tenths(value):
    return Decimal(value).quantize(Decimal("0.1"))


# ── where things are ────────────────────────────────────────────────────────────────────────────────────────────────


@dataclass
class Place(DemoMonths):
    town: Unit
    villages: dict  # name → Unit, in the demo's village order
    grids: dict  # village name → [grid Unit]
    households: dict  # village name → [Household] in (grid path, house number) order


def find_place():
    town, villages = demo_villages()
    grids = grids_of(town, villages)
    by_path = {village.path: name for name, village in villages.items()}
    prefix = len(next(iter(villages.values())).path) if villages else 0
    households = {name: [] for name in villages}
    rows = Household.objects.filter(unit__path__startswith=town.path).select_related("unit")
    for household in rows.order_by("unit__path", "house_number", "id"):
        name = by_path.get(household.unit.path[:prefix])
        if name:
            households[name].append(household)
    return Place(
        town=town,
        villages=villages,
        grids=grids,
        households=households,
        **demo_months(),
    )


# ── 村规民约 and the 131 work method ─────────────────────────────────────────────────────────────────────────────

RULES = (
    "爱党爱国，遵纪守法，维护村庄和谐稳定。",
    "落实“门前三包”：包卫生、包绿化、包秩序，房前屋后不乱堆乱放。",
    "生活垃圾分类投放、定点收集，不随意倾倒、焚烧垃圾和秸秆。",
    "不在河道、山塘、沟渠倾倒垃圾和污水，爱护观瑞河水环境。",
    "建房须经审批，不乱搭乱建；闲置危旧房、空心房服从统一拆除整治。",
    "畜禽圈养，不散养放养，粪污及时清理。",
    "移风易俗，红白喜事简办，不大操大办，不燃放大型烟花。",
    "邻里互助，尊老爱幼，矛盾纠纷找调解委员会依法调处。",
    "积极参加志愿服务和村庄清洁行动，每户每月至少参加一次集中清扫。",
    "遵守交通安全规定，骑乘摩托车、电动车戴头盔，不拆改遮阳伞。",
)
RULES_REVISED = (
    "开展“三边三清”：屋边清整、路边清洁、水边清爽，党员干部、网格员、志愿者分片负责。",
    "实行人居环境“红黑榜”和积分制，每季度评比，积分可在村爱心超市兑换。",
)
MECHANISM = "党员干部包片联户、网格员每日巡查、志愿者每周集中清扫；人居环境“红黑榜”每月评比，积分兑换。"
PILOT_MECHANISM = (
    "“131”工作法试点：以村规民约立规矩；党员干部包片、网格员巡查、志愿者清扫三大引擎同步发力；"
    "建立“周清扫、月评比、季通报”新机制，红黑榜公示，积分兑换生活用品。"
)


def rules_text(revised):
    lines = [*RULES[:8], *(RULES_REVISED if revised else ()), *RULES[8:]]
    return "\n".join(f"第{number}条 {line}" for number, line in enumerate(lines, start=1))


def plan_rules(place):
    """[(village, version, adopted_on)]: version 1 the year before last or last year; five villages (the pilots
    among them) adopt a version 2 this year."""
    rng = random.Random(f"{SEED}:rules")
    revised = set(PILOTS) | set(rng.sample([name for name in place.villages if name not in PILOTS], 3))
    early = place.this_year[: min(len(place.this_year), 6)]
    plan = []
    for name, village in place.villages.items():
        year = place.year - rng.choice((1, 2))
        plan.append((village, 1, date(year, rng.randint(2, 11), rng.randint(1, 28))))
        if name in revised:
            plan.append((village, 2, day_in(rng.choice(early), rng, place.last_end)))
    return plan


def ensure_rules(place):
    have = set(VillageRules.objects.filter(unit__in=place.villages.values()).values_list("unit_id", "version"))
    new = [
        VillageRules(
            unit=village,
            version=version,
            title=f"{village.name}村规民约",
            text=rules_text(version > 1),
            adopted_on=adopted,
        )  # fmt: skip
        for village, version, adopted in plan_rules(place)
        if (village.pk, version) not in have
    ]
    VillageRules.objects.bulk_create(new)
    return len(new)


def ensure_work_methods(place):
    """One per village: the pilots started in spring last year, the others followed from last autumn on."""
    have = set(WorkMethod.objects.filter(unit__in=place.villages.values()).values_list("unit_id", flat=True))
    new = []
    for name, village in place.villages.items():
        if village.pk in have:
            continue
        rng = random.Random(f"{SEED}:{name}:131")
        pilot = name in PILOTS
        if pilot:
            started = date(place.year - 1, 3 + PILOTS.index(name), 15)
        else:
            rollout = [date(place.year - 1, month, 1) for month in (10, 11, 12)] + place.this_year[:3]
            started = day_in(rng.choice(rollout), rng, place.last_end)
        new.append(
            WorkMethod(
                unit=village,
                is_pilot=pilot,
                started_on=started,
                mechanism=PILOT_MECHANISM if pilot else MECHANISM,
                volunteers=rng.randint(58, 72) if pilot else rng.randint(28, 52),
            )
        )
    WorkMethod.objects.bulk_create(new)
    return len(new)


# ── campaigns and cleanups ─────────────────────────────────────────────────────────────────────────────────────────


def ensure_campaigns(place):
    """三边三清 this year and 村庄清洁行动 last year, both the town's."""
    wanted = (
        (SANBIAN, date(place.year, 1, 1), None,
         "屋边清整、路边清洁、水边清爽：镇党委牵头，各村（社区）党组织组织党员干部、网格员和志愿者入组入户开展整治。"),
        (LAST_YEAR_CAMPAIGN, date(place.year - 1, 1, 1), date(place.year - 1, 12, 31),
         "以清垃圾、清沟渠、清杂物为重点的常态化村庄清洁行动。"),
    )  # fmt: skip
    campaigns, created = {}, 0
    for name, start, end, description in wanted:
        campaign = Campaign.objects.filter(unit=place.town, name=name, start__year=start.year).first()
        if campaign is None:
            campaign = Campaign.objects.create(unit=place.town, name=name, start=start, end=end,
                                               description=description)  # fmt: skip
            created += 1
        campaigns[start.year] = campaign
    return campaigns, created


@dataclass
class Cell:
    """What a village (or the town) clears in one month."""

    garbage: Decimal = Decimal(0)
    billboards: int = 0
    road_km: Decimal = Decimal(0)
    river_km: Decimal = Decimal(0)


def town_months(place):
    """(S331 months, 观瑞河 months) of this year: sections of each work, in separate months."""
    return spread(place.this_year, S331_SECTIONS), spread(place.this_year, RIVER_SECTIONS, offset=1)


def cleanup_cells(place):
    """{(village name or "", month): Cell} — "" is the town's own S331 and river works."""
    cells = {}
    s331, river = town_months(place)
    # Garbage this year: every village every month, and the town in its S331 months, 427 t in all.
    rng = random.Random(f"{SEED}:garbage:{place.year}")
    keys, weights = [], []
    for name in place.villages:
        for month in place.this_year:
            keys.append((name, month))
            weights.append(level(name, "garbage") * CLEANUP_SEASON[month.month - 1] * rng.uniform(0.9, 1.1))
    for month in s331:
        keys.append(("", month))
        weights.append(TOWN_GARBAGE_WEIGHT * rng.uniform(0.95, 1.05))
    for key, tons in zip(keys, split(GARBAGE_TONS, weights, Decimal("0.1")), strict=True):
        cells.setdefault(key, Cell()).garbage = tons
    # Last year: the villages alone, at 85 % of this year's village pace.
    village_tons = sum(cells[name, month].garbage for name in place.villages for month in place.this_year)
    pace = village_tons / len(place.this_year) if place.this_year else Decimal(0)
    rng = random.Random(f"{SEED}:garbage:{place.year - 1}")
    keys = [(name, month) for name in place.villages for month in place.last_year]
    weights = [level(name, "garbage") * CLEANUP_SEASON[month.month - 1] * rng.uniform(0.9, 1.1) for name, month in keys]
    for key, tons in zip(keys, split(tenths(pace * 12 * LAST_YEAR_GARBAGE), weights, Decimal("0.1")), strict=True):
        cells.setdefault(key, Cell()).garbage = tons
    # Billboards this year: each village in a few months, the town along S331.
    rng = random.Random(f"{SEED}:billboards:{place.year}")
    keys, weights = [], []
    for name in place.villages:
        for month in sorted(rng.sample(place.this_year, min(BILLBOARD_MONTHS, len(place.this_year)))):
            keys.append((name, month))
            weights.append(level(name, "billboards") * rng.uniform(0.8, 1.2))
    for month in s331:
        keys.append(("", month))
        weights.append(TOWN_BILLBOARD_WEIGHT)
    for key, count in zip(keys, split(BILLBOARDS, weights), strict=True):
        cells.setdefault(key, Cell()).billboards = int(count)
    for month, km in zip(s331, split(ROAD_KM, [1] * len(s331), Decimal("0.01")), strict=True):
        cells[("", month)].road_km = km
    for month, km in zip(river, split(RIVER_KM, [1] * len(river), Decimal("0.01")), strict=True):
        cells.setdefault(("", month), Cell()).river_km = km
    return cells


HOUSE_PLACES = ("房前屋后", "集中居住点", "村部周边", "农户庭院周边")
ROAD_PLACES = ("村主干道两侧", "通组公路沿线", "村道路口", "机耕道沿线")
WATER_PLACES = ("山塘四周", "灌溉沟渠", "观瑞河岸边", "村前水塘")
NOTES = {
    HOUSE: ("清理房前屋后陈旧垃圾和杂物", "拆除乱搭乱建的柴棚杂屋，清运建筑垃圾", "清理卫生死角，规范柴草堆放"),
    ROAD: ("清扫路面，清除路边杂草和陈旧垃圾", "清理路肩和排水沟", "清理道路两侧白色垃圾"),
    WATER: ("打捞水面漂浮物，清理岸边垃圾", "清理沟渠淤塞和岸边杂草", "清除塘边堆积的陈旧垃圾"),
}


def village_records(place, name, month, cell, campaign):
    """A village-month's cleanups: two or three, each on its own side, at the village or one of its grids."""
    rng = random.Random(f"{SEED}:{name}:{month}:cleanup")
    village = place.villages[name]
    sides = rng.sample((HOUSE, ROAD, WATER), rng.choice((2, 2, 3)))
    if cell.billboards and ROAD not in sides:
        sides[-1] = ROAD
    tons = split(cell.garbage, [rng.uniform(1, 3) for _side in sides], Decimal("0.1"))
    records = []
    for side, garbage in zip(sides, tons, strict=True):
        grids = place.grids[name]
        unit = rng.choice(grids) if grids and rng.random() < 0.6 else village
        where = unit.name if unit != village else name
        spot = rng.choice({HOUSE: HOUSE_PLACES, ROAD: ROAD_PLACES, WATER: WATER_PLACES}[side])
        note = rng.choice(NOTES[side])
        if side == ROAD and cell.billboards:
            note = f"拆除破旧落地广告牌{cell.billboards}块，{note}"
        if name == "杨球村" and side == HOUSE and month.year == place.year:
            unit, where, spot = village, "", GUANGJIA
            note = "整治故居周边卫生死角，配合故居周边环境整治项目"
        records.append(
            CleanupRecord(
                unit=unit,
                campaign=campaign,
                date=day_in(month, rng, place.last_end),
                side=side,
                place=f"{where}{spot}",
                garbage_tons=garbage,
                billboards=cell.billboards if side == ROAD else 0,
                participants=rng.randint(4, 15) * (2 if name in PILOTS else 1),
                note=note,
            )
        )
    return records


def town_records(place, month, cell, campaign, s331, river):
    rng = random.Random(f"{SEED}:town:{month}:cleanup")
    records = []
    if cell.road_km:
        section = s331.index(month) + 1
        records.append(
            CleanupRecord(
                unit=place.town, campaign=campaign, date=day_in(month, rng, place.last_end), side=ROAD,
                place=f"S331井字段（第{section}段）", garbage_tons=cell.garbage, billboards=cell.billboards,
                road_km=cell.road_km, participants=rng.randint(45, 70),
                note="镇村联动清理S331沿线陈旧垃圾、杂草和破旧落地广告牌",
            )
        )  # fmt: skip
    if cell.river_km:
        section = river.index(month) + 1
        records.append(
            CleanupRecord(
                unit=place.town, campaign=campaign, date=day_in(month, rng, place.last_end), side=WATER,
                place=f"观瑞河（第{section}段）", river_km=cell.river_km, participants=rng.randint(30, 50),
                note="疏浚观瑞河道、清除淤泥，硬化护岸",
            )
        )  # fmt: skip
    return records


def ensure_cleanups(place, campaigns):
    """Every planned cleanup not yet recorded (by unit, date, side and place)."""
    s331, river = town_months(place)
    planned = []
    for (name, month), cell in sorted(cleanup_cells(place).items(), key=lambda item: (item[0][1], item[0][0])):
        campaign = campaigns.get(month.year)
        if name:
            planned += village_records(place, name, month, cell, campaign)
        else:
            planned += town_records(place, month, cell, campaign, s331, river)
    have = set(
        CleanupRecord.objects.filter(unit__path__startswith=place.town.path, date__gte=place.last_year[0])
        .values_list("unit_id", "date", "side", "place")
    )  # fmt: skip
    new = [record for record in planned if (record.unit.pk, record.date, record.side, record.place) not in have]
    CleanupRecord.objects.bulk_create(new)
    return len(new)


# ── 门前三包 ─────────────────────────────────────────────────────────────────────────────────────────────────────


def ensure_pledges(place):
    """About 95 % of the households signed last year (mostly in spring); a few withdrew, a few never signed."""
    have = set(Pledge.objects.filter(unit__path__startswith=place.town.path).values_list("household_id", flat=True))
    year = place.year - 1
    new = []
    for name in place.villages:
        by_grid = {}
        for household in place.households[name]:
            by_grid.setdefault(household.unit, []).append(household)
        for grid, households in by_grid.items():
            rng = random.Random(f"{SEED}:{grid.name}:pledges")
            for household in households:
                draw = rng.random()
                month = rng.choices(range(1, 13), weights=PLEDGE_MONTHS)[0]
                signed = date(year, month, rng.randint(1, 28))
                greening = rng.random() > 0.04  # a few have no frontage to plant
                if draw >= PLEDGE_SHARES[1] or household.pk in have:
                    continue
                status = Pledge.Status.SIGNED if draw < PLEDGE_SHARES[0] else Pledge.Status.WITHDRAWN
                new.append(Pledge(unit=grid, household=household, signed_on=signed, status=status,
                                  greening=greening))  # fmt: skip
    Pledge.objects.bulk_create(new)
    return len(new)


# ── hollow houses and toilets ────────────────────────────────────────────────────────────────────────────────────


def round_months(place, name, shift):
    """(last year's, this year's) months in which a village holds its rounds: every fourth month, its own phase
    (so even in the first months of last year, most of a village's months before a round had none)."""
    phase = (list(place.villages).index(name) + shift) % ROUND_EVERY
    pick = [month for month in place.last_year + place.this_year if month_index(month) % ROUND_EVERY == phase]
    return [m for m in pick if m.year < place.year], [m for m in pick if m.year == place.year]


def round_counts(place, total, share_last_year, shift, what):
    """{(village name, month): how many} in the villages' rounds: this year `total` exactly, last year at
    `share_last_year` of this year's pace."""
    rounds = {name: round_months(place, name, shift) for name in place.villages}
    last_year_total = round(total / len(place.this_year) * 12 * share_last_year)
    counts = {}
    for year_index, year_total in enumerate((last_year_total, total)):
        rng = random.Random(f"{SEED}:{what}:{year_index}")
        keys = [(name, month) for name in place.villages for month in rounds[name][year_index]]
        weights = [level(name, what) * rng.uniform(0.85, 1.15) for name, _month in keys]
        if keys:
            counts.update(zip(keys, (int(count) for count in split(year_total, weights)), strict=True))
    return counts


def house_location(village, household):
    return f"{village.name}{household.house_number}旁旧宅"


def plan_houses(place):
    """{village name: [HollowHouse]}: demolished in the village's rounds (541 this year), a few still planned."""
    counts = round_counts(place, HOLLOW_HOUSES, LAST_YEAR_HOUSES, 0, "houses")
    plan = {}
    for name in place.villages:
        rng = random.Random(f"{SEED}:{name}:houses")
        dates = []
        for month in sorted(month for village, month in counts if village == name):
            dates += [day_in(month, rng, place.last_end) for _ in range(counts[name, month])]
        planned = rng.randint(*PLANNED_HOUSES)
        households = place.households[name]
        owners = rng.sample(households, min(len(dates) + planned, len(households)))
        houses = []
        for owner, demolished in zip(owners, dates + [None] * planned, strict=False):
            houses.append(
                HollowHouse(
                    unit=owner.unit,
                    owner=owner,
                    location=house_location(place.villages[name], owner),
                    area_m2=tenths(rng.uniform(35, 160)),
                    status=HollowHouse.Status.DEMOLISHED if demolished else HollowHouse.Status.PLANNED,
                    demolished_on=demolished,
                )
            )
        plan[name] = houses
    return plan


def ensure_houses(place):
    have = set(HollowHouse.objects.filter(unit__path__startswith=place.town.path).values_list("unit__path", "location"))
    prefix = {name: village.path for name, village in place.villages.items()}
    have_by_village = {name: {loc for path, loc in have if path.startswith(p)} for name, p in prefix.items()}
    new = [
        house
        for name, houses in plan_houses(place).items()
        for house in houses
        if house.location not in have_by_village[name]
    ]
    HollowHouse.objects.bulk_create(new)
    return len(new)


TOILET_KINDS = (ToiletRenovation.Kind.THREE_TANK, ToiletRenovation.Kind.DOUBLE_URN, ToiletRenovation.Kind.OTHER)


def plan_toilets(place):
    """{village name: [ToiletRenovation]}: accepted in the village's acceptance rounds (53 this year), a few finished
    lately and awaiting acceptance."""
    counts = round_counts(place, TOILETS, LAST_YEAR_TOILETS, 2, "toilets")
    rng = random.Random(f"{SEED}:toilets:pending")
    pending = {}
    for name in rng.sample(list(place.villages), min(PENDING_TOILETS, len(place.villages))):
        pending[name] = pending.get(name, 0) + 1
    plan = {}
    for name in place.villages:
        rng = random.Random(f"{SEED}:{name}:toilets")
        accepted = []
        for month in sorted(month for village, month in counts if village == name):
            accepted += [day_in(month, rng, place.last_end) for _ in range(counts[name, month])]
        households = place.households[name]
        chosen = rng.sample(households, min(len(accepted) + pending.get(name, 0), len(households)))
        toilets = []
        for household, accepted_on in zip(chosen, accepted + [None] * pending.get(name, 0), strict=False):
            if name == "关圣殿社区":
                kind = ToiletRenovation.Kind.SEWER
            else:
                kind = rng.choices(TOILET_KINDS, weights=(80, 15, 5))[0]
            if accepted_on:
                completed = accepted_on - timedelta(days=rng.randint(7, 40))
            else:
                completed = place.last_end - timedelta(days=rng.randint(0, 40))
            toilets.append(
                ToiletRenovation(
                    unit=household.unit,
                    household=household,
                    kind=kind,
                    completed_on=completed,
                    accepted=accepted_on is not None,
                    accepted_on=accepted_on,
                )
            )
        plan[name] = toilets
    return plan


def ensure_toilets(place):
    have = set(
        ToiletRenovation.objects.filter(unit__path__startswith=place.town.path).values_list("household_id", flat=True)
    )
    new = [toilet for toilets in plan_toilets(place).values() for toilet in toilets if toilet.household.pk not in have]
    ToiletRenovation.objects.bulk_create(new)
    return len(new)


# ── the sewage plant ───────────────────────────────────────────────────────────────────────────────────────────────

MILESTONES = (
    "开工：场地平整，临时设施搭建",
    "厂区基坑开挖，集镇主街雨污分离管网开槽",
    "调节池、生化池基础浇筑",
    "生化池、沉淀池主体施工，管网分段铺设",
    "综合用房主体封顶",
    "主体构筑物完工，支管入户接驳",
    "设备采购到场，安装开始",
    "设备安装，进出水管道接通",
    "管网闭水试验，厂区道路硬化",
    "设备单机调试，厂区绿化",
    "联动调试，准备试运行",
    "试运行",
)
PERCENT_AT_END = 92  # where the plant stands once this year's money is spent


def ensure_plant(place):
    """The town's sewage plant, started in January, and one progress step a month at an even pace."""
    created = 0
    project = InfrastructureProject.objects.filter(unit=place.town, name=PLANT).first()
    if project is None:
        project = InfrastructureProject.objects.create(
            unit=place.town,
            name=PLANT,
            planned_investment=PLANT_INVESTMENT,
            planned_pipe_km=PLANT_PIPE_KM,
            yearly_capacity=PLANT_CAPACITY,
            start=date(place.year, 1, 8),
            description="镇党委牵头建设：集镇污水处理厂及雨污分离管网，建成后每年可处理污水18万吨。",
        )
        created += 1
    rng = random.Random(f"{SEED}:plant")
    months = place.this_year
    weights = [rng.uniform(0.92, 1.08) for _month in months]
    money = split(PLANT_INVESTMENT, weights)
    pipe = split(PLANT_PIPE_KM, [rng.uniform(0.9, 1.1) for _month in months], Decimal("0.01"))
    have = set(ProjectProgress.objects.filter(project=project).values_list("date", flat=True))
    new, spent = [], Decimal(0)
    for index, (month, investment, km) in enumerate(zip(months, money, pipe, strict=True)):
        spent += investment
        day = min(month.replace(day=25), place.last_end)
        if day in have:
            continue
        milestone = MILESTONES[min(index * len(MILESTONES) // max(len(months), 1), len(MILESTONES) - 1)]
        new.append(
            ProjectProgress(
                unit=project.unit, project=project, date=day, investment=investment, pipe_km=km,
                percent_done=round(PERCENT_AT_END * spent / PLANT_INVESTMENT), milestone=milestone,
            )
        )  # fmt: skip
    ProjectProgress.objects.bulk_create(new)
    return created + len(new)


# ── photos ──────────────────────────────────────────────────────────────────────────────────────────────────────────


def picture(key, stage):
    """A small drawn scene (sky, ground, heaps of rubbish before, green after) as an uploaded JPEG."""
    rng = random.Random(f"{SEED}:{key}:{stage}")
    image = Image.new("RGB", (640, 480), (150, 190, 225))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 300, 640, 480), fill=(120, 100, 70) if stage == Photo.Stage.BEFORE else (95, 150, 80))
    draw.rectangle((60, 170, 260, 300), fill=(200, 190, 170), outline=(90, 80, 70), width=3)
    draw.polygon([(40, 175), (160, 110), (280, 175)], fill=(110, 60, 50))
    for _ in range(14 if stage == Photo.Stage.BEFORE else 6):
        x, y = rng.randint(280, 600), rng.randint(310, 450)
        size = rng.randint(12, 40)
        colour = (rng.randint(60, 140),) * 3 if stage == Photo.Stage.BEFORE else (40, rng.randint(110, 170), 50)
        draw.ellipse((x, y, x + size, y + size // 2 + 6), fill=colour)
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return SimpleUploadedFile(f"{key}-{stage}.jpg", buffer.getvalue(), content_type="image/jpeg")


def photo_records(place):
    """The records that get evidence photos: a few cleanups and two demolished houses (found again by query)."""
    cleanups = CleanupRecord.objects.filter(date__year=place.year).order_by("-date", "id")
    houses = HollowHouse.objects.filter(status=HollowHouse.Status.DEMOLISHED, demolished_on__year=place.year)
    houses = houses.order_by("-demolished_on", "id")
    records = [
        ("光甲堂周边", cleanups.filter(unit__path__startswith=place.villages["杨球村"].path, place=GUANGJIA).first()
         if "杨球村" in place.villages else None),
        ("S331井字段", cleanups.filter(unit=place.town, side=ROAD).first()),
        ("长湾村屋边", cleanups.filter(unit__path__startswith=place.villages["长湾村"].path, side=HOUSE).first()
         if "长湾村" in place.villages else None),
    ]  # fmt: skip
    for name in PILOTS:
        if name in place.villages:
            house = houses.filter(unit__path__startswith=place.villages[name].path).first()
            records.append((f"{name}空心房", house))
    return [(caption, record) for caption, record in records if record is not None]


def ensure_photos(place):
    """Before and after photos for each chosen record that has none yet (uploaded as `admin`)."""
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        return 0
    created = 0
    for caption, record in photo_records(place):
        if photos_of(record).exists():
            continue
        for stage, label in ((Photo.Stage.BEFORE, "整治前"), (Photo.Stage.AFTER, "整治后")):
            key = f"{record._meta.model_name}-{caption}"
            photos = photos_attach(user=admin, record=record, uploads=[picture(key, stage)], stage=stage,
                                   caption=f"{caption}{label}")  # fmt: skip
            created += len(photos)
    return created


# ── the whole load and its summary ──────────────────────────────────────────────────────────────────────────────


@transaction.atomic
def load_environment():
    """Create whatever is missing; return (place, {what: how many created})."""
    place = find_place()
    campaigns, created_campaigns = ensure_campaigns(place)
    created = {
        "村规民约": ensure_rules(place),
        "131": ensure_work_methods(place),
        "活动": created_campaigns,
        "清理": ensure_cleanups(place, campaigns),
        "门前三包": ensure_pledges(place),
        "空心房": ensure_houses(place),
        "改厕": ensure_toilets(place),
        "污水处理厂": ensure_plant(place),
        "照片": ensure_photos(place),
    }
    return place, created


def load(*, password, reset_passwords=False):
    """The demo protocol (see reports' load_demo command): load, and return what to print."""
    return summary(*load_environment())


def figures(place):
    """This year's ledger totals, January to the last complete month, under the town."""
    under = {"unit__path__startswith": place.town.path}
    first, end = place.this_year[0], place.last_end
    cleanups = CleanupRecord.objects.filter(date__gte=first, date__lte=end, **under).aggregate(
        tons=Sum("garbage_tons"), billboards=Sum("billboards"), road=Sum("road_km"), river=Sum("river_km")
    )
    steps = ProjectProgress.objects.filter(date__gte=first, date__lte=end, **under).aggregate(
        money=Sum("investment"), pipe=Sum("pipe_km")
    )
    return {
        **cleanups,
        **steps,
        "houses": HollowHouse.objects.filter(demolished_on__gte=first, demolished_on__lte=end,
                                             status=HollowHouse.Status.DEMOLISHED, **under).count(),
        "toilets": ToiletRenovation.objects.filter(accepted=True, accepted_on__gte=first, accepted_on__lte=end,
                                                   **under).count(),
        "capacity": InfrastructureProject.objects.filter(start__lte=end, **under).aggregate(
            capacity=Sum("yearly_capacity"))["capacity"],
    }  # fmt: skip


def number(value):
    return format(Decimal(value or 0).normalize(), "f")


def summary(place, created):
    under = {"unit__path__startswith": place.town.path}
    households = Household.objects.filter(**under).count()
    signed = Pledge.objects.filter(status=Pledge.Status.SIGNED, **under).count()
    revised = VillageRules.objects.filter(version__gt=1, **under).values("unit").distinct().count()
    pilots = "、".join(WorkMethod.objects.filter(is_pilot=True, **under).order_by("unit__code")
                      .values_list("unit__name", flat=True))  # fmt: skip
    counts = CleanupRecord.objects.filter(**under).aggregate(n=Count("id"))
    rate = 100 * signed / max(households, 1)
    f = figures(place)
    made = "，".join(f"{label} {value}" for label, value in created.items())
    last = place.this_year[-1]
    return "\n".join(
        [
            f"人居环境：村规民约 {len(place.villages)} 个村（社区）（{revised} 个今年修订），“131”试点 {pilots}；"
            f"清理记录 {counts['n']} 条，门前三包 {signed}/{households} 户（{rate:.1f}%），"
            f"照片 {Photo.objects.filter(**under).count()} 张；本次新建 {sum(created.values())} 条（{made}）。",
            f"环境台账 {last.year} 年 1—{last.month} 月：清除陈旧垃圾 {number(f['tons'])} 吨，广告牌 "
            f"{number(f['billboards'])} 块，沿路 {number(f['road'])} 公里，河道 {number(f['river'])} 公里，拆除空心房 "
            f"{f['houses']} 栋，改厕 {f['toilets']} 座，污水处理投入 {number(f['money'])} 万元、管网 "
            f"{number(f['pipe'])} 千米、年处理能力 {number(f['capacity'])} 万吨。",
        ]
    )
