"""支部+基层治理 of the demo 井字镇 (`manage.py load_demo` runs this after branches, before reports): safety, and the
cases — mediation committees and disputes (22 rooms, 467 disputes mediated), petitions (16 resolved), checkpoints
(24, with 144 party members and cadres on duty), and a little 五个到户 life (visits, 民情台账, key persons).

What the article's third section says about 维护安全生产, as ledgers: six patrol teams of 镇村党员干部 kept by the town
(four for the areas, one for the 集镇, one for road safety), 78 members in all — town cadres and village party members,
the latter linked to their party record; the town's joint road-safety actions with the 派出所 (motorcycle sunshades
taken down, riders persuaded to wear helmets), its 打非治违 actions, its monthly hazard inspections and the villages'
own, and the hazard register in the 六定 form (项目、措施、资金、责任人、时限、验收人).

The figures are chosen so the monthly reports counted from these ledgers roll up to the article's (demo/article.py):
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
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from branches.models import Assignment, Cadre, GridWorker, HouseholdLink, PartyMember, PartyOrganisation, Unit
from demo.article import (
    CHECKPOINT_CADRES,
    CHECKPOINTS,
    CRACKDOWNS,
    DISPUTES,
    HAZARDS,
    HELMETS,
    INSPECTIONS,
    PATROL_CADRES,
    PATROL_TEAMS,
    PETITIONS_RESOLVED,
    ROAD_PARTNERS,
    ROAD_SAFETY,
    UMBRELLAS,
)
from demo.branches import AREA_LEADERS, AREAS, CADRES, LEADERS, VILLAGES, person_name
from demo.common import DemoMonths, days_in, demo_months, demo_villages, grids_of, month_end, split
from governance.models import (
    Checkpoint,
    CheckpointStaff,
    DisputeCase,
    DoorKnock,
    Hazard,
    KeeperRole,
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
from reports import periods
from reports.deadlines import limit_days

SEED = 431321102
TOWN_CODE = "431321102"

# The article's figures for this year, January to the last complete month (DESIGN §5), come from demo.article:
# ROAD_SAFETY (with the ROAD_PARTNERS), UMBRELLAS, HELMETS, CRACKDOWNS, INSPECTIONS (the town once a month, the
# villages the rest) and HAZARDS (all rectified); so do the patrol teams' PATROL_TEAMS and PATROL_CADRES.
TOWN_HAZARDS = 46  # of the HAZARDS, kept at the town itself (集镇、企业、S331); the villages and their grids the rest
MEMBERS_PER_TEAM = PATROL_CADRES // PATROL_TEAMS  # 6 teams × 13 = 78 (集合镇村党员干部78人组建6支巡查队伍)
CADRES_PER_TEAM = 2  # town cadres besides the team leader; the other ten are village party members

LAST_YEAR = 0.75  # last year's monthly pace against this year's
LAST_YEAR_INSPECTING_VILLAGES = 12  # villages that held an inspection of their own last year (once each)
LAST_YEAR_VILLAGE_HAZARDS = 30
OVERDUE = (("杨球村", 2), ("铜梁村", 1))  # last year's hazards still being rectified past their deadline
OVERDUE_MONTHS = (9, 10, 11)  # those villages inspected in autumn last year
TO_NEXT_MONTH = 0.3  # share of hazards rectified in the month after they were found (never across a year end)
LAST_MONTH_UNVERIFIED = 0.5  # share of the last month's rectified hazards not yet verified

ROAD, CRACKDOWN, INSPECTION, PATROL = (SafetyAction.Kind.ROAD_SAFETY, SafetyAction.Kind.CRACKDOWN,
                                       SafetyAction.Kind.INSPECTION, SafetyAction.Kind.PATROL)  # fmt: skip
Status = Hazard.Status


# ── arithmetic ──────────────────────────────────────────────────────────────────────────────────────────────────────


def even(total, months, rng):
    """`total` spread over `months` as evenly as whole numbers allow, the odd ones in seeded months."""
    return split(total, [rng.uniform(0.97, 1.03) for _month in months])


def last_year_total(total, months_this_year):
    return round(total / max(months_this_year, 1) * 12 * LAST_YEAR)


# ── where things are and who is who ─────────────────────────────────────────────────────────────────────────────────


@dataclass
class Place(DemoMonths):
    town: Unit
    villages: dict  # name → Unit, in the demo's village order
    grids: dict  # village name → [grid Unit]
    secretaries: dict  # village name → the village party organisation's secretary
    village_cadres: dict  # village name → the 联村干部 answering for it


def find_place():
    town, villages = demo_villages()
    grids = grids_of(town, villages)
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
    return Place(
        town=town,
        villages=villages,
        grids=grids,
        secretaries=secretaries,
        village_cadres=village_cadres,
        **demo_months(),
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
        **load_cases(place),
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
        f"{overdue.count()} 处；{cases_summary(place)}；本次新建 {sum(created.values())} 条（{made}）。"
    )


# ── 解决矛盾: mediation committees, disputes, petitions ─────────────────────────────────────────────────────────────
#
# 22个村(社区)均成立调解委员会、建立调解室，配备了1名法律顾问，联合“一村一辅警”……
# 调处纠纷467起，扎实推进16件信访积案化解.
# Every village keeps its committee and room (none at the town); the 467 disputes closed this year are spread evenly
# over the villages and months (two or three a village-month; last year one or two), most settled; the 16 petitions
# resolved this year are a few at the town and one each in a dozen villages, each with a town leader answering for
# it (包案).

# DISPUTES and PETITIONS_RESOLVED (this year) come from demo.article.
TOWN_PETITIONS = 4  # of the 16, kept at the town (in four different months)
PETITIONS_UNRESOLVED = 3
PENDING_DISPUTES = 6  # received in the last month, still being mediated
LEGAL_ADVISER = "龙志远"  # 配备了1名法律顾问: one lawyer for every committee
FAILED_SHARE, TRANSFERRED_SHARE = 0.04, 0.03

DISPUTE_KINDS = (  # (kind, summary, weight)
    (DisputeCase.Kind.NEIGHBOUR, "邻里之间因排水沟、滴水檐引发纠纷", 5),
    (DisputeCase.Kind.NEIGHBOUR, "邻居因禽畜散养损毁菜地发生口角", 4),
    (DisputeCase.Kind.FAMILY, "夫妻感情不和引发家庭矛盾", 3),
    (DisputeCase.Kind.SUPPORT, "兄弟间对老人赡养费用分摊有分歧", 3),
    (DisputeCase.Kind.LAND, "宅基地界址不清引发争执", 4),
    (DisputeCase.Kind.LAND, "承包地边界和流转租金纠纷", 3),
    (DisputeCase.Kind.FOREST, "山林权属和界址纠纷", 2),
    (DisputeCase.Kind.EXPROPRIATION, "道路拓宽占地补偿纠纷", 1),
    (DisputeCase.Kind.ENVIRONMENT, "养殖场异味和噪音影响邻居", 1),
    (DisputeCase.Kind.LABOUR, "建房务工工资拖欠纠纷", 2),
    (DisputeCase.Kind.OTHER, "交通事故赔偿纠纷", 1),
)
MEDIATION_STEPS = (
    "按“三三工作法”调处：村调委会当日受理、三日内上门了解情况，召集双方当面调解，必要时请法律顾问释法说理。"
)
PETITIONS = (  # title, progress when resolved
    ("老屋拆除补偿标准异议", "包案领导多次约访，核实面积后按政策补足补偿，信访人签字息访。"),
    ("山塘承包合同到期纠纷", "组织村民代表会议重新议定承包办法，双方达成协议。"),
    ("低保资格认定异议", "入户复核家庭经济状况，按程序纳入低保，信访人表示满意。"),
    ("修路占用责任田补偿", "协调施工方补足青苗补偿，调整剩余田块，矛盾化解。"),
    ("宅基地审批久拖未办", "镇自然资源所现场踏勘，依法完成审批，案结事了。"),
    ("企业拖欠务工人员工资", "联合劳动监察督促企业分期结清工资，信访人息访。"),
    ("林地界址多年争议", "调取林权档案，联合林业站现场勘界，双方签订协议。"),
    ("征地安置房分配异议", "公开复核分配程序，解释政策，信访人认可结果。"),
    ("退役军人待遇落实诉求", "对接县退役军人事务局落实相关待遇，信访人满意。"),
    ("村级财务公开诉求", "村务监督委员会逐项公开账目，答复信访人疑问。"),
    ("排水沟改道引发纠纷", "组织邻里协商，镇村出资改建排水沟，矛盾化解。"),
    ("医疗费用报销诉求", "协调医保部门核实报销，补发应报费用。"),
    ("危房改造补助诉求", "核实房屋等级，纳入改造计划并发放补助。"),
    ("集体土地流转收益分配异议", "召开村民代表大会明确分配方案并公示。"),
    ("饮水工程入户诉求", "实施管网延伸工程，通水到户。"),
    ("养殖污染投诉", "督促养殖户建设粪污处理设施并验收。"),
)
OPEN_PETITIONS = (
    ("祖坟迁移补偿诉求", PetitionCase.Status.IN_PROGRESS, "包案领导已两次约访，正在协调补偿方案。"),
    ("采砂损毁河堤赔偿诉求", PetitionCase.Status.IN_PROGRESS, "已委托第三方评估损失，待出结果。"),
    ("历史遗留房屋产权争议", PetitionCase.Status.OPEN, "已登记受理，正在调取档案。"),
)


def phone_number(rng):
    return f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"


ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(rng, gender="M"):
    """A well-formed (made-up) 18-digit ID of 双峰县: birth date, sequence with the gender's parity, check digit."""
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 50))
    sequence = rng.randrange(50) * 20 + rng.randrange(10) * 2 + (1 if gender == "M" else 0)
    body = f"431321{born:%Y%m%d}{sequence:03d}"
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True)) % 11]
    return body + check


