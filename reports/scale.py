"""Synthetic county-size data for benchmarks (`manage.py seed_scale`, DESIGN §6 and §8).

One county of `towns` towns, each with its areas (片) and `villages` villages; every village with its groups, grids,
households, party organisation and members covering the households (党员联户), micro-grids, grid workers, its
township cadre (包村) and its secretary's login; every work line's ledgers (each app's `<app>/scale.py`, found as
`indicators.py` is: reports names no work-line app); then `years` of approved monthly reports for every stored
indicator of every reporting unit (villages and towns), and one full roll-up.

Fast: rows are planned in memory and written in batches — COPY on PostgreSQL, multi-row INSERTs elsewhere — with ids
assigned here, so rows can refer to rows not yet written. No model save(), signal, history row or service runs per
row. The derived figures are not counted by one derive query per unit-month (as `load_demo` does through
services.report_refresh_derived): each app's `seed()` returns the figures of the rows it wrote, which it knows as it
writes them, and tests/performance/test_seed_scale.py compares a sample with the indicators' own `derive()`.

Reproducible: one seed, a sub-generator per app; the same options give the same rows and figures.

A work-line app's `scale.py` offers:

    def seed(villages, months, rng):
        '''Write this app's ledgers for `villages` (a list of ScaleVillage) over `months` (first days, ascending)
        with reports.scale.insert / reports.scale.new_ids; return {indicator code: {(unit id, month): value}} for
        the derived indicators it counts (a unit-month it does not name counts 0).'''
"""

import csv
import io
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connections, transaction
from django.db.models import Max
from django.utils import timezone

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
from branches.services import live_versions_renew_all

from . import periods, setup, worklines
from .derive import figures_by_month
from .models import Indicator, MonthlyReport, ReportValue
from .monthly import selectors
from .registry import STOCK, registry
from .rollup import build as rollup

SEED = 431321102
COUNTY_CODE = "990000"
COUNTY_NAME = "压测县"
BATCH = 20_000

SIZES = {
    # name: (towns, villages per town, areas per town, years, grids per village (low, high), households per grid)
    "county": dict(towns=20, villages=22, areas=4, years=10, grids=(5, 6), households=(30, 45)),
    "small": dict(towns=2, villages=3, areas=1, years=1, grids=(2, 2), households=(3, 5)),
}

SURNAMES = tuple("曾 刘 王 李 彭 朱 谢 周 陈 蔡 罗 邓 宋 成 贺 匡 胡 赵 肖 戴 葛 许 唐 袁".split())
GIVEN = "建国志德春光新金海明立长正跃永文福双华平军林生强辉良安清峰成勇松元玉桂秀红丽美芳英兰梅珍香凤莲霞云娟"


def person_name(rng):
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.8 else "")


def phone(rng):
    return f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"


# ── writing in batches ───────────────────────────────────────────────────────────────────────────────────────────


