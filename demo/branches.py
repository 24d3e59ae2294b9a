"""The demo 井字镇 (`manage.py load_demo`): the unit tree, households, party organisations and members, cadres, grid
workers, assignments and the demo logins.

Everything is found again by a natural key (unit code, a name under its parent, a username), so loading twice changes
nothing. People's names are drawn from small lists by a seeded random generator, one per grid, so the same grid always
gets the same households. The five villages whose names the demo does not know are named plainly as placeholders, and
the split of villages into four areas is the demo's own, not the town's real one: both are data an admin edits.
"""

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction

from branches.models import (
    Assignment,
    Cadre,
    GridWorker,
    Household,
    HouseholdLink,
    MicroGrid,
    PartyMember,
    PartyOrganisation,
    Unit,
    User,
)
from demo.article import TOTAL_GRIDS, TOTAL_MEMBERS, TOTAL_MICRO_GRIDS

SEED = 431321102

COUNTY = ("双峰县", "431321")
TOWN = ("井字镇", "431321102")
TOWN_COMMITTEE = "井字镇党委"
# What the town's 公文 say of it (版头 and 文号): filled on a first load only, an admin's edit stays.
TOWN_ISSUER = ("中共双峰县井字镇委员会", "井")

AREAS = ("东片区", "西片区", "南片区", "北片区")

COMMUNITY = Unit.Kind.COMMUNITY
VILLAGE = Unit.Kind.VILLAGE
BRANCH = PartyOrganisation.Level.BRANCH
GENERAL_BRANCH = PartyOrganisation.Level.GENERAL_BRANCH


@dataclass(frozen=True)
class VillageSpec:
    name: str
    kind: str
    grids: int  # each grid sits under its own 村民小组
    area: int  # index into AREAS
    level: str = BRANCH
    username: str = ""  # secretary login; blank → sec01, sec02, … in this order

    @property
    def organisation_name(self):
        return f"{self.name}{'党总支部' if self.level == GENERAL_BRANCH else '党支部'}"


# Fixed order: codes 431321102001 … 431321102022 follow it. 12 villages have 6 grids and 10 have 5: 122 in all.
VILLAGES = (
    VillageSpec("关圣殿社区", COMMUNITY, 6, 0, GENERAL_BRANCH),
    VillageSpec("坪石村", VILLAGE, 6, 0),
    VillageSpec("同德村", VILLAGE, 5, 0),
    VillageSpec("增峰村", VILLAGE, 6, 0),
    VillageSpec("世仁村", VILLAGE, 5, 0),
    VillageSpec("万里村", VILLAGE, 6, 0),
    VillageSpec("黄巢村", VILLAGE, 6, 1),
    VillageSpec("莲塘村", VILLAGE, 5, 1),
    VillageSpec("石奇村", VILLAGE, 6, 1),
    VillageSpec("花桥村", VILLAGE, 5, 1),
    VillageSpec("花山村", VILLAGE, 6, 1),
    VillageSpec("三石村", VILLAGE, 6, 1),
    VillageSpec("长湾村", VILLAGE, 5, 2),
    VillageSpec("约溪村", VILLAGE, 6, 2),
    VillageSpec("松柏村", VILLAGE, 5, 2),
    VillageSpec("铜梁村", VILLAGE, 6, 2, GENERAL_BRANCH, "tongliang"),
    VillageSpec("杨球村", VILLAGE, 6, 2, BRANCH, "yangqiu"),
    VillageSpec("示例村一", VILLAGE, 5, 3),
    VillageSpec("示例村二", VILLAGE, 5, 3),
    VillageSpec("示例村三", VILLAGE, 6, 3),
    VillageSpec("示例村四", VILLAGE, 5, 3),
    VillageSpec("示例村五", VILLAGE, 5, 3),
)

# The article's TOTAL_GRIDS, TOTAL_MEMBERS (党员“五个到户”全覆盖) and TOTAL_MICRO_GRIDS (党员服务微网格: one per grid,
# except the last grid of the first six six-grid villages) come from demo.article.
GROUP_LEADERS_PER_GRID = 2  # 党员组长, who also take on 包户