def ensure_committees(place):
    """One committee with its room per village (the secretary its director), none at the town."""
    have = set(MediationCommittee.objects.filter(unit__in=place.villages.values()).values_list("unit_id", flat=True))
    new = []
    for name, village in place.villages.items():
        if village.pk in have:
            continue
        rng = random.Random(f"{SEED}:{name}:committee")
        members = "、".join(person_name(rng, gender=rng.choice("MF")) for _ in range(3))
        new.append(MediationCommittee(
            unit=village, name=f"{name}人民调解委员会", director=place.secretaries.get(name) or person_name(rng),
            members=members, room=f"{name}党群服务中心调解室", legal_adviser=LEGAL_ADVISER,
            auxiliary_police=person_name(rng),
            established_on=date(place.year - 1, rng.randint(2, 6), rng.randint(1, 28)),
        ))  # fmt: skip
    MediationCommittee.objects.bulk_create(new)
    return len(new)


def dispute_key(case):
    return (case.unit.pk, case.received_on, case.parties)


def plan_disputes(place):
    rng = random.Random(f"{SEED}:disputes")
    names = list(place.villages)
    years = (
        (place.last_year, last_year_total(DISPUTES, len(place.this_year))),  # last year at three quarters the pace
        (place.this_year, DISPUTES),
    )
    kinds, weights = DISPUTE_KINDS, [weight for _k, _s, weight in DISPUTE_KINDS]
    dispute_limit = timedelta(days=limit_days("dispute"))
    cases = []

    def case(village, received, closed, result, mediator):
        kind, summary, _weight = rng.choices(kinds, weights)[0]
        genders = [rng.choice("MF") for _ in range(2)]
        return DisputeCase(
            unit=village, kind=kind, summary=summary,
            parties="、".join(person_name(rng, gender=g) for g in genders),
            party_phones="、".join(phone_number(rng) for _ in genders),
            party_ids="、".join(id_number(rng, g) for g in genders),
            received_on=received, deadline=received + dispute_limit, mediator=mediator,
            steps=MEDIATION_STEPS if closed else "已受理，正在调查了解情况。", result=result, closed_on=closed,
        )  # fmt: skip

    for months, year_total in years:
        for name, count in zip(names, split(year_total, [rng.uniform(0.95, 1.05) for _ in names]), strict=True):
            village = place.villages[name]
            mediator = place.secretaries.get(name, "")
            for month, in_month in zip(months, even(count, months, rng), strict=True):
                for number, closed in enumerate(days_in(month, in_month, rng, place.last_end)):
                    received = max(closed - timedelta(days=rng.randint(0, 4)), month)
                    roll = rng.random() if number else 1  # a village-month's first case always ends in agreement
                    result = (DisputeCase.Result.FAILED if roll < FAILED_SHARE
                              else DisputeCase.Result.TRANSFERRED if roll < FAILED_SHARE + TRANSFERRED_SHARE
                              else DisputeCase.Result.SUCCESS)  # fmt: skip
                    cases.append(case(village, received, closed, result, mediator))
    last = place.this_year[-1]
    for name in rng.sample(names, PENDING_DISPUTES):
        (received,) = days_in(last, 1, rng, place.last_end)
        cases.append(
            case(place.villages[name], received, None, DisputeCase.Result.PENDING, place.secretaries.get(name, ""))
        )
    return cases


