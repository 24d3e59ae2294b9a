"""支部+文明实践 of the demo 井字镇 (`manage.py load_demo` runs this after branches, before reports).

What the article's fourth section says, as ledgers: 23 新时代文明实践所(站) — the town's 实践所 (its 所长 is the
党委书记, the `leader` login) and one 站 in every village and community, two of them (示例村四, 示例村五) built only
last year; 22 volunteer teams, two of them the town's professional teams (the “和森故里，红色井字”红色宣讲队 and the
卫生院's medical team), the other twenty one per village (the two newest stations have none yet); the volunteers —
the professional teams' members at the town, in the villages about a third of them the village's party members —
each in at most two teams of his station; activities of the article's kinds (理论宣讲, 助力春耕, “三留一困”关爱,
破冰除雪, 疫情防控, 反电信诈骗宣传, 学雷锋, 人居环境整治) in their seasons, with the volunteers who took part and
their hours, approved by the station's manager (the station logins `tongliang_zhan` and `yangqiu_zhan`, elsewhere the
village's secretary); this month's activities, the last two weeks' hours still waiting for approval; next month's
plans for the calendar; two cancelled.

The figures are chosen so the monthly reports counted from these ledgers roll up to the article's (demo/article.py): at
the end of the last complete month 23 stations, 22 teams (2 professional) and exactly 980 registered volunteers (a few
joined this year; a handful who left keep their records but are not counted); this year, January to the last complete
month, 120 activities held (100多场次) serving 10,650 people (1万余人次), split exactly by a deterministic partition.
The reports flag a month far above a unit's median month, or zero where the median is not, so a unit either acts
every month at an even pace — the town (two a month: a 宣讲 and the medical team's round) and five villages (one a
month), with a steady number of volunteers and hours — or in at most one month of any four (every fourth month, its
own phase), so that its median month stays 0. Last year runs the same way, each activity serving about 85 % of this
year's people. Everything is found again by a natural key (a station's unit, a team's name in its unit, a
volunteer's name in his unit, an activity's unit, start and title), so loading twice changes nothing; a volunteer's
teams and an activity's participants are written with the record they belong to.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from PIL import Image, ImageDraw

from branches.models import PartyMember, PartyOrganisation, Photo, Unit, User
from branches.photos import photos_attach, photos_of
from demo.article import ACTIVITIES, ACTIVITY_KINDS, GUANGJIA, LECTURERS, PEOPLE_SERVED, VOLUNTEERS
from demo.branches import (
    CADRES,
    LEADERS,
    VILLAGES,
    chinese_number,
    ensure_passwords,
    ensure_user,
    person_name,
    table,
)
from demo.common import DemoMonths, days_in, demo_months, demo_villages, month_index, split
from reports import periods
from volunteers.models import Activity, ActivityType, Participation, Station, Volunteer, VolunteerTeam

SEED = 431321102
TOWN_CODE = "431321102"

# The article's figures (DESIGN §5) come from demo.article: VOLUNTEERS (980, at the end of the last complete month),
# ACTIVITIES (100多场次) and PEOPLE_SERVED (1万余人次) this year up to it; so do the activity kinds, the 宣讲队
# (LECTURERS) and the 光甲堂 (GUANGJIA).

LAST_YEAR_PEOPLE = 0.85  # last year's people served per activity against this year's
TOWN_PER_MONTH = 2  # the town: a 宣讲 by the 宣讲队 and a round by the medical team, every month
REGULAR = ("关圣殿社区", "铜梁村", "杨球村", "长湾村", "增峰村")  # one activity every month
EVERY = 4  # the other villages act in every fourth month (their own phase), so their median month stays 0
NEW_STATIONS = {"示例村四": (4, 16), "示例村五": (6, 20)}  # built last year (month, day); no team yet
VOLUNTEERS_AT_TOWN = 45  # the professional teams' members, registered at the town
JOINED_THIS_YEAR = 24
LEFT = 6  # left (注销) last year or this year: not in the 980
PARTY_SHARE = (0.28, 0.4)  # of a village's volunteers who are its party members
IN_TEAM = 0.75  # of a village's volunteers who are in its team
REJECTED = 0.01  # hours not approved (did not turn up)
PENDING_DAYS = 14  # hours of the last two weeks are still waiting for the station's approval

STATION_LOGINS = {"铜梁村": "tongliang_zhan", "杨球村": "yangqiu_zhan"}  # secretary role, the station's manager
TOWN_STATION = "井字镇新时代文明实践所"
MEDICS = "井字镇医疗卫生志愿服务队"

HELD, PLANNED, CANCELLED = Activity.Status.HELD, Activity.Status.PLANNED, Activity.Status.CANCELLED
APPROVED, PENDING, REJECTED_STATUS = (Participation.Status.APPROVED, Participation.Status.PENDING,
                                      Participation.Status.REJECTED)  # fmt: skip

XUANJIANG, CHUNGENG, GUANAI, CHUXUE, YIQING, FANZHA, LEIFENG, HUANJING = ACTIVITY_KINDS  # the article's eight
QITA = "其他"


KINDS = (XUANJIANG, CHUNGENG, GUANAI, CHUXUE, YIQING, FANZHA, LEIFENG, HUANJING, QITA)


def activity_types():
    """{name: type} of the article's activity types. Migration 0002 adds them, but a test database flushed between
    transactional tests has lost them, and the demo must still load there."""
    for order, name in enumerate(KINDS, start=1):
        ActivityType.objects.get_or_create(name=name, defaults={"order": order * 10})
    return {kind.name: kind for kind in ActivityType.objects.all()}


# ── arithmetic ──────────────────────────────────────────────────────────────────────────────────────────────────────


def level(name, what):
    """A village's own level for something (0.85–1.15), the same every year."""
    return random.Random(f"{SEED}:{name}:{what}:level").uniform(0.85, 1.15)


