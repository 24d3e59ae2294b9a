"""支部+基层治理 (safety) of the demo 井字镇 (`manage.py load_demo` runs this after branches, before reports).

What the article's third section says about 维护安全生产, as ledgers: six patrol teams of 镇村党员干部 kept by the town
(four for the areas, one for the 集镇, one for road safety), 78 members in all — town cadres and village party members,
the latter linked to their party record; the town's joint road-safety actions with the 派出所 (motorcycle sunshades
taken down, riders persuaded to wear helmets), its 打非治违 actions, its monthly hazard inspections and the villages'
own, and the hazard register in the 六定 form (项目、措施、资金、责任人、时限、验收人).

The figures are chosen so that the monthly reports counted from these ledgers roll up to the article's (DESIGN §5):
this year, January to the last complete month, 37 road-safety actions, 186 sunshades, 695 persuasions, 26 crackdowns,
50 inspections (one a month by the town, the rest by the villages) and 176 hazards (170多处), every one of them
rectified this year (全部整改到位). Last year runs at about three quarters of this year's pace, and three of last
year's hazards in 杨球村 and 铜梁村 are still being rectified past their deadline, so the overdue list has something
to show. The reports flag a month far above a unit's median month, or zero where the median is not: the town acts,
inspects and finds hazards every month at an even pace, while a village inspects at most twice a year and its hazards
are found and rectified in or just after those months, so a village's median month stays 0. Everything is found again
by a natural key (a team's name, a member's name in his team, an action's unit, kind, date and place, a hazard's unit,
date, item and location), so loading twice changes nothing.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from branches.demo import AREA_LEADERS, AREAS, CADRES, LEADERS, VILLAGES, person_name, village_code
from branches.models import Assignment, PartyMember, PartyOrganisation, Unit
from reports import periods

from .models import Hazard, PatrolMember, PatrolTeam, SafetyAction

SEED = 431321102
TOWN_CODE = "431321102"

# The article's figures for this year, January to the last complete month (DESIGN §5).
ROAD_SAFETY = 37  # 联合派出所大规模开展道路安全整治活动37次
UMBRELLAS = 186  # 拆除摩托车遮阳伞186把
HELMETS = 695  # 劝导戴帽695人次
CRACKDOWNS = 26  # 开展打非治违活动26次
INSPECTIONS = 50  # 集中排查安全隐患活动50次: the town once a month, the villages the rest
HAZARDS = 176  # 检查安全隐患170多处，全部整改到位
TOWN_HAZARDS = 46  # of them kept at the town itself (集镇、企业、S331); the villages and their grids the rest
MEMBERS_PER_TEAM = 13  # 6 teams × 13 = 78 (集合镇村党员干部78人组建6支巡查队伍)
CADRES_PER_TEAM = 2  # town cadres besides the team leader; the other ten are village party members

LAST_YEAR = 0.75  # last year's monthly pace against this year's
LAST_YEAR_INSPECTING_VILLAGES = 12  # villages that held an inspection of their own last year (once each)
LAST_YEAR_VILLAGE_HAZARDS = 30
OVERDUE = (("杨球村", 2), ("铜梁村", 1))  # last year's hazards still being rectified past their deadline
OVERDUE_MONTHS = (9, 10, 11)  # those villages inspected in autumn last year
TO_NEXT_MONTH = 0.3  # share of hazards rectified in the month after they were found (never across a year end)
LAST_MONTH_UNVERIFIED = 0.5  # share of the last month's rectified hazards not yet verified
ROAD_PARTNERS = "派出所"

ROAD, CRACKDOWN, INSPECTION, PATROL = (SafetyAction.Kind.ROAD_SAFETY, SafetyAction.Kind.CRACKDOWN,
                                       SafetyAction.Kind.INSPECTION, SafetyAction.Kind.PATROL)  # fmt: skip
Status = Hazard.Status


# ── arithmetic ──────────────────────────────────────────────────────────────────────────────────────────────────────


def split(total, weights):
    """`total` split in whole numbers proportional to the (positive) `weights`: each share rounded down, then the
    units left over go to the largest remainders (ties: the earlier share). The shares sum to `total` exactly."""
    whole_weights = [max(1, round(weight * 10_000)) for weight in weights]
    whole = sum(whole_weights)
    shares, remainders = [], []
    for weight in whole_weights:
        share, remainder = divmod(total * weight, whole)
        shares.append(share)
        remainders.append(remainder)
    for index in sorted(range(len(shares)), key=lambda i: (-remainders[i], i))[: total - sum(shares)]:
        shares[index] += 1
    return shares


def even(total, months, rng):
    """`total` spread over `months` as evenly as whole numbers allow, the odd ones in seeded months."""
    return split(total, [rng.uniform(0.97, 1.03) for _month in months])


def last_year_total(total, months_this_year):
    return round(total / max(months_this_year, 1) * 12 * LAST_YEAR)


def month_end(month):
    return periods.add_months(month, 1) - timedelta(days=1)


def days_in(month, count, rng, last_end):
    """`count` distinct days of `month` (3rd–28th, none after `last_end`), in order."""
    latest = min(28, last_end.day) if (month.year, month.month) == (last_end.year, last_end.month) else 28
    pool = range(min(3, latest), latest + 1)
    return [month.replace(day=day) for day in sorted(rng.sample(pool, min(count, len(pool))))]


# ── where things are and who is who ─────────────────────────────────────────────────────────────────────────────────


@dataclass
class Place:
    town: Unit
    villages: dict  # name → Unit, in the demo's village order
    grids: dict  # village name → [grid Unit]
    secretaries: dict  # village name → the village party organisation's secretary
    village_cadres: dict  # village name → the 联村干部 answering for it
    this_year: list  # months of this year to the last complete month
    last_year: list  # the twelve months of last year
    last_end: date

    @property
    def year(self):
        return self.this_year[0].year


def find_place():
    town = Unit.objects.get(code=TOWN_CODE, kind=Unit.Kind.TOWN)
    by_code = {unit.code: unit for unit in Unit.objects.under(town).villages()}
    villages = {spec.name: by_code[village_code(i)] for i, spec in enumerate(VILLAGES) if village_code(i) in by_code}
    by_path = {village.path: name for name, village in villages.items()}
    prefix = len(next(iter(villages.values())).path) if villages else 0
    grids = {name: [] for name in villages}
    for grid in Unit.objects.filter(path__startswith=town.path, kind=Unit.Kind.GRID).order_by("path"):
        name = by_path.get(grid.path[:prefix])
        if name:
            grids[name].append(grid)
    units = {village.pk: name for name, village in villages.items()}
    secretaries = {}
    for organisation in PartyOrganisation.objects.filter(unit__in=villages.values()).order_by("id"):
        secretaries.setdefault(units[organisation.unit_id], organisation.secretary_name)
    village_cadres = {}
    assignments = Assignment.objects.filter(
        kind=Assignment.Kind.VILLAGE, unit__in=villages.values(), cadre__isnull=False
    )
    for assignment in assignments.select_related("cadre").order_by("start_date", "id"):
        village_cadres.setdefault(units[assignment.unit_id], assignment.cadre.name)
    last = periods.last_complete_month()
    return Place(
        town=town,
        villages=villages,
        grids=grids,
        secretaries=secretaries,
        village_cadres=village_cadres,
        this_year=[date(last.year, month, 1) for month in range(1, last.month + 1)],
        last_year=[date(last.year - 1, month, 1) for month in range(1, 13)],
        last_end=min(month_end(last), timezone.localdate()),
    )


# ── teams and members ───────────────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class TeamSpec:
    name: str
    leader: str
    villages: tuple  # where its village party members come from
    founded: tuple  # (month, day) of last year


def team_specs():
    """Four area teams led by the area leaders (包片), the 集镇's led by the town head, and the road-safety team."""
    specs = []
    for area, (area_name, leader_index) in enumerate(zip(AREAS, AREA_LEADERS, strict=True)):
        in_area = tuple(spec.name for spec in VILLAGES if spec.area == area)
        specs.append(TeamSpec(f"{area_name}安全巡查队", LEADERS[leader_index][0], in_area, (2, 10 + area)))
    specs.append(TeamSpec("集镇安全巡查队", LEADERS[1][0], ("关圣殿社区",), (2, 16)))
    specs.append(TeamSpec("道路交通安全劝导队", CADRES[-1], tuple(spec.name for spec in VILLAGES), (3, 5)))
    return specs


