"""支部建设 of the demo 井字镇 (`manage.py load_demo` runs this after branches, before reports): the branches' own life
from January of last year to today.

What it holds, for each of the 22 village and community party organisations (the town's 党委 sets the monthly themes
and has a term, but its members are not on the demo's roll, so it holds no meetings of its own):
- 三会一课 at the statutory rhythm (MeetingRule's defaults): a 支部委员会 every month (the village committee: the first
  member of each grid, the secretary hosting), a 党小组会 every month on every grid (its 党员组长 hosting), a
  主题党日 every month on the town's theme of the month, a 支部党员大会 and a 党课 every quarter, the year's
  组织生活会暨民主评议党员 in January or February, and three 谈心谈话 each December — each with its place, host,
  minutes (who came, counted) and, for 支委会 and 党员大会, resolutions. Meetings of the current month are there up to
  yesterday.
- Attendance for every member the meeting concerns: mostly present; some excused with a reason (农忙, 身体不适, 年老体弱
  …); the 流动党员 (about one in fourteen, never on the committee) attend from where they work (广东东莞, 浙江义乌 …)
  or are excused, and come home for the Spring Festival; a few absent, never twice running — except the three members
  of FOLLOW_UP (in 万里村, 莲塘村 and 约溪村), absent at each of their last three meetings, so the follow-up list has
  names.
- Branches deliberately behind: NO_LECTURE (杨球村, 示例村二) held no 党课 in the last complete quarter, NO_COMMITTEE
  (花桥村) held no 支委会 last month; every other branch is on time.
- The town's 主题党日 theme for every month (学习贯彻党的二十届四中全会精神, 清明祭英烈, 七一重温入党誓词,
  防汛救灾党员先锋 …), each branch's 主题党日 linked to its month's theme.
- 党费 for every member and month: due by the usual rules kept simple (farmers 0.2–1 元, elderly members 0.2 元, village
  cadres 10 元, members working away 10–20 元 of their wages, retired teachers and cadres 20–40 元), mostly paid in the
  month, about a fifth paid a year or half a year in advance, a few late into the next month; four members (BEHIND)
  owe the last three or four complete months and two (UNPAID) the last six, each also the current month.
- 民主评议党员 once a year per branch, at its 组织生活会 in January or February for the year before: mostly 合格,
  about one in nine 优秀 (more often a committee member or 党员组长), a few 基本合格, and one 不合格 in the town
  (UNQUALIFIED).
- 发展党员: APPLICANTS, three or four per stage across the town (入党申请人 4, 积极分子 4, 发展对象 3, 预备党员 3,
  正式党员 3), dated by the statutory rules (18 or older when applying, 积极分子 at least a year before 发展对象, a
  year's 预备期 before 正式), two introducers each from 发展对象 on (full members of the same branch for more than a
  year), made-up phones and ID numbers of valid shape.
- 换届: each organisation's five-year term, most elected in the 2021 换届 (January–March 2021, the town's 党委 in
  September) and, once that term ended, re-elected in 2026 (in 增峰村 and 黄巢村 with a new secretary); NEAR_END
  (长湾村, 示例村五) were re-elected in a by-election (补选) and their terms end two and four months from now, so the
  six-month reminder shows.

The article (demo/article.py) gives no figure for organisation life, so none is reproduced; the membership (1158) is
demo.branches'. Everything is deterministic (seeded per branch and month) and found again by a natural key (a theme's
month; a meeting's organisation, kind, date and topic; a member's month of dues and year of appraisal; an applicant's
name in his organisation; an organisation's terms), so loading twice changes nothing; the rows are written in bulk.
"""

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from branches.models import PartyMember, PartyOrganisation, Unit
from demo.branches import TOWN, demo_phone, person_name, table
from demo.common import demo_months, demo_villages, month_end
from partylife.models import Applicant, Appraisal, Attendance, DuesPayment, Meeting, MeetingKind, MonthlyTheme, Term
from reports import periods
from reports.scale import Writer

SEED = 431321102

NO_LECTURE = ("杨球村", "示例村二")  # no 党课 in the last complete quarter
NO_COMMITTEE = ("花桥村",)  # no 支委会 last month
FOLLOW_UP = ("万里村", "莲塘村", "约溪村")  # one member each absent at his last three meetings
BEHIND = {"坪石村": 3, "三石村": 4, "松柏村": 3, "示例村一": 4}  # one member each: complete months of dues owed
UNPAID = {"同德村": 6, "石奇村": 6}  # six months running: the constitution's rule
UNQUALIFIED = "世仁村"  # the town's one 不合格, last year
NEAR_END = {"长湾村": 2, "示例村五": 4}  # terms ending this many months from now
NEW_SECRETARY = ("增峰村", "黄巢村")  # a new secretary at the 2026 换届

AWAY_SHARE = 0.2  # of the members under sixty neither on the committee nor 党员组长: about one in fourteen of all
AWAY_PLACES = ("广东东莞", "广东深圳", "广东广州", "广东佛山", "浙江义乌", "浙江宁波", "江苏苏州", "福建厦门", "上海市",
               "长沙市", "湘潭市", "娄底市")  # fmt: skip
EXCUSES = ("农忙", "身体不适", "外出就医", "家中有事", "照顾生病家人", "外出办事", "走亲戚")
OLD_EXCUSE = "年老体弱，行动不便"
AWAY_EXCUSE = "在外务工，无法参会"