# Town leadership (党政领导班子). The first holds the `leader` login; the last four each answer for one area (包片).
LEADERS = (
    ("罗振华", "党委书记"),
    ("曾志刚", "党委副书记、镇长"),
    ("彭建军", "党委副书记"),
    ("谢春兰", "人大主席"),
    ("朱立新", "党委委员、纪委书记"),
    ("邓文清", "党委委员、副镇长"),
)
AREA_LEADERS = (2, 3, 4, 5)

# Township cadres (联村干部). The first holds the `cadre` login and answers for 铜梁村 and 杨球村; each other one
# answers for one of the remaining twenty villages, in order.
CADRES = tuple(
    "王海燕 刘国平 李建华 陈志明 周桂香 蔡立军 贺小兵 匡文静 胡德安 肖红梅 戴光辉 "
    "宋玉兰 成志强 赵春林 彭丽君 谢伟明 朱晓峰 邓金凤 罗永康 曾雪梅 刘新民".split()
)
CADRE_LOGIN_VILLAGES = ("铜梁村", "杨球村")
# A 网格员 login for each grid of these villages: tl-grid1 … tl-grid6, yq-grid1 … yq-grid6.
GRID_LOGIN_PREFIXES = {"铜梁村": "tl-grid", "杨球村": "yq-grid"}

SURNAMES = tuple("曾 刘 王 李 彭 朱 谢 周 陈 蔡 罗 邓 宋 成 贺 匡 胡 赵 肖 戴 葛 许 唐 袁 欧阳".split())
GIVEN = {  # (first characters, second characters) of given names, by gender
    "M": ("建国志德春光新金海明立长正跃永文福双", "华明平军林生文强辉良安清峰成勇松元先"),
    "F": ("玉桂秀春冬红小金丽美淑", "芳英兰梅珍香娥凤莲霞云娟"),
}

START_DATE = date(2022, 1, 1)
LINK_SINCE = date(2022, 3, 1)


# ── the plan: which grid gets how many members, which grids get a micro-grid ──────────────────────────────────────