def ensure_teams(place):
    """{team name: PatrolTeam}, at the town, founded early last year."""
    specs = team_specs()
    teams = {team.name: team for team in PatrolTeam.objects.filter(unit=place.town, name__in=[s.name for s in specs])}
    new = [
        PatrolTeam(
            unit=place.town, name=spec.name, leader_name=spec.leader, founded_on=date(place.year - 1, *spec.founded)
        )
        for spec in specs
        if spec.name not in teams
    ]
    PatrolTeam.objects.bulk_create(new)
    teams.update({team.name: PatrolTeam.objects.get(unit=place.town, name=team.name) for team in new})
    return [teams[spec.name] for spec in specs], len(new)


def phone_for(number):
    return f"1397381{number:04d}"  # demo numbers, not anyone's


def plan_members(place, teams):
    """[PatrolMember]: each team's leader, two more town cadres and ten village party members (linked to their
    record, one team each), and two members who have left."""
    specs = team_specs()
    prefix = len(next(iter(place.villages.values())).path)
    names = {village.path: name for name, village in place.villages.items()}
    pool = {}
    members = PartyMember.objects.filter(unit__path__startswith=place.town.path, is_active=True)
    for member in members.select_related("unit").order_by("unit__path", "name", "id"):
        village = names.get(member.unit.path[:prefix])
        if village:
            pool.setdefault(village, []).append(member)
    cadres = iter(CADRES[1:])
    taken, plan, number = set(), [], 0
    for team, spec in zip(teams, specs, strict=True):
        rng = random.Random(f"{SEED}:{spec.name}:members")
        people = [(spec.leader, None)] + [(next(cadres), None) for _ in range(CADRES_PER_TEAM)]
        candidates = [m for village in spec.villages for m in pool.get(village, []) if m.pk not in taken]
        used = {name for name, _member in people}
        for member in rng.sample(candidates, len(candidates)):
            if len(people) == MEMBERS_PER_TEAM:
                break
            if member.name not in used:
                people.append((member.name, member))
                used.add(member.name)
                taken.add(member.pk)
        for name, member in people:
            number += 1
            phone = member.phone if member and member.phone else phone_for(number)
            plan.append(PatrolMember(unit=team.unit, team=team, name=name, party_member=member, phone=phone))
        if spec is specs[0] or spec is specs[-1]:  # one member of each of these left the team last year
            name = person_name(rng)
            while name in used:
                name = person_name(rng)
            number += 1
            plan.append(PatrolMember(unit=team.unit, team=team, name=name, phone=phone_for(number), is_active=False))
    return plan