class Writer:
    """Rows of any model written in batches with ids assigned here: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self, using="default"):
        self.using = using
        self.connection = connections[using]
        self.next_id = {}
        self.written = Counter()
        self.models = []

    def ids(self, model, count):
        if model not in self.next_id:
            top = model._base_manager.using(self.using).aggregate(top=Max("pk"))["top"] or 0
            self.next_id[model] = top + 1
        start = self.next_id[model]
        self.next_id[model] += count
        return range(start, start + count)

    def insert(self, model, rows):
        """Write `rows` (dicts of field attnames to Python values; a row without an id gets one). Fields a row leaves
        out take their default. Returns the number written."""
        rows = iter(rows)
        count = 0
        while True:
            chunk = [row for _index, row in zip(range(BATCH), rows, strict=False)]
            if not chunk:
                break
            missing = [row for row in chunk if row.get("id") is None]
            for row, pk in zip(missing, self.ids(model, len(missing)), strict=True):
                row["id"] = pk
            self._write(model, chunk)
            count += len(chunk)
        if count:
            self.written[model._meta.label] += count
            if model not in self.models:
                self.models.append(model)
        return count

    def _columns(self, model, sample):
        columns = []
        for model_field in model._meta.concrete_fields:
            name = model_field.attname
            if name in sample:
                columns.append((model_field, name, None))
                continue
            if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
                default = timezone.now() if model_field.get_internal_type() == "DateTimeField" else date.today()
            elif model_field.has_default():
                default = model_field.get_default()
            elif model_field.null:
                default = None
            else:
                raise ValueError(f"{model._meta.label}: no value for {name}")
            columns.append((model_field, name, default))
        return columns

    def _write(self, model, chunk):
        columns = self._columns(model, chunk[0])
        converters = [self._converter(model_field) for model_field, _name, _default in columns]
        table = self.connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(self.connection.ops.quote_name(model_field.column) for model_field, _n, _d in columns)
        getters = [(name, default) for _field, name, default in columns]
        if self.connection.vendor == "postgresql":
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            pairs = list(zip(getters, converters, strict=True))
            for row in chunk:
                writer.writerow([convert(row.get(name, default)) for (name, default), convert in pairs])
            buffer.seek(0)
            with self.connection.cursor() as cursor:
                raw = cursor.cursor
                sql = f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
                if hasattr(raw, "copy_expert"):  # psycopg2
                    raw.copy_expert(sql, buffer)
                else:  # psycopg 3
                    with raw.copy(sql) as copy:
                        copy.write(buffer.getvalue())
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            pairs = list(zip(getters, converters, strict=True))
            values = [[convert(row.get(name, default)) for (name, default), convert in pairs] for row in chunk]
            with self.connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", values)

    def _converter(self, model_field):
        kind = model_field.get_internal_type()
        postgres = self.connection.vendor == "postgresql"
        ops = self.connection.ops
        null = "\\N" if postgres else None

        def wrap(convert):
            return lambda value: null if value is None else convert(value)

        if kind == "DateTimeField":
            return wrap((lambda value: value.isoformat()) if postgres else ops.adapt_datetimefield_value)
        if kind == "DateField":
            return wrap(lambda value: value.isoformat())
        if kind == "DecimalField":
            return wrap(str)
        if kind == "BooleanField":
            return wrap((lambda value: "t" if value else "f") if postgres else (lambda value: int(bool(value))))
        if kind == "JSONField":
            import json

            return wrap(lambda value: json.dumps(value, ensure_ascii=False))
        return wrap(str) if postgres else wrap(lambda value: value)

    def reset_sequences(self):
        statements = self.connection.ops.sequence_reset_sql(no_style(), self.models)
        with self.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


_writer = None


def current_writer():
    if _writer is None:
        raise RuntimeError("reports.scale.insert/new_ids run only inside seed_county()")
    return _writer


def insert(model, rows):
    """Write rows of `model` in batches (see Writer.insert); for the work lines' `seed()`."""
    return current_writer().insert(model, rows)


def new_ids(model, count):
    """`count` fresh ids for rows of `model` written later with insert(): rows may refer to each other."""
    return current_writer().ids(model, count)


# ── the county ────────────────────────────────────────────────────────────────────────────────────────────────────


@dataclass
class ScaleVillage:
    """A village of the synthetic county, as the work lines' `seed()` receive it."""

    unit: Unit
    town: Unit
    area: Unit
    number: int  # 1, 2, … within its town
    grids: list = field(default_factory=list)  # Unit (kind grid)
    households: list = field(default_factory=list)  # (household id, grid id)
    members: list = field(default_factory=list)  # party member ids (all active)
    links: list = field(default_factory=list)  # (member id, household id, since) — 党员联户
    micro_grids: int = 0
    organisation_id: int | None = None
    cadre_id: int | None = None  # the township cadre (branches.Cadre) answering for the village (包村)
    secretary_id: int | None = None  # the village secretary's login