A, R, E, X = (Attendance.Status.PRESENT, Attendance.Status.REMOTE, Attendance.Status.EXCUSED,
              Attendance.Status.ABSENT)  # fmt: skip
K = MeetingKind

# ── the town's 主题党日 themes ────────────────────────────────────────────────────────────────────────────────────

THEMES = {
    1: ("走访慰问困难党员群众，送温暖迎新春", "走访慰问困难党员、老党员和“三留一困”群众；开展春节前安全隐患排查。"),
    2: ("党员冬训：学党章、守党规、开新局", "集中学习党章党规，观看警示教育片，交流新年打算。"),
    3: ("学雷锋志愿服务，党员带头做表率", "组织党员开展学雷锋志愿服务，清扫村道、看望孤寡老人。"),
    4: ("清明祭英烈，传承和森精神", "到蔡和森蔡畅故居、烈士墓前缅怀革命先烈，开展文明祭扫和森林防火宣传。"),
    5: ("助力春耕生产，党员先锋在行动", "党员带头帮扶缺劳力农户春耕，宣传惠农政策和农资打假。"),
    6: ("防汛救灾党员先锋", "组建党员防汛突击队，巡查山塘水库和地质灾害隐患点，开展转移避险演练。"),
    7: ("七一重温入党誓词", "庆祝建党{party}周年：重温入党誓词，为老党员过政治生日，走访慰问老党员。"),
    8: ("人居环境整治党员先锋行动", "党员认领责任区，开展房前屋后“三清一改”，评选美丽庭院。"),
    9: ("学习《中国共产党章程》，做合格党员", "逐章学习党章，对照党员义务自查；党员助力秋收。"),
    10: ("重阳敬老，关爱“三留一困”", "走访慰问高龄老人和留守儿童，开展义诊和文艺汇演。"),
    11: ("冬季防火和安全生产党员责任区行动", "党员包片开展冬季防火、用电用气安全宣传和隐患排查。"),
    12: ("学习宪法，弘扬法治精神", "国家宪法日普法宣传；开展年度民主评议党员准备和谈心谈话。"),
}
YEAR_THEMES = {
    2025: {
        1: ("学习贯彻党的二十届三中全会精神", "集中学习全会公报和《决定》，结合村情讨论推进乡村全面振兴。"),
        3: ("深入贯彻中央八项规定精神学习教育", "学习中央八项规定及其实施细则精神，对照检视，立行立改。"),
        9: ("纪念中国人民抗日战争暨世界反法西斯战争胜利80周年", "观看纪念大会直播，讲述抗战故事，缅怀革命先烈。"),
        11: ("学习贯彻党的二十届四中全会精神", "集中学习全会公报和“十五五”规划建议，交流学习体会。"),
    },
    2026: {
        1: ("学习贯彻党的二十届四中全会精神，开好“十五五”新局", "深入学习全会精神，讨论本村“十五五”发展思路。"),
        3: ("学习贯彻全国两会精神", "学习政府工作报告和“十五五”规划纲要，宣传惠民政策。"),
    },
}


def theme_of(month):
    title, content = YEAR_THEMES.get(month.year, {}).get(month.month) or THEMES[month.month]
    return title, content.format(party=month.year - 1921)


# ── meeting topics ──────────────────────────────────────────────────────────────────────────────────────────────────

COMMITTEE_TOPICS = {
    1: "研究年度党建工作要点和组织生活会安排", 2: "研究民主评议党员结果和春耕备耕工作",
    3: "研究年度发展党员计划和学雷锋志愿服务", 4: "研究清明森林防火和主题党日安排",
    5: "研究汛前准备和人居环境整治", 6: "研究防汛救灾部署和“七一”活动安排",
    7: "研究上半年党费收缴情况和困难党员慰问", 8: "研究秋季防火和“五个到户”走访情况",
    9: "研究确定发展对象和秋收工作", 10: "研究重阳敬老和冬季安全隐患排查",
    11: "研究冬季防火和年度考核准备", 12: "研究年终工作总结和民主评议党员准备",
}  # fmt: skip
ASSEMBLY_TOPICS = {
    1: "讨论通过年度党建工作计划，通报上年度党费收缴使用情况",
    2: "讨论发展党员工作，通报上半年党务村务情况",
    3: "按“四议两公开”讨论村级重大事项",
    4: "通报全年工作，部署年度民主评议党员",
}
RESOLUTIONS = {
    K.COMMITTEE: "会议议定：按议题分工落实，责任到人，下次支委会通报进展。",
    K.ASSEMBLY: "经党员大会表决，同意会议议题所列事项，按程序公开、抓好落实。",
}
LECTURES = (  # (from, topic): a branch's 党课 picks among those already current
    (date(2024, 1, 1), "学习贯彻党的二十届三中全会精神，推进乡村全面振兴"),
    (date(2024, 1, 1), "弘扬和森精神，做新时代合格党员"),
    (date(2024, 1, 1), "以党建引领基层治理，“一切工作到支部”"),
    (date(2024, 1, 1), "学习《中国共产党农村基层组织工作条例》"),
    (date(2024, 1, 1), "传承红色基因，讲好井字红色故事"),
    (date(2024, 1, 1), "学习《中国共产党纪律处分条例》，严守党的纪律"),
    (date(2024, 1, 1), "守好“三农”基本盘，建设宜居宜业和美乡村"),
    (date(2025, 3, 1), "深入贯彻中央八项规定精神，锤炼党性作风"),
    (date(2025, 11, 1), "学习贯彻党的二十届四中全会精神"),
)


