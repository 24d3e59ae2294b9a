"""支部+产业发展 of the demo 井字镇 (`manage.py load_demo` runs this after branches, before reports).

What the article's first section says, as ledgers: 66 enterprises (the two named leading enterprises of the “粮油+”
chain and 64 plainly named placeholders) served by 16 town cadres (包企, 专企专抓), their visits with the policies
delivered and the problems raised; every village's collective income for last year and this year up to the last
complete month; the featured projects 铜梁四宝 (铜梁村) and the fruit of 增峰村 and 黄巢村 with their sales.

The figures are chosen so the monthly reports counted from these ledgers roll up to the article's (demo/article.py):
16 cadres, 66 enterprises; last year 9 villages under 50,000 元, this year every village at or above it and two
at or above 100,000 元; 铜梁四宝 over 50,000 元 for the collective; 增峰 and 黄巢 over 100,000 元 from fruit and over
10,000 kg sold online. Every monthly figure stays within about two and a half times a village's usual month and none
is zero where the usual month is not, so the reports' outlier check stays quiet. Everything is found again by a natural
key (enterprise name, project name in its village, an enterprise's visits, a village-month's income, a project-month's
sales), so loading twice changes nothing.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from branches.models import Assignment, Cadre, Household, Unit
from demo.article import (
    ENTERPRISE_JOBS,
    FRUIT_INCOME,
    FRUIT_ONLINE_KG,
    FRUIT_VILLAGES,
    LEADING_ENTERPRISES,
    SIBAO,
    SIBAO_INCOME,
    SIBAO_PRODUCTS,
)
from demo.branches import CADRES, LEADERS, VILLAGES, person_name, village_code
from industry.models import Enterprise, FeaturedProject, IncomeEntry, Problem, SalesRecord, ServiceVisit
from industry.selectors import strong_line, weak_line
from reports import periods

SEED = 431321102
TOWN_CODE = "431321102"
ASSIGNED_SINCE = date(2025, 1, 1)  # 包企 in force for every month the reports cover
ROLE_TITLE = "专企专抓"
LEADING_CADRE = LEADERS[5][0]  # 邓文清, 党委委员、副镇长: the two leading enterprises and two more
OTHER_CADRES = CADRES[1:15]  # fourteen 联村干部 besides the `cadre` login's
CADRE_LOGIN_VILLAGES = ("铜梁村", "杨球村")  # where the `cadre` login's enterprises are (he is 包村 there too)
CADRE_LOGIN_ENTERPRISES = 4

Kind = Enterprise.Kind
Source = IncomeEntry.Source
Status = Problem.Status
ECOMMERCE, OFFLINE = SalesRecord.Channel.ECOMMERCE, SalesRecord.Channel.OFFLINE


# ── enterprises ───────────────────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class EnterpriseSpec:
    name: str
    kind: str
    sector: str
    chain: str = ""
    leading: bool = False
    village: str = ""  # blank: the town itself (集镇、工业集中区)
    tax: Decimal = Decimal(0)  # 万元 a year
    jobs: int = 0
    contact: bool = True  # placeholders get a made-up contact; the real companies none


LEADING = (
    EnterpriseSpec(
        LEADING_ENTERPRISES[0],
        Kind.ABOVE_SCALE,
        "粮油加工",
        "粮油+",
        True,
        tax=Decimal("628.00"),
        jobs=12,
        contact=False,
    ),
    EnterpriseSpec(
        LEADING_ENTERPRISES[1],
        Kind.ABOVE_SCALE,
        "生物科技",
        "粮油+",
        True,
        tax=Decimal("516.00"),
        jobs=10,
        contact=False,
    ),
)

# (kind, [(sector, chain, how many)]) of the 64 placeholders.
PLACEHOLDER_SECTORS = (
    (
        Kind.ABOVE_SCALE,
        (
            ("粮油加工", "粮油+", 2),
            ("米粉加工", "粮油+", 1),
            ("饲料加工", "粮油+", 1),
            ("建筑材料", "", 2),
            ("机械制造", "", 1),
            ("服装加工", "", 1),
        ),
    ),
    (
        Kind.SME,
        (
            ("农产品加工", "特色农产品", 3),
            ("食品加工", "粮油+", 1),
            ("食品加工", "特色农产品", 1),
            ("油脂加工", "粮油+", 1),
            ("木材加工", "", 2),
            ("五金加工", "", 2),
            ("纺织服装", "", 2),
            ("商贸物流", "", 3),
            ("电子商务", "特色农产品", 2),
            ("建筑施工", "", 2),
            ("餐饮住宿", "", 2),
            ("汽车维修", "", 1),
            ("印刷包装", "", 1),
            ("家具制造", "", 1),
        ),
    ),
    (
        Kind.COOPERATIVE,
        (
            ("水稻种植", "粮油+", 4),
            ("油茶种植", "粮油+", 2),
            ("生猪养殖", "", 2),
            ("蔬菜种植", "特色农产品", 2),
            ("水果种植", "特色农产品", 2),
            ("中药材种植", "特色农产品", 1),
            ("农机服务", "粮油+", 2),
            ("水产养殖", "", 1),
        ),
    ),
    (
        Kind.INDIVIDUAL,
        (
            ("农资销售", "", 3),
            ("碾米加工", "粮油+", 2),
            ("副食零售", "", 3),
            ("餐饮", "", 3),
            ("家电维修", "", 1),
            ("建材零售", "", 2),
            ("豆制品加工", "", 2),
        ),
    ),
)
TOWN_SECTORS = {"商贸物流", "电子商务", "餐饮住宿", "汽车维修", "印刷包装"}  # SMEs of these sit in the 集镇
ABOVE_SCALE_JOBS = ENTERPRISE_JOBS  # 规模以上企业带动就业岗位 (the article's 60), the two leading ones included
TAX_RANGE = {  # 万元 a year
    Kind.ABOVE_SCALE: (120, 260),
    Kind.SME: (3, 40),
    Kind.COOPERATIVE: (0.2, 3),
    Kind.INDIVIDUAL: (0.1, 1.5),
}
JOBS_RANGE = {Kind.SME: (2, 10), Kind.COOPERATIVE: (3, 15), Kind.INDIVIDUAL: (1, 3)}


def village_names():
    """Village name (as the demo knows it) → unit code: villages are found by code, since names are an admin's."""
    return {spec.name: village_code(position) for position, spec in enumerate(VILLAGES)}