def phone_number(rng):
    return f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


# ── where things are and who is who ─────────────────────────────────────────────────────────────────────────────────


@dataclass
class Place(DemoMonths):
    town: Unit
    villages: dict  # name → Unit, in the demo's village order
    today: date

    @property
    def current(self):
        """The month under way (after the last complete one)."""
        return periods.add_months(self.this_year[-1], 1)


def find_place():
    town, villages = demo_villages()
    return Place(
        town=town,
        villages=villages,
        **demo_months(),
        today=timezone.localdate(),
    )


def committee_names(place):
    """{village name: (secretary, first committee member)} from the village party organisations."""
    units = {village.pk: name for name, village in place.villages.items()}
    names = {}
    for organisation in PartyOrganisation.objects.filter(unit__in=place.villages.values()).order_by("id"):
        lines = [line.split("（")[0].strip() for line in organisation.committee.splitlines() if line.strip()]
        secretary = organisation.secretary_name or (lines[0] if lines else "")
        member = next((name for name in lines if name != secretary), secretary)
        names.setdefault(units[organisation.unit_id], (secretary, member))
    return names


# ── the station logins ──────────────────────────────────────────────────────────────────────────────────────────────


def ensure_station_logins(place, password, reset):
    """`tongliang_zhan` and `yangqiu_zhan`: secretary-role logins of their village, made the station's manager."""
    logins = [
        ensure_user(username, User.Role.SECRETARY, place.villages[name], f"{name}文明实践站 站长")
        for name, username in STATION_LOGINS.items()
        if name in place.villages
    ]
    ensure_passwords(logins, password, reset)
    return logins


def station_managers(place):
    """{unit pk: User}: the town's 实践所 is the `leader`'s (党委书记兼所长); a village's station is its station
    login's, else its secretary's (the first secretary login of the village)."""
    admin = User.objects.filter(username="admin").first()
    managers = {place.town.pk: User.objects.filter(username="leader").first() or admin}
    by_username = {user.username: user for user in User.objects.filter(username__in=STATION_LOGINS.values())}
    secretaries = User.objects.filter(role=User.Role.SECRETARY, unit__in=place.villages.values(), is_active=True)
    first = {}
    for user in secretaries.exclude(username__in=STATION_LOGINS.values()).order_by("id"):
        first.setdefault(user.unit_id, user)
    for name, village in place.villages.items():
        managers[village.pk] = by_username.get(STATION_LOGINS.get(name)) or first.get(village.pk)
    return managers


# ── stations and teams ──────────────────────────────────────────────────────────────────────────────────────────────

OPENING_HOURS = ("周一至周五 8:30—12:00，14:30—17:30", "周一至周六 9:00—17:00", "每周二、四、六 9:00—17:00")


def plan_stations(place, managers):
    """[Station]: the town's 实践所 (2021) and one 站 per village (2021–2022; the two newest last year)."""
    rng = random.Random(f"{SEED}:stations")
    committees = committee_names(place)
    stations = [
        Station(
            unit=place.town, name=TOWN_STATION, address="井字镇人民政府综合楼二楼（集镇主街）",
            opening_hours=OPENING_HOURS[0], person_in_charge=LEADERS[0][0],
            phone=f"0738-68{rng.randrange(10**5):05d}", manager=managers.get(place.town.pk),
            established_on=date(2021, 3, 26),
        )
    ]  # fmt: skip
    for name, village in place.villages.items():
        if name in NEW_STATIONS:
            established = date(place.year - 1, *NEW_STATIONS[name])
        else:
            established = date(2021, 4, 1) + timedelta(days=rng.randrange(630))
        address = f"{name}党群服务中心" + ("（蔡和森蔡畅故居旁）" if name == "杨球村" else "")
        stations.append(
            Station(
                unit=village, name=f"{name}新时代文明实践站", address=address,
                opening_hours=rng.choice(OPENING_HOURS), person_in_charge=committees.get(name, ("", ""))[1]
                or person_name(rng), phone=phone_number(rng), manager=managers.get(village.pk),
                established_on=established,
            )
        )  # fmt: skip
    return stations


def ensure_stations(place, managers):
    """{unit pk: Station}, the missing ones created."""
    stored = {station.unit_id: station for station in Station.objects.filter(unit__path__startswith=place.town.path)}
    new = [station for station in plan_stations(place, managers) if station.unit.pk not in stored]
    Station.objects.bulk_create(new)
    stored.update({station.unit.pk: station for station in new})
    return stored, len(new)


TEAM_NAMES = {"关圣殿社区": "关圣殿社区“红色井字”志愿服务队", "杨球村": "杨球村“光甲堂”志愿服务队",
              "铜梁村": "铜梁村党员志愿服务队"}  # fmt: skip
VILLAGE_TEAM = "以村党组织为单位组建，党员带头：理论宣讲、人居环境整治、“三留一困”关爱、助力春耕、破冰除雪等志愿服务。"
PROFESSIONAL = {
    LECTURERS: (LEADERS[2][0], date(2021, 7, 1),
                "“和森故里，红色井字”红色宣讲队：镇村党员干部、退休教师和蔡和森蔡畅故居讲解员组成，讲好和森故事，"
                "推动党的创新理论往深里走、往心里走、往实里走。"),
    MEDICS: ("贺春林", date(2022, 3, 5),
             "镇卫生院和村卫生室医务人员组成：健康义诊、疫苗接种和疫情防控宣传，为“三留一困”人员上门服务。"),
}  # fmt: skip