# ── who is who ──────────────────────────────────────────────────────────────────────────────────────────────────────


@dataclass(eq=False)
class Member:
    pk: int
    name: str
    unit_id: int
    birth: date | None
    joined: date | None
    grid: str  # the grid's name, "" without one
    leader: bool
    committee: bool = False
    away_at: str = ""

    def age(self, day):
        return day.year - self.birth.year if self.birth else 50


@dataclass(eq=False)
class Branch:
    name: str
    organisation: PartyOrganisation
    members: list  # on the roll, in the village's order (grid, then id)
    committee: list  # the first member of each grid: the secretary first
    groups: dict  # grid name → members

    @property
    def secretary(self):
        return self.committee[0] if self.committee else None

    @property
    def hall(self):
        return f"{self.name}党群服务中心"


@dataclass
class Town:
    unit: Unit
    organisation: PartyOrganisation | None
    branches: list
    months: list  # January of last year … the current month
    last: date  # the last complete month
    today: date

    def cutoff(self, month):
        """The last day of `month` a meeting or payment of the demo may fall on: yesterday in the current month."""
        return min(month_end(month), self.today - timedelta(days=1))

    @property
    def last_quarter(self):
        """The months of the last complete quarter."""
        first = periods.add_months(self.last.replace(month=1), self.last.month - self.last.month % 3 - 3)
        return [periods.add_months(first, step) for step in range(3)]


def grid_label(grid):
    """The grid's name without its village's: 铜梁村第3网格 → 第3网格."""
    return grid[grid.find("第") :] if "第" in grid else grid


def read_town():
    today = timezone.localdate()
    town, villages = demo_villages()
    organisations = {}
    for organisation in PartyOrganisation.objects.filter(unit__in=villages.values()).order_by("id"):
        organisations.setdefault(organisation.unit_id, organisation)
    rows = (
        PartyMember.objects.filter(organisation__in=organisations.values(), is_active=True)
        .order_by("household__unit__path", "id")
        .values_list("pk", "organisation_id", "name", "unit_id", "birth_date", "joined_date", "household__unit__name",
                     "is_group_leader")
    )  # fmt: skip
    by_organisation = defaultdict(list)
    for pk, organisation_id, name, unit_id, birth, joined, grid, leader in rows:
        by_organisation[organisation_id].append(Member(pk, name, unit_id, birth, joined, grid or "", leader))
    branches = []
    for name, village in villages.items():
        organisation = organisations.get(village.pk)
        if organisation is None:
            continue
        members = by_organisation[organisation.pk]
        groups = defaultdict(list)
        for member in members:
            if member.grid:
                groups[member.grid].append(member)
        committee = [grid_members[0] for grid_members in groups.values()]
        for member in committee:
            member.committee = True
        rng = random.Random(f"{SEED}:流动党员:{name}")
        for member in members:
            if not member.committee and not member.leader and rng.random() < AWAY_SHARE and member.age(today) < 60:
                member.away_at = rng.choice(AWAY_PLACES)
        branches.append(Branch(name, organisation, members, committee, dict(groups)))
    town_organisation = PartyOrganisation.objects.filter(unit=town, level=PartyOrganisation.Level.COMMITTEE).first()
    span = demo_months()
    last = span["this_year"][-1]
    months = [*span["last_year"], *span["this_year"], periods.add_months(last, 1)]
    return Town(town, town_organisation, branches, months, last, today)


def pick(members, offset, unless=()):
    """The first member from `offset` on who is neither on the committee, a 党员组长, working away nor in `unless`."""
    for member in members[offset:] + members[:offset]:
        if not (member.committee or member.leader or member.away_at or member in unless):
            return member
    return None


def special_members(town):
    """{"follow": [members absent at their last three meetings], "behind": {member: complete months of dues owed (BEHIND
    and UNPAID)}, "unqualified": the town's one 不合格}: ordinary members (see `pick`), one per named branch."""
    by_name = {branch.name: branch for branch in town.branches}
    chosen = {"follow": [], "behind": {}, "unqualified": None}
    taken = []
    for name in FOLLOW_UP:
        if name in by_name and (member := pick(by_name[name].members, 7)):
            chosen["follow"].append(member)
            taken.append(member)
    for name, months in {**BEHIND, **UNPAID}.items():
        if name in by_name and (member := pick(by_name[name].members, 11, taken)):
            chosen["behind"][member] = months
            taken.append(member)
    if UNQUALIFIED in by_name:
        chosen["unqualified"] = pick(by_name[UNQUALIFIED].members, 5, taken)
    return chosen


# ── meetings ────────────────────────────────────────────────────────────────────────────────────────────────────────


@dataclass(eq=False)
class Plan:
    branch: Branch
    kind: str
    held_on: date
    topic: str
    place: str
    host: Member | None
    expected: list
    body: str
    theme: date | None = None
    statuses: dict = field(default_factory=dict)  # member → (status, reason, away_at)

    @property
    def key(self):
        return (self.branch.organisation.pk, self.kind, self.held_on, self.topic)


