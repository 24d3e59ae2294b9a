"""Indicators of 支部建设 (party.*), all derived from the ledgers, and the work line's pages."""

from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from branches.models import PartyMember
from branches.scoping import is_admin
from reports.plugins import (
    DERIVED,
    FLOW,
    RATIO,
    STOCK,
    IndicatorSpec,
    add_months,
    count,
    in_month,
    month_key,
    month_rows,
    own,
)

from . import selectors
from .models import Applicant, Appraisal, Attendance, Meeting, MeetingKind
from .selectors import at_stage_on, dues_owed, dues_paid

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


# The kinds held once a quarter or once a year by the statutory rhythm (MeetingRule's defaults): 0 in most months of a
# branch that keeps it, so the month-to-month outlier check leaves them out; selectors.missed_meetings judges them.
SELDOM = (MeetingKind.ASSEMBLY, MeetingKind.LECTURE, MeetingKind.LIFE_MEETING)
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


# --- dues, 民主评议, 发展党员, 换届 ----------------------------------------------------------------------------------


def _dues_owed(unit, month):
    return count(dues_owed(unit, month))


def _dues_paid(unit, month):
    return count(dues_paid(unit, month))


def _appraised(result=None):
    def derive(unit, month):
        rows = Appraisal.objects.all() if result is None else Appraisal.objects.filter(result=result)
        return count(in_month(rows, unit, month, field="decided_on"))

    return derive


def _at_stage(stage):
    def derive(unit, month):
        return count(own(Applicant.objects.filter(at_stage_on(stage, add_months(month, 1))), unit))

    return derive


def _became_full(unit, month):
    return count(in_month(Applicant.objects.all(), unit, month, field="full_on"))


def _dues_rows(**query):
    def rows_url(unit, month):
        params = {"under": unit.pk, "month_after": month.isoformat(), "month_before": month.isoformat(), **query}
        return f"{reverse('partylife:duespayment_list')}?{urlencode(params)}"

    return rows_url


def _applicants_rows(stage):
    def rows_url(unit, month):
        return f"{reverse('partylife:applicant_list')}?{urlencode({'under': unit.pk, 'stage': stage})}"

    return rows_url


def _roll(code, name, unit, kind, derive, rows_url, order, **extra):
    return IndicatorSpec(code=code, name=name, unit=unit, work_line="party", kind=kind, source=DERIVED, derive=derive,
                         rows_url=rows_url, order=order, **extra)  # fmt: skip


APPRAISED = month_rows("partylife:appraisal_list", "decided_after", "decided_before")


# --- 党员先锋积分 ---------------------------------------------------------------------------------------------------


def points_earned(unit, month):
    """The points the unit's members earned in the month, by the one rule (selectors.month_points): a plain number."""
    return sum((row.total for row in selectors.unit_month_points(unit, month)), 0)


def points_earned_by_month(unit, months):
    return selectors.unit_points_by_month(unit, months)


def members_on_roll(unit, month):
    """Members on the roll at the month's end: in the register (在册) and joined by then (or joining date unknown);
    the town counts those attached to the town itself (its roll-up adds its villages')."""
    members = PartyMember.objects.filter(is_active=True)
    return count(own(members, unit).filter(Q(joined_date__isnull=True) | Q(joined_date__lt=add_months(month, 1))))


def ranking_of(unit, month):
    return f"{reverse('partylife:point_ranking')}?month={month_key(month)}&under={unit.pk}"


def member_list(unit, month):
    return f"{reverse('branches:partymember_list')}?under={unit.pk}&is_active=true"


def point_rules_page(user):
    return reverse("partylife:point_rules") if is_admin(user) else None