def team_name(village_name):
    return TEAM_NAMES.get(village_name, f"{village_name}志愿服务队")


def plan_teams(place, stations):
    """[VolunteerTeam]: the town's two professional teams and one team per village with a station of long standing."""
    teams = [
        VolunteerTeam(unit=place.town, name=name, station=stations[place.town.pk], is_professional=True,
                      leader_name=leader, founded_on=founded, description=description)
        for name, (leader, founded, description) in PROFESSIONAL.items()
    ]  # fmt: skip
    latest = date(place.year - 1, 9, 30)
    for name, village in place.villages.items():
        if name in NEW_STATIONS:
            continue
        rng = random.Random(f"{SEED}:{name}:team")
        station = stations[village.pk]
        founded = min(station.established_on + timedelta(days=rng.randint(15, 300)), latest)
        teams.append(VolunteerTeam(unit=village, name=team_name(name), station=station,
                                   leader_name=station.person_in_charge, founded_on=founded,
                                   description=VILLAGE_TEAM))  # fmt: skip
    return teams


def ensure_teams(place, stations):
    """{(unit pk, name): VolunteerTeam}, the missing ones created."""
    existing = VolunteerTeam.objects.filter(unit__path__startswith=place.town.path)
    stored = {(team.unit_id, team.name): team for team in existing}
    new = [team for team in plan_teams(place, stations) if (team.unit.pk, team.name) not in stored]
    VolunteerTeam.objects.bulk_create(new)
    stored.update({(team.unit.pk, team.name): team for team in new})
    return stored, len(new)


# ── volunteers ──────────────────────────────────────────────────────────────────────────────────────────────────────

SKILLS = ("文艺演出", "广场舞", "书法", "摄影", "农业技术", "电工维修", "驾驶", "医疗护理", "法律咨询", "心理疏导",
          "厨艺", "理发", "家电维修", "网络直播", "反诈宣传", "红色讲解", "应急救援", "理论宣讲")  # fmt: skip
LECTURER_SKILLS = ("理论宣讲", "红色讲解", "党史教育", "宣讲稿撰写", "主持")
MEDIC_SKILLS = ("临床医疗", "护理", "中医推拿", "药剂", "公共卫生", "康复理疗")


@dataclass
class VolunteerPlan:
    unit: Unit
    name: str
    gender: str
    phone: str
    skills: str
    joined_on: date
    member: PartyMember | None = None
    left_on: date | None = None
    teams: list = field(default_factory=list)  # team names, all of the volunteer's station

    def registered_on(self, day):
        return self.joined_on <= day and (self.left_on is None or self.left_on > day)


def skills_of(rng, pool, at_least=0):
    count = rng.choices((0, 1, 2), weights=(0, 3, 2) if at_least else (3, 5, 2))[0]
    return "、".join(rng.sample(pool, count))


def fresh_name(rng, used, gender):
    for _attempt in range(50):
        name = person_name(rng, gender=gender)
        if name not in used:
            break
    used.add(name)
    return name


def joined_between(rng, first, last):
    return first + timedelta(days=rng.randrange(max((last - first).days, 1)))


def town_volunteers(place):
    """The professional teams' members: the 宣讲队's leader and six 联村干部 with lecturers and guides, the medical
    team's doctors and nurses; a few of the medical team lecture too."""
    rng = random.Random(f"{SEED}:town:volunteers")
    lecturers, medics, both = 24, VOLUNTEERS_AT_TOWN - 24, 3
    used, plans = set(), []
    names = [LEADERS[2][0], *CADRES[1:7]]
    genders = "MMMMFMM"  # 彭建军 刘国平 李建华 陈志明 周桂香 蔡立军 贺小兵
    for number in range(lecturers):
        gender = genders[number] if number < len(names) else rng.choice("MF")
        name = names[number] if number < len(names) else fresh_name(rng, used, gender)
        used.add(name)
        plans.append(VolunteerPlan(
            unit=place.town, name=name, gender=gender, phone=phone_number(rng),
            skills=skills_of(rng, LECTURER_SKILLS, at_least=1), teams=[LECTURERS],
            joined_on=joined_between(rng, PROFESSIONAL[LECTURERS][1], date(place.year - 1, 6, 30)),
        ))  # fmt: skip
    for number in range(medics):
        gender = "M" if number == 0 else "F" if rng.random() < 0.6 else "M"
        name = PROFESSIONAL[MEDICS][0] if number == 0 else fresh_name(rng, used, gender)
        used.add(name)
        teams = [MEDICS, LECTURERS] if number < both else [MEDICS]
        plans.append(VolunteerPlan(
            unit=place.town, name=name, gender=gender, phone=phone_number(rng),
            skills=skills_of(rng, MEDIC_SKILLS, at_least=1), teams=teams,
            joined_on=joined_between(rng, PROFESSIONAL[MEDICS][1], date(place.year - 1, 6, 30)),
        ))  # fmt: skip
    return plans


def village_counts(place):
    """{village name: volunteers registered at the end of the last complete month}: 980 less the town's."""
    names = list(place.villages)
    grids = {spec.name: spec.grids for spec in VILLAGES}
    weights = [grids.get(name, 5) * level(name, "volunteers") * (0.6 if name in NEW_STATIONS else 1) for name in names]
    return dict(zip(names, split(VOLUNTEERS - VOLUNTEERS_AT_TOWN, weights), strict=True))