def day_in(rng, month, low, high):
    return month.replace(day=rng.randint(low, high))


def branch_meetings(town, branch, follow):
    """The meetings `branch` held, month by month, up to yesterday."""
    plans = []
    secretary = branch.secretary
    everyone = branch.members
    lecture_quarter = set(town.last_quarter) if branch.name in NO_LECTURE else set()
    for month in town.months:
        rng = random.Random(f"{SEED}:党建:{branch.name}:{month:%Y-%m}")
        quarter = (month.month - 1) // 3
        first_of_quarter = month.replace(month=quarter * 3 + 1)
        quarter_rng = random.Random(f"{SEED}:党建:{branch.name}:{first_of_quarter:%Y-%m}:季度")
        assembly_month, lecture_month = quarter_rng.randrange(3), quarter_rng.randrange(3)
        title, _content = theme_of(month)
        candidates = []
        if not (branch.name in NO_COMMITTEE and month == town.last):
            candidates.append((K.COMMITTEE, day_in(rng, month, 2, 8), COMMITTEE_TOPICS[month.month],
                               f"{branch.hall}会议室", secretary, branch.committee,
                               "对照镇党委部署逐项研究，明确责任人和完成时限。"))  # fmt: skip
        for grid, members in branch.groups.items():
            host = next((member for member in members if member.leader), members[0])
            candidates.append((K.GROUP, day_in(rng, month, 9, 20),
                               f"{grid_label(grid)}党小组：学习“{title}”，交流“五个到户”走访情况",
                               f"{grid_label(grid)}党员活动点（{host.name}家）", host, members,
                               "传达支委会精神，组织集中学习，逐户交流联系农户情况，收集群众诉求。"))  # fmt: skip
        place = "蔡和森蔡畅故居" if month.month == 4 and rng.random() < 0.5 else branch.hall
        candidates.append((K.THEME_DAY, day_in(rng, month, 5, 25), title, place, secretary, everyone,
                           "按镇党委本月主题党日要求开展活动：集中学习、重温入党誓词、开展志愿服务。"))  # fmt: skip
        if month.month - 1 - quarter * 3 == assembly_month:
            candidates.append((K.ASSEMBLY, day_in(rng, month, 10, 26), ASSEMBLY_TOPICS[quarter + 1],
                               f"{branch.hall}会议室", secretary, everyone,
                               "支部书记报告有关情况，党员逐项讨论，举手表决。"))  # fmt: skip
        if month.month - 1 - quarter * 3 == lecture_month and month not in lecture_quarter:
            topics = [topic for since, topic in LECTURES if since <= month]
            topic = f"书记讲党课：{quarter_rng.choice(topics)}"
            candidates.append((K.LECTURE, day_in(rng, month, 10, 26), topic, f"{branch.hall}会议室", secretary,
                               everyone, "支部书记讲专题党课，党员交流学习体会。"))  # fmt: skip
        if month.month == 1 + random.Random(f"{SEED}:组织生活会:{branch.name}:{month.year}").randrange(2):
            topic = f"{month.year - 1}年度组织生活会暨民主评议党员"
            candidates.append((K.LIFE_MEETING, day_in(rng, month, 8, 26), topic, f"{branch.hall}会议室", secretary,
                               everyone,
                               "支部班子对照检查，党员逐一发言开展批评和自我批评，民主评议党员。"))  # fmt: skip
        if month.month == 12:
            others = [member for member in everyone if not member.committee and member not in follow]
            for member in rng.sample(others, min(3, len(others))):
                candidates.append((K.TALK, day_in(rng, month, 5, 25), f"谈心谈话：书记与{member.name}同志谈心",
                                   f"{branch.hall}书记办公室", secretary, [secretary, member],
                                   "围绕思想、工作和家庭情况谈心，听取对支部工作的意见建议。"))  # fmt: skip
        for kind, held_on, topic, place, host, expected, body in candidates:
            if held_on <= town.cutoff(month) and expected:
                plans.append(Plan(branch, kind, held_on, topic, place, host, list(expected), body,
                                  theme=month if kind == K.THEME_DAY else None))  # fmt: skip
    return plans


def attend(town, branch, plans, follow):
    """Each member's status at each of his meetings, in date order: no one is absent twice running, except the
    members to `follow`, absent at their last three."""
    rng = random.Random(f"{SEED}:出席:{branch.name}")
    by_member = defaultdict(list)
    for plan in sorted(plans, key=lambda plan: (plan.held_on, plan.kind, plan.topic)):
        for member in plan.expected:
            by_member[member].append(plan)
    for member in branch.members:
        mine = by_member.get(member, [])
        absent_from = len(mine) - 3 if member in follow else len(mine)
        previous = None
        for position, plan in enumerate(mine):
            if position >= absent_from:
                status = (X, "", "")
            elif plan.host is member or plan.kind == K.TALK:
                status = (A, "", "")
            elif member.away_at:
                home = plan.held_on.month in (1, 2) and rng.random() < 0.7
                if home:
                    status = (A, "", "")
                elif rng.random() < 0.6:
                    status = (R, "", member.away_at)
                else:
                    status = (E, AWAY_EXCUSE, member.away_at)
            else:
                draw = rng.random()
                old = member.age(plan.held_on) >= 78
                if draw < 0.02 and previous != X and not member.committee:
                    status = (X, "", "")
                elif draw < (0.18 if old else 0.07):
                    status = (E, OLD_EXCUSE if old else rng.choice(EXCUSES), "")
                else:
                    status = (A, "", "")
            plan.statuses[member] = status
            previous = status[0]


