"""任务督办 of the demo 井字镇 (`manage.py load_demo` runs this after the work lines' ledgers, before the reports).

The town's leader (the `leader` login) sends a dozen tasks down to the branches over the demo year, across the four
work lines: the 三边三清 campaign (屋边清整, 路边清洁, 水边清爽), a 门前三包 check, the 汛期 山塘水库 inspection, the
反电信诈骗 publicity round, the 疫苗接种 follow-up, the 消薄 collective-income ledger check, a winter 志愿服务 activity,
the 森林防火 patrol, and a monthly 安全隐患排查 that repeats (its root two months ago, an occurrence each month since).
Each task names the numbers every branch reports (排查隐患 处, 清理垃圾 吨, 发放宣传资料 份 …).

What the branches did with them: the tasks of past months are done and verified — a few reported after their
deadline (LATE in each spec); the 消薄 check, due a few days ago, is still open in three villages (red: 杨球村 among
them) and waits for verification in two; the tasks due in the coming days are partly reported, partly received or not
yet received — the 森林防火 patrol, due the day after tomorrow, shows its yellow card in 铜梁村 and 杨球村. Done items
of the campaigns name a few of the village's party members who took part, so they earn 积分 (PointRule
"tasks.done").

The rows are those the services would write (dispatch/services.py): each item with its deadline and yellow day
(deadline − the task's near_days), every step it took (下达, 签收, 上报, 核验办结, 催办) at its time, the numbers
reported and the members named; written in bulk (reports.scale.Writer). The dates follow today: the campaigns in the
months of the demo year (demo.common.demo_months), the current tasks a number of days from today. Everything is drawn
from a generator seeded per task and village, and a task is found again by its title (a repeating one by its title and
month), so loading twice changes nothing.
"""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from branches.models import PartyMember, User
from demo.common import demo_months, demo_villages
from dispatch.models import Every, Figure, Item, Measure, Priority, Step, Task
from dispatch.selectors import red_q, yellow_from, yellow_q
from reports import periods
from reports.scale import Writer

SEED = 431321102
EVERY_VILLAGE = "全镇各村（社区）"
WEAK = ("同德村", "世仁村", "莲塘村", "花桥村", "三石村", "长湾村", "约溪村", "杨球村", "示例村五")  # 消薄 villages


@dataclass(frozen=True)
class Spec:
    """One task and what the branches did with it."""

    title: str
    work_line: str
    description: str
    report: str  # how a branch's report begins; its numbers follow
    measures: tuple = ()  # (name, unit, low, high): each branch's number drawn between low and high
    month: int = 0  # the month of the demo year it is issued and due in (1–12, the last complete month at most) …
    days: tuple = (3, 20)  # … on these days of it
    offsets: tuple = ()  # or (issued, due) in days from today: the tasks of today's pages
    targets: tuple = ()  # village names; none: every village and community
    priority: str = Priority.NORMAL
    near_days: int = 3
    late: tuple = ()  # reported after the deadline, then verified
    red: tuple = ()  # not reported yet
    reported: tuple = ()  # reported, waiting for verification
    open: tuple = ()  # received or not yet, not reported
    members: bool = False  # done items name members who took part
    every: str = Every.NONE