def village_volunteers(place, stations, teams):
    """Each village's volunteers (a third or so its party members), most in its team; some joined this year and a
    few left, the registered ones at the last complete month's end being its share of the 980."""
    counts = village_counts(place)
    rng = random.Random(f"{SEED}:volunteers:turnover")
    names = list(place.villages)
    joiners = dict.fromkeys(names, 0)
    for name in rng.choices(names, k=JOINED_THIS_YEAR):
        joiners[name] += 1
    leavers = dict.fromkeys(names, 0)
    for name in rng.sample([n for n in names if n not in NEW_STATIONS], LEFT):
        leavers[name] += 1
    members = {}
    active = PartyMember.objects.filter(unit__in=place.villages.values(), is_active=True)
    for member in active.order_by("unit__path", "name", "id"):
        members.setdefault(member.unit_id, []).append(member)
    first_this_year, plans = place.this_year[0], []
    for name, village in place.villages.items():
        rng = random.Random(f"{SEED}:{name}:volunteers")
        station = stations[village.pk]
        team = team_name(name) if (village.pk, team_name(name)) in teams else None
        count = counts[name] + leavers[name]
        pool = members.get(village.pk, [])
        chosen = rng.sample(pool, min(len(pool), round(count * rng.uniform(*PARTY_SHARE))))
        used, people = set(), []
        for member in chosen:
            if member.name not in used:
                used.add(member.name)
                people.append((member.name, member.gender or "M", member))
        while len(people) < count:
            gender = "M" if rng.random() < 0.5 else "F"
            people.append((fresh_name(rng, used, gender), gender, None))
        joined_by = date(place.year - 1, 12, 31)
        for number, (person, gender, member) in enumerate(people):
            plan = VolunteerPlan(
                unit=village, name=person, gender=gender, phone=(member.phone if member and member.phone else "")
                or phone_number(rng), skills=skills_of(rng, SKILLS), member=member,
                joined_on=joined_between(rng, station.established_on, joined_by),
                teams=[team] if team and rng.random() < IN_TEAM else [],
            )  # fmt: skip
            if number >= count - joiners[name] - leavers[name] and number < count - leavers[name]:
                plan.joined_on = joined_between(rng, first_this_year, place.last_end)
            elif number >= count - leavers[name]:
                plan.joined_on = joined_between(rng, station.established_on, date(place.year - 2, 12, 31))
                plan.left_on = joined_between(rng, date(place.year - 1, 3, 1), place.last_end)
            plans.append(plan)
    return plans


def plan_volunteers(place, stations, teams):
    return town_volunteers(place) + village_volunteers(place, stations, teams)


def ensure_volunteers(place, stations, teams):
    """(the planned volunteers, {(unit pk, name): Volunteer pk}, how many were created); a new volunteer's teams are
    written with him."""
    plans = plan_volunteers(place, stations, teams)
    existing = Volunteer.objects.filter(unit__path__startswith=place.town.path)
    have = set(existing.values_list("unit_id", "name"))
    new_plans = [plan for plan in plans if (plan.unit.pk, plan.name) not in have]
    new = [
        Volunteer(unit=plan.unit, name=plan.name, gender=plan.gender, phone=plan.phone, skills=plan.skills,
                  party_member=plan.member, joined_on=plan.joined_on, left_on=plan.left_on,
                  is_active=plan.left_on is None)
        for plan in new_plans
    ]  # fmt: skip
    Volunteer.objects.bulk_create(new)
    Volunteer.teams.through.objects.bulk_create(
        [
            Volunteer.teams.through(volunteer_id=volunteer.pk, volunteerteam_id=teams[(plan.unit.pk, team)].pk)
            for plan, volunteer in zip(new_plans, new, strict=True)
            for team in plan.teams
        ]
    )
    ids = dict(((unit, name), pk) for pk, unit, name in existing.values_list("pk", "unit_id", "name"))
    return plans, ids, len(new)


# ── activities ──────────────────────────────────────────────────────────────────────────────────────────────────────