def grid_plan():
    """[(village spec, grid number, member quota, has micro-grid)] in fixed order; quotas sum to TOTAL_MEMBERS."""
    plan = []
    six_grid_villages = [spec.name for spec in VILLAGES if spec.grids == 6]
    without_micro = set(six_grid_villages[: TOTAL_GRIDS - TOTAL_MICRO_GRIDS])
    extra = TOTAL_MEMBERS - 9 * TOTAL_GRIDS  # this many grids get a tenth member, spread evenly
    index = 0
    for spec in VILLAGES:
        for number in range(1, spec.grids + 1):
            quota = 9 + ((index + 1) * extra // TOTAL_GRIDS - index * extra // TOTAL_GRIDS)
            has_micro = not (spec.name in without_micro and number == spec.grids)
            plan.append((spec, number, quota, has_micro))
            index += 1
    return plan


def village_code(position):
    return f"{TOWN[1]}{position + 1:03d}"


def chinese_number(number):
    return "〇一二三四五六七八九十"[number] if number <= 10 else str(number)


def group_name(spec, number):
    return f"{spec.name}{chinese_number(number)}组"


def grid_name(spec, number):
    return f"{spec.name}第{number}网格"


# ── units ───────────────────────────────────────────────────────────────────────────────────────────────────────────


class UnitIndex:
    """The county's units, read once (with any unit holding one of the demo's codes), found again by code or by
    (parent, name, kind); a missing one is created under its parent. A second load reads the tree with one query."""

    def __init__(self, codes):
        county = Unit.objects.filter(code=COUNTY[1]).first()
        units = Unit.objects.filter(code__in=codes)
        if county is not None:
            units |= Unit.objects.filter(path__startswith=county.path)
        self.by_code, self.by_place = {}, {}
        for unit in units.order_by("path"):
            self._remember(unit)

    def _remember(self, unit):
        if unit.code:
            self.by_code.setdefault(unit.code, unit)
        self.by_place.setdefault((unit.path[: -Unit.steplen], unit.name, unit.kind), unit)
        return unit

    def root(self, name, kind, code):
        unit = self.by_code.get(code)
        return unit or self._remember(Unit.objects.add_root(create_kwargs={"name": name, "kind": kind, "code": code}))

    def child(self, parent, name, kind, code=""):
        """The unit with `code` (anywhere), or the child of `parent` called `name`; created under `parent` if
        missing (treebeard keeps the parent's numchild in memory up to date as it adds)."""
        unit = self.by_code.get(code) if code else self.by_place.get((parent.path, name, kind))
        if unit is None:
            fields = {"name": name, "kind": kind, "code": code}
            unit = self._remember(Unit.objects.add_child(parent, create_kwargs=fields))
        return unit


@dataclass
class Tree:
    county: Unit
    town: Unit
    areas: list
    villages: dict = field(default_factory=dict)  # spec name → Unit
    groups: dict = field(default_factory=dict)  # (spec name, number) → Unit
    grids: dict = field(default_factory=dict)  # (spec name, number) → Unit


def build_tree():
    index = UnitIndex([COUNTY[1], TOWN[1], *(village_code(position) for position in range(len(VILLAGES)))])
    county = index.root(COUNTY[0], Unit.Kind.COUNTY, COUNTY[1])
    town = index.child(county, TOWN[0], Unit.Kind.TOWN, TOWN[1])
    areas = [index.child(town, name, Unit.Kind.AREA) for name in AREAS]
    Unit.objects.filter(pk=town.pk, issuing_name="", doc_prefix="").update(
        issuing_name=TOWN_ISSUER[0], doc_prefix=TOWN_ISSUER[1]
    )
    tree = Tree(county=county, town=Unit.objects.get(pk=town.pk), areas=areas)
    for position, spec in enumerate(VILLAGES):
        village = index.child(areas[spec.area], spec.name, spec.kind, village_code(position))
        tree.villages[spec.name] = village
        for number in range(1, spec.grids + 1):
            group = index.child(village, group_name(spec, number), Unit.Kind.GROUP)
            tree.groups[spec.name, number] = group
            tree.grids[spec.name, number] = index.child(group, grid_name(spec, number), Unit.Kind.GRID)
    return tree


# ── party organisations ─────────────────────────────────────────────────────────────────────────────────────────────


def ensure_organisations(tree):
    """The town 党委 and one organisation per village (secretary and committee are filled once members exist)."""
    town_org = PartyOrganisation.objects.filter(unit=tree.town, level=PartyOrganisation.Level.COMMITTEE).first()
    if town_org is None:
        town_org = PartyOrganisation.objects.create(
            unit=tree.town,
            name=TOWN_COMMITTEE,
            level=PartyOrganisation.Level.COMMITTEE,
            secretary_name=LEADERS[0][0],
            committee="\n".join(f"{name}（{position}）" for name, position in LEADERS),
        )
    organisations, first_by_unit = {}, {}
    for organisation in PartyOrganisation.objects.filter(unit__in=tree.villages.values()).order_by("id"):
        first_by_unit.setdefault(organisation.unit_id, organisation)
    for spec in VILLAGES:
        village = tree.villages[spec.name]
        organisation = first_by_unit.get(village.pk)
        if organisation is None:
            organisation = PartyOrganisation.objects.create(
                unit=village, name=spec.organisation_name, level=spec.level, parent=town_org
            )
        organisations[spec.name] = organisation
    return town_org, organisations


# ── households, members, links, micro-grids (one grid at a time, planned in memory, written in bulk) ──────────────


MOBILE_PREFIXES = ("133", "135", "136", "137", "138", "139", "150", "151", "152", "158", "159", "173", "177", "180",
                   "182", "187", "188", "189", "191", "199")


def demo_phone(*key):
    """A made-up but plausible mobile number, the same for the same person on every load (its own generator, so the
    names drawn by the grids' generators stay as they were)."""
    rng = random.Random(f"{SEED}:电话:" + ":".join(str(part) for part in key))
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def person_name(rng, surname=None, gender="M"):
    first, second = GIVEN[gender]
    given = rng.choice(first) + rng.choice(second) if rng.random() < 0.85 else rng.choice(second)
    return (surname or rng.choice(SURNAMES)) + given


def random_gender(rng, male_share):
    return "M" if rng.random() < male_share else "F"


def unique_name(rng, used, surname, gender):
    """A name with `surname` not yet used on this grid (a clash is kept after 50 tries: real villages have them)."""
    for _attempt in range(50):
        name = person_name(rng, surname, gender)
        if name not in used:
            break
    used.add(name)
    return name


@dataclass
class GridFill:
    grid: Unit
    number: int
    households: list
    members: list
    links: list  # (member index, household index)
    micro_grid: MicroGrid | None

    def keepers(self):
        """包户: the grid's 党员组长 share its households in turn. The last household of each village's first grid is
        left without one, so the demo shows what a gap in the four-level chain looks like."""
        leaders = [member for member in self.members if member.is_group_leader]
        last = len(self.households) - 1
        return [
            (leaders[index % len(leaders)], household)
            for index, household in enumerate(self.households)
            if not (self.number == 1 and index == last)
        ]


def plan_grid(spec, number, grid, organisation, quota, has_micro):
    """Households (30–45), `quota` members living in some of them, links covering every household, the micro-grid."""
    rng = random.Random(f"{SEED}:{spec.name}:{number}")
    clan = rng.choice(SURNAMES[:12])  # villages of Shuangfeng are often one or two clans
    used = set()
    households, surnames, genders = [], [], []
    for index in range(1, rng.randint(30, 45) + 1):
        surnames.append(clan if rng.random() < 0.5 else rng.choice(SURNAMES))
        genders.append(random_gender(rng, 0.85))
        households.append(
            Household(
                unit=grid,
                head_name=unique_name(rng, used, surnames[-1], genders[-1]),
                house_number=f"{chinese_number(number)}组{index:02d}号",
                population=rng.choices(range(1, 8), weights=(8, 18, 22, 24, 15, 9, 4))[0],
                phone=demo_phone(spec.name, number, "户", index),
            )
        )
    members = []
    for household_index in rng.sample(range(len(households)), quota):
        household = households[household_index]
        if rng.random() < 0.6:
            name, gender = household.head_name, genders[household_index]
        else:  # a son or daughter living in the household
            gender = random_gender(rng, 0.55)
            name = unique_name(rng, used, surnames[household_index], gender)
        birth_year = rng.randint(1948, 1998)
        members.append(
            PartyMember(
                unit=organisation.unit,
                organisation=organisation,
                name=name,
                gender=gender,
                birth_date=date(birth_year, rng.randint(1, 12), rng.randint(1, 28)),
                joined_date=date(min(birth_year + rng.randint(20, 40), 2023), rng.randint(1, 12), 1),
                phone=demo_phone(spec.name, number, "党员", household_index, name),
                household=household,
                is_group_leader=0 < len(members) <= GROUP_LEADERS_PER_GRID,
            )
        )
    order = list(range(len(households)))
    rng.shuffle(order)
    links = [(position % quota, household_index) for position, household_index in enumerate(order)]
    micro_grid = None
    if has_micro:
        micro_grid = MicroGrid(unit=grid, name=f"{grid.name}党员服务微网格", leader=members[1])
    return GridFill(
        grid=grid, number=number, households=households, members=members, links=links, micro_grid=micro_grid
    )


def fill_grids(tree, organisations):
    """Fill every grid that has no households yet. Member 0 of a grid sits on the village committee (member 0 of the
    first grid is the secretary); members 1–2 are 党员组长 and share 包户 for the grid's households."""
    filled_grid_ids = set(
        Household.objects.filter(unit__in=tree.grids.values()).values_list("unit_id", flat=True).distinct()
    )
    fills = [
        plan_grid(spec, number, tree.grids[spec.name, number], organisations[spec.name], quota, has_micro)
        for spec, number, quota, has_micro in grid_plan()
        if tree.grids[spec.name, number].pk not in filled_grid_ids
    ]
    if not fills:
        return 0
    Household.objects.bulk_create([household for fill in fills for household in fill.households])
    for fill in fills:
        for member in fill.members:
            member.household_id = member.household.pk
    PartyMember.objects.bulk_create([member for fill in fills for member in fill.members])
    links, packages = [], []
    for fill in fills:
        for member_index, household_index in fill.links:
            member, household = fill.members[member_index], fill.households[household_index]
            links.append(HouseholdLink(unit=fill.grid, member=member, household=household, since=LINK_SINCE))
        packages += [
            Assignment(kind=Assignment.Kind.HOUSEHOLD, unit=fill.grid, member=member, household=household,
                       role_title="党员组长包户", start_date=START_DATE)
            for member, household in fill.keepers()
        ]  # fmt: skip
    HouseholdLink.objects.bulk_create(links)
    Assignment.objects.bulk_create(packages)
    micro_fills = [fill for fill in fills if fill.micro_grid is not None]
    for fill in micro_fills:
        fill.micro_grid.leader_id = fill.micro_grid.leader.pk
    MicroGrid.objects.bulk_create([fill.micro_grid for fill in micro_fills])
    MicroGrid.households.through.objects.bulk_create(
        [
            MicroGrid.households.through(microgrid_id=fill.micro_grid.pk, household_id=household.pk)
            for fill in micro_fills
            for household in fill.households
        ]
    )
    return len(fills)


def ensure_grid_workers(tree):
    """A grid worker on every grid; returns {grid id: its (first) grid worker}, read in the one query."""
    staffed = {}
    for worker in GridWorker.objects.filter(unit__in=tree.grids.values()).only("id", "unit_id", "name", "user_id"):
        staffed.setdefault(worker.unit_id, worker)
    workers = []
    for (spec_name, number), grid in tree.grids.items():
        if grid.pk not in staffed:
            rng = random.Random(f"{SEED}:{spec_name}:{number}:网格员")
            name = person_name(rng, gender=random_gender(rng, 0.6))
            workers.append(GridWorker(unit=grid, name=name, phone=demo_phone(spec_name, number, "网格员", name)))
    GridWorker.objects.bulk_create(workers)
    for worker in workers:
        staffed[worker.unit_id] = worker
    return staffed


# ── village committees: secretary, committee, 包组 ─────────────────────────────────────────────────────────────────


def committee_members(organisations):
    """{organisation id: {grid id: member}}: the first member (by id) on each grid of each village, in grid order,
    is on its village committee (one query for all)."""
    first_by_grid = {organisation.pk: {} for organisation in organisations}
    members = (
        PartyMember.objects.filter(organisation__in=organisations, household__isnull=False)
        .select_related("household")
        .order_by("household__unit__path", "id")
    )
    for member in members:
        first_by_grid[member.organisation_id].setdefault(member.household.unit_id, member)
    return first_by_grid


def fill_committees(tree, organisations):
    """Secretary and committee of each village organisation (if still blank) and 村支两委包组 for each group."""
    covered_groups = set(
        Assignment.objects.filter(kind=Assignment.Kind.GROUP, unit__in=tree.groups.values()).values_list(
            "unit_id", flat=True
        )
    )
    packages = []
    committees = committee_members(list(organisations.values()))
    for spec in VILLAGES:
        organisation = organisations[spec.name]
        by_grid = committees[organisation.pk]
        grids = [tree.grids[spec.name, number] for number in range(1, spec.grids + 1)]
        committee = [by_grid[grid.pk] for grid in grids if grid.pk in by_grid]
        if committee and not organisation.secretary_name:
            organisation.secretary_name = committee[0].name
            organisation.committee = "\n".join(
                f"{member.name}（{'书记' if index == 0 else '委员'}）" for index, member in enumerate(committee)
            )
            organisation.save(update_fields=["secretary_name", "committee"])
        for number in range(1, spec.grids + 1):
            group, grid = tree.groups[spec.name, number], tree.grids[spec.name, number]
            if group.pk not in covered_groups and grid.pk in by_grid:
                packages.append(
                    Assignment(
                        kind=Assignment.Kind.GROUP,
                        unit=group,
                        member=by_grid[grid.pk],
                        role_title="村支两委包组",
                        start_date=START_DATE,
                    )
                )
    Assignment.objects.bulk_create(packages)


# ── town cadres: 包片, 包村 ───────────────────────────────────────────────────────────────────────────────────────


def ensure_cadre(existing, town, name, position, is_leader):
    cadre = existing.get(name)
    return cadre or Cadre.objects.create(
        unit=town, name=name, position=position, is_leader=is_leader, phone=demo_phone("镇干部", name)
    )


def ensure_unit_assignments(kind, givings, role_title):
    """Give each unit of [(unit, cadre)] to its cadre unless someone already answers for it."""
    units = [unit for unit, _cadre in givings]
    covered = set(Assignment.objects.filter(kind=kind, unit__in=units).values_list("unit_id", flat=True))
    Assignment.objects.bulk_create(
        Assignment(kind=kind, unit=unit, cadre=cadre, role_title=role_title, start_date=START_DATE)
        for unit, cadre in givings
        if unit.pk not in covered
    )


def ensure_cadres(tree):
    """Six leaders (four of them 包片) and 21 联村干部 (包村: the first for 铜梁村 and 杨球村, the others one each)."""
    existing = {}
    for cadre in Cadre.objects.filter(unit=tree.town).order_by("id"):
        existing.setdefault(cadre.name, cadre)
    leaders = [ensure_cadre(existing, tree.town, name, position, True) for name, position in LEADERS]
    areas = [(area, leaders[index]) for area, index in zip(tree.areas, AREA_LEADERS, strict=True)]
    ensure_unit_assignments(Assignment.Kind.AREA, areas, "包片领导")
    cadres = [ensure_cadre(existing, tree.town, name, "联村干部", False) for name in CADRES]
    others = iter(cadres[1:])
    villages = [(tree.villages[spec.name], cadres[0] if spec.name in CADRE_LOGIN_VILLAGES else next(others))
                for spec in VILLAGES]  # fmt: skip
    ensure_unit_assignments(Assignment.Kind.VILLAGE, villages, "联村干部")
    return leaders, cadres


# ── logins ──────────────────────────────────────────────────────────────────────────────────────────────────────────


@dataclass
class Login:
    user: User
    created: bool
    password_ok: bool = True


def secretary_usernames():
    """spec name → username: the named ones, then sec01, sec02, … in village order."""
    usernames, number = {}, 0
    for spec in VILLAGES:
        if spec.username:
            usernames[spec.name] = spec.username
        else:
            number += 1
            usernames[spec.name] = f"sec{number:02d}"
    return usernames


def ensure_user(username, role, unit, first_name, existing=None, **extra):
    """The login `username` (from `existing`, {username: user}, when the caller read them all), created if missing."""
    user = existing.get(username) if existing is not None else User.objects.filter(username=username).first()
    if user is not None:
        return Login(user, created=False)
    user = User(username=username, role=role, unit=unit, first_name=first_name, **extra)
    user.set_unusable_password()  # the real password is set in ensure_passwords, hashed once for all
    user.save()
    return Login(user, created=True)


def link_cadre(cadre, user):
    if cadre.user_id is None and not Cadre.objects.filter(user=user).exists():
        cadre.user = user
        cadre.save(update_fields=["user"])


def grid_login_usernames():
    """(spec name, grid number) → username of the grid-worker logins."""
    return {
        (spec.name, number): f"{GRID_LOGIN_PREFIXES[spec.name]}{number}"
        for spec in VILLAGES
        if spec.name in GRID_LOGIN_PREFIXES
        for number in range(1, spec.grids + 1)
    }


def ensure_grid_worker_logins(tree, workers, existing):
    """A login per grid of GRID_LOGIN_PREFIXES' villages, linked to the grid's GridWorker (`workers`: {grid id:
    grid worker}), what signs his visits."""
    usernames = grid_login_usernames()
    grids = {tree.grids[key].pk: key for key in usernames}
    logins, linked = [], []
    for grid_id, key in grids.items():
        worker = workers.get(grid_id)
        name = worker.name if worker else f"{tree.grids[key].name}网格员"
        login = ensure_user(usernames[key], User.Role.GRID_WORKER, tree.grids[key], name, existing)
        logins.append(login)
        if worker is not None and worker.user_id is None and login.user.unit_id == grid_id:
            worker.user = login.user
            linked.append(worker)
    GridWorker.objects.bulk_update(linked, ["user"])
    return logins


def ensure_logins(tree, organisations, leaders, cadres, workers):
    town = tree.town
    usernames = secretary_usernames()
    wanted = ["admin", "leader", "cadre", *usernames.values(), *grid_login_usernames().values()]
    existing = User.objects.select_related("unit").in_bulk(wanted, field_name="username")
    logins = [
        ensure_user("admin", User.Role.ADMIN, town, "系统管理员", existing, is_staff=True, is_superuser=True),
        ensure_user("leader", User.Role.LEADER, town, leaders[0].name, existing),
        ensure_user("cadre", User.Role.CADRE, town, cadres[0].name, existing),
    ]
    link_cadre(leaders[0], logins[1].user)
    link_cadre(cadres[0], logins[2].user)
    named = [spec for spec in VILLAGES if spec.username] + [spec for spec in VILLAGES if not spec.username]
    for spec in named:
        secretary = organisations[spec.name].secretary_name or f"{spec.name}书记"
        unit = tree.villages[spec.name]
        logins.append(ensure_user(usernames[spec.name], User.Role.SECRETARY, unit, secretary, existing))
    logins.extend(ensure_grid_worker_logins(tree, workers, existing))
    return logins


def ensure_passwords(logins, password, reset):
    """New logins get `password` (hashed once: PBKDF2 is slow on purpose). Existing ones keep theirs unless `reset`;
    `password_ok` records whether `password` opens each login."""
    encoded = None
    verdicts = {}
    for login in logins:
        user = login.user
        if not login.created:
            if user.password not in verdicts:
                verdicts[user.password] = check_password(password, user.password)
            login.password_ok = verdicts[user.password]
            if login.password_ok or not reset:
                continue
        encoded = encoded or make_password(password)
        user.password = encoded
        user.save(update_fields=["password"])
        login.password_ok = True


# ── the whole load and its summary ──────────────────────────────────────────────────────────────────────────────────


@dataclass
class DemoResult:
    town: Unit
    logins: list
    password: str
    grids_filled: int


@transaction.atomic
def load_demo(password, reset_passwords=False):
    tree = build_tree()
    town_org, organisations = ensure_organisations(tree)
    grids_filled = fill_grids(tree, organisations)
    fill_committees(tree, organisations)
    workers = ensure_grid_workers(tree)
    leaders, cadres = ensure_cadres(tree)
    fresh = PartyOrganisation.objects.in_bulk([organisation.pk for organisation in organisations.values()])
    organisations = {name: fresh[organisation.pk] for name, organisation in organisations.items()}
    logins = ensure_logins(tree, organisations, leaders, cadres, workers)
    ensure_passwords(logins, password, reset_passwords)
    return DemoResult(town=tree.town, logins=logins, password=password, grids_filled=grids_filled)


def load(*, password, reset_passwords=False):
    """The demo protocol (see reports' load_demo command): load, and return what to print."""
    return summary(load_demo(password, reset_passwords))


def counts(town):
    """What the summary prints: the town's units, households, people and links."""
    under = {"unit__path__startswith": town.path}
    units = Unit.objects.under(town)
    return {
        "村/社区": units.villages().count(),
        "村民小组": units.filter(kind=Unit.Kind.GROUP).count(),
        "网格": units.filter(kind=Unit.Kind.GRID).count(),
        "农户": Household.objects.filter(**under).count(),
        "党组织": PartyOrganisation.objects.filter(**under).count(),
        "党员": PartyMember.objects.filter(**under).count(),
        "党员联户": HouseholdLink.objects.filter(**under).count(),
        "微网格": MicroGrid.objects.filter(**under).count(),
        "镇干部": Cadre.objects.filter(**under).count(),
        "网格员": GridWorker.objects.filter(**under).count(),
        "包联责任": Assignment.objects.filter(**under).count(),
    }


def display_width(text):
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def pad(text, width):
    return text + " " * max(width - display_width(text), 0)


def table(header, rows):
    widths = [max(display_width(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(pad(str(cell), width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def summary(result):
    figures = counts(result.town)
    lines = [f"井字镇演示数据已就绪（本次新填网格 {result.grids_filled} 个；重复运行不会产生重复数据）。", ""]
    lines.append("，".join(f"{label} {value}" for label, value in figures.items()))
    lines.append("")
    rows = []
    for login in result.logins:
        user = login.user
        if login.password_ok:
            password = result.password
        else:
            password = f"（账号已存在，密码不是 {result.password}，未改动；可用 --password 重置）"
        rows.append([user.username, user.get_role_display(), str(user.unit or "—"), user.first_name, password])
    lines.append("演示账号：")
    lines.append(table(["用户名", "角色", "所属单位", "姓名", "密码"], rows))
    return "\n".join(lines)
