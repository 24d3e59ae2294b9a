"""Synthetic 支部建设 ledgers for `manage.py seed_scale` (reports/scale.py explains the contract).

Per village branch, the statutory rhythm of 三会一课 (MeetingRule's defaults): a 支部委员会 every month (its first
five members: the committee), a 党小组会 and a 主题党日 every month and a 党员大会 and a 党课 every quarter (in a month
of the quarter drawn per branch and quarter) for all its members, the year's 组织生活会 in January; each with the
attendance of the members it concerns, mostly present, a few remote, excused or absent. The town's 党委 holds none
(its members are not seeded). Every member owes 1 元 of 党费 a month, paid in full in the month by most; the
year before is appraised (民主评议) at January's 组织生活会. No 发展党员 pipeline is seeded. Returns the figures of
these rows; the points (party.points: the point rules over meetings attended and households kept) are counted by
reports.scale.fill_uncovered.
"""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from reports.plugins import insert, new_ids

from .indicators import MEETING_CODES
from .models import Appraisal, Attendance, DuesPayment, Meeting, MeetingKind

COMMITTEE_SIZE = 5
STATUSES = ((0.90, Attendance.Status.PRESENT), (0.92, Attendance.Status.REMOTE), (0.97, Attendance.Status.EXCUSED),
            (1.0, Attendance.Status.ABSENT))  # fmt: skip
TOPICS = {
    MeetingKind.COMMITTEE: "研究本月党建和村级重点工作", MeetingKind.GROUP: "学习本月主题，交流联系农户情况",
    MeetingKind.THEME_DAY: "主题党日", MeetingKind.ASSEMBLY: "讨论村级重大事项",
    MeetingKind.LECTURE: "书记讲党课", MeetingKind.LIFE_MEETING: "年度组织生活会暨民主评议党员",
}  # fmt: skip


APPRAISAL_RESULTS = ((0.12, Appraisal.Result.EXCELLENT), (0.985, Appraisal.Result.QUALIFIED),
                     (0.998, Appraisal.Result.BASIC), (1.0, Appraisal.Result.UNQUALIFIED))  # fmt: skip
APPRAISAL_CODES = {result: f"party.appraised_{result.value}" for result in Appraisal.Result}
# 发展党员 is not seeded: no applicant rows, so these stocks and this flow are 0 everywhere (returned empty).
NOT_SEEDED = ("party.applicants", "party.activists", "party.candidates", "party.probationary",
              "party.new_full_members")  # fmt: skip


def drawn(rng, table):
    draw = rng.random()
    return next(value for limit, value in table if draw < limit)


def status_of(rng):
    return drawn(rng, STATUSES)


def kinds_held(month, quarter_months):
    """The kinds a branch keeping the rhythm holds in `month`."""
    kinds = [MeetingKind.COMMITTEE, MeetingKind.GROUP, MeetingKind.THEME_DAY]
    if month.month == quarter_months[(month.month - 1) // 3]["assembly"]:
        kinds.append(MeetingKind.ASSEMBLY)
    if month.month == quarter_months[(month.month - 1) // 3]["lecture"]:
        kinds.append(MeetingKind.LECTURE)
    if month.month == 1:
        kinds.append(MeetingKind.LIFE_MEETING)
    return kinds


def seed(villages, months, rng):
    figures = {code: {} for code in (*MEETING_CODES.values(), "party.attended", "party.attendance_expected",
                                     "party.members", "party.dues_due", "party.dues_paid", "party.appraised",
                                     *APPRAISAL_CODES.values(), *NOT_SEEDED)}  # fmt: skip
    meetings, attendance, dues, appraisals = [], [], [], []
    for village in villages:
        members = list(village.members)
        if village.organisation_id is None or not members:
            continue
        unit_id = village.unit.pk
        for month in months:
            # every seeded member is active and joined before the first month (reports/scale.py build_people)
            figures["party.members"][(unit_id, month)] = Decimal(len(members))
            # and so owes dues for every month: 1 元 each, mostly paid in full within the month
            figures["party.dues_due"][(unit_id, month)] = Decimal(len(members))
            paid_in_full = 0
            for member in members:
                paid = Decimal(1) if rng.random() < 0.97 else Decimal(0)
                dues.append({"unit_id": unit_id, "member_id": member, "month": month, "due": Decimal(1), "paid": paid,
                             "paid_on": month + timedelta(days=rng.randrange(28)) if paid else None})  # fmt: skip
                paid_in_full += paid >= 1
            figures["party.dues_paid"][(unit_id, month)] = Decimal(paid_in_full)
        quarters = defaultdict(dict)
        for month in months:
            year_quarters = quarters[month.year]
            if not year_quarters:
                for quarter in range(4):
                    year_quarters[quarter] = {"assembly": quarter * 3 + 1 + rng.randrange(3),
                                              "lecture": quarter * 3 + 1 + rng.randrange(3)}  # fmt: skip
            held = defaultdict(int)
            attended = expected = 0
            for kind in kinds_held(month, year_quarters):
                concerned = members[:COMMITTEE_SIZE] if kind == MeetingKind.COMMITTEE else members
                meeting = new_ids(Meeting, 1)[0]
                meetings.append({"id": meeting, "unit_id": unit_id, "organisation_id": village.organisation_id,
                                 "kind": kind, "held_on": month + timedelta(days=rng.randrange(28)),
                                 "place": "村党群服务中心", "host_id": members[0], "topic": TOPICS[kind],
                                 "theme_id": None, "minutes": "", "resolutions": ""})  # fmt: skip
                held[kind] += 1
                if kind == MeetingKind.LIFE_MEETING:  # the year before's 民主评议党员, decided at the meeting
                    results = defaultdict(int)
                    for member in members:
                        result = drawn(rng, APPRAISAL_RESULTS)
                        appraisals.append({"unit_id": unit_id, "member_id": member, "year": month.year - 1,
                                           "result": result, "decided_on": meetings[-1]["held_on"],
                                           "decision": ""})  # fmt: skip
                        results[result] += 1
                    figures["party.appraised"][(unit_id, month)] = Decimal(len(members))
                    for result, count in results.items():
                        figures[APPRAISAL_CODES[result]][(unit_id, month)] = Decimal(count)
                for member in concerned:
                    status = Attendance.Status.PRESENT if member == members[0] else status_of(rng)
                    attendance.append({"unit_id": unit_id, "meeting_id": meeting, "member_id": member,
                                       "status": status, "reason": "", "away_at": ""})  # fmt: skip
                    attended += status in Attendance.ATTENDED
                    expected += status != Attendance.Status.EXCUSED
            for kind, count in held.items():
                figures[MEETING_CODES[kind]][(unit_id, month)] = Decimal(count)
            figures["party.attended"][(unit_id, month)] = Decimal(attended)
            figures["party.attendance_expected"][(unit_id, month)] = Decimal(expected)
    insert(Meeting, meetings)
    insert(Attendance, attendance)
    insert(DuesPayment, dues)
    insert(Appraisal, appraisals)
    return figures