def ensure_members(place, teams):
    have = set(PatrolMember.objects.filter(team__in=teams).values_list("team_id", "name"))
    new = [member for member in plan_members(place, teams) if (member.team.pk, member.name) not in have]
    PatrolMember.objects.bulk_create(new)
    return len(new)


# ── actions ─────────────────────────────────────────────────────────────────────────────────────────────────────────

ROAD_PLACES = ("S331井字段", "集镇主街", "井字中学路口", "农贸市场路口", "观瑞河大桥桥头", "关圣殿社区路口",
               "井字卫生院门口", "集镇客运招呼站")  # fmt: skip
ROAD_NOTE = "联合派出所开展道路交通安全整治：拆除摩托车遮阳伞，劝导骑乘人员佩戴安全头盔，宣传“一盔一带”。"
CRACKDOWNS_AT = (
    ("集镇烟花爆竹经营户", "镇应急管理办、市场监管所", "排查无证经营和超量储存烟花爆竹"),
    ("观瑞河沿线", "派出所、自然资源所", "打击非法采砂，拆除违规采砂设备"),
    ("S331沿线", "派出所、交警中队", "整治超限超载和非法营运车辆"),
    ("集镇及周边", "镇应急管理办、市场监管所", "排查非法加油点和无证危化品经营"),
    ("各村建房现场", "镇建设管理站、自然资源所", "制止违规建房和无资质施工"),
    ("工业集中区", "镇应急管理办", "检查企业违规生产、违规用工"),
)  # fmt: skip
TOWN_INSPECTED = ("集镇商铺和企业", "学校、卫生院和敬老院", "加油站和液化气供应站", "农贸市场和沿街门店",
                  "建筑工地和工业集中区", "S331沿线和观瑞河沿岸")  # fmt: skip