# What a village does in each month (January … December), with weights: the article's kinds in their seasons.
SEASON = (
    {CHUXUE: 4, YIQING: 3, GUANAI: 3, HUANJING: 2},  # 春节: 除雪, 返乡, 慰问, 大扫除
    {CHUXUE: 4, YIQING: 3, GUANAI: 2, FANZHA: 2},
    {LEIFENG: 6, CHUNGENG: 3, XUANJIANG: 1},  # 学雷锋月, 春耕
    {CHUNGENG: 5, HUANJING: 2, XUANJIANG: 2},
    {CHUNGENG: 4, FANZHA: 2, HUANJING: 2},
    {FANZHA: 3, HUANJING: 3, GUANAI: 2},
    {GUANAI: 4, XUANJIANG: 3, HUANJING: 2},  # 暑期留守儿童, 七一
    {GUANAI: 3, FANZHA: 3, HUANJING: 3},
    {XUANJIANG: 3, FANZHA: 3, HUANJING: 2},  # 网络安全宣传周
    {GUANAI: 4, XUANJIANG: 3, HUANJING: 2},  # 重阳
    {XUANJIANG: 3, FANZHA: 3, YIQING: 2},
    {XUANJIANG: 3, GUANAI: 3, CHUXUE: 2},
)
TITLES = {
    XUANJIANG: ("新时代文明实践理论宣讲进村组", "党的创新理论“微宣讲”", "“和森故事”百姓宣讲会", "红色家风故事会"),
    CHUNGENG: ("党员志愿者助力春耕生产", "帮扶留守户春耕备耕", "农技志愿服务进田间"),
    GUANAI: ("“三留一困”人员走访关爱", "留守儿童关爱课堂", "为留守老人上门理发义诊", "敬老孝老志愿服务"),
    CHUXUE: ("破冰除雪保畅通", "清除村道积雪暗冰"),
    YIQING: ("疫情防控知识入户宣传", "返乡人员健康服务"),
    FANZHA: ("反电信诈骗宣传进村入户", "守好“钱袋子”反诈宣传进集市", "全民反诈知识讲座"),
    LEIFENG: ("学雷锋志愿服务日", "“学雷锋·文明实践”志愿服务"),
    HUANJING: ("人居环境整治志愿清扫", "“三边三清”志愿服务", "房前屋后清杂物"),
    QITA: ("文明实践文艺汇演",),
}
DESCRIPTIONS = {
    XUANJIANG: "党员干部和宣讲员进村组、到院落，用身边事讲政策、讲和森故事，推动党的创新理论往心里走。",
    CHUNGENG: "志愿者帮缺劳力的留守户育秧、犁田、送农资，农技员现场指导。",
    GUANAI: "走访留守老人、留守儿童、留守妇女和困难群众，送去慰问品，帮忙解决实际困难。",
    CHUXUE: "组织党员志愿者清除村道、桥面和学校门口积雪暗冰，撒盐防滑，保障群众出行安全。",
    YIQING: "入户宣传疫情防控和疫苗接种知识，为返乡人员做好健康服务。",
    FANZHA: "讲解电信诈骗常见手法，帮助群众安装国家反诈中心App，发放宣传资料。",
    LEIFENG: "弘扬雷锋精神：义务理发、家电维修、健康咨询、清扫公共区域。",
    HUANJING: "党员干部带头、志愿者分片负责，清理房前屋后、路边水边的垃圾杂物。",
    QITA: "村民自编自演文艺节目，宣传文明新风。",
}
HOURS = {XUANJIANG: 2, CHUNGENG: 3.5, GUANAI: 2.5, CHUXUE: 3, YIQING: 2.5, FANZHA: 2, LEIFENG: 3, HUANJING: 3,
         QITA: 2}  # fmt: skip
PEOPLE = {XUANJIANG: 1.2, CHUNGENG: 0.7, GUANAI: 0.7, CHUXUE: 0.9, YIQING: 1.2, FANZHA: 1.3, LEIFENG: 1.1,
          HUANJING: 0.9, QITA: 1.0}  # fmt: skip
VILLAGE_PEOPLE, LECTURE_PEOPLE, MEDIC_PEOPLE = 70, 150, 110  # a village's usual activity, the town's two kinds
# Where the 宣讲队 goes, in turn.
TOUR = ("杨球村", "铜梁村", "关圣殿社区", "长湾村", "增峰村", "黄巢村", "坪石村", "同德村", "世仁村", "万里村",
        "莲塘村", "石奇村", "花桥村", "花山村", "三石村", "约溪村", "松柏村")  # fmt: skip
MEDICAL_ROUND = "镇卫生院医务志愿者为群众量血压、测血糖、送医送药，上门看望行动不便的老人。"


@dataclass
class ActivityPlan:
    unit: Unit
    type: str
    title: str
    day: date
    place: str
    team: str | None  # team name (of the unit)
    status: str = HELD
    start: tuple = (9, 0)
    description: str = ""
    weight: float = 1.0  # people served, before scaling
    people: int = 0
    helpers: int = 10  # volunteers taking part

    @property
    def starts_at(self):
        return at(self.day, *self.start)

    @property
    def ends_at(self):
        return self.starts_at + timedelta(hours=HOURS[self.type])


def month_counts(place):
    """{(unit name, month): activities held}: "" is the town. The town twice and the regular villages once a month;
    the others in their every-fourth months, this year's share of the 120 split over those months (1 each last
    year); none before a village's station was built."""
    counts = {}
    for month in place.last_year + place.this_year:
        counts["", month] = TOWN_PER_MONTH
        for name in REGULAR:
            if name in place.villages:
                counts[name, month] = 1
    others = [name for name in place.villages if name not in REGULAR]
    built = {name: date(place.year - 1, *NEW_STATIONS[name]) for name in NEW_STATIONS}
    hits = {}
    for position, name in enumerate(others):
        months = [m for m in place.last_year + place.this_year if month_index(m) % EVERY == position % EVERY]
        hits[name] = [m for m in months if name not in built or m > built[name]]
    for name in others:
        for month in hits[name]:
            if month.year < place.year:
                counts[name, month] = 1
    regular_this_year = sum(count for (name, month), count in counts.items() if month.year == place.year)
    rng = random.Random(f"{SEED}:activities:{place.year}")
    cells = [(name, month) for name in others for month in hits[name] if month.year == place.year]
    shares = split(max(ACTIVITIES - regular_this_year, 0), [rng.uniform(0.8, 1.2) for _cell in cells])
    counts.update(zip(cells, shares, strict=True))
    return {cell: count for cell, count in counts.items() if count}


def village_place(rng, name):
    grids = {spec.name: spec.grids for spec in VILLAGES}.get(name, 5)
    return rng.choice((f"{name}党群服务中心", f"{name}{chinese_number(rng.randint(1, grids))}组", f"{name}村部广场"))


