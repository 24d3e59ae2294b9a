"""Synthetic governance ledgers for `manage.py seed_scale` (reports/scale.py explains the contract).

Per village: a patrol team, a mediation committee, a checkpoint with its roster, a couple of key persons with their
five keepers; each month about two patrols or joint actions, a hazard found (rectified the same or the next month),
two disputes received (most settled within three weeks), visits to households (民情走访), a door knock, a few
in/out records and now and then a 民情台账 item or a resolved petition (the backlogs' month-end stocks follow from
when each case opened and closed). Per town: its own team, a monthly road-safety
action, a hazard, a border checkpoint. The shared-model counts (grids, 五个到户 members, micro-grids, households,
coverage) come from what reports/scale.py put on the grids. Returns the derived figures of the rows written.
"""

from bisect import bisect_left
from collections import defaultdict
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from reports.plugins import add_months, insert, new_ids

from .models import (
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

ACTION_KINDS = ("road_safety", "crackdown", "inspection", "patrol", "patrol")
ACTION_CODES = {"road_safety": "gov.road_safety_actions", "crackdown": "gov.illegal_crackdowns",
                "inspection": "gov.hazard_inspections"}  # fmt: skip
DISPUTE_KINDS = [choice for choice, _label in DisputeCase.Kind.choices]
# The default limits (governance/brief.py): a dispute settled in a month, a backlog case taken on a month before it
# was resolved and given 60 days.
DISPUTE_LIMIT, PETITION_LIMIT, TAKEN_BEFORE = timedelta(days=30), timedelta(days=60), timedelta(days=30)
ASPECTS = [choice for choice, _label in VisitLog.Aspect.choices]
HAZARD_ITEMS = ("危房存在坍塌隐患", "山塘堤坝渗漏", "临水无护栏", "电线私拉乱接", "液化气瓶存放不当", "道路急弯无警示")
DEFAULT_ROLES = ("镇干部", "村干部", "网格员", "党员", "亲属")


class Counts:
    """{code: {(unit id, month): Decimal}} with += by date (a date outside the seeded months is not counted)."""

    def __init__(self, months):
        self.months = set(months)
        self.figures = defaultdict(dict)
        self.cases = defaultdict(lambda: ([], []))  # (stock code, unit id) → (days opened, days closed)

    def add(self, code, unit_id, day, amount=1):
        month = day.replace(day=1)
        if month in self.months:
            key = (unit_id, month)
            self.figures[code][key] = self.figures[code].get(key, Decimal(0)) + Decimal(amount)

    def stock(self, code, unit_id, months, value):
        for month in months:
            self.figures[code][(unit_id, month)] = Decimal(value)

    def case(self, code, unit_id, opened, closed):
        """A backlog case, open from `opened` until `closed` (None: still open), for the month-end stock `code`."""
        opened_days, closed_days = self.cases[(code, unit_id)]
        opened_days.append(opened)
        if closed is not None:
            closed_days.append(closed)

    def count_backlogs(self):
        """Each backlog's open cases at every month's end: opened before it less closed before it."""
        for (code, unit_id), (opened, closed) in self.cases.items():
            opened.sort()
            closed.sort()
            for month in self.months:
                end = add_months(month, 1)
                self.figures[code][(unit_id, month)] = Decimal(bisect_left(opened, end) - bisect_left(closed, end))


def day_in(month, rng):
    return month + timedelta(days=rng.randrange(28))


def phone(rng):
    return f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"


def id_number(rng):
    return f"431321{rng.randint(1950, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randrange(10**4):04d}"


def keeper_roles():
    roles = list(KeeperRole.objects.order_by("order", "id")[:5])
    for index, name in enumerate(DEFAULT_ROLES[len(roles) :], start=len(roles)):
        roles.append(KeeperRole.objects.get_or_create(name=name, defaults={"order": index})[0])
    return roles


def seed(villages, months, rng):
    counts = Counts(months)
    first, end_of_data = months[0], add_months(months[-1], 1)  # nothing happens on or after end_of_data
    zone = timezone.get_current_timezone()
    rows = defaultdict(list)
    roles = keeper_roles()
    towns = {}
    for village in villages:
        towns.setdefault(village.town.pk, village.town)

    def team(unit_id, name, members):
        pk = new_ids(PatrolTeam, 1)[0]
        active = rng.random() < 0.95
        rows[PatrolTeam].append({"id": pk, "unit_id": unit_id, "name": name, "leader_name": "", "founded_on": first,
                                 "is_active": active})  # fmt: skip
        on_duty = 0
        for index in range(members):
            member_active = rng.random() < 0.9
            rows[PatrolMember].append({"unit_id": unit_id, "team_id": pk, "name": f"队员{index + 1:02d}",
                                       "phone": phone(rng), "party_member_id": None,
                                       "is_active": member_active})  # fmt: skip
            on_duty += member_active and active
        counts.stock("gov.patrol_teams", unit_id, months, int(active))
        counts.stock("gov.patrol_cadres", unit_id, months, on_duty)
        return pk

    def action(unit_id, team_id, month, kind):
        umbrellas = rng.randint(0, 6) if kind == "road_safety" else 0
        helmets = rng.randint(5, 30) if kind == "road_safety" else 0
        day = day_in(month, rng)
        pk = new_ids(SafetyAction, 1)[0]
        rows[SafetyAction].append({"id": pk, "unit_id": unit_id, "kind": kind, "date": day, "team_id": team_id,
                                   "partners": "派出所" if kind == "road_safety" else "", "place": "",
                                   "umbrellas_removed": umbrellas, "helmet_persuasions": helmets,
                                   "note": ""})  # fmt: skip
        if kind in ACTION_CODES:
            counts.add(ACTION_CODES[kind], unit_id, day)
        counts.add("gov.umbrellas_removed", unit_id, day, umbrellas)
        counts.add("gov.helmet_persuasions", unit_id, day, helmets)
        return pk, day

    def hazard(unit_id, action_id, found):
        rectified = found + timedelta(days=rng.randint(2, 40))
        done = rectified < end_of_data
        verified = done and rectified + timedelta(days=10) < end_of_data
        status = Hazard.Status.VERIFIED if verified else (Hazard.Status.RECTIFIED if done else Hazard.Status.RECTIFYING)
        rows[Hazard].append({
            "unit_id": unit_id, "action_id": action_id, "found_on": found, "item": rng.choice(HAZARD_ITEMS),
            "location": "", "measures": "设置警示标志，限期整改。", "funds": Decimal(rng.randint(0, 30)) / 10,
            "responsible": "村支两委", "deadline": found + timedelta(days=30), "reviewer": "联村干部",
            "status": status, "rectified_on": rectified if done else None,
            "verified_on": rectified + timedelta(days=10) if verified else None, "note": "",
        })  # fmt: skip
        counts.add("gov.hazards_found", unit_id, found)
        counts.case("gov.hazards_open", unit_id, found, rectified if done else None)
        if done:
            counts.add("gov.hazards_rectified", unit_id, rectified)

    def checkpoint(unit_id, name, kind, staff):
        pk = new_ids(Checkpoint, 1)[0]
        opened = first - timedelta(days=rng.randint(10, 300))
        closes = rng.random() < 0.3
        closed = add_months(first, rng.randrange(len(months))) + timedelta(days=rng.randrange(28)) if closes else None
        rows[Checkpoint].append({"id": pk, "unit_id": unit_id, "name": name, "kind": kind, "location": "",
                                 "opened_on": opened, "closed_on": closed})  # fmt: skip
        active = 0
        for index in range(staff):
            on_duty = rng.random() < 0.9
            rows[CheckpointStaff].append({"unit_id": unit_id, "checkpoint_id": pk, "name": f"值守{index + 1:02d}",
                                          "shifts": "8:00—20:00", "is_active": on_duty})  # fmt: skip
            active += on_duty
        for month in months:
            month_end = add_months(month, 1)
            standing = opened < month_end and (closed is None or closed >= month_end)
            counts.stock("gov.checkpoints", unit_id, [month], int(standing))
            counts.stock("gov.checkpoint_cadres", unit_id, [month], active if standing else 0)
        return pk

    for town in towns.values():
        team_id = team(town.pk, f"{town.name}安全巡查队", 8)
        checkpoint(town.pk, f"{town.name}市县边界卡点", Checkpoint.Kind.BORDER, 6)
        for month in months:
            action_id, day = action(town.pk, team_id, month, "road_safety")
            hazard(town.pk, action_id, day)
            if rng.random() < 0.05:
                resolved = day_in(month, rng)
                rows[PetitionCase].append({"unit_id": town.pk, "title": "历史遗留信访事项", "petitioner": "来访人",
                                           "petitioner_phone": phone(rng),
                                           "received_on": resolved - timedelta(days=400),
                                           "taken_on": resolved - TAKEN_BEFORE,
                                           "deadline": resolved - TAKEN_BEFORE + PETITION_LIMIT,
                                           "leader_id": None, "status": PetitionCase.Status.RESOLVED,
                                           "progress": "已化解。", "resolved_on": resolved})  # fmt: skip
                counts.add("gov.petitions_resolved", town.pk, resolved)
                counts.add("gov.petitions_received", town.pk, resolved - timedelta(days=400))
                counts.case("gov.petitions_open", town.pk, resolved - timedelta(days=400), resolved)

    for village in villages:
        key = village.unit.pk
        grid_of = dict(village.households)
        # The shared model: counted from what reports/scale.py put on the grids.
        counts.stock("org.grids", key, months, len(village.grids))
        counts.stock("gov.micro_grids", key, months, village.micro_grids)
        counts.stock("gov.households", key, months, len(village.households))
        first_link = {}
        for member, household, since in village.links:
            first_link[("m", member)] = min(since, first_link.get(("m", member), since))
            first_link[("h", household)] = min(since, first_link.get(("h", household), since))
        member_since = sorted(day for (kind, _pk), day in first_link.items() if kind == "m")
        house_since = sorted(day for (kind, _pk), day in first_link.items() if kind == "h")
        for month in months:
            month_end = add_months(month, 1)
            counts.stock("gov.covering_members", key, [month], bisect_left(member_since, month_end))
            counts.stock("gov.households_covered", key, [month], bisect_left(house_since, month_end))

        team_id = team(key, f"{village.unit.name}巡查队", rng.randint(4, 7))
        room = rng.random() < 0.9
        rows[MediationCommittee].append({"unit_id": key, "name": f"{village.unit.name}人民调解委员会",
                                         "director": "", "members": "", "room": "村部调解室" if room else "",
                                         "legal_adviser": "", "auxiliary_police": "",
                                         "established_on": None})  # fmt: skip
        counts.stock("gov.mediation_rooms", key, months, int(room))
        checkpoint(key, f"{village.unit.name}村道路口卡点", Checkpoint.Kind.VILLAGE_ROAD, rng.randint(4, 6))
        checkpoint_id = rows[Checkpoint][-1]["id"]

        people = list(new_ids(KeyPerson, 2))
        for person in people:
            rows[KeyPerson].append({"id": person, "unit_id": key, "name": "重点人员", "id_number": id_number(rng),
                                    "phone": phone(rng), "category": "居家监测", "since": first, "released_on": None,
                                    "note": ""})  # fmt: skip
            for role in roles:
                rows[KeyPersonKeeper].append({"unit_id": key, "person_id": person, "role_id": role.pk,
                                              "keeper_name": "责任人", "phone": phone(rng)})  # fmt: skip

        for month in months:
            for _action in range(rng.randint(1, 3)):
                action_id, day = action(key, team_id, month, rng.choice(ACTION_KINDS))
            hazard(key, action_id if rng.random() < 0.5 else None, day_in(month, rng))
            for _dispute in range(rng.randint(1, 3)):
                received = day_in(month, rng)
                closed = received + timedelta(days=rng.randint(1, 21))
                settled = closed < end_of_data
                result = rng.choices(("success", "failed", "transferred"), weights=(85, 10, 5))[0] if settled else (
                    "pending")  # fmt: skip
                rows[DisputeCase].append({
                    "unit_id": key, "kind": rng.choice(DISPUTE_KINDS), "summary": "邻里因宅基地边界发生争执",
                    "parties": "张某、李某", "party_phones": phone(rng), "party_ids": "", "received_on": received,
                    "deadline": received + DISPUTE_LIMIT, "mediator": "调解主任", "steps": "", "result": result,
                    "closed_on": closed if settled else None,
                })  # fmt: skip
                counts.add("gov.disputes_received", key, received)
                counts.case("gov.disputes_open", key, received, closed if settled else None)
                if settled:
                    counts.add("gov.disputes_mediated", key, closed)
                    if result == "success":
                        counts.add("gov.disputes_resolved", key, closed)
            if rng.random() < 0.04:
                resolved = day_in(month, rng)
                rows[PetitionCase].append({"unit_id": key, "title": "土地承包遗留问题", "petitioner": "来访人",
                                           "petitioner_phone": phone(rng),
                                           "received_on": resolved - timedelta(days=300),
                                           "taken_on": resolved - TAKEN_BEFORE,
                                           "deadline": resolved - TAKEN_BEFORE + PETITION_LIMIT,
                                           "leader_id": None, "status": PetitionCase.Status.RESOLVED,
                                           "progress": "已化解。", "resolved_on": resolved})  # fmt: skip
                counts.add("gov.petitions_resolved", key, resolved)
                counts.add("gov.petitions_received", key, resolved - timedelta(days=300))
                counts.case("gov.petitions_open", key, resolved - timedelta(days=300), resolved)
            for _visit in range(rng.randint(2, 4)):
                member, household, _since = rng.choice(village.links)
                grid = grid_of[household]
                rows[VisitLog].append({"unit_id": grid, "member_id": member, "household_id": household,
                                       "date": day_in(month, rng), "aspect": rng.choice(ASPECTS),
                                       "raised": ""})  # fmt: skip
            household, grid = rng.choice(village.households)
            rows[DoorKnock].append({"unit_id": grid, "date": day_in(month, rng), "household_id": household,
                                    "person_id": rng.choice(people), "by": "网格员",
                                    "result": "宣传防诈骗。"})  # fmt: skip
            if rng.random() < 0.3:
                raised = day_in(month, rng)
                closed = raised + timedelta(days=15)
                done = closed < end_of_data
                rows[PeopleIssue].append({"unit_id": grid, "household_id": household, "raised_on": raised,
                                          "content": "反映路灯损坏", "handler": "村干部",
                                          "status": PeopleIssue.Status.CLOSED if done else PeopleIssue.Status.OPEN,
                                          "closed_on": closed if done else None,
                                          "result": "已修复。" if done else ""})  # fmt: skip
            for _pass in range(rng.randint(1, 3)):
                at = datetime.combine(day_in(month, rng), time(rng.randint(7, 20), rng.randrange(60)), tzinfo=zone)
                rows[PassRecord].append({"unit_id": key, "checkpoint_id": checkpoint_id, "at": at,
                                         "direction": rng.choice(("in", "out")),
                                         "person_name": "过往人员", "phone": phone(rng), "id_number": id_number(rng),
                                         "from_place": "娄底市", "plate": ""})  # fmt: skip

    for model in (PatrolTeam, PatrolMember, SafetyAction, Hazard, MediationCommittee, DisputeCase, PetitionCase,
                  Checkpoint, CheckpointStaff, KeyPerson, KeyPersonKeeper, VisitLog, DoorKnock, PeopleIssue,
                  PassRecord):  # fmt: skip
        insert(model, rows[model])
    counts.count_backlogs()
    return counts.figures