def minutes(plan):
    if plan.kind == K.TALK:
        return f"{plan.host.name}同志主持。{plan.body}"
    counts = Counter(status for status, _reason, _away in plan.statuses.values())
    remote = f"（其中远程参会{counts[R]}人）" if counts[R] else ""
    host = f"{plan.host.name}同志主持。" if plan.host else ""
    return (f"应到{len(plan.statuses)}人，实到{counts[A] + counts[R]}人{remote}，请假{counts[E]}人，缺席{counts[X]}人。"
            f"{host}{plan.body}")  # fmt: skip


def ensure_themes(town):
    """{month: theme} for every month of the span, the missing ones created at the town."""
    themes = {theme.month: theme for theme in MonthlyTheme.objects.filter(unit=town.unit)}
    new = []
    for month in town.months:
        if month not in themes:
            title, content = theme_of(month)
            new.append(MonthlyTheme(unit=town.unit, month=month, title=title, content=content))
    MonthlyTheme.objects.bulk_create(new)
    themes.update({theme.month: theme for theme in new})
    return themes, len(new)


def ensure_meetings(town, themes, special, writer):
    """Create the meetings not yet there, with their attendance; return (plans, meetings created, rows created)."""
    follow = set(special["follow"])
    organisations = [branch.organisation for branch in town.branches]
    have = set(Meeting.objects.filter(organisation__in=organisations)
               .values_list("organisation_id", "kind", "held_on", "topic"))  # fmt: skip
    plans, new = [], []
    for branch in town.branches:
        mine = branch_meetings(town, branch, follow)
        missing = [plan for plan in mine if plan.key not in have]
        if missing:  # who came is worked out over all the branch's meetings, in order, but only when needed
            attend(town, branch, mine, follow)
        plans += mine
        new += missing
    meetings = [
        {"unit_id": plan.branch.organisation.unit_id, "organisation_id": plan.branch.organisation.pk,
         "kind": plan.kind, "held_on": plan.held_on, "place": plan.place, "host_id": plan.host.pk,
         "topic": plan.topic, "theme_id": themes[plan.theme].pk if plan.theme else None, "minutes": minutes(plan),
         "resolutions": RESOLUTIONS.get(plan.kind, "")}
        for plan in new
    ]  # fmt: skip
    writer.insert(Meeting, meetings)
    rows = writer.insert(Attendance, (
        {"unit_id": meeting["unit_id"], "meeting_id": meeting["id"], "member_id": member.pk, "status": status,
         "reason": reason, "away_at": away_at}
        for plan, meeting in zip(new, meetings, strict=True)
        for member, (status, reason, away_at) in plan.statuses.items()
    ))  # fmt: skip
    return plans, len(meetings), rows


# ── 党费 ────────────────────────────────────────────────────────────────────────────────────────────────────────────


def due_of(rng, member, year):
    if member.away_at:
        return Decimal(rng.choice((10, 15, 20)))
    if member.committee:
        return Decimal(10)
    if member.age(date(year, 1, 1)) >= 70:
        return Decimal("0.20")
    if rng.random() < 0.05:
        return Decimal(rng.choice((20, 30, 40)))  # retired teachers and cadres: a share of the pension
    return Decimal(rng.choice(("0.50", "0.50", "1.00", "0.20")))


def member_dues(town, branch, member, owed):
    """[(month, due, paid, paid_on)] over the span."""
    rng = random.Random(f"{SEED}:党费:{branch.name}:{member.name}:{member.birth}")
    due = due_of(rng, member, town.months[0].year)
    draw = rng.random()
    pattern = "year" if draw < 0.1 else "half" if draw < 0.2 else "month"
    if owed:
        pattern = "month"
    first_owed = periods.add_months(town.last, 1 - owed) if owed else None
    rows = []
    for month in town.months:
        if pattern == "year":
            paid_on = month.replace(month=1, day=8 + rng.randrange(10))
        elif pattern == "half":
            paid_on = month.replace(month=1 if month.month <= 6 else 7, day=5 + rng.randrange(10))
        elif rng.random() < 0.05:
            paid_on = periods.add_months(month, 1).replace(day=3 + rng.randrange(8))  # late, early next month
        else:
            paid_on = month.replace(day=5 + rng.randrange(20))
        if (first_owed and month >= first_owed) or paid_on >= town.today:
            rows.append((month, due, Decimal(0), None))
        else:
            rows.append((month, due, due, paid_on))
    return rows