@dataclass
class ScaleTown:
    unit: Unit
    areas: list
    villages: list
    leader_ids: list = field(default_factory=list)
    cadre_user_id: int | None = None
    admin_id: int | None = None


@dataclass
class Seeded:
    county: Unit
    towns: list
    villages: list
    months: list
    written: Counter
    seconds: dict
    rollup_rows: int | None = None

    def summary(self):
        lines = [
            f"压测数据：{len(self.towns)} 个镇、{len(self.villages)} 个村，{len(self.months)} 个月"
            f"（{periods.month_key(self.months[0])}—{periods.month_key(self.months[-1])}）。"
        ]
        lines += [f"  {label}: {count:,}" for label, count in sorted(self.written.items())]
        if self.rollup_rows is not None:
            lines.append(f"  汇总行: {self.rollup_rows:,}")
        lines.append("  用时（秒）: " + "，".join(f"{step} {seconds:.1f}" for step, seconds in self.seconds.items()))
        return "\n".join(lines)


def child_path(parent_path, depth, number):
    return Unit._get_path(parent_path, depth, number)


def unit_row(pk, path, depth, numchild, name, kind, code=""):
    return {"id": pk, "path": path, "depth": depth, "numchild": numchild, "name": name, "kind": kind, "code": code,
            "note": ""}  # fmt: skip


def as_unit(row):
    return Unit(**row)


def build_units(writer, county, *, towns, villages, areas, grids, rng):
    """Towns, areas, villages, groups and grids under `county` (paths computed here), as ScaleTown/ScaleVillage."""
    town_rows, unit_rows, scale_towns = [], [], []
    town_ids = writer.ids(Unit, towns)
    for t, town_id in enumerate(town_ids, start=1):
        code = f"{county.code}{t:03d}"
        path = child_path(county.path, 2, t)
        town_areas = min(areas, villages) or 1
        town_rows.append(unit_row(town_id, path, 2, town_areas, f"压测{t:02d}镇", Unit.Kind.TOWN, code))
        town = as_unit(town_rows[-1])
        area_units = []
        per_area = [len(range(a, villages, town_areas)) for a in range(town_areas)]
        for a, area_id in enumerate(writer.ids(Unit, town_areas), start=1):
            name = f"压测{t:02d}镇第{a}片区"
            row = unit_row(area_id, child_path(path, 3, a), 3, per_area[a - 1], name, Unit.Kind.AREA)
            unit_rows.append(row)
            area_units.append(as_unit(row))
        scale_town = ScaleTown(unit=town, areas=area_units, villages=[])
        steps = Counter()
        for v, village_id in enumerate(writer.ids(Unit, villages), start=1):
            area = area_units[(v - 1) % town_areas]
            steps[area.pk] += 1
            kind = Unit.Kind.COMMUNITY if v == 1 else Unit.Kind.VILLAGE
            name = f"压测{t:02d}镇{'社区' if v == 1 else '村'}{v:02d}"
            grid_count = rng.randint(*grids)
            village_path = child_path(area.path, 4, steps[area.pk])
            row = unit_row(village_id, village_path, 4, grid_count, name, kind, f"{code}{v:03d}")
            unit_rows.append(row)
            village = ScaleVillage(unit=as_unit(row), town=town, area=area, number=v)
            for g in range(1, grid_count + 1):
                group_id, grid_id = writer.ids(Unit, 2)
                group_path = child_path(village_path, 5, g)
                unit_rows.append(unit_row(group_id, group_path, 5, 1, f"{name}{g}组", Unit.Kind.GROUP))
                grid = unit_row(grid_id, child_path(group_path, 6, 1), 6, 0, f"{name}第{g}网格", Unit.Kind.GRID)
                unit_rows.append(grid)
                village.grids.append(as_unit(grid))
            scale_town.villages.append(village)
        scale_towns.append(scale_town)
    writer.insert(Unit, town_rows + unit_rows)
    Unit.objects.filter(pk=county.pk).update(numchild=towns)
    return scale_towns