def ensure_disputes(place):
    existing = DisputeCase.objects.filter(unit__path__startswith=place.town.path)
    have = set(existing.values_list("unit_id", "received_on", "parties"))
    new = [case for case in plan_disputes(place) if dispute_key(case) not in have]
    DisputeCase.objects.bulk_create(new)
    return len(new)


def ensure_petitions(place):
    """16 backlog cases resolved this year (four at the town, one each in twelve villages) and three still open,
    each with a town leader answering for it; first petitioned last year."""
    rng = random.Random(f"{SEED}:petitions")
    taken_rng = random.Random(f"{SEED}:petitions:taken")
    petition_limit = timedelta(days=limit_days("petition"))
    leaders = list(Cadre.objects.filter(unit=place.town, is_leader=True).order_by("id"))
    villages = rng.sample(list(place.villages.values()), PETITIONS_RESOLVED - TOWN_PETITIONS + PETITIONS_UNRESOLVED)
    units = [place.town] * TOWN_PETITIONS + villages
    months = place.this_year
    town_months = [months[(k * len(months)) // TOWN_PETITIONS + 1] for k in range(TOWN_PETITIONS)]
    village_months = [months[k % len(months)] for k in range(PETITIONS_RESOLVED - TOWN_PETITIONS)]
    have = set(PetitionCase.objects.filter(unit__path__startswith=place.town.path).values_list("unit_id", "title"))
    new = []
    specs = [(title, PetitionCase.Status.RESOLVED, progress) for title, progress in PETITIONS] + list(OPEN_PETITIONS)
    for number, (unit, (title, status, progress)) in enumerate(zip(units, specs, strict=True)):
        received = date(place.year - 1, rng.randint(1, 12), rng.randint(1, 28))
        resolved = None
        if status == PetitionCase.Status.RESOLVED:
            month = (town_months + village_months)[number]
            (resolved,) = days_in(month, 1, rng, place.last_end)
        # taken on for resolution within the limit before it was resolved; the open ones lately, still in time
        days = taken_rng.randint(20, 50) if resolved else taken_rng.randint(0, 20)
        taken = max(received, (resolved or place.last_end) - timedelta(days=days))
        case = PetitionCase(
            unit=unit, title=title, petitioner=person_name(rng), petitioner_phone=phone_number(rng),
            received_on=received, taken_on=taken, deadline=taken + petition_limit,
            leader=leaders[number % len(leaders)] if leaders else None, status=status, progress=progress,
            resolved_on=resolved,
        )  # fmt: skip
        if (unit.pk, title) not in have:
            new.append(case)
    PetitionCase.objects.bulk_create(new)
    return len(new)


# ── 设卡管控: checkpoints and their rosters, the 春节 pass ledger ───────────────────────────────────────────────────
#
# 在村道路口及与外市(县)边界处设立卡点24个，动员140余名党员干部在重要节假日设卡管控，分级分类建立详细人员进出台账.

BORDER_CHECKPOINTS = (  # kept by the town
    ("S331井字—湘乡界卡点", "S331与湘乡市交界处"),
    ("井字—娄星界卡点", "县道与娄底市娄星区交界处"),
    ("井字—衡东界卡点", "乡道与衡阳市衡东县交界处"),
    ("井字—邵东界卡点", "乡道与邵阳市邵东市交界处"),
)
# CHECKPOINTS (24) and CHECKPOINT_CADRES (144: 140余名党员干部) come from demo.article.
VILLAGE_CHECKPOINTS = CHECKPOINTS - len(BORDER_CHECKPOINTS)  # one at the main road junction of twenty villages
STAFF_PER_CHECKPOINT = CHECKPOINT_CADRES // CHECKPOINTS  # 24 × 6 = 144 (140余名党员干部)
SHIFTS = ("春节 8:00—14:00", "春节 14:00—20:00", "国庆 8:00—14:00", "国庆 14:00—20:00", "清明 8:00—20:00")
SPRING_FESTIVAL = date(2026, 2, 17)
PASS_DAYS = 10  # records kept at the two busiest checkpoints over the ten days around 春节
PASSES_PER_DAY = 3
FROM_PLACES = ("广东深圳", "广东东莞", "浙江温州", "长沙", "湘乡市", "娄底市", "衡阳市", "邵阳市", "上海", "福建厦门")


def checkpoint_specs(place):
    """[(unit, name, kind, location, opened_on)]: the four border checkpoints, then twenty villages' own."""
    rng = random.Random(f"{SEED}:checkpoints")
    specs = [(place.town, name, Checkpoint.Kind.BORDER, where, date(place.year - 1, 1, 20))
             for name, where in BORDER_CHECKPOINTS]  # fmt: skip
    for name in rng.sample(list(place.villages), VILLAGE_CHECKPOINTS):
        opened = rng.choice((date(place.year - 1, 1, 22), date(place.year - 1, 9, 28), date(place.year, 2, 5)))
        specs.append((place.villages[name], f"{name}主路口卡点", Checkpoint.Kind.VILLAGE_ROAD, f"{name}村道主路口",
                      opened))  # fmt: skip
    return specs


def ensure_checkpoints(place):
    specs = checkpoint_specs(place)
    units = [unit for unit, *_rest in specs]
    stored = {(c.unit_id, c.name): c for c in Checkpoint.objects.filter(unit__in=units)}
    new = [Checkpoint(unit=unit, name=name, kind=kind, location=where, opened_on=opened)
           for unit, name, kind, where, opened in specs if (unit.pk, name) not in stored]  # fmt: skip
    Checkpoint.objects.bulk_create(new)
    stored = {(c.unit_id, c.name): c for c in Checkpoint.objects.filter(unit__in=units).select_related("unit")}
    return [stored[(unit.pk, name)] for unit, name, *_rest in specs], len(new)


def ensure_checkpoint_staff(place, checkpoints):
    """Six on each roster: town leaders and cadres at the border, the village's party members at its own."""
    town_people = iter([name for name, _p in LEADERS[1:]] + list(CADRES[1:]))
    prefix, by_unit = len(next(iter(place.villages.values())).path), {}
    for unit_path, name in (PartyMember.objects.filter(unit__path__startswith=place.town.path, is_active=True)
                          .order_by("unit__path", "name", "id").values_list("unit__path", "name")):  # fmt: skip
        by_unit.setdefault(unit_path[:prefix], []).append(name)
    have = set(CheckpointStaff.objects.filter(checkpoint__in=checkpoints).values_list("checkpoint_id", "name"))
    new = []
    for checkpoint in checkpoints:
        rng = random.Random(f"{SEED}:{checkpoint.name}:staff")
        if checkpoint.kind == Checkpoint.Kind.BORDER:
            names = [next(town_people) for _ in range(STAFF_PER_CHECKPOINT)]
        else:
            pool = sorted(set(by_unit.get(checkpoint.unit.path, [])))
            names = rng.sample(pool, STAFF_PER_CHECKPOINT) if len(pool) >= STAFF_PER_CHECKPOINT else pool
        for number, name in enumerate(names):
            if (checkpoint.pk, name) not in have:
                new.append(CheckpointStaff(unit=checkpoint.unit, checkpoint=checkpoint, name=name,
                                           shifts=SHIFTS[number % len(SHIFTS)]))  # fmt: skip
    CheckpointStaff.objects.bulk_create(new)
    return len(new)


def ensure_passes(place, checkpoints):
    """The in/out ledger of the two busiest border checkpoints over the ten days around 春节 2026."""
    new, have = [], set(PassRecord.objects.filter(checkpoint__in=checkpoints[:2]).values_list("checkpoint_id", "at"))
    first = SPRING_FESTIVAL - timedelta(days=PASS_DAYS // 2)
    for checkpoint in checkpoints[:2]:
        rng = random.Random(f"{SEED}:{checkpoint.name}:passes")
        for offset in range(PASS_DAYS):
            day = first + timedelta(days=offset)
            for hour in sorted(rng.sample(range(8, 20), PASSES_PER_DAY)):
                at = timezone.make_aware(datetime(day.year, day.month, day.day, hour, rng.randrange(60)))
                gender = rng.choice("MF")
                record = PassRecord(
                    unit=checkpoint.unit, checkpoint=checkpoint, at=at,
                    direction=PassRecord.Direction.IN if day <= SPRING_FESTIVAL else PassRecord.Direction.OUT,
                    person_name=person_name(rng, gender=gender), phone=phone_number(rng),
                    id_number=id_number(rng, gender), from_place=rng.choice(FROM_PLACES),
                    plate=f"湘K{rng.choice('ABCDEFGH')}{rng.randrange(10000):04d}" if rng.random() < 0.6 else "",
                )  # fmt: skip
                if (checkpoint.pk, at) not in have:
                    new.append(record)
    PassRecord.objects.bulk_create(new)
    return len(new)


# ── 五个到户: visits, the people's ledger, key persons (五包一) and door knocks ──────────────────────────────────────

VISITS = 240
ISSUES = 40
OPEN_ISSUES = 5
VISIT_RAISED = ("家中老人行动不便，希望帮忙办理高龄补贴", "反映门前排水沟堵塞", "咨询医保缴费和报销政策",
                "希望对接就近务工岗位", "反映组道路面破损", "咨询小额信贷和产业奖补政策", "反映自来水水压不足",
                "希望帮助销售自家种的红薯粉", "")  # fmt: skip
ISSUE_RESULTS = "党员联户上门对接，协调村委会和相关站所办理完毕，群众满意后销号。"
KEY_PERSONS = (  # (category, note)
    ("外地返乡", "春节前从广东返乡，落实健康监测。"),
    ("外地返乡", "从外省返乡务工人员，已完成摸排登记。"),
    ("居家监测", "居家健康监测，每日报告体温。"),
    ("外地返乡", "从长沙返乡探亲。"),
    ("居家监测", "独居老人，重点关注。"),
    ("外地返乡", "从浙江返乡，已纳入网格管理。"),
)
KNOCK_RESULT = "上门摸排返乡和健康情况，宣传疫情防控和防诈骗知识，发放倡议书。"


def ensure_visits_and_issues(place):
    rng = random.Random(f"{SEED}:visits")
    links = list(
        HouseholdLink.objects.filter(unit__path__startswith=place.town.path, member__is_active=True)
        .order_by("household__unit__path", "household__head_name", "member__name", "id")
        .values_list("member_id", "member__name", "household_id", "household__unit_id")
    )  # fmt: skip
    chosen = rng.sample(links, min(VISITS, len(links)))
    aspects = list(VisitLog.Aspect)
    visits, issues = [], []
    for number, (member_id, member_name, household_id, unit_id) in enumerate(chosen):
        month = place.this_year[number % len(place.this_year)]
        (day,) = days_in(month, 1, rng, place.last_end)
        raised = rng.choice(VISIT_RAISED)
        visits.append(VisitLog(unit_id=unit_id, member_id=member_id, household_id=household_id, date=day,
                               aspect=rng.choice(aspects), raised=raised))  # fmt: skip
        if raised and len(issues) < ISSUES:
            issues.append(PeopleIssue(unit_id=unit_id, household_id=household_id, raised_on=day, content=raised,
                                      handler=member_name))  # fmt: skip
    for number, issue in enumerate(issues):
        if number < len(issues) - OPEN_ISSUES:
            issue.status, issue.result = PeopleIssue.Status.CLOSED, ISSUE_RESULTS
            issue.closed_on = min(issue.raised_on + timedelta(days=rng.randint(3, 20)), place.last_end)
    have_visits = set(VisitLog.objects.filter(unit__path__startswith=place.town.path)
                      .values_list("member_id", "household_id", "date"))  # fmt: skip
    have_issues = set(PeopleIssue.objects.filter(unit__path__startswith=place.town.path)
                      .values_list("household_id", "raised_on", "content"))  # fmt: skip
    new_visits = [v for v in visits if (v.member_id, v.household_id, v.date) not in have_visits]
    new_issues = [i for i in issues if (i.household_id, i.raised_on, i.content) not in have_issues]
    VisitLog.objects.bulk_create(new_visits)
    PeopleIssue.objects.bulk_create(new_issues)
    return len(new_visits), len(new_issues)


def ensure_key_persons(place):
    """Six key persons in six villages, each with his five keepers (五包一) and a few door knocks."""
    rng = random.Random(f"{SEED}:key-persons")
    roles = list(KeeperRole.objects.order_by("order", "id")[:5])
    names = rng.sample(list(place.villages), len(KEY_PERSONS))
    prefix, workers = len(next(iter(place.villages.values())).path), {}
    for unit_path, name in (
        GridWorker.objects.filter(unit__path__startswith=place.town.path)
        .order_by("unit__path", "id")
        .values_list("unit__path", "name")
    ):
        workers.setdefault(unit_path[:prefix], name)
    stored = {(p.unit_id, p.name): p for p in KeyPerson.objects.filter(unit__in=place.villages.values())}
    plan, new_people = [], []
    for village_name, (category, note) in zip(names, KEY_PERSONS, strict=True):
        village = place.villages[village_name]
        gender = rng.choice("MF")
        person = KeyPerson(
            unit=village, name=person_name(rng, gender=gender), id_number=id_number(rng, gender),
            phone=phone_number(rng), category=category, since=date(place.year, 2, rng.randint(1, 12)), note=note,
        )  # fmt: skip
        if category == "外地返乡" and rng.random() < 0.5:
            person.released_on = person.since + timedelta(days=14)
        keepers = [place.village_cadres.get(village_name) or person_name(rng),
                   place.secretaries.get(village_name) or person_name(rng),
                   workers.get(village.path) or person_name(rng), person_name(rng), person_name(rng)]  # fmt: skip
        plan.append((village, person, keepers))
        if (village.pk, person.name) not in stored:
            new_people.append(person)
    KeyPerson.objects.bulk_create(new_people)
    stored = {(p.unit_id, p.name): p for p in KeyPerson.objects.filter(unit__in=place.villages.values())}
    have_keepers = set(KeyPersonKeeper.objects.filter(person__in=stored.values()).values_list("person_id", "role_id"))
    have_knocks = set(DoorKnock.objects.filter(unit__in=place.villages.values()).values_list("unit_id", "date", "by"))
    keepers, knocks = [], []
    for village, planned, names_of_keepers in plan:
        person = stored[(village.pk, planned.name)]
        for role, keeper in zip(roles, names_of_keepers, strict=False):
            if (person.pk, role.pk) not in have_keepers:
                keepers.append(KeyPersonKeeper(unit=village, person=person, role=role, keeper_name=keeper,
                                               phone=phone_number(rng)))  # fmt: skip
        for offset, by in ((0, names_of_keepers[2]), (7, names_of_keepers[1])):
            day = person.since + timedelta(days=offset)
            if (village.pk, day, by) not in have_knocks:
                knocks.append(DoorKnock(unit=village, date=day, person=person, by=by, result=KNOCK_RESULT))
    KeyPersonKeeper.objects.bulk_create(keepers)
    DoorKnock.objects.bulk_create(knocks)
    return len(new_people), len(keepers), len(knocks)


def load_cases(place):
    """The rest of 支部+基层治理 after safety: {what: how many created}."""
    checkpoints, created_checkpoints = ensure_checkpoints(place)
    visits, issues = ensure_visits_and_issues(place)
    people, keepers, knocks = ensure_key_persons(place)
    return {
        "调解委员会": ensure_committees(place),
        "纠纷": ensure_disputes(place),
        "信访积案": ensure_petitions(place),
        "卡点": created_checkpoints,
        "值守人员": ensure_checkpoint_staff(place, checkpoints),
        "进出登记": ensure_passes(place, checkpoints),
        "走访": visits,
        "民情": issues,
        "重点人员": people,
        "五包一": keepers,
        "敲门": knocks,
    }


def cases_summary(place):
    under = {"unit__path__startswith": place.town.path}
    first, end = place.this_year[0], place.last_end
    rooms = MediationCommittee.objects.exclude(room="").filter(**under).count()
    settled = DisputeCase.objects.filter(closed_on__gte=first, closed_on__lte=end, **under).exclude(
        result=DisputeCase.Result.PENDING
    )
    resolved = PetitionCase.objects.filter(
        status=PetitionCase.Status.RESOLVED, resolved_on__gte=first, resolved_on__lte=end, **under
    )
    standing = Checkpoint.objects.filter(closed_on=None, **under)
    staff = CheckpointStaff.objects.filter(checkpoint__in=standing, is_active=True)
    return (
        f"调解室 {rooms} 个，调处纠纷 {settled.count()} 起（成功 "
        f"{settled.filter(result=DisputeCase.Result.SUCCESS).count()} 起），化解信访积案 {resolved.count()} 件，"
        f"卡点 {standing.count()} 个（值守党员干部 {staff.count()} 人）"
    )