TON, KM = "吨", "公里"  # numbers reported to a tenth
SPECS = (
    Spec("三边三清：屋边清整", "environment",
         "组织党员群众清理房前屋后的杂物、柴草和陈旧垃圾，拆除破旧棚舍，做到屋边整洁有序。",
         "已组织党员群众开展屋边清整", (("清理垃圾", "吨", 2, 9), ("发动党员群众", "人次", 30, 90)), month=3,
         late=("示例村三",), members=True),
    Spec("三边三清：路边清洁", "environment", "清理主干道和村道两侧的垃圾、杂草，清除破旧广告牌，规范摆放柴草农具。",
         "已完成辖区道路两侧清洁", (("清理垃圾", "吨", 1, 6), ("清理沿路环境", "公里", 1, 4)), month=4, days=(2, 22),
         late=("花桥村", "示例村二"), members=True),
    Spec("三边三清：水边清爽", "environment", "清理山塘、沟渠、河道的漂浮物和岸边垃圾，疏通排水沟渠。",
         "已完成山塘沟渠清理", (("清理垃圾", "吨", 1, 5), ("疏通沟渠", "公里", 1, 3)), month=5, days=(6, 26),
         members=True),
    Spec("门前三包落实情况检查", "environment", "检查沿街商户、农户门前包卫生、包秩序、包绿化落实情况，登记整改。",
         "已逐户检查门前三包落实情况", (("检查商户农户", "户", 40, 160), ("督促整改", "户", 2, 15)), month=6,
         days=(3, 18), targets=("关圣殿社区", "坪石村", "增峰村", "黄巢村", "铜梁村", "杨球村")),
    Spec("汛期山塘水库安全巡查", "governance",
         "对辖区山塘、水库、地质灾害隐患点开展汛期巡查，落实巡查责任人和转移避险预案。",
         "已完成山塘水库汛期巡查", (("巡查山塘水库", "座", 3, 14), ("排查隐患", "处", 0, 4)), month=6, days=(10, 25),
         priority=Priority.URGENT, late=("示例村四",)),
    Spec("反电信诈骗宣传进村入户", "governance",
         "组织党员志愿者入户宣传防范电信网络诈骗知识，指导群众安装国家反诈中心APP。",
         "已组织党员志愿者入户宣传", (("发放宣传资料", "份", 200, 900), ("入户宣传", "户", 80, 320)), month=9,
         days=(8, 28), members=True),
    Spec("疫苗接种情况摸底随访", "governance", "对辖区老年人、慢性病人群的疫苗接种情况逐户摸底，建立台账，跟踪随访。",
         "已完成疫苗接种情况摸底随访", (("随访人员", "人", 30, 160),), month=10, days=(9, 27), late=("石奇村",)),
    Spec("消薄：村集体经济收入台账核查", "industry",
         "对照村集体经济收入台账，逐笔核实经营性收入、资源发包和资产租赁收入，报送佐证材料。",
         "已逐笔核实村集体经济收入台账", (("核实集体经济收入", "元", 30000, 90000),), offsets=(-25, -4),
         targets=WEAK, priority=Priority.HIGH, red=("杨球村", "三石村", "示例村五"), reported=("同德村", "约溪村")),
    Spec("冬季“三留一困”关爱志愿服务活动", "volunteers",
         "组织党员志愿者走访留守老人、留守儿童、留守妇女和困难群众，送去慰问品，帮助解决实际困难。",
         "已组织党员志愿者走访慰问", (("走访慰问", "户", 10, 40),), offsets=(-6, 12),
         targets=("关圣殿社区", "坪石村", "万里村", "黄巢村", "花山村", "松柏村", "铜梁村", "杨球村"),
         reported=("坪石村",), open=("铜梁村", "杨球村", "花山村")),
    Spec("冬春森林防火巡查", "governance", "落实护林员和党员巡山责任，清理林区周边可燃物，劝导野外用火。",
         "已落实巡山责任并开展巡查", (("巡山", "次", 4, 12), ("劝导野外用火", "人次", 2, 20)), offsets=(-8, 2),
         targets=("增峰村", "黄巢村", "花山村", "三石村", "约溪村", "松柏村", "铜梁村", "杨球村"),
         priority=Priority.HIGH, reported=("增峰村",), open=("铜梁村", "杨球村", "约溪村")),
)  # fmt: skip
MONTHLY = Spec("每月安全隐患排查", "governance",
               "每月对辖区房屋、道路、用电用气和人员密集场所开展一轮安全隐患排查，发现即登记整改。",
               "已完成本月安全隐患排查", (("排查隐患", "处", 2, 12),), days=(1, 20), every=Every.MONTH)  # fmt: skip
MONTHLY_ROUNDS = 3  # the root two months ago, then one a month to this month's


@dataclass
class Plan:
    spec: Spec
    issued_on: object  # date
    deadline: object  # date
    villages: list  # Units
    root: object = None  # the Plan it repeats


def plans_for(today, villages):
    """Every task the demo holds, with its dates (the campaigns in the demo year, the others from today)."""
    months = demo_months()["this_year"]
    plans = []
    for spec in SPECS:
        if spec.offsets:
            issued, due = (today + timedelta(days=days) for days in spec.offsets)
        else:
            month = months[min(spec.month, len(months)) - 1]
            issued, due = month.replace(day=spec.days[0]), month.replace(day=spec.days[1])
        chosen = [villages[name] for name in spec.targets if name in villages] or list(villages.values())
        plans.append(Plan(spec, issued, due, chosen))
    root = None
    for step in range(MONTHLY_ROUNDS):
        month = periods.add_months(periods.current_month(today), step - MONTHLY_ROUNDS + 1)
        plan = Plan(MONTHLY, month.replace(day=MONTHLY.days[0]), month.replace(day=MONTHLY.days[1]),
                    list(villages.values()), root)  # fmt: skip
        root = root or plan
        plans.append(plan)
    return plans


def key_of(plan):
    """A task's natural key: its title, a repeating one's also its month."""
    return (plan.spec.title, plan.issued_on.replace(day=1) if plan.spec.every != Every.NONE else None)