def ensure_dues(town, special, writer):
    rows = DuesPayment.objects.filter(unit__in=[branch.organisation.unit_id for branch in town.branches])
    complete = set(rows.filter(month__gte=town.months[0]).values_list("member_id").annotate(n=Count("id"))
                   .filter(n=len(town.months)).values_list("member_id", flat=True))  # fmt: skip
    members = [(branch, member) for branch in town.branches for member in branch.members if member.pk not in complete]
    have = set(rows.filter(member_id__in=[member.pk for _branch, member in members])
               .values_list("member_id", "month")) if members else set()  # fmt: skip
    return writer.insert(DuesPayment, (
        {"unit_id": member.unit_id, "member_id": member.pk, "month": month, "due": due, "paid": paid,
         "paid_on": paid_on}
        for branch, member in members
        for month, due, paid, paid_on in member_dues(town, branch, member, special["behind"].get(member, 0))
        if (member.pk, month) not in have
    ))  # fmt: skip


# ── 民主评议 ────────────────────────────────────────────────────────────────────────────────────────────────────────


def ensure_appraisals(town, plans, special, writer):
    """One round per branch and year, decided at its 组织生活会 (January or February) for the year before."""
    have = set(Appraisal.objects.filter(unit__in=[branch.organisation.unit_id for branch in town.branches])
               .values_list("member_id", "year"))  # fmt: skip
    unqualified = special["unqualified"]
    new = []
    for plan in plans:
        if plan.kind != K.LIFE_MEETING:
            continue
        year = plan.held_on.year - 1
        rng = random.Random(f"{SEED}:民主评议:{plan.branch.name}:{year}")
        for member in plan.branch.members:
            if member.joined and member.joined.year > year:
                continue
            draw = rng.random()
            if member is unqualified and year == town.last.year - 1:
                result = Appraisal.Result.UNQUALIFIED
                decision = ("长期不参加组织生活、不履行党员义务，经教育仍无明显改进，评定为不合格党员，"
                            "限期改正，由支部书记结对帮扶。")
            elif draw < (0.25 if member.committee or member.leader else 0.08):
                result, decision = Appraisal.Result.EXCELLENT, "带头落实“五个到户”，服务群众成效明显，评定为优秀。"
            elif draw > 0.985:
                result, decision = Appraisal.Result.BASIC, "参加组织生活不够经常，评定为基本合格，支部提出整改要求。"
            else:
                result, decision = Appraisal.Result.QUALIFIED, ""
            if (member.pk, year) in have:
                continue
            prefix = f"经{plan.held_on:%Y年%-m月%-d日}支部党员大会民主评议、支部委员会研究决定。"
            new.append({"unit_id": member.unit_id, "member_id": member.pk, "year": year, "result": result,
                        "decided_on": plan.held_on, "decision": prefix + decision})  # fmt: skip
    return writer.insert(Appraisal, new)


# ── 发展党员 ────────────────────────────────────────────────────────────────────────────────────────────────────────

ST = Applicant.Stage
APPLICANTS = ((ST.APPLICANT, 4), (ST.ACTIVIST, 4), (ST.CANDIDATE, 3), (ST.PROBATIONARY, 3), (ST.FULL, 3))
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(rng, born, gender):
    """A made-up 18-digit ID of 双峰县 of valid shape: birth date, a sequence of the gender's parity, check digit."""
    sequence = rng.randrange(50) * 20 + rng.randrange(10) * 2 + (1 if gender == "M" else 0)
    body = f"431321{born:%Y%m%d}{sequence:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


def years_after(day, years):
    return day.replace(year=day.year + years) if (day.month, day.day) != (2, 29) else date(day.year + years, 3, 1)


def plan_applicant(rng, stage, end):
    """(dates, note) for an applicant now at `stage`, `end` the last complete month's last day."""
    back = lambda days: end - timedelta(days=days)  # noqa: E731
    if stage == ST.APPLICANT:
        return {"applied_on": back(rng.randint(20, 240))}
    if stage == ST.ACTIVIST:
        activist = back(rng.randint(60, 500))
        return {"applied_on": activist - timedelta(days=rng.randint(90, 240)), "activist_on": activist}
    if stage == ST.CANDIDATE:
        candidate = back(rng.randint(20, 150))
        activist = candidate - timedelta(days=365 + rng.randint(10, 120))
    else:
        if stage == ST.PROBATIONARY:
            probationary = back(rng.randint(40, 330))
        else:
            probationary = years_after(back(rng.randint(20, 300)), -1) - timedelta(days=rng.randint(0, 20))
        candidate = probationary - timedelta(days=rng.randint(90, 180))
        activist = candidate - timedelta(days=365 + rng.randint(10, 120))
    dates = {"applied_on": activist - timedelta(days=rng.randint(90, 240)), "activist_on": activist,
             "candidate_on": candidate}  # fmt: skip
    if stage in (ST.PROBATIONARY, ST.FULL):
        dates["probationary_on"] = probationary
    if stage == ST.FULL:
        dates["full_on"] = years_after(probationary, 1) + timedelta(days=rng.randint(0, 20))
    return dates


NOTES = {
    ST.APPLICANT: "已递交入党申请书，党组织已派人谈话。",
    ST.ACTIVIST: "经党员推荐、支委会研究列为入党积极分子，已确定培养联系人。",
    ST.CANDIDATE: "经支委会研究列为发展对象，已完成政治审查和集中培训。",
    ST.PROBATIONARY: "经支部党员大会讨论、镇党委审批接收为预备党员，预备期一年。",
    ST.FULL: "预备期满，经支部党员大会讨论、镇党委审批按期转为正式党员。",
}