INSPECTION_NOTE = "镇安全生产委员会组织巡查队伍集中排查安全隐患，逐处建立“六定”整改台账。"
VILLAGE_INSPECTION_NOTE = "村党组织组织党员干部、网格员入组入户集中排查安全隐患，逐处建立“六定”整改台账。"
PATROLLED = (*(f"{area}各村" for area in AREAS), "集镇", "S331及集镇主要路口")  # by each team, in team order
PATROL_NOTE = "巡查队伍日常巡查：道路交通、防溺水、用火用电安全。"


def action_key(action):
    return (action.unit.pk, action.kind, action.date, action.place)


def town_actions(place, teams, months, year_totals, salt):
    """The town's actions in `months`: road safety with the 派出所, crackdowns, one inspection and one patrol per team
    each month. `year_totals` = (road actions, sunshades, persuasions, crackdowns)."""
    rng = random.Random(f"{SEED}:actions:{salt}")
    road_total, umbrella_total, helmet_total, crackdown_total = year_totals
    road_counts = even(road_total, months, rng)
    crackdown_counts = even(crackdown_total, months, rng)
    area_teams, town_team, road_team = teams[:4], teams[4], teams[5]
    actions = []
    for index, (month, roads, crackdowns) in enumerate(zip(months, road_counts, crackdown_counts, strict=True)):
        for number, day in enumerate(days_in(month, roads, rng, place.last_end)):
            team = road_team if number % 2 == 0 else area_teams[(index + number) % 4]
            actions.append(SafetyAction(unit=place.town, kind=ROAD, date=day, team=team, partners=ROAD_PARTNERS,
                                        place=rng.choice(ROAD_PLACES), note=ROAD_NOTE))  # fmt: skip
        for number, day in enumerate(days_in(month, crackdowns, rng, place.last_end)):
            where, partners, note = CRACKDOWNS_AT[(index * 2 + number) % len(CRACKDOWNS_AT)]
            team = [*area_teams, town_team][(index + number) % 5]
            actions.append(SafetyAction(unit=place.town, kind=CRACKDOWN, date=day, team=team, partners=partners,
                                        place=where, note=note))  # fmt: skip
        (day,) = days_in(month, 1, rng, place.last_end)
        actions.append(SafetyAction(unit=place.town, kind=INSPECTION, date=day, team=teams[index % len(teams)],
                                    partners="镇应急管理办", place=TOWN_INSPECTED[index % len(TOWN_INSPECTED)],
                                    note=INSPECTION_NOTE))  # fmt: skip
        for team, where, day in zip(teams, PATROLLED, days_in(month, len(teams), rng, place.last_end), strict=True):
            actions.append(SafetyAction(unit=place.town, kind=PATROL, date=day, team=team, place=where,
                                        note=PATROL_NOTE))  # fmt: skip
    roads = [action for action in actions if action.kind == ROAD]
    weights = [rng.uniform(0.7, 1.3) for _ in roads]
    for action, umbrellas, helmets in zip(roads, split(umbrella_total, weights),
                                          split(helmet_total, [w * rng.uniform(0.85, 1.15) for w in weights]),
                                          strict=True):  # fmt: skip
        action.umbrellas_removed, action.helmet_persuasions = umbrellas, helmets
    return actions