def build_people(writer, county, towns, *, households, start, password_hash, rng):
    """Party organisations, households, members and their links, micro-grids, grid workers, cadres with their 包村
    and 包片, and the logins: an admin and a leader for the county; per town three leaders and a cadre; per village
    its secretary."""
    now = timezone.now()
    users, cadres, assignments, organisations = [], [], [], []
    house_rows, member_rows, link_rows, micro_rows, micro_links, worker_rows = [], [], [], [], [], []
    link_since = date(start.year - 1, 3, 1)

    def user(username, role, unit, name):
        pk = writer.ids(User, 1)[0]
        users.append({
            "id": pk, "password": password_hash, "last_login": None, "is_superuser": False, "username": username,
            "first_name": name[1:], "last_name": name[0], "email": "", "is_staff": False, "is_active": True,
            "date_joined": now, "role": role, "unit_id": unit.pk, "phone": "",
        })  # fmt: skip
        return pk

    county_admin = user("scale-admin", User.Role.ADMIN, county, "管理员")
    user("scale-leader", User.Role.LEADER, county, person_name(rng))
    for t, town in enumerate(towns, start=1):
        town.admin_id = county_admin
        town.leader_ids = [user(f"scale-t{t:02d}-leader{n}", User.Role.LEADER, town.unit, person_name(rng))
                           for n in range(1, 4)]  # fmt: skip
        town.cadre_user_id = user(f"scale-t{t:02d}-cadre", User.Role.CADRE, town.unit, person_name(rng))
        committee_id = writer.ids(PartyOrganisation, 1)[0]
        organisations.append({"id": committee_id, "unit_id": town.unit.pk, "name": f"{town.unit.name}党委",
                              "level": PartyOrganisation.Level.COMMITTEE, "parent_id": None,
                              "secretary_name": person_name(rng), "committee": "", "founded": None})  # fmt: skip
        for a, area in enumerate(town.areas):
            cadre_id = writer.ids(Cadre, 1)[0]
            cadres.append({"id": cadre_id, "unit_id": town.unit.pk, "name": person_name(rng), "position": "党委委员",
                           "is_leader": True, "phone": phone(rng), "user_id": town.leader_ids[a] if a < 3 else None})
            assignments.append({"kind": Assignment.Kind.AREA, "unit_id": area.pk, "cadre_id": cadre_id,
                                "member_id": None, "household_id": None, "target_type_id": None, "target_id": None,
                                "role_title": "领导班子包片", "start_date": None, "end_date": None})  # fmt: skip
        for village in town.villages:
            village.cadre_id = writer.ids(Cadre, 1)[0]
            cadres.append({"id": village.cadre_id, "unit_id": town.unit.pk, "name": person_name(rng),
                           "position": "联村干部", "is_leader": False, "phone": phone(rng),
                           "user_id": town.cadre_user_id if village.number == 1 else None})  # fmt: skip
            assignments.append({"kind": Assignment.Kind.VILLAGE, "unit_id": village.unit.pk,
                                "cadre_id": village.cadre_id, "member_id": None, "household_id": None,
                                "target_type_id": None, "target_id": None, "role_title": "联村干部包村",
                                "start_date": None, "end_date": None})  # fmt: skip
            village.secretary_id = user(f"scale-t{t:02d}-v{village.number:02d}", User.Role.SECRETARY, village.unit,
                                        person_name(rng))
            village.organisation_id = writer.ids(PartyOrganisation, 1)[0]
            organisations.append({"id": village.organisation_id, "unit_id": village.unit.pk,
                                  "name": f"{village.unit.name}党支部", "level": PartyOrganisation.Level.BRANCH,
                                  "parent_id": committee_id, "secretary_name": person_name(rng), "committee": "",
                                  "founded": None})  # fmt: skip
            for grid in village.grids:
                count = rng.randint(*households)
                grid_houses = list(writer.ids(Household, count))
                for index, pk in enumerate(grid_houses, start=1):
                    house_rows.append({"id": pk, "unit_id": grid.pk, "head_name": person_name(rng),
                                       "house_number": f"{grid.name[-4:]}{index:02d}号",
                                       "population": rng.randint(1, 7), "phone": phone(rng), "note": ""})
                    village.households.append((pk, grid.pk))
                quota = max(2, round(count / 4.2))
                members = list(writer.ids(PartyMember, quota))
                for index, pk in enumerate(members):
                    birth = date(rng.randint(1950, 1998), rng.randint(1, 12), rng.randint(1, 28))
                    member_rows.append({"id": pk, "unit_id": village.unit.pk,
                                        "organisation_id": village.organisation_id, "name": person_name(rng),
                                        "gender": rng.choice("MMF"), "birth_date": birth,
                                        "joined_date": date(min(birth.year + 25, start.year - 1), 7, 1),
                                        "phone": phone(rng), "household_id": grid_houses[index % count],
                                        "is_group_leader": index < 2, "is_active": True})  # fmt: skip
                village.members += members
                for index, household in enumerate(grid_houses):
                    # Most links date from before the first month; some are made during it (coverage grows).
                    since = link_since if rng.random() < 0.85 else start + timedelta(days=rng.randrange(365 * 3))
                    member = members[index % quota]
                    link_rows.append({"unit_id": grid.pk, "member_id": member, "household_id": household,
                                      "since": since})  # fmt: skip
                    village.links.append((member, household, since))
                micro_id = writer.ids(MicroGrid, 1)[0]
                micro_rows.append({"id": micro_id, "unit_id": grid.pk, "name": f"{grid.name}党员服务微网格",
                                   "leader_id": members[min(1, quota - 1)]})  # fmt: skip
                micro_links += [{"microgrid_id": micro_id, "household_id": pk} for pk in grid_houses]
                village.micro_grids += 1
                worker_rows.append({"unit_id": grid.pk, "name": person_name(rng), "phone": phone(rng),
                                    "member_id": None})  # fmt: skip
    writer.insert(User, users)
    writer.insert(PartyOrganisation, organisations)
    writer.insert(Cadre, cadres)
    writer.insert(Assignment, assignments)
    writer.insert(Household, house_rows)
    writer.insert(PartyMember, member_rows)
    writer.insert(HouseholdLink, link_rows)
    writer.insert(MicroGrid, micro_rows)
    writer.insert(MicroGrid.households.through, micro_links)
    writer.insert(GridWorker, worker_rows)