def placeholder_specs():
    """The 64 placeholders, numbered after a seeded shuffle so kinds and sectors mix, each with a village (or the
    town), tax and jobs. Exactly CADRE_LOGIN_ENTERPRISES of them sit in the `cadre` login's villages."""
    rng = random.Random(f"{SEED}:enterprises")
    rows = [
        (kind, sector, chain) for kind, sectors in PLACEHOLDER_SECTORS for sector, chain, n in sectors for _ in range(n)
    ]
    rng.shuffle(rows)
    others = [spec.name for spec in VILLAGES if spec.name not in CADRE_LOGIN_VILLAGES]
    rng.shuffle(others)
    above_scale = [i for i, row in enumerate(rows) if row[0] == Kind.ABOVE_SCALE]
    above_scale_jobs = partition_int(
        ABOVE_SCALE_JOBS - sum(spec.jobs for spec in LEADING), [rng.randint(3, 6) for _ in above_scale]
    )
    jobs_of = dict(zip(above_scale, above_scale_jobs, strict=True))
    login_villages = 0
    specs, next_village = [], 0
    for index, (kind, sector, chain) in enumerate(rows):
        in_town = kind == Kind.ABOVE_SCALE or (kind == Kind.SME and sector in TOWN_SECTORS)
        village = ""
        if not in_town:
            if kind in (Kind.COOPERATIVE, Kind.INDIVIDUAL) and login_villages < CADRE_LOGIN_ENTERPRISES:
                village = CADRE_LOGIN_VILLAGES[login_villages % 2]
                login_villages += 1
            else:
                village = others[next_village % len(others)]
                next_village += 1
        low, high = TAX_RANGE[kind]
        tax = Decimal(str(round(rng.uniform(low, high), 2)))
        jobs = jobs_of[index] if kind == Kind.ABOVE_SCALE else rng.randint(*JOBS_RANGE[kind])
        specs.append(
            EnterpriseSpec(f"示例企业{index + 1:02d}（{sector}）", kind, sector, chain, False, village, tax, jobs)
        )
    return specs