def ensure_applicants(town):
    branches = town.branches
    if not branches:
        return 0
    have = set(Applicant.objects.filter(organisation__in=[branch.organisation for branch in branches])
               .values_list("organisation_id", "name"))  # fmt: skip
    end = month_end(town.last)
    rng = random.Random(f"{SEED}:发展党员")
    new, introducers = [], []
    position = 0
    for stage, count in APPLICANTS:
        for _number in range(count):
            branch = branches[(position * 5 + 3) % len(branches)]
            position += 1
            gender = "M" if rng.random() < 0.6 else "F"
            name = person_name(rng, gender=gender)
            dates = plan_applicant(rng, stage, end)
            age = 18 if position == 2 else rng.randint(21, 42)  # one applies the year he turns eighteen
            born = years_after(dates["applied_on"], -age) - timedelta(days=rng.randint(10, 300))
            choices = [member for member in branch.members if member.joined and "candidate_on" in dates
                       and years_after(member.joined, 1) < dates["candidate_on"]]  # fmt: skip
            two = rng.sample(choices, 2) if len(choices) >= 2 else []
            number = id_number(rng, born, gender)  # drawn before the check, so each applicant draws the same
            if (branch.organisation.pk, name) in have:
                continue
            applicant = Applicant(
                unit_id=branch.organisation.unit_id, organisation=branch.organisation, name=name, gender=gender,
                birth_date=born, id_number=number,
                phone=demo_phone(branch.name, "发展党员", name), stage=stage, note=NOTES[stage], **dates,
            )  # fmt: skip
            new.append(applicant)
            introducers.append(two)
    Applicant.objects.bulk_create(new)
    Through = Applicant.introducers.through
    Through.objects.bulk_create(
        Through(applicant_id=applicant.pk, partymember_id=member.pk)
        for applicant, two in zip(new, introducers, strict=True)
        for member in two
    )
    return len(new)


# ── 换届 ────────────────────────────────────────────────────────────────────────────────────────────────────────────


def ensure_terms(town):
    organisations = [(branch.name, branch.organisation, branch) for branch in town.branches]
    if town.organisation is not None:
        organisations.insert(0, (TOWN[0], town.organisation, None))
    have = set(Term.objects.filter(organisation__in=[org for _n, org, _b in organisations])
               .values_list("organisation_id", flat=True))  # fmt: skip
    new = []
    for name, organisation, branch in organisations:
        if organisation.pk in have:
            continue
        rng = random.Random(f"{SEED}:换届:{name}")
        secretary = branch.secretary if branch else None
        who = f"{secretary.name}当选支部书记" if secretary else f"{organisation.secretary_name or '—'}当选党委书记"
        unit_id = organisation.unit_id
        if name in NEAR_END:
            ends = periods.add_months(periods.current_month(town.today), NEAR_END[name]).replace(day=15)
            starts = years_after(ends, -5)
            new.append(Term(unit_id=unit_id, organisation=organisation, starts_on=starts, ends_on=ends,
                            secretary_id=secretary.pk if secretary else None,
                            note=f"因原书记调整，{starts:%Y年%-m月}补选产生新一届支部委员会，{who}。"))  # fmt: skip
            continue
        starts = date(2021, 9, 16) if branch is None else date(2021, rng.randint(1, 3), rng.randint(5, 28))
        ends = years_after(starts, 5)
        old = secretary
        if branch and name in NEW_SECRETARY:
            old = max(branch.committee[1:] or branch.committee, key=lambda member: member.age(starts))
        old_who = f"{old.name}当选支部书记" if old else who
        new.append(Term(unit_id=unit_id, organisation=organisation, starts_on=starts, ends_on=ends,
                        secretary_id=old.pk if old else None, note=f"{starts:%Y年%-m月}换届选举，{old_who}。"))
        renewed = ends + timedelta(days=rng.randint(0, 25))  # elected when the term is up, or soon after
        if renewed < town.today:
            change = f"原书记{old.name}不再担任，" if old is not secretary and old else ""
            new.append(Term(unit_id=unit_id, organisation=organisation, starts_on=renewed,
                            ends_on=years_after(renewed, 5), secretary_id=secretary.pk if secretary else None,
                            note=f"{renewed:%Y年%-m月}换届选举，{change}{who}。"))  # fmt: skip
    Term.objects.bulk_create(new)
    return len(new)


# ── the whole load and its summary ──────────────────────────────────────────────────────────────────────────────────


@transaction.atomic
def load_party(town):
    special = special_members(town)
    writer = Writer()  # tens of thousands of rows: written as reports.scale writes a county, not row by row
    themes, created_themes = ensure_themes(town)
    plans, created_meetings, created_rows = ensure_meetings(town, themes, special, writer)
    created = {
        "主题": created_themes,
        "会议": created_meetings,
        "参会记录": created_rows,
        "党费": ensure_dues(town, special, writer),
        "评议": ensure_appraisals(town, plans, special, writer),
        "发展党员": ensure_applicants(town),
        "任期": ensure_terms(town),
    }
    writer.reset_sequences()
    return special, created


def load(*, password, reset_passwords=False):
    """The demo protocol (see reports' load_demo command): load, and return what to print."""
    town = read_town()
    special, created = load_party(town)
    return summary(town, special, created)