# ── the work lines' ledgers ────────────────────────────────────────────────────────────────────────────────────────


def seeders():
    """[(work line, seed function)] of every work line that declares a county-size seeder, in work-line order."""
    return [(line.code, line.seed) for line in worklines.plugins() if line.seed is not None]


# ── monthly reports ────────────────────────────────────────────────────────────────────────────────────────────────

SEASON = (1.15, 0.9, 1.1, 1.05, 1.0, 0.95, 0.9, 0.95, 1.0, 1.05, 1.0, 1.1)


def entered_level(spec, rng, town):
    """A unit's own monthly level for an entered indicator: a small share of its upper bound."""
    ceiling = float(spec.max_value or 1000)
    level = ceiling * rng.uniform(0.0005, 0.002) * (4 if town else 1)
    return max(level, 1.0)


def entered_value(spec, level, index, month, rng):
    if spec.kind == STOCK:
        value = level * (0.6 + 0.4 * index / 120)
    else:
        value = level * SEASON[month.month - 1] * rng.uniform(0.85, 1.15)
    if spec.max_value is not None:
        value = min(value, float(spec.max_value))
    return Decimal(f"{max(value, 0):.{spec.decimals}f}")


def report_dates(month, rng):
    zone = timezone.get_current_timezone()
    deadline = periods.deadline_for(month)
    submitted = datetime.combine(deadline - timedelta(days=rng.randint(0, 4)), datetime.min.time(), tzinfo=zone)
    submitted += timedelta(hours=rng.randint(8, 17), minutes=rng.randint(0, 59))
    return submitted, submitted + timedelta(days=1, hours=rng.randint(0, 3))