# ── what each village did ───────────────────────────────────────────────────────────────────────────────────────────


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def outcome(plan, name, rng, today):
    """(status, received on, reported on, done on) of one village's item, drawn for its spec and dates."""
    spec, issued, due = plan.spec, plan.issued_on, plan.deadline
    received = min(issued + timedelta(days=rng.randint(0, 2)), today)
    if name in spec.red or name in spec.open:
        status = Item.Status.RECEIVED if rng.random() < 0.6 else Item.Status.PENDING
        return status, received if status == Item.Status.RECEIVED else None, None, None
    if due >= today and name not in spec.reported:  # still running: a few done, some reported, the rest at work
        draw = rng.random()
        if draw < 0.4:
            return (Item.Status.RECEIVED if draw < 0.25 else Item.Status.PENDING), (
                received if draw < 0.25 else None), None, None  # fmt: skip
        if draw < 0.6:
            reported = min(received + timedelta(days=rng.randint(1, 5)), today)
            return Item.Status.REPORTED, received, reported, None
    if name in spec.late:
        reported = min(due + timedelta(days=rng.randint(1, 6)), today)
    else:
        reported = min(received + timedelta(days=rng.randint(1, max(1, (due - received).days))), due, today)
    if name in spec.reported:
        return Item.Status.REPORTED, received, reported, None
    return Item.Status.DONE, received, reported, min(reported + timedelta(days=rng.randint(0, 3)), today)


def figure_value(rng, low, high, unit):
    if unit in (TON, KM):
        return Decimal(rng.randint(low * 10, high * 10)) / 10
    return Decimal(rng.randint(low, high))


# ── writing ─────────────────────────────────────────────────────────────────────────────────────────────────────────


@dataclass
class People:
    leader: int
    cadre: int | None
    cadre_villages: set  # the villages the `cadre` login verifies (his 包村)
    secretaries: dict  # village id → user id
    members: dict  # village id → [member id]


def read_people(town, villages):
    logins = dict(User.objects.filter(username__in=("leader", "cadre")).values_list("username", "pk"))
    secretaries = dict(User.objects.filter(role=User.Role.SECRETARY, unit__in=villages.values(), is_active=True)
                       .order_by("pk").values_list("unit_id", "pk"))  # fmt: skip
    by_path = {village.path: village.pk for village in villages.values()}
    prefix = len(next(iter(by_path))) if by_path else 0
    members = defaultdict(list)
    rows = (PartyMember.objects.filter(unit__path__startswith=town.path, is_active=True)
            .order_by("unit__path", "pk").values_list("pk", "unit__path"))  # fmt: skip
    for pk, path in rows:
        if path[:prefix] in by_path:
            members[by_path[path[:prefix]]].append(pk)
    cadre_villages = {villages[name].pk for name in ("铜梁村", "杨球村") if name in villages}
    return People(logins["leader"], logins.get("cadre"), cadre_villages, secretaries, members)


class Rows:
    """The rows of the tasks to write, with ids assigned as they are planned."""

    def __init__(self, writer):
        self.writer = writer
        self.tasks, self.measures, self.items, self.steps, self.figures, self.members = [], [], [], [], [], []

    def next_id(self, model):
        return self.writer.ids(model, 1)[0]

    def write(self):
        Through = Item.members.through
        for model, rows in ((Task, self.tasks), (Measure, self.measures), (Item, self.items), (Step, self.steps),
                            (Figure, self.figures), (Through, self.members)):  # fmt: skip
            self.writer.insert(model, rows)
        self.writer.reset_sequences()


def add_task(rows, plan, town, people, today, root_id):
    spec = plan.spec
    task_id = rows.next_id(Task)
    rows.tasks.append({
        "id": task_id, "unit_id": town.pk, "title": spec.title, "work_line": spec.work_line,
        "description": spec.description, "issued_by_id": people.leader, "issued_on": plan.issued_on,
        "deadline": plan.deadline, "near_days": spec.near_days, "priority": spec.priority,
        "targets": EVERY_VILLAGE if not spec.targets else "、".join(v.name for v in plan.villages),
        "needs_text": True, "needs_photo": False, "needs_verify": True, "every": spec.every, "repeats_id": root_id,
        "is_cancelled": False, "created_at": at(plan.issued_on, 8, 30),
    })  # fmt: skip
    measures = []
    for order, (name, unit, low, high) in enumerate(spec.measures):
        measure_id = rows.next_id(Measure)
        rows.measures.append({"id": measure_id, "task_id": task_id, "name": name, "unit_label": unit, "order": order})
        measures.append((measure_id, name, unit, low, high))
    for village in plan.villages:
        rng = random.Random(f"{SEED}:督办:{spec.title}:{plan.issued_on:%Y%m}:{village.name}")
        add_item(rows, plan, task_id, measures, village, people, rng, today)
    return task_id