def partition_int(total, weights):
    """`total` split in whole numbers proportional to `weights` (largest remainders get the leftovers)."""
    whole = sum(weights)
    shares = [total * weight // whole for weight in weights]
    remainders = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in remainders[: total - sum(shares)]:
        shares[i] += 1
    return shares


def enterprise_specs():
    return [*LEADING, *placeholder_specs()]


def phone_for(number):
    return f"1380738{number:04d}"  # demo numbers, not anyone's


def ensure_enterprises(town, villages, specs):
    """{name: Enterprise}, creating the missing ones in one go."""
    existing = {
        e.name: e
        for e in Enterprise.objects.filter(unit__path__startswith=town.path, name__in=[spec.name for spec in specs])
    }
    missing = []
    for number, spec in enumerate(specs, start=1):
        if spec.name in existing:
            continue
        unit = villages[spec.village] if spec.village else town
        rng = random.Random(f"{SEED}:{spec.name}:contact")
        missing.append(
            Enterprise(
                unit=unit,
                name=spec.name,
                kind=spec.kind,
                sector=spec.sector,
                chain=spec.chain,
                is_leading=spec.leading,
                contact_name=person_name(rng) if spec.contact else "",
                contact_phone=phone_for(number) if spec.contact else "",
                address=f"双峰县井字镇{unit.name if spec.village else ''}",
                yearly_tax=spec.tax,
                jobs=spec.jobs,
                note="市级农业龙头企业培育对象，“粮油+”产业链" if spec.leading else "演示数据（示例企业）",
            )
        )
    Enterprise.objects.bulk_create(missing)
    for enterprise in missing:
        existing[enterprise.name] = enterprise
    return existing, len(missing)


# ── 包企 ─────────────────────────────────────────────────────────────────────────────────────────────────────────


def demo_cadres(town):
    """The sixteen: the `cadre` login's own, the deputy head for the leading enterprises, and fourteen 联村干部."""
    cadres = {cadre.name: cadre for cadre in Cadre.objects.filter(unit__path__startswith=town.path)}
    login = Cadre.objects.filter(user__username="cadre").first() or cadres[CADRES[0]]
    others = [cadres[name] for name in OTHER_CADRES if name != login.name]
    return login, cadres[LEADING_CADRE], others


def cadre_plan(specs, town, villages):
    """{enterprise name: Cadre}: the leading two and the first two other above-scale ones to the deputy head; the
    first four in the login's villages to him; the rest, ordered by place, in blocks of four or five to the others."""
    login, leading_cadre, others = demo_cadres(town)
    plan = {}
    leading_names = [spec.name for spec in specs if spec.leading]
    leading_names += [spec.name for spec in specs if spec.kind == Kind.ABOVE_SCALE and not spec.leading][:2]
    for name in leading_names:
        plan[name] = leading_cadre
    login_names = [spec.name for spec in specs if spec.village in CADRE_LOGIN_VILLAGES and spec.name not in plan]
    for name in login_names[:CADRE_LOGIN_ENTERPRISES]:
        plan[name] = login
    codes = village_names()
    rest = sorted(
        (spec for spec in specs if spec.name not in plan), key=lambda spec: (codes.get(spec.village, ""), spec.name)
    )
    sizes = partition_int(len(rest), [1] * len(others))
    position = 0
    for cadre, size in zip(others, sizes, strict=True):
        for spec in rest[position : position + size]:
            plan[spec.name] = cadre
        position += size
    return plan


def ensure_assignments(enterprises, plan):
    """One 包企 assignment per enterprise that has none; {enterprise id: Cadre} of all of them."""
    content_type = ContentType.objects.get_for_model(Enterprise)
    ids = {enterprise.pk: enterprise for enterprise in enterprises.values()}
    current = Assignment.objects.filter(kind=Assignment.Kind.ENTERPRISE, target_type=content_type, target_id__in=ids)
    by_enterprise = {
        a.target_id: a.cadre for a in current.select_related("cadre").order_by("start_date", "id") if a.cadre_id
    }
    new = [
        Assignment(
            kind=Assignment.Kind.ENTERPRISE,
            cadre=plan[enterprise.name],
            unit=enterprise.unit,
            target_type=content_type,
            target_id=enterprise.pk,
            start_date=ASSIGNED_SINCE,
            role_title=ROLE_TITLE,
        )
        for enterprise in enterprises.values()
        if enterprise.pk not in by_enterprise and enterprise.name in plan
    ]
    Assignment.objects.bulk_create(new)
    for assignment in new:
        by_enterprise[assignment.target_id] = assignment.cadre
    return by_enterprise, len(new)


# ── visits and problems ────────────────────────────────────────────────────────────────────────────────────────────

POLICIES = (
    "小微企业税费减免政策",
    "稳岗返还和就业补贴政策",
    "创业担保贷款贴息政策",
    "研发费用加计扣除政策",
    "农业产业化龙头企业扶持政策",
    "惠企金融信贷产品",
    "安全生产主体责任要求",
    "消防安全和用电安全要求",
    "环保排污许可要求",
    "用工招聘对接服务",
    "电商进农村支持政策",
    "高素质农民培训报名",
)
VISIT_NOTES = (
    "了解生产经营和订单情况",
    "查看厂区安全生产",
    "座谈用工和融资需求",
    "宣讲惠企政策并现场答疑",
    "了解原料收购和产品销路",
    "走访车间，听取企业意见建议",
)
PROBLEMS = (
    ("用工短缺，需要对接本地富余劳动力", "镇人社服务中心"),
    ("流动资金紧张，希望申请创业担保贴息贷款", "镇财政所"),
    ("厂区进出道路破损，雨天运输困难", "镇建设管理站"),
    ("用电增容申请办理进度慢", "井字供电所"),
    ("产品检测认证费用高，希望争取补助", "镇经济发展办"),
    ("土地流转合同到期，续签需村里协调", "所在村党支部"),
    ("排污许可证到期需续办", "镇生态环境办"),
    ("宽带网络不稳定，影响网上接单", "镇经济发展办"),
    ("收购季晒场不足，希望协调场地", "所在村党支部"),
    ("产品销路窄，希望对接电商平台和商超", "镇电商服务中心"),
)
SOLVED = (
    "已协调相关部门办结，企业表示满意",
    "已对接到位，问题解决",
    "已现场协调，企业按期完成",
    "已帮助企业办齐手续",
)
CLOSED_REASONS = (
    "需县级部门审批，超出镇级权限，已向县有关部门反映",
    "企业调整经营计划，不再需要办理",
    "不符合政策条件，已向企业解释说明",
    "涉及用地规划调整，近期无法解决，已向企业说明",
)
FORCED_OPEN = ("冷库容量不足，旺季原料存放困难，希望协调建设用地", "镇经济发展办")


def plan_visits(enterprise, cadre, last_end, today):
    """[(ServiceVisit, [Problem])] from January of last year to the end of the last complete month."""
    rng = random.Random(f"{SEED}:{enterprise.name}:visits")
    frequent = enterprise.kind == Kind.ABOVE_SCALE
    day = date(last_end.year - 1, 1, 1) + timedelta(days=rng.randint(3, 40))
    visits = []
    while day <= last_end:
        policies = "；".join(rng.sample(POLICIES, rng.randint(1, 3)))
        visit = ServiceVisit(
            enterprise=enterprise,
            cadre=cadre,
            unit=enterprise.unit,
            date=day,
            policies=policies,
            note=rng.choice(VISIT_NOTES),
        )
        problems = []
        for _ in range(rng.choices((0, 1, 2), weights=(65, 30, 5))[0]):
            problems.append(plan_problem(rng, visit, last_end, today))
        visits.append((visit, problems))
        day += timedelta(days=rng.randint(45, 75) if frequent else rng.randint(60, 120))
    return visits


def plan_problem(rng, visit, last_end, today):
    description, responsible = rng.choice(PROBLEMS)
    deadline = visit.date + timedelta(days=rng.randint(15, 60))
    problem = Problem(
        enterprise=visit.enterprise,
        unit=visit.unit,
        visit=visit,
        description=description,
        raised_on=visit.date,
        responsible=responsible,
        deadline=deadline,
    )
    # Long past its deadline: nearly always settled; just past it: some still open (overdue); not yet due: mostly open.
    if deadline < today - timedelta(days=45):
        status = rng.choices((Status.SOLVED, Status.CLOSED, Status.IN_PROGRESS), weights=(86, 10, 4))[0]
    elif deadline < today:
        status = rng.choices((Status.SOLVED, Status.CLOSED, Status.IN_PROGRESS, Status.OPEN), weights=(50, 10, 25, 15))[
            0
        ]
    else:
        status = rng.choices((Status.OPEN, Status.IN_PROGRESS, Status.SOLVED), weights=(45, 35, 20))[0]
    problem.status = status
    if status in (Status.SOLVED, Status.CLOSED):
        problem.resolved_on = min(
            visit.date + timedelta(days=rng.randint(5, (deadline - visit.date).days + 10)), last_end, today
        )
        problem.resolution = rng.choice(SOLVED if status == Status.SOLVED else CLOSED_REASONS)
    elif status == Status.IN_PROGRESS:
        problem.resolution = "正在协调办理"
    return problem


def ensure_visits(enterprises, cadres, login_cadre, last_end, today):
    """Visits and problems for every enterprise that has no visit yet; one open problem for the `cadre` login."""
    visited = set(
        ServiceVisit.objects.filter(enterprise__in=enterprises.values()).values_list("enterprise_id", flat=True)
    )
    plans = []
    for enterprise in sorted(enterprises.values(), key=lambda e: e.name):
        cadre = cadres.get(enterprise.pk)
        if enterprise.pk in visited or cadre is None:
            continue
        plans.append((enterprise, plan_visits(enterprise, cadre, last_end, today)))
    forced = next((visits for enterprise, visits in plans if cadres[enterprise.pk] == login_cadre and visits), None)
    if forced:  # his workbench always has something to do
        visit = forced[-1][0]
        forced[-1][1].append(
            Problem(
                enterprise=visit.enterprise,
                unit=visit.unit,
                visit=visit,
                description=FORCED_OPEN[0],
                raised_on=visit.date,
                responsible=FORCED_OPEN[1],
                status=Status.OPEN,
                deadline=max(visit.date + timedelta(days=60), today + timedelta(days=30)),
            )
        )
    visits = [visit for _enterprise, planned in plans for visit, _problems in planned]
    ServiceVisit.objects.bulk_create(visits)
    problems = []
    for _enterprise, planned in plans:
        for visit, visit_problems in planned:
            for problem in visit_problems:
                problem.visit_id = visit.pk
                problems.append(problem)
    Problem.objects.bulk_create(problems)
    return len(visits), len(problems)


# ── featured projects ─────────────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class ProjectSpec:
    village: str
    name: str
    cooperative: str
    products: str
    brand: str
    households: int
    note: str
    # collective income from the project (元): last year's whole year, this year's January to the last complete month
    income: tuple
    income_note: str
    season: tuple  # January … December
    online_kg: tuple = (0, 0)  # e-commerce kg, as `income`
    offline_share: float = 0.35  # offline kg against online kg (fruit)
    offline_kg: int = 0  # offline kg a month over all products, when they are sold offline only (铜梁四宝)
    goods: tuple = ()  # (product, e-commerce 元/kg, offline 元/kg)
    platforms: tuple = ()
    outlets: tuple = ("井字镇农贸市场", "双峰县城门店", "机关单位工会采购")


GIFT_SEASON = (1.25, 1.15, 0.8, 0.75, 0.75, 0.9, 1.0, 1.05, 1.25, 1.25, 1.1, 1.2)  # 春节、中秋国庆礼盒旺季
SPRING_FESTIVAL_SEASON = (1.3, 1.15, 0.9, 0.85, 0.8, 0.8, 0.85, 0.9, 0.95, 1.0, 1.1, 1.3)  # 腊肉、芝麻糖年货
PLATFORMS = ("抖音电商", "拼多多", "淘宝", "微信小程序")

PROJECTS = (
    ProjectSpec(
        "铜梁村",
        SIBAO,
        "铜梁村铜梁四宝农产品专业合作社（示例）",
        "、".join(SIBAO_PRODUCTS),
        SIBAO,
        42,
        "党总支部+合作社+农户：延伸红薯和腊肉产业链，统一品牌、包装和销售，收益按股分给集体和农户。",
        income=(46_000, SIBAO_INCOME),
        income_note="铜梁四宝销售集体分成",
        season=SPRING_FESTIVAL_SEASON,
        offline_kg=620,
        goods=tuple((product, 0, price) for product, price in zip(SIBAO_PRODUCTS, (24, 30, 40, 88), strict=True)),
    ),
    ProjectSpec(
        "增峰村",
        "增峰村高质水果种植项目",
        "增峰村水果种植专业合作社（示例）",
        "火龙果、猕猴桃、水果礼盒",
        "",
        30,
        "党支部+合作社+农户：带动农户种植火龙果、猕猴桃，通过电商平台销售水果礼盒。",
        income=(42_000, FRUIT_INCOME["增峰村"]),
        income_note="水果礼盒销售集体收益",
        season=GIFT_SEASON,
        online_kg=(4_800, FRUIT_ONLINE_KG["增峰村"]),
        goods=(("火龙果礼盒", 24, 15), ("猕猴桃礼盒", 28, 18)),
        platforms=PLATFORMS[:3],
    ),
    ProjectSpec(
        "黄巢村",
        "黄巢村高质水果种植项目",
        "黄巢村水果种植专业合作社（示例）",
        "猕猴桃、火龙果、水果礼盒",
        "",
        26,
        "党支部+合作社+农户：带动农户种植猕猴桃、火龙果，通过电商平台销售水果礼盒。",
        income=(40_000, FRUIT_INCOME["黄巢村"]),
        income_note="水果礼盒销售集体收益",
        season=GIFT_SEASON,
        online_kg=(4_300, FRUIT_ONLINE_KG["黄巢村"]),
        goods=(("猕猴桃礼盒", 28, 18), ("火龙果礼盒", 24, 15)),
        platforms=PLATFORMS[1:],
    ),
)
PROJECT_STARTED = date(2025, 1, 1)


def ensure_projects(villages):
    """{village name: FeaturedProject}; households of the village take part (a seeded sample, set once)."""
    projects = {}
    for spec in PROJECTS:
        village = villages.get(spec.village)
        if village is None:
            continue
        project = FeaturedProject.objects.filter(unit=village, name=spec.name).first()
        if project is None:
            project = FeaturedProject.objects.create(
                unit=village,
                name=spec.name,
                cooperative=spec.cooperative,
                products=spec.products,
                brand=spec.brand,
                started=PROJECT_STARTED,
                note=spec.note,
            )
            households = list(
                Household.objects.filter(unit__path__startswith=village.path).order_by(
                    "unit__path", "house_number", "id"
                )
            )
            rng = random.Random(f"{SEED}:{spec.name}:households")
            chosen = rng.sample(households, min(spec.households, len(households)))
            project.households.set(chosen)
        projects[spec.village] = project
    return projects


# ── collective income ──────────────────────────────────────────────────────────────────────────────────────────────

# 2025 weak villages (under 50,000 元 for the year), all lifted this year.
WEAK_LAST_YEAR = ("同德村", "世仁村", "莲塘村", "花桥村", "长湾村", "约溪村", "松柏村", "示例村三", "示例村五")
STRONG_THIS_YEAR = FRUIT_VILLAGES  # at or above 100,000 元 this year (2个村达10万元以上): the fruit villages
BASE_SEASON = (1.1, 0.9, 1.0, 0.95, 1.0, 1.05, 0.95, 0.95, 1.0, 1.05, 0.95, 1.1)
QUARTER_ENDS = (3, 6, 9, 12)
INCOME_NOTES = {
    Source.CONTRACTING: ("山塘、林地发包费", "集体门面租金", "耕地流转管理费", "集体厂房租金"),
    Source.BUSINESS: ("村集体农机服务收入", "村级劳务服务收入", "集体晒场、仓库经营收入"),
    Source.INVESTMENT: ("入股县农业发展公司分红", "光伏发电项目收益"),
    Source.OTHER: ("闲置资产处置收入", "代办服务费收入"),
}


def income_targets(name):
    """(last year's whole-year total, this year's January-to-last-month total) of a village's own income, projects
    aside (元)."""
    rng = random.Random(f"{SEED}:{name}:income")
    project = next((spec for spec in PROJECTS if spec.village == name), None)
    from_project = project.income if project else (0, 0)
    if name in WEAK_LAST_YEAR:
        totals = (rng.randint(38_000, 46_000), rng.randint(54_000, 62_000))
    elif name in STRONG_THIS_YEAR:
        totals = (rng.randint(80_000, 86_000), rng.randint(110_000, 118_000))
    elif project:  # 铜梁村: well above the line, its featured project more than half of it
        totals = (rng.randint(66_000, 72_000), rng.randint(84_000, 90_000))
    else:  # this year a little ahead of last year's pace, clear of both lines
        last_year = rng.randint(56_000, 86_000)
        totals = (last_year, min(max(round(last_year * 10 / 12 * rng.uniform(1.1, 1.3)), 54_000), 92_000))
    return totals[0] - from_project[0], totals[1] - from_project[1]


def monthly_amounts(total, season, months, rng, step=10):
    """`total` spread over `months` by season and a little noise, in whole steps; the last month takes the rest."""
    weights = [season[month.month - 1] * rng.uniform(0.94, 1.06) for month in months]
    whole = sum(weights)
    amounts = [int(total * weight / whole / step) * step for weight in weights]
    amounts[-1] += total - sum(amounts)
    return amounts


def demo_months(last):
    """[(year's months)] for last year and this year, to the last complete month."""
    return [
        [date(last.year - 1, month, 1) for month in range(1, 13)],
        [date(last.year, month, 1) for month in range(1, last.month + 1)],
    ]


def day_in(month, rng, last_end):
    return min(month.replace(day=rng.randint(3, 28)), last_end)


def split_base(amount, month, rng):
    """A village-month's own income as ledger entries: contracting every month, business, and an investment return
    at quarter end or something else now and then."""
    parts = [(Source.CONTRACTING, round(amount * rng.uniform(0.4, 0.6)))]
    if month.month in QUARTER_ENDS:
        parts.append((Source.INVESTMENT, round(amount * rng.uniform(0.15, 0.25))))
    elif rng.random() < 0.25:
        parts.append((Source.OTHER, round(amount * rng.uniform(0.05, 0.12))))
    parts.append((Source.BUSINESS, amount - sum(value for _source, value in parts)))
    return parts


def plan_income(village, name, project, last, last_end):
    """{month: [IncomeEntry]} for every month of last year and this year so far."""
    base = income_targets(name)
    spec = next((spec for spec in PROJECTS if spec.village == name), None)
    planned = {}
    for year_index, months in enumerate(demo_months(last)):
        rng = random.Random(f"{SEED}:{name}:{months[0].year}:income")
        amounts = monthly_amounts(base[year_index], BASE_SEASON, months, rng)
        project_amounts = (
            monthly_amounts(spec.income[year_index], spec.season, months, rng)
            if spec and project
            else [0] * len(months)
        )
        for month, amount, from_project in zip(months, amounts, project_amounts, strict=True):
            entries = [
                IncomeEntry(
                    unit=village,
                    date=day_in(month, rng, last_end),
                    source=source,
                    amount=Decimal(value),
                    note=rng.choice(INCOME_NOTES[source]),
                )
                for source, value in split_base(amount, month, rng)
                if value > 0
            ]
            if from_project:
                entries.append(
                    IncomeEntry(
                        unit=village,
                        date=day_in(month, rng, last_end),
                        source=Source.BUSINESS,
                        amount=Decimal(from_project),
                        project=project,
                        note=spec.income_note,
                    )
                )
            planned[month] = entries
    return planned


def ensure_income(villages, projects, last, last_end):
    """Each village-month with no income entry yet gets its planned entries."""
    filled = set(
        IncomeEntry.objects.filter(unit__in=villages.values(), date__gte=date(last.year - 1, 1, 1), date__lte=last_end)
        .values_list("unit_id", "date__year", "date__month")
        .distinct()
    )
    new = []
    for name, village in villages.items():
        for month, entries in plan_income(village, name, projects.get(name), last, last_end).items():
            if (village.pk, month.year, month.month) not in filled:
                new.extend(entries)
    IncomeEntry.objects.bulk_create(new)
    return len(new)


# ── sales ─────────────────────────────────────────────────────────────────────────────────────────────────────────


def plan_sales(spec, project, last, last_end):
    """{month: [SalesRecord]}: e-commerce by platform and some offline sales for the fruit; 铜梁四宝 offline."""
    planned = {}
    for year_index, months in enumerate(demo_months(last)):
        rng = random.Random(f"{SEED}:{spec.name}:{months[0].year}:sales")
        online = (
            monthly_amounts(spec.online_kg[year_index], spec.season, months, rng, step=1)
            if spec.online_kg[year_index]
            else [0] * len(months)
        )
        for month, kg in zip(months, online, strict=True):
            records = []
            if kg:
                shares = partition_int(kg, [rng.randint(2, 5) for _ in spec.platforms])
                for platform, share in zip(spec.platforms, shares, strict=True):
                    product, price, _offline = rng.choice(spec.goods)
                    records.append(sale(project, month, rng, last_end, product, ECOMMERCE, platform, share, price))
                offline_kg = round(kg * spec.offline_share * rng.uniform(0.8, 1.2))
                product, _price, price = spec.goods[0]
                records.append(
                    sale(project, month, rng, last_end, product, OFFLINE, rng.choice(spec.outlets), offline_kg, price)
                )
            else:  # 铜梁四宝: each product offline, more before 春节
                for product, _online, price in spec.goods:
                    offline_kg = round(
                        spec.offline_kg
                        / len(spec.goods)
                        * spec.season[month.month - 1]
                        * (1.25 if year_index else 1)
                        * rng.uniform(0.85, 1.15)
                        * (30 / price)
                    )
                    records.append(
                        sale(
                            project,
                            month,
                            rng,
                            last_end,
                            product,
                            OFFLINE,
                            rng.choice(spec.outlets),
                            max(offline_kg, 5),
                            price,
                        )
                    )
            planned[month] = records
    return planned


def sale(project, month, rng, last_end, product, channel, platform, kg, price):
    amount = (Decimal(kg) * Decimal(str(price)) * Decimal(str(rng.uniform(0.95, 1.05)))).quantize(Decimal("0.01"))
    return SalesRecord(
        unit=project.unit,
        project=project,
        date=day_in(month, rng, last_end),
        product=product,
        channel=channel,
        platform=platform,
        kg=Decimal(kg),
        amount=amount,
    )


def ensure_sales(projects, last, last_end):
    new = []
    for spec in PROJECTS:
        project = projects.get(spec.village)
        if project is None:
            continue
        filled = set(SalesRecord.objects.filter(project=project).values_list("date__year", "date__month").distinct())
        for month, records in plan_sales(spec, project, last, last_end).items():
            if (month.year, month.month) not in filled:
                new.extend(records)
    SalesRecord.objects.bulk_create(new)
    return len(new)


# ── the whole load and its summary ──────────────────────────────────────────────────────────────────────────────


@transaction.atomic
def load_industry():
    """Create whatever is missing; return (town, last complete month, {what: how many created})."""
    town = Unit.objects.get(code=TOWN_CODE, kind=Unit.Kind.TOWN)
    by_code = {unit.code: unit for unit in Unit.objects.under(town).villages()}
    villages = {name: by_code[code] for name, code in village_names().items() if code in by_code}
    today = timezone.localdate()
    last = periods.last_complete_month()
    last_end = min(periods.add_months(last, 1) - timedelta(days=1), today)
    specs = enterprise_specs()
    enterprises, created_enterprises = ensure_enterprises(town, villages, specs)
    login_cadre = demo_cadres(town)[0]
    cadres, created_assignments = ensure_assignments(enterprises, cadre_plan(specs, town, villages))
    created_visits, created_problems = ensure_visits(enterprises, cadres, login_cadre, last_end, today)
    projects = ensure_projects(villages)
    created = {
        "企业": created_enterprises,
        "包企": created_assignments,
        "走访": created_visits,
        "问题": created_problems,
        "收入": ensure_income(villages, projects, last, last_end),
        "销售": ensure_sales(projects, last, last_end),
    }
    return town, last, created


def load(*, password, reset_passwords=False):
    """The demo protocol (see reports' load_demo command): load, and return what to print."""
    return summary(*load_industry())


def summary(town, last, created):
    under = {"unit__path__startswith": town.path}
    enterprises = Enterprise.objects.filter(**under)
    content_type = ContentType.objects.get_for_model(Enterprise)
    assignments = Assignment.objects.filter(kind=Assignment.Kind.ENTERPRISE, target_type=content_type, **under)
    problems = Problem.objects.filter(**under)
    open_problems = problems.filter(status__in=Problem.OPEN_STATUSES)
    overdue = open_problems.filter(deadline__lt=timezone.localdate())
    villages = list(Unit.objects.under(town).villages())
    this_year = year_totals(villages, last.year)
    last_year = year_totals(villages, last.year - 1)
    online = SalesRecord.objects.filter(channel=ECOMMERCE, date__year=last.year, **under).aggregate(kg=Sum("kg"))["kg"]
    cadres = assignments.values("cadre").distinct().count()
    visits = ServiceVisit.objects.filter(**under).count()
    made = "，".join(f"{label} {value}" for label, value in created.items())
    weak = sum(total < weak_line() for total in last_year.values())
    above = sum(total >= weak_line() for total in this_year.values())
    strong = sum(total >= strong_line() for total in this_year.values())
    lines = [
        f"产业发展：企业 {enterprises.count()} 家（龙头 {enterprises.filter(is_leading=True).count()}），"
        f"包企干部 {cadres} 名，走访 {visits} 次，问题 {problems.count()} 个（未办结 {open_problems.count()}，"
        f"超期 {overdue.count()}）；本次新建 {sum(created.values())} 条（{made}）。",
        f"集体经济：{last.year - 1} 年薄弱村 {weak} 个；{last.year} 年 1—{last.month} 月 {above}/{len(villages)} "
        f"个村（社区）达 5 万元，{strong} 个达 10 万元；特色项目 {FeaturedProject.objects.filter(**under).count()} 个，"
        f"电商销售 {online or 0:.0f} 公斤。",
    ]
    return "\n".join(lines)


def year_totals(villages, year):
    totals = dict.fromkeys((village.pk for village in villages), Decimal(0))
    rows = IncomeEntry.objects.filter(unit__in=villages, date__year=year).values("unit").annotate(total=Sum("amount"))
    for row in rows.order_by():
        totals[row["unit"]] = row["total"]
    return totals