def write_reports(writer, towns, months, derived, rng):
    """Every reporting unit × work line × month, approved, with every stored indicator's value."""
    indicators = dict(Indicator.objects.values_list("code", "pk"))
    lines = worklines.codes()
    now = timezone.now()
    reports = values = 0
    for town in towns:
        units = [(town.unit, True)] + [(village.unit, False) for village in town.villages]
        report_rows, value_rows = [], []
        for unit, is_town in units:
            for work_line in lines:
                specs = [spec for spec in selectors.specs_for(unit, work_line) if spec.code in indicators]
                if not specs:
                    continue
                levels = {spec.code: entered_level(spec, rng, is_town) for spec in specs if spec.is_entered}
                ids = writer.ids(MonthlyReport, len(months))
                for index, (month, report_id) in enumerate(zip(months, ids, strict=True)):
                    submitted, approved = report_dates(month, rng)
                    approved = min(approved, now)
                    report_rows.append({
                        "id": report_id, "unit_id": unit.pk, "work_line": work_line, "month": month,
                        "status": MonthlyReport.Status.APPROVED, "version": 3, "updated_at": approved,
                        "updated_by_id": town.leader_ids[0], "submitted_at": min(submitted, now),
                        "approved_at": approved, "approved_by_id": town.leader_ids[0], "return_reason": "",
                        "changed_since_approval": False, "rollup_pending": False, "balance_note": "",
                    })  # fmt: skip
                    for spec in specs:
                        if spec.is_entered:
                            value = entered_value(spec, levels[spec.code], index, month, rng)
                        else:
                            value = derived.get(spec.code, {}).get((unit.pk, month), Decimal(0))
                        value_rows.append({"report_id": report_id, "indicator_id": indicators[spec.code],
                                           "value": value, "approved_value": value, "flag": ""})  # fmt: skip
        reports += writer.insert(MonthlyReport, report_rows)
        values += writer.insert(ReportValue, value_rows)
    return reports, values


def uncovered_specs(derived):
    """The derived indicators no app's seed() counted: reports.scale counts them itself (slower)."""
    return [spec for spec in registry.all()
            if not spec.is_entered and not spec.is_ratio and spec.code not in derived]  # fmt: skip


def fill_uncovered(derived, towns, months, missing):
    """Count the `missing` derived indicators of the towns and their villages with their own derive(), a unit's
    months in a few statements (reports.derive.figures_by_month, as load_demo does) rather than one per unit-month:
    party.points has no seed() figures and at 2,200 villages the unit-month loop alone would take most of an hour."""
    statements = {}
    for town in towns:
        for unit in [town.unit] + [village.unit for village in town.villages]:
            counted = figures_by_month(unit, missing, months, statements)
            for (code, month), value in counted.items():
                derived.setdefault(code, {})[(unit.pk, month)] = value


TOWNS_PER_PASS = 20


def passes(towns):
    """The towns in passes of TOWNS_PER_PASS: each pass's ledgers, derived figures and reports are planned in memory,
    written and let go before the next (a county of 20 towns is one pass: 4.5 GB at its peak; 100 towns at once would
    not fit in 24)."""
    return [towns[start : start + TOWNS_PER_PASS] for start in range(0, len(towns), TOWNS_PER_PASS)]