INDICATORS = (
    *(
        party_spec(MEETING_CODES[kind], str(label), "次", FLOW, 10 + index, derive=meetings_held(kind),
                   rows_url=month_rows(MEETINGS_HELD, kind=kind.value), outlier_checked=kind not in SELDOM)
        for index, (kind, label) in enumerate(zip(MeetingKind, MeetingKind.labels, strict=True))
    ),
    party_spec("party.attended", "参会党员（出席及远程参会）", "人次", FLOW, 20,
               derive=attendances(only=Attendance.ATTENDED), rows_url=month_rows(MEETINGS_HELD)),
    party_spec("party.attendance_expected", "应参会党员（不含请假）", "人次", FLOW, 21,
               derive=attendances(excluding=(Attendance.Status.EXCUSED,)), rows_url=month_rows(MEETINGS_HELD)),
    party_spec("party.attendance_rate", "组织生活出席率", "%", RATIO, 22, numerator="party.attended",
               denominator="party.attendance_expected", decimals=1, max_value=Decimal(100)),
    _roll("party.dues_due", "应交纳党费党员", "人", FLOW, _dues_owed, _dues_rows(), 400, judged_by_last_year=False,
          help_text="当月在册且当月之前入党的党员（按月累计为人·月）"),
    _roll("party.dues_paid", "按月足额交纳党费党员", "人", FLOW, _dues_paid, _dues_rows(unpaid="false"), 410,
          help_text="当月党费已足额交纳（含预缴）的在册党员"),
    IndicatorSpec(code="party.dues_rate", name="党费收缴率", unit="%", work_line="party", kind=RATIO, source=DERIVED,
                  numerator="party.dues_paid", denominator="party.dues_due", decimals=1, order=420),
    _roll("party.appraised", "参加民主评议党员", "人", FLOW, _appraised(), APPRAISED, 430, judged_by_last_year=False),
    _roll("party.appraised_excellent", "评议为优秀党员", "人", FLOW, _appraised(Appraisal.Result.EXCELLENT),
          month_rows("partylife:appraisal_list", "decided_after", "decided_before", result="excellent"), 431,
          judged_by_last_year=False),
    _roll("party.appraised_qualified", "评议为合格党员", "人", FLOW, _appraised(Appraisal.Result.QUALIFIED),
          month_rows("partylife:appraisal_list", "decided_after", "decided_before", result="qualified"), 432,
          judged_by_last_year=False),
    _roll("party.appraised_basic", "评议为基本合格党员", "人", FLOW, _appraised(Appraisal.Result.BASIC),
          month_rows("partylife:appraisal_list", "decided_after", "decided_before", result="basic"), 433,
          judged_by_last_year=False),
    _roll("party.appraised_unqualified", "评议为不合格党员", "人", FLOW, _appraised(Appraisal.Result.UNQUALIFIED),
          month_rows("partylife:appraisal_list", "decided_after", "decided_before", result="unqualified"), 434,
          judged_by_last_year=False),
    _roll("party.applicants", "入党申请人", "人", STOCK, _at_stage(Applicant.Stage.APPLICANT),
          _applicants_rows("applicant"), 440, judged_by_last_year=False),
    _roll("party.activists", "入党积极分子", "人", STOCK, _at_stage(Applicant.Stage.ACTIVIST),
          _applicants_rows("activist"), 441, judged_by_last_year=False),
    _roll("party.candidates", "发展对象", "人", STOCK, _at_stage(Applicant.Stage.CANDIDATE),
          _applicants_rows("candidate"), 442, judged_by_last_year=False),
    _roll("party.probationary", "预备党员", "人", STOCK, _at_stage(Applicant.Stage.PROBATIONARY),
          _applicants_rows("probationary"), 443, judged_by_last_year=False),
    _roll("party.new_full_members", "预备党员转正", "人", FLOW, _became_full,
          month_rows("partylife:applicant_list", "full_after", "full_before"), 444, judged_by_last_year=False),
    IndicatorSpec(code="party.points", name="党员先锋积分", unit="分", work_line="party", kind=FLOW, source=DERIVED,
                  derive=points_earned, derive_months=points_earned_by_month, rows_url=ranking_of, decimals=2,
                  judged_by_last_year=False, order=80,
                  help_text="本单位党员当月按积分规则（每项积分、每月上限）获得的积分合计"),
    IndicatorSpec(code="party.members", name="在册党员", unit="名", work_line="party", kind=STOCK, source=DERIVED,
                  derive=members_on_roll, rows_url=member_list, judged_by_last_year=False, order=81),
    # Points per member on the roll: a quotient, not a percentage (scale 1), recomputed from the summed parts in
    # every roll-up — over a quarter, the quarter's points per member at its end.
    IndicatorSpec(code="party.average_points", name="党员人均积分", unit="分", work_line="party", kind=RATIO,
                  source=DERIVED, numerator="party.points", denominator="party.members", scale=1, decimals=1,
                  order=82),
)  # fmt: skip

PAGES = (
    ("组织生活会议", "partylife:meeting_list"),
    ("登记会议（手机）", "partylife:meeting_add"),
    ("会议日历", "partylife:meeting_calendar"),
    ("三会一课执行情况", "partylife:rhythm"),
    ("连续缺席跟踪", "partylife:absences"),
    ("参会情况", "partylife:attendance_list"),
    ("主题党日主题", "partylife:monthlytheme_list"),
    (_("党费收缴"), "partylife:dues_overview"),
    (_("党费登记"), "partylife:dues_entry"),
    (_("党费台账"), "partylife:duespayment_list"),
    (_("民主评议"), "partylife:appraisal_summary"),
    (_("发展党员"), "partylife:applicant_summary"),
    (_("换届"), "partylife:term_list"),
    (_("书记交接"), lambda user: reverse("partylife:handover") if is_admin(user) else None),
    ("先锋积分排行", "partylife:point_ranking"),
    ("积分规则", point_rules_page),
)