def pick_type(rng, month, taken):
    season = {kind: weight for kind, weight in SEASON[month.month - 1].items() if kind not in taken} or {QITA: 1}
    return rng.choices(list(season), weights=list(season.values()))[0]


def village_activity(rng, place, name, day, kind, regular):
    title = rng.choice(TITLES[kind])
    where = village_place(rng, name)
    if name == "杨球村" and kind == HUANJING:
        title, where = "光甲堂周边环境清扫", f"{GUANGJIA}周边"
    start = (7, 30) if kind == CHUXUE else (8, 0) if kind == CHUNGENG else rng.choice(((9, 0), (14, 30)))
    team = team_name(name) if name not in NEW_STATIONS else None
    weight = (VILLAGE_PEOPLE * (1.3 if name == "关圣殿社区" else 1) * level(name, "people") * PEOPLE[kind]
              * rng.uniform(0.85, 1.15))  # fmt: skip
    helpers = rng.randint(8, 14) if regular else rng.randint(5, 20)
    return ActivityPlan(unit=place.villages[name], type=kind, title=title, day=day, place=where, team=team,
                        start=start, description=DESCRIPTIONS[kind], weight=weight, helpers=helpers)  # fmt: skip


def town_activities(rng, place, month, days, tour):
    """The 宣讲队's lecture in a village on the tour, and the medical team's round."""
    village = TOUR[tour % len(TOUR)]
    where = GUANGJIA if village == "杨球村" else f"{village}党群服务中心"
    lecture = ActivityPlan(
        unit=place.town, type=XUANJIANG, title=f"“和森故里，红色井字”红色宣讲进{village}", day=days[0], place=where,
        team=LECTURERS, start=(9, 0), description=DESCRIPTIONS[XUANJIANG],
        weight=LECTURE_PEOPLE * rng.uniform(0.85, 1.15), helpers=rng.randint(10, 16),
    )  # fmt: skip
    kind = YIQING if month.month in (1, 2, 12) else LEIFENG if month.month == 3 else GUANAI
    title = {YIQING: "健康服务和疫苗接种宣传进村", LEIFENG: "学雷锋·健康义诊进村"}.get(kind, "“三留一困”人员健康义诊")
    rounds = ActivityPlan(
        unit=place.town, type=kind, title=title, day=days[-1], place=village_place(rng, TOUR[(tour + 7) % len(TOUR)]),
        team=MEDICS, start=(8, 30), description=MEDICAL_ROUND,
        weight=MEDIC_PEOPLE * rng.uniform(0.85, 1.15), helpers=rng.randint(10, 16),
    )  # fmt: skip
    return [lecture, rounds]


def held_activities(place):
    """Last year's and this year's held activities, people served: this year's 10,650 split exactly; last year at
    85 % of this year's level per activity."""
    plans, tour = [], 0
    for (name, month), count in sorted(month_counts(place).items(), key=lambda item: (item[0][1], item[0][0])):
        rng = random.Random(f"{SEED}:{name}:{month}:activities")
        days = days_in(month, max(count, 2), rng, place.last_end)
        if name == "":
            plans += town_activities(rng, place, month, days, tour)
            tour += 1
            continue
        taken = set()
        for day in days[:count]:
            kind = pick_type(rng, month, taken)
            taken.add(kind)
            if kind == LEIFENG:
                day = month.replace(day=5)  # 学雷锋纪念日
            plans.append(village_activity(rng, place, name, day, kind, name in REGULAR))
    this_year = [plan for plan in plans if plan.day.year == place.year]
    scale = PEOPLE_SERVED / sum(plan.weight for plan in this_year) if this_year else 1
    for plan, people in zip(this_year, split(PEOPLE_SERVED, [plan.weight for plan in this_year]), strict=True):
        plan.people = people
    for plan in plans:
        if plan.day.year < place.year:
            plan.people = max(5, round(plan.weight * scale * LAST_YEAR_PEOPLE))
    return plans


# This month (held up to yesterday, planned from today) and next month (planned): (unit, kind, day, title).
THIS_MONTH = (
    ("铜梁村", FANZHA, 5, "反电信诈骗宣传进村入户"),
    ("", XUANJIANG, 7, "“和森故里，红色井字”红色宣讲进杨球村"),
    ("杨球村", HUANJING, 10, "光甲堂周边环境清扫"),
    ("关圣殿社区", GUANAI, 13, "“三留一困”人员走访关爱"),
    ("铜梁村", GUANAI, 17, "为留守老人上门理发义诊"),
    ("杨球村", XUANJIANG, 20, "“和森故事”百姓宣讲会"),
    ("长湾村", HUANJING, 24, "“三边三清”志愿服务"),
    ("", GUANAI, 28, "“三留一困”人员健康义诊"),
)
NEXT_MONTH = (
    ("", XUANJIANG, 4, "“和森故里，红色井字”红色宣讲进关圣殿社区"),
    ("铜梁村", HUANJING, 8, "人居环境整治志愿清扫"),
    ("杨球村", GUANAI, 12, "留守儿童关爱课堂"),
    ("关圣殿社区", FANZHA, 16, "全民反诈知识讲座"),
    ("增峰村", XUANJIANG, 19, "党的创新理论“微宣讲”"),
    ("", GUANAI, 23, "“三留一困”人员健康义诊"),
)
TOWN_PLACES = {"杨球村": GUANGJIA, "关圣殿社区": "关圣殿社区党群服务中心"}  # where the town's recent ones are
CANCELLED_NOTE = "取消原因：持续强降雨，另行安排。"