def seed_reports(writer, towns, months, seed, log, lap):
    """Every work line's ledgers, then the monthly reports, pass by pass. The first pass draws from the same
    generators as a one-pass seed did (a county's data is unchanged); later passes from generators of their own."""
    report_rng = random.Random(f"{seed}:reports")  # one stream over the passes: the same as in one pass
    missing = None
    for number, part in enumerate(passes(towns)):
        villages = [village for town in part for village in town.villages]
        if number:
            log(f"  第 {number + 1} 批：{len(part)} 个镇")
        derived = {}
        for label, seed_app in seeders():
            rng = random.Random(f"{seed}:{label}" + (f":{number}" if number else ""))
            figures = seed_app(villages, months, rng)
            for code, values in (figures or {}).items():
                derived.setdefault(code, {}).update(values)
            lap(f"{label} ledgers")
        if missing is None:
            missing = uncovered_specs(derived)
            for spec in missing:
                log(f"注意：{spec.code} 没有由任何 scale.py 给出，由它的 derive() 按单位计算（慢）。")
        fill_uncovered(derived, part, months, missing)
        lap("uncovered figures")
        write_reports(writer, part, months, derived, report_rng)
        lap("monthly reports")


# ── the whole seed ─────────────────────────────────────────────────────────────────────────────────────────────────


def resolve_size(scale="county", **overrides):
    size = dict(SIZES[scale])
    size.update({key: value for key, value in overrides.items() if value is not None})
    return size


def seed_county(*, scale="county", towns=None, villages=None, areas=None, years=None, seed=SEED, password=None,
                county_code=COUNTY_CODE, rollup_after=True, log=print, using="default"):  # fmt: skip
    """Seed one synthetic county (see the module's text). Refuses if a county with `county_code` exists."""
    global _writer
    size = resolve_size(scale, towns=towns, villages=villages, areas=areas, years=years)
    if Unit.objects.filter(code=county_code).exists():
        raise ValueError(f"区划代码 {county_code} 的压测县已存在：请在新的数据库里运行 seed_scale。")
    rng = random.Random(f"{seed}:units")
    last = periods.last_complete_month()
    months = [periods.add_months(last, -offset) for offset in reversed(range(size["years"] * 12))]
    seconds = {}
    clock = time.perf_counter()

    def lap(step):
        nonlocal clock
        now = time.perf_counter()
        elapsed, clock = now - clock, now
        seconds[step] = seconds.get(step, 0) + elapsed  # a step run in several passes: their sum
        log(f"  {step}: {elapsed:.1f} s")

    writer = Writer(using)
    _writer = writer
    try:
        with transaction.atomic(using=using):
            setup.sync_indicators(using=using)
            county = Unit.objects.add_root(create_kwargs={"name": COUNTY_NAME, "kind": Unit.Kind.COUNTY,
                                                          "code": county_code})  # fmt: skip
            scale_towns = build_units(writer, county, towns=size["towns"], villages=size["villages"],
                                      areas=size["areas"], grids=size["grids"], rng=rng)  # fmt: skip
            password_hash = make_password(password or settings.DEMO_PASSWORD)
            build_people(writer, county, scale_towns, households=size["households"], start=months[0],
                         password_hash=password_hash, rng=rng)  # fmt: skip
            lap("units and people")
            all_villages = [village for town in scale_towns for village in town.villages]
            seed_reports(writer, scale_towns, months, seed, log, lap)
            writer.reset_sequences()
        if writer.connection.vendor == "postgresql":
            with writer.connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh statistics: the planner would otherwise see empty tables
            lap("analyze")
        live_versions_renew_all()  # the pages' live parts and lists are cached from the first read
        rows = None
        if rollup_after:
            rows = rollup.rebuild_all()
            lap("roll-up")
    finally:
        _writer = None
    county.refresh_from_db()
    return Seeded(county=county, towns=scale_towns, villages=all_villages, months=months, written=writer.written,
                  seconds=seconds, rollup_rows=rows)  # fmt: skip
