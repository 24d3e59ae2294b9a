"""Indicators of 支部建设 (party.*), all derived from the ledgers, and the work line's pages."""

from decimal import Decimal

from reports.plugins import DERIVED, FLOW, RATIO, IndicatorSpec, count, in_month, month_rows

from .models import Attendance, Meeting, MeetingKind

# --- meetings (三会一课, 主题党日, 组织生活会) ------------------------------------------------------------------------
#
# Meetings held are flows of the month they were held in, one indicator per kind. Attendance counts the members
# listed at the month's meetings: attended = present + remote (a 流动党员 attending from where he works counts as
# attending); expected = every member listed but the excused (leave with a reason is not held against the rate);
# party.attendance_rate = attended / expected. A town counts its own organisation's meetings; its roll-up adds its
# villages'.


def meetings_held(kind):
    def derive(unit, month):
        return count(in_month(Meeting.objects.filter(kind=kind), unit, month, "held_on"))

    return derive


def attendances(*, excluding=(), only=()):
    def derive(unit, month):
        rows = Attendance.objects.all()
        if only:
            rows = rows.filter(status__in=only)
        if excluding:
            rows = rows.exclude(status__in=excluding)
        return count(in_month(rows, unit, month, "meeting__held_on"))

    return derive


MEETINGS_HELD = "partylife:meeting_list"
MEETING_CODES = {
    MeetingKind.ASSEMBLY: "party.assemblies", MeetingKind.COMMITTEE: "party.committee_meetings",
    MeetingKind.GROUP: "party.group_meetings", MeetingKind.LECTURE: "party.lectures",
    MeetingKind.THEME_DAY: "party.theme_days", MeetingKind.LIFE_MEETING: "party.life_meetings",
    MeetingKind.TALK: "party.talks",
}  # fmt: skip


def party_spec(code, name, unit, kind, order, **extra):
    return IndicatorSpec(code=code, name=name, unit=unit, work_line="party", kind=kind, source=DERIVED, order=order,
                         judged_by_last_year=False, **extra)  # fmt: skip


MEETING_INDICATORS = (
    *(
        party_spec(MEETING_CODES[kind], str(label), "次", FLOW, 10 + index, derive=meetings_held(kind),
                   rows_url=month_rows(MEETINGS_HELD, kind=kind.value))
        for index, (kind, label) in enumerate(zip(MeetingKind, MeetingKind.labels, strict=True))
    ),
    party_spec("party.attended", "参会党员（出席及远程参会）", "人次", FLOW, 20,
               derive=attendances(only=Attendance.ATTENDED), rows_url=month_rows(MEETINGS_HELD)),
    party_spec("party.attendance_expected", "应参会党员（不含请假）", "人次", FLOW, 21,
               derive=attendances(excluding=(Attendance.Status.EXCUSED,)), rows_url=month_rows(MEETINGS_HELD)),
    party_spec("party.attendance_rate", "组织生活出席率", "%", RATIO, 22, numerator="party.attended",
               denominator="party.attendance_expected", decimals=1, max_value=Decimal(100)),
)  # fmt: skip
MEETING_PAGES = (
    ("组织生活会议", "partylife:meeting_list"),
    ("登记会议（手机）", "partylife:meeting_add"),
    ("会议日历", "partylife:meeting_calendar"),
    ("三会一课执行情况", "partylife:rhythm"),
    ("连续缺席跟踪", "partylife:absences"),
    ("参会情况", "partylife:attendance_list"),
    ("主题党日主题", "partylife:monthlytheme_list"),
)
# (end of meetings)

# --- dues, 民主评议, 发展党员, 换届 ----------------------------------------------------------------------------------
ROLL_INDICATORS = ()
ROLL_PAGES = ()
# (end of dues, 民主评议, 发展党员, 换届)

# --- 党员先锋积分 ---------------------------------------------------------------------------------------------------
POINT_INDICATORS = ()
POINT_PAGES = ()
# (end of points)

INDICATORS = (*MEETING_INDICATORS, *ROLL_INDICATORS, *POINT_INDICATORS)
PAGES = (*MEETING_PAGES, *ROLL_PAGES, *POINT_PAGES)