def recent_activities(place):
    """This month's activities (held if before today) and next month's plans; one of this month's and one of the
    summer's called off for the rain."""
    rng = random.Random(f"{SEED}:recent")
    plans = []
    for month, rows in ((place.current, THIS_MONTH), (periods.add_months(place.current, 1), NEXT_MONTH)):
        for name, kind, day_number, title in rows:
            if name and name not in place.villages:
                continue
            day = month.replace(day=day_number)
            if name:
                plan = village_activity(rng, place, name, day, kind, name in REGULAR)
            else:
                team = LECTURERS if kind == XUANJIANG else MEDICS
                where = next((spot for village, spot in TOWN_PLACES.items() if village in title), "")
                plan = ActivityPlan(unit=place.town, type=kind, title=title, day=day, team=team,
                                    place=where or village_place(rng, "铜梁村"),
                                    weight=(LECTURE_PEOPLE if kind == XUANJIANG else MEDIC_PEOPLE),
                                    helpers=rng.randint(10, 16),
                                    description=DESCRIPTIONS[kind] if kind == XUANJIANG else MEDICAL_ROUND)  # fmt: skip
            plan.title = title
            plan.status = HELD if day < place.today else PLANNED
            if plan.status == HELD:
                plan.people = round(plan.weight * rng.uniform(1.0, 1.3))
            plans.append(plan)
    called_off = (("花桥村", FANZHA, place.current.replace(day=15)),
                  ("杨球村", HUANJING, place.this_year[min(6, len(place.this_year) - 1)].replace(day=26)))  # fmt: skip
    for name, kind, day in called_off:
        if name in place.villages:
            plan = village_activity(rng, place, name, day, kind, False)
            plan.status, plan.start = CANCELLED, (15, 0)
            plan.description = f"{DESCRIPTIONS[kind]}\n{CANCELLED_NOTE}"
            plans.append(plan)
    return plans


def activity_key(unit_id, starts_at, title):
    return (unit_id, starts_at.astimezone(timezone.get_current_timezone()).replace(tzinfo=None), title)


def pick_helpers(rng, plan, volunteers):
    """The volunteers of the activity's unit registered on its day, its team's members first."""
    registered = [v for v in volunteers if v.registered_on(plan.day)]
    in_team = [v for v in registered if plan.team and plan.team in v.teams]
    others = [v for v in registered if not (plan.team and plan.team in v.teams)]
    count = min(plan.helpers, len(registered))
    chosen = rng.sample(in_team, min(count, len(in_team)))
    return chosen + rng.sample(others, count - len(chosen))


def participations(place, plan, activity, volunteers, ids, managers):
    rng = random.Random(f"{SEED}:{plan.unit.pk}:{plan.day}:{plan.title}:helpers")
    manager = managers.get(plan.unit.pk)
    waiting = plan.day > place.last_end and (place.today - plan.day).days <= PENDING_DAYS
    reviewed = min(plan.starts_at + timedelta(days=rng.randint(1, 3), hours=rng.randint(6, 10)), timezone.now())
    rows = []
    for volunteer in pick_helpers(rng, plan, volunteers):
        hours = Decimal(str(HOURS[plan.type])) + rng.choice((-1, 0, 0, 0, 1)) * Decimal("0.5")
        hours = min(max(hours, Decimal(1)), Decimal(4))
        row = Participation(unit=plan.unit, activity=activity, volunteer_id=ids[(plan.unit.pk, volunteer.name)],
                            hours=hours, status=PENDING)  # fmt: skip
        if not waiting:
            row.status, row.reviewed_by, row.reviewed_at = APPROVED, manager, reviewed
            if rng.random() < REJECTED:
                row.status, row.review_note = REJECTED_STATUS, "当天未到场，时长不予认定。"
        rows.append(row)
    return rows


def ensure_activities(place, stations, teams, volunteer_plans, ids, managers):
    """Create the missing activities with their teams and (if held) their participants; return how many of each."""
    plans = held_activities(place) + recent_activities(place)
    types = activity_types()
    existing = Activity.objects.filter(unit__path__startswith=place.town.path)
    have = {activity_key(*row) for row in existing.values_list("unit_id", "starts_at", "title")}
    new_plans, seen = [], set()
    for plan in plans:
        key = activity_key(plan.unit.pk, plan.starts_at, plan.title)
        if key not in have and key not in seen:
            seen.add(key)
            new_plans.append(plan)
    new = [
        Activity(unit=plan.unit, title=plan.title, type=types.get(plan.type) or types[QITA],
                 station=stations[plan.unit.pk], starts_at=plan.starts_at,
                 ends_at=plan.ends_at if plan.status != CANCELLED else None, place=plan.place,
                 description=plan.description, people_served=plan.people if plan.status == HELD else 0,
                 status=plan.status)
        for plan in new_plans
    ]  # fmt: skip
    Activity.objects.bulk_create(new)
    Activity.teams.through.objects.bulk_create(
        [
            Activity.teams.through(activity_id=activity.pk, volunteerteam_id=teams[(plan.unit.pk, plan.team)].pk)
            for plan, activity in zip(new_plans, new, strict=True)
            if plan.team and (plan.unit.pk, plan.team) in teams
        ]
    )
    by_unit = {}
    for volunteer in volunteer_plans:
        by_unit.setdefault(volunteer.unit.pk, []).append(volunteer)
    rows = [
        row
        for plan, activity in zip(new_plans, new, strict=True)
        if plan.status == HELD
        for row in participations(place, plan, activity, by_unit.get(plan.unit.pk, []), ids, managers)
    ]
    Participation.objects.bulk_create(rows, batch_size=500)
    return len(new), len(rows)