def behind_branches(town):
    """({branch name: …} without a 党课 in the last complete quarter, without a 支委会 last month), from the ledger."""
    quarter = town.last_quarter
    held = Meeting.objects.filter(organisation__in=[branch.organisation for branch in town.branches])
    lectures = set(held.filter(kind=K.LECTURE, held_on__gte=quarter[0], held_on__lte=month_end(quarter[-1]))
                   .values_list("organisation_id", flat=True))  # fmt: skip
    committees = set(held.filter(kind=K.COMMITTEE, held_on__gte=town.last, held_on__lte=month_end(town.last))
                     .values_list("organisation_id", flat=True))  # fmt: skip
    return ([branch.name for branch in town.branches if branch.organisation.pk not in lectures],
            [branch.name for branch in town.branches if branch.organisation.pk not in committees])  # fmt: skip


def figures(town):
    """What the summary prints, counted from the ledgers."""
    units = [branch.organisation.unit_id for branch in town.branches]
    last, last_end = town.last, month_end(town.last)
    meetings = Meeting.objects.filter(unit__in=units)
    by_kind = dict(meetings.values_list("kind").annotate(n=Count("id")))
    rows = Attendance.objects.filter(unit__in=units, meeting__held_on__gte=last, meeting__held_on__lte=last_end)
    attendance = rows.aggregate(total=Count("id"), came=Count("id", filter=Q(status__in=Attendance.ATTENDED)))
    dues = DuesPayment.objects.filter(unit__in=units, month=last).aggregate(due=Sum("due"), paid=Sum("paid"))
    appraisals = dict(Appraisal.objects.filter(unit__in=units, year=last.year - 1)
                      .values_list("result").annotate(n=Count("id")))  # fmt: skip
    stages = dict(Applicant.objects.filter(unit__in=units).values_list("stage").annotate(n=Count("id")))
    return {
        "meetings": meetings.count(),
        "by_kind": by_kind,
        "attendance": (attendance["came"], attendance["total"]),
        "dues": (money(dues["paid"]), money(dues["due"])),
        "appraisals": appraisals,
        "stages": stages,
        "themes": MonthlyTheme.objects.filter(unit=town.unit).count(),
    }


def money(value):
    return Decimal(value or 0).quantize(Decimal("0.01"))


def percent(part, whole):
    return f"{Decimal(100) * part / whole:.1f}%" if whole else "—"


def summary(town, special, created):
    f = figures(town)
    no_lecture, no_committee = behind_branches(town)
    quarter = town.last_quarter
    q = f"{quarter[0].year}年第{(quarter[0].month - 1) // 3 + 1}季度"
    last = f"{town.last.year}年{town.last.month}月"
    kinds = "，".join(f"{label} {f['by_kind'].get(kind, 0)}" for kind, label in K.choices)
    results = "，".join(f"{label} {f['appraisals'].get(value, 0)}" for value, label in Appraisal.Result.choices)
    stages = "，".join(f"{label} {f['stages'].get(value, 0)}" for value, label in ST.choices)
    made = "，".join(f"{label} {value}" for label, value in created.items())
    soon = Term.objects.filter(organisation__in=[b.organisation for b in town.branches], ends_on__gte=town.today,
                               ends_on__lte=periods.add_months(town.today.replace(day=1), 7))  # fmt: skip
    soon = [(term.organisation.name, f"{term.ends_on:%Y-%m-%d}") for term in soon.select_related("organisation")]
    owed = sorted(special["behind"].items(), key=lambda item: item[1])
    rows = [[branch.name, branch.secretary.name if branch.secretary else "—", len(branch.members),
             "未召开" if branch.name in no_lecture else "已召开",
             "未召开" if branch.name in no_committee else "已召开"] for branch in town.branches]  # fmt: skip
    follow = "、".join(f"{member.name}（{branch_of(town, member)}）" for member in special["follow"]) or "无"
    owing = "、".join(f"{member.name}（{branch_of(town, member)}，{months}个月{'，红色预警' if months >= 6 else ''}）"
                     for member, months in owed)  # fmt: skip
    return "\n".join(
        [
            f"支部建设：{len(town.branches)} 个村（社区）党组织，{town.months[0]:%Y年%-m月}至今组织生活会议 "
            f"{f['meetings']} 场（{kinds}），主题党日主题 {f['themes']} 个；"
            f"本次新建 {sum(created.values())} 条（{made}）。",
            f"{last}：参会率 {percent(*f['attendance'])}（{f['attendance'][0]}/{f['attendance'][1]} 人次），"
            f"党费收缴率 {percent(*f['dues'])}（实缴 {f['dues'][0]} 元 / 应缴 {f['dues'][1]} 元）。",
            f"{town.last.year - 1}年度民主评议党员：{results}。发展党员：{stages}。",
            f"未按期召开：{q}未上党课 {'、'.join(no_lecture) or '无'}；"
            f"{last}未开支委会 {'、'.join(no_committee) or '无'}。",
            f"连续三次缺席（待跟进）：{follow}。党费欠缴（本月另计）：{owing or '无'}。",
            f"任期半年内届满（提醒换届）：{'、'.join(f'{n}（{d}）' for n, d in soon) or '无'}。",
            table(["党组织", "书记", "党员", f"{q}党课", f"{last}支委会"], rows),
        ]
    )


def branch_of(town, member):
    return next((branch.name for branch in town.branches if member in branch.members), "")