def village_inspection_months(place):
    """{village name: ([months last year], [months this year])}: this year each village inspects once or twice, far
    apart, so the villages together make up what the town's monthly inspections leave of the 50; last year a dozen
    villages inspected once (杨球村 and 铜梁村 in autumn)."""
    rng = random.Random(f"{SEED}:village-inspections")
    names = list(place.villages)
    wanted = max(INSPECTIONS - len(place.this_year), 0)
    counts = dict.fromkeys(names, wanted // len(names))
    for name in rng.sample(names, wanted % len(names)):
        counts[name] += 1
    overdue = [name for name, _n in OVERDUE if name in place.villages]
    others = rng.sample([name for name in names if name not in overdue], LAST_YEAR_INSPECTING_VILLAGES - len(overdue))
    plan = {}
    months = place.this_year
    for name in names:
        count = counts[name]
        step = max(len(months) // max(count, 1), 1)
        offset = rng.randrange(step)
        this_year = [months[(offset + k * step) % len(months)] for k in range(count)]
        if name in overdue:
            last_year = [date(place.year - 1, rng.choice(OVERDUE_MONTHS), 1)]
        elif name in others:
            last_year = [rng.choice(place.last_year)]
        else:
            last_year = []
        plan[name] = (last_year, this_year)
    return plan


def village_actions(place, teams, plan):
    area_of = {spec.name: spec.area for spec in VILLAGES}
    actions = []
    for name, (last_year, this_year) in plan.items():
        rng = random.Random(f"{SEED}:{name}:inspections")
        village = place.villages[name]
        for month in last_year + this_year:
            (day,) = days_in(month, 1, rng, place.last_end)
            actions.append(SafetyAction(unit=village, kind=INSPECTION, date=day, team=teams[area_of.get(name, 0)],
                                        partners="包村干部、网格员", place=f"{village.name}各村民小组",
                                        note=VILLAGE_INSPECTION_NOTE))  # fmt: skip
    return actions


def plan_actions(place, teams, inspection_plan):
    months = len(place.this_year)
    last_year = tuple(last_year_total(total, months) for total in (ROAD_SAFETY, UMBRELLAS, HELMETS, CRACKDOWNS))
    return [
        *town_actions(place, teams, place.last_year, last_year, place.year - 1),
        *town_actions(place, teams, place.this_year, (ROAD_SAFETY, UMBRELLAS, HELMETS, CRACKDOWNS), place.year),
        *village_actions(place, teams, inspection_plan),
    ]


def ensure_actions(place, teams, inspection_plan):
    """(every planned action as stored, how many were created): the missing ones are created in one go."""
    planned = plan_actions(place, teams, inspection_plan)
    existing = SafetyAction.objects.filter(unit__path__startswith=place.town.path, date__gte=place.last_year[0])
    have = set(existing.values_list("unit_id", "kind", "date", "place"))
    new = [action for action in planned if action_key(action) not in have]
    SafetyAction.objects.bulk_create(new)
    stored = {}
    for action in existing.select_related("unit").order_by("id"):
        stored.setdefault(action_key(action), action)
    return [stored[action_key(action)] for action in planned], len(new)


# ── hazards ────────────────────────────────────────────────────────────────────────────────────────────────────────

# (定项目, 定措施, 定资金 range in 万元)
VILLAGE_ITEMS = (
    ("农村自建房墙体开裂、屋面渗漏", "设置警示标志，劝离住户，委托鉴定后加固维修", (0.5, 3.0)),
    ("电动车楼道停放、飞线充电", "拆除飞线，引导到集中充电点充电，入户宣传", (0.0, 0.2)),
    ("山塘坝体渗漏、溢洪道堵塞", "降低水位运行，清理溢洪道，汛前完成防渗处理", (1.0, 5.0)),
    ("临水临崖路段缺少护栏", "增设波形护栏和警示桩", (0.8, 4.0)),
    ("液化气钢瓶连接软管老化", "更换金属波纹软管，加装燃气报警器", (0.05, 0.3)),
    ("老旧电线私拉乱接", "联系供电所规范线路，更换老化电线", (0.1, 0.8)),
    ("危旧桥梁栏杆破损", "限载限行，设置警示标志，修复栏杆", (0.5, 2.5)),
    ("柴草堆放紧靠灶房", "清理柴草，保持安全距离，配备灭火器", (0.0, 0.1)),
    ("村道急弯处视线遮挡", "清理路旁树木杂草，设置凸面镜和减速带", (0.2, 1.0)),
    ("留守老人住房电器线路老化", "党员联户上门更换线路和插座", (0.05, 0.3)),
    ("村级活动中心灭火器过期", "更换灭火器，明确专人每月检查", (0.05, 0.2)),
    ("溺水高发水域缺少警示牌和救生设施", "设置防溺水警示牌、救生杆和救生圈", (0.1, 0.5)),
)
COSTLY_ITEMS = tuple(spec for spec in VILLAGE_ITEMS if spec[2][1] >= 2.5)
VILLAGE_SPOTS = ("村部", "村小学旁", "老屋场", "山塘", "村主干道", "桥头", "集中居住点", "机耕道", "河湾", "祠堂")
TOWN_ITEMS = (
    ("商铺灭火器过期、数量不足", "限期更换、补足灭火器，纳入复查", (0.0, 0.2), ("集镇主街商铺", "农贸市场门店")),
    ("企业消防通道堆放杂物", "立即清理通道，落实企业安全生产主体责任", (0.0, 0.3), ("工业集中区企业", "粮油加工企业")),
    ("加油站卸油区防静电设施损坏", "停用卸油区，更换防静电接地装置后复用", (0.3, 1.2), ("井字加油站",)),
    ("液化气供应站钢瓶超期未检", "超期钢瓶全部退出使用，送检合格后再用", (0.2, 1.5), ("集镇液化气供应站",)),
    ("道路交叉口缺少减速和警示标志", "协调交通部门增设减速带和警示标志", (0.5, 2.0), ("S331井字段", "集镇主街路口")),
    ("学校周边道路护栏缺失", "增设护栏和人行横道，上下学时段安排劝导", (0.8, 3.0), ("井字中学门口", "井字小学门口")),
    ("农贸市场电线私拉乱接", "统一规范布线，加装漏电保护器", (0.3, 1.0), ("农贸市场",)),
    ("建筑工地临边防护缺失", "责令停工整改，补设临边防护和安全网", (0.2, 1.5), ("集镇建筑工地",)),
    ("敬老院厨房燃气管道老化", "更换燃气管道，加装燃气泄漏报警器", (0.3, 1.0), ("井字镇敬老院",)),
    ("烟花爆竹门店超量储存", "依法收缴超量部分，责令规范储存", (0.0, 0.1), ("集镇烟花爆竹门店",)),
)  # fmt: skip
TOWN_REVIEWER = LEADERS[5][0]  # 邓文清, 分管安全生产的副镇长
OVERDUE_NOTE = "整改资金尚未落实，已设置警示标志，正在协调镇村两级筹措资金。"
GRID_NOTE = "网格员日常巡查上报。"


def funds_in(rng, low_high):
    low, high = low_high
    return round(rng.uniform(low, high), 2)


def rectify(hazard, rng, place, month, may_wait):
    """Rectified in the month found or, if `may_wait`, the next one of the same year (never after the last complete
    month), before the deadline; verified a few days later, except some of the last month's."""
    last = place.this_year[-1]
    following = periods.add_months(month, 1)
    target = following if may_wait and following.year == month.year and following <= last else month
    if target == month:
        latest = min(month_end(month), place.last_end)
        hazard.rectified_on = hazard.found_on + timedelta(days=rng.randint(0, max((latest - hazard.found_on).days, 0)))
    else:
        hazard.rectified_on = following.replace(day=rng.randint(1, 20))
    hazard.deadline = min(hazard.rectified_on + timedelta(days=rng.randint(0, 10)), place.last_end)
    verified = min(hazard.rectified_on + timedelta(days=rng.randint(1, 7)), place.last_end)
    if (target == last and rng.random() < LAST_MONTH_UNVERIFIED) or verified == hazard.rectified_on:
        hazard.status = Status.RECTIFIED
    else:
        hazard.status, hazard.verified_on = Status.VERIFIED, verified
    return hazard


def town_hazards(place, actions, months, total, salt):
    """The town's own hazards: found every month by its inspection (now and then by a crackdown)."""
    rng = random.Random(f"{SEED}:town-hazards:{salt}")
    found = []
    by_month = {}
    for action in actions:
        if action.unit.pk == place.town.pk and action.kind in (INSPECTION, CRACKDOWN):
            by_month.setdefault(date(action.date.year, action.date.month, 1), []).append(action)
    for month, count in zip(months, even(total, months, rng), strict=True):
        inspection = next(a for a in by_month[month] if a.kind == INSPECTION)
        crackdowns = [a for a in by_month[month] if a.kind == CRACKDOWN]
        for number in range(count):
            action = crackdowns[0] if crackdowns and number == count - 1 and rng.random() < 0.5 else inspection
            item, measures, funds, spots = TOWN_ITEMS[rng.randrange(len(TOWN_ITEMS))]
            hazard = Hazard(
                unit=place.town, action=action, found_on=action.date, item=item, location=rng.choice(spots),
                measures=measures, funds=funds_in(rng, funds), responsible=rng.choice(CADRES[1:]),
                reviewer=TOWN_REVIEWER,
            )  # fmt: skip
            # The first of a month's hazards is always put right that month, so no month's count of rectified is 0.
            found.append(rectify(hazard, rng, place, month, number > 0 and rng.random() < TO_NEXT_MONTH))
    return found


def village_hazards(place, actions, plan):
    """Each village's hazards, found in its inspection months, most at a grid; some reported by a grid worker."""
    inspections = {}
    for action in actions:
        if action.kind == INSPECTION and action.unit.pk != place.town.pk:
            inspections.setdefault(action.unit.pk, []).append(action)
    this_year, last_year = [], []
    for name in plan:
        village = place.villages[name]
        for action in sorted(inspections.get(village.pk, []), key=lambda a: a.date):
            (this_year if action.date.year == place.year else last_year).append((name, action))
    rng = random.Random(f"{SEED}:village-hazards")
    counts = split(HAZARDS - TOWN_HAZARDS, [rng.uniform(0.7, 1.3) for _ in this_year])
    counts += split(LAST_YEAR_VILLAGE_HAZARDS, [rng.uniform(0.7, 1.3) for _ in last_year])
    overdue = dict(OVERDUE)
    hazards = []
    for (name, action), count in zip(this_year + last_year, counts, strict=True):
        village = place.villages[name]
        rng = random.Random(f"{SEED}:{name}:{action.date}:hazards")
        month = date(action.date.year, action.date.month, 1)
        latest = min(month_end(month), place.last_end)
        late = overdue.get(name, 0) if action.date.year < place.year else 0
        for number in range(max(count, late)):
            items = COSTLY_ITEMS if number < late else VILLAGE_ITEMS  # what waits for money is what costs money
            item, measures, funds = items[rng.randrange(len(items))]
            grids = place.grids.get(name) or [village]
            unit = rng.choice(grids) if rng.random() < 0.6 else village
            reported = unit is not village and rng.random() < 0.25
            found_on = action.date + timedelta(days=rng.randint(0, max(min(3, (latest - action.date).days), 0)))
            hazard = Hazard(
                unit=unit, action=None if reported else action, found_on=found_on, item=item,
                location=f"{unit.name}{rng.choice(VILLAGE_SPOTS)}", measures=measures, funds=funds_in(rng, funds),
                responsible=place.secretaries.get(name) or person_name(rng),
                reviewer=place.village_cadres.get(name, ""), note=GRID_NOTE if reported else "",
            )  # fmt: skip
            if number < late:
                hazard.status = Status.RECTIFYING
                hazard.deadline = min(found_on + timedelta(days=rng.randint(20, 35)), date(found_on.year, 12, 31))
                hazard.note = OVERDUE_NOTE
            else:
                # Last year's are put right the month they were found; this year's may take into the next month.
                wait = action.date.year == place.year and rng.random() < TO_NEXT_MONTH
                rectify(hazard, rng, place, month, wait)
            hazards.append(hazard)
    return hazards


def hazard_key(hazard):
    return (hazard.unit.pk, hazard.found_on, hazard.item, hazard.location)


def plan_hazards(place, actions, inspection_plan):
    town_last_year = round(TOWN_HAZARDS / len(place.this_year) * 12 * LAST_YEAR)
    planned = [
        *town_hazards(place, actions, place.last_year, town_last_year, place.year - 1),
        *town_hazards(place, actions, place.this_year, TOWN_HAZARDS, place.year),
        *village_hazards(place, actions, inspection_plan),
    ]
    seen, unique = set(), []
    for hazard in planned:  # two alike on one day at one place are one hazard: tell them apart by a number
        key, number = hazard_key(hazard), 1
        while key in seen:
            number += 1
            hazard.location = f"{hazard.location.split('（')[0]}（{number}）"
            key = hazard_key(hazard)
        seen.add(key)
        unique.append(hazard)
    return unique


def ensure_hazards(place, actions, inspection_plan):
    existing = Hazard.objects.filter(unit__path__startswith=place.town.path, found_on__gte=place.last_year[0])
    have = set(existing.values_list("unit_id", "found_on", "item", "location"))
    new = [hazard for hazard in plan_hazards(place, actions, inspection_plan) if hazard_key(hazard) not in have]
    Hazard.objects.bulk_create(new)
    return len(new)


# ── the whole load and its summary ──────────────────────────────────────────────────────────────────────────────


@transaction.atomic
def load_governance():
    """Create whatever is missing; return (place, {what: how many created})."""
    place = find_place()
    teams, created_teams = ensure_teams(place)
    created_members = ensure_members(place, teams)
    inspection_plan = village_inspection_months(place)
    actions, created_actions = ensure_actions(place, teams, inspection_plan)
    created = {
        "队伍": created_teams,
        "队员": created_members,
        "行动": created_actions,
        "隐患": ensure_hazards(place, actions, inspection_plan),
    }
    return place, created


def load(*, password, reset_passwords=False):
    """The demo protocol (see reports' load_demo command): load, and return what to print."""
    return summary(*load_governance())


def summary(place, created):
    under = {"unit__path__startswith": place.town.path}
    first, end = place.this_year[0], place.last_end
    teams = PatrolTeam.objects.filter(is_active=True, **under)
    members = PatrolMember.objects.filter(is_active=True, team__is_active=True, **under)
    actions = SafetyAction.objects.filter(date__gte=first, date__lte=end, **under)
    sums = actions.aggregate(umbrellas=Sum("umbrellas_removed"), helmets=Sum("helmet_persuasions"))
    found = Hazard.objects.filter(found_on__gte=first, found_on__lte=end, **under).count()
    rectified = Hazard.objects.filter(rectified_on__gte=first, rectified_on__lte=end, **under).count()
    overdue = Hazard.objects.filter(status__in=Hazard.OPEN_STATUSES, deadline__lt=timezone.localdate(), **under)
    made = "，".join(f"{label} {value}" for label, value in created.items())
    last = place.this_year[-1]
    return (
        f"安全生产：巡查队伍 {teams.count()} 支、队员 {members.count()} 人"
        f"（关联党员 {members.exclude(party_member=None).count()} 人）；{last.year} 年 1—{last.month} 月道路安全整治 "
        f"{actions.filter(kind=ROAD).count()} 次（拆除遮阳伞 {sums['umbrellas'] or 0} 把、劝导戴帽 "
        f"{sums['helmets'] or 0} 人次），打非治违 {actions.filter(kind=CRACKDOWN).count()} 次，隐患排查 "
        f"{actions.filter(kind=INSPECTION).count()} 次，发现隐患 {found} 处、整改 {rectified} 处，超期未整改 "
        f"{overdue.count()} 处；本次新建 {sum(created.values())} 条（{made}）。"
    )