# ── photos ──────────────────────────────────────────────────────────────────────────────────────────────────────────

PHOTOGRAPHED = 3  # this year's largest held activities each get a photo of the scene


def picture(key):
    """A small drawn scene — a red banner over a row of people — as an uploaded JPEG."""
    rng = random.Random(f"{SEED}:{key}")
    image = Image.new("RGB", (640, 480), (170, 205, 235))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 320, 640, 480), fill=(150, 140, 120))
    draw.rectangle((120, 60, 520, 120), fill=(200, 30, 40))
    draw.rectangle((150, 80, 490, 100), fill=(245, 215, 90))
    for index in range(12):
        x = 40 + index * 48 + rng.randint(-6, 6)
        colour = (rng.randint(30, 200), rng.randint(30, 120), rng.randint(30, 200))
        draw.ellipse((x, 230, x + 26, 256), fill=(235, 200, 160))
        draw.rectangle((x - 4, 258, x + 30, 330), fill=colour)
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return SimpleUploadedFile(f"{key}.jpg", buffer.getvalue(), content_type="image/jpeg")


def ensure_activity_photos(place):
    """A photo of the scene for this year's largest held activities that have none yet (uploaded as `admin`)."""
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        return 0
    largest = Activity.objects.filter(unit__path__startswith=place.town.path, status=HELD,
                                      starts_at__year=place.year).order_by("-people_served", "starts_at", "id")
    created = 0
    for activity in largest[:PHOTOGRAPHED]:
        if photos_of(activity).exists():
            continue
        photos_attach(user=admin, record=activity, uploads=[picture(f"activity-{activity.pk}")],
                      stage=Photo.Stage.OTHER, caption=f"{activity.title}活动现场")  # fmt: skip
        created += 1
    return created


# ── the whole load and its summary ──────────────────────────────────────────────────────────────────────────────


@transaction.atomic
def load_volunteers(password, reset_passwords):
    """Create whatever is missing; return (place, logins, {what: how many created})."""
    place = find_place()
    logins = ensure_station_logins(place, password, reset_passwords)
    managers = station_managers(place)
    stations, created_stations = ensure_stations(place, managers)
    teams, created_teams = ensure_teams(place, stations)
    volunteer_plans, ids, created_volunteers = ensure_volunteers(place, stations, teams)
    activities, hours = ensure_activities(place, stations, teams, volunteer_plans, ids, managers)
    created = {
        "所（站）": created_stations,
        "团队": created_teams,
        "志愿者": created_volunteers,
        "活动": activities,
        "时长": hours,
        "照片": ensure_activity_photos(place),
    }
    return place, logins, created


def load(*, password, reset_passwords=False):
    """The demo protocol (see reports' load_demo command): load, and return what to print."""
    place, logins, created = load_volunteers(password, reset_passwords)
    return summary(place, logins, password, created)


def figures(place):
    """The town's ledgers at the end of the last complete month, and this year's activities up to it."""
    under = {"unit__path__startswith": place.town.path}
    first, end = place.this_year[0], place.last_end
    month_end_ = end + timedelta(days=1)
    teams = VolunteerTeam.objects.filter(is_active=True, founded_on__lt=month_end_, **under)
    held = Activity.objects.filter(status=HELD, starts_at__date__gte=first, starts_at__date__lte=end, **under)
    return {
        "stations": Station.objects.filter(is_active=True, established_on__lt=month_end_, **under).count(),
        "teams": teams.count(),
        "professional": teams.filter(is_professional=True).count(),
        "volunteers": Volunteer.objects.filter(joined_on__lt=month_end_, **under)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=month_end_))
        .count(),
        "activities": held.count(),
        "people": held.aggregate(people=Sum("people_served"))["people"] or 0,
        "hours": Participation.objects.filter(activity__in=held, status=APPROVED).aggregate(h=Sum("hours"))["h"] or 0,
    }


def summary(place, logins, password, created):
    under = {"unit__path__startswith": place.town.path}
    f = figures(place)
    planned = Activity.objects.filter(status=PLANNED, **under).count()
    pending = Participation.objects.filter(status=PENDING, **under).count()
    made = "，".join(f"{label} {value}" for label, value in created.items())
    last = place.this_year[-1]
    rows = []
    for login in logins:
        user = login.user
        shown = password if login.password_ok else f"（账号已存在，密码不是 {password}，未改动；可用 --password 重置）"
        rows.append([user.username, user.get_role_display(), str(user.unit or "—"), user.first_name, shown])
    return "\n".join(
        [
            f"文明实践：{last.year} 年 {last.month} 月底新时代文明实践所（站）{f['stations']} 个，志愿服务团队 "
            f"{f['teams']} 个（专业志愿服务队 {f['professional']} 个），注册志愿者 {f['volunteers']} 名；计划中的活动 "
            f"{planned} 场，待审核时长 {pending} 条；本次新建 {sum(created.values())} 条（{made}）。",
            f"文明实践台账 {last.year} 年 1—{last.month} 月：志愿服务活动 {f['activities']} 场次，服务群众 "
            f"{f['people']} 人次，志愿服务时长（已审核）{format(Decimal(f['hours']).normalize(), 'f')} 小时。",
            "文明实践站账号（站长，审核本站志愿服务时长；井字镇新时代文明实践所由 leader 审核）：",
            table(["用户名", "角色", "所属单位", "姓名", "密码"], rows),
        ]
    )