def add_item(rows, plan, task_id, measures, village, people, rng, today):
    status, received, reported, done = outcome(plan, village.name, rng, today)
    item_id = rows.next_id(Item)
    secretary = people.secretaries.get(village.pk)
    verifier = people.cadre if village.pk in people.cadre_villages and people.cadre else people.leader
    values = [(measure_id, figure_value(rng, low, high, unit), name, unit)
              for measure_id, name, unit, low, high in measures]  # fmt: skip
    text = ""
    if reported:
        said = "，".join(f"{name}{value}{unit}" for _id, value, name, unit in values)
        text = f"{plan.spec.report}。{said}。" if said else f"{plan.spec.report}。"
    received_at = at(received, 9 + rng.randint(0, 2), rng.choice((5, 20, 40))) if received else None
    rows.items.append({
        "id": item_id, "unit_id": village.pk, "task_id": task_id, "status": status, "deadline": plan.deadline,
        "yellow_on": yellow_from(plan.deadline, plan.spec.near_days), "received_at": received_at,
        "reported_on": reported, "report_text": text, "done_on": done,
        "version": sum(1 for stamp in (received, reported, done) if stamp),
    })  # fmt: skip
    steps = [(Step.Action.ISSUED, people.leader, at(plan.issued_on, 8, 30), "")]
    if received:
        steps.append((Step.Action.RECEIVED, secretary, received_at, ""))
    if reported:
        steps.append((Step.Action.REPORTED, secretary, at(reported, 16, rng.randint(0, 50)), text[:300]))
        rows.figures += [{"item_id": item_id, "measure_id": measure_id, "value": value}
                         for measure_id, value, _name, _unit in values]  # fmt: skip
    if done:
        steps.append((Step.Action.VERIFIED, verifier, at(done, 17, 30), "核验属实，予以办结。"))
        if plan.spec.members and people.members.get(village.pk) and rng.random() < 0.7:
            chosen = rng.sample(people.members[village.pk], min(len(people.members[village.pk]), rng.randint(1, 3)))
            rows.members += [{"item_id": item_id, "partymember_id": member} for member in sorted(chosen)]
    if status in Item.OPEN and plan.deadline < today:  # red: the issuer pressed it the day after its deadline
        steps.append((Step.Action.PRESSED, people.leader, at(plan.deadline + timedelta(days=1), 8, 30), ""))
    rows.steps += [{"item_id": item_id, "action": action, "user_id": user, "at": stamp, "note": note}
                   for action, user, stamp, note in steps]  # fmt: skip


@transaction.atomic
def load_tasks(town, villages, today):
    """Write the tasks not yet there; returns how many were written."""
    plans = plans_for(today, villages)
    found = Task.objects.filter(unit=town, title__in={plan.spec.title for plan in plans})
    ids = {(title, issued_on.replace(day=1) if every != Every.NONE else None): pk
           for pk, title, issued_on, every in found.values_list("pk", "title", "issued_on", "every")}  # fmt: skip
    missing = [plan for plan in plans if key_of(plan) not in ids]
    if not missing:
        return 0
    people = read_people(town, villages)
    rows = Rows(Writer())
    for plan in missing:  # in order: a repeating task's root before its occurrences
        root_id = ids.get(key_of(plan.root)) if plan.root else None
        ids[key_of(plan)] = add_task(rows, plan, town, people, today, root_id)
    rows.write()
    return len(missing)


# ── the summary ─────────────────────────────────────────────────────────────────────────────────────────────────────


def figures(town, today):
    items = Item.objects.filter(task__unit=town, task__is_cancelled=False)
    counted = items.aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(status=Item.Status.DONE)),
        reported=Count("pk", filter=Q(status=Item.Status.REPORTED)), open=Count("pk", filter=Q(status__in=Item.OPEN)),
        red=Count("pk", filter=red_q(today)), yellow=Count("pk", filter=yellow_q(today)),
    )  # fmt: skip
    counted["tasks"] = Task.objects.filter(unit=town).count()
    counted["members"] = Item.members.through.objects.filter(item__task__unit=town).count()
    return counted


def load(*, password, reset_passwords=False):
    """The demo protocol (see demo/loader.py): load, and return what to print."""
    today = timezone.localdate()
    town, villages = demo_villages()
    created = load_tasks(town, villages, today)
    f = figures(town, today)
    return (
        f"任务督办：镇里下达任务 {f['tasks']} 项（含每月重复的安全隐患排查），各村（社区）办理 {f['total']} 件："
        f"已办结 {f['done']}，已上报待核验 {f['reported']}，办理中 {f['open']}（红牌 {f['red']}，黄牌 {f['yellow']}）；"
        f"参与党员 {f['members']} 人次；本次新建任务 {created} 项。"
    )
