"""Writes of 支部建设, each through branches.services.record_save (scope, validation, month close, history)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from branches.closing import reason_of, set_reason
from branches.models import Unit
from branches.scoping import ensure_can_act_on_unit
from branches.services import check_not_future, check_unit_kind, record_delete, record_save

from . import selectors
from .models import Attendance, Meeting, MeetingKind, MonthlyTheme

# --- meetings (三会一课, 主题党日, 组织生活会) ------------------------------------------------------------------------


def monthly_theme_save(*, user, instance):
    """The town sets a month's 主题党日 theme (one a month); the branches under it record their 主题党日 against it."""
    theme = instance
    check_unit_kind(theme, (Unit.Kind.TOWN, Unit.Kind.COUNTY))
    if theme.month:
        theme.month = theme.month.replace(day=1)
        clash = MonthlyTheme.objects.filter(unit=theme.unit, month=theme.month).exclude(pk=theme.pk)
        if clash.exists():
            raise ValidationError({"month": _("%(month)s已设定主题党日主题，请修改原有主题。")
                                   % {"month": f"{theme.month:%Y年%m月}"}})  # fmt: skip
    return record_save(user=user, instance=theme)


def _meeting_check(meeting):
    if meeting.organisation_id is None:
        raise ValidationError({"organisation": _("请选择党组织。")})
    if meeting.held_on is None:
        raise ValidationError({"held_on": _("请填写召开日期。")})
    check_not_future(meeting, "held_on")
    if meeting.host is not None and not (
        meeting.host.unit.is_under(meeting.unit) or meeting.unit.is_under(meeting.host.unit)
    ):
        raise ValidationError({"host": _("主持人须是本党组织或上级党组织的党员。")})
    if meeting.kind != MeetingKind.THEME_DAY:
        if meeting.theme_id is not None:
            raise ValidationError({"theme": _("只有主题党日关联当月主题。")})
        return
    if meeting.theme is None:
        meeting.theme = selectors.theme_for(meeting.unit, meeting.held_on)
    elif meeting.theme.month != meeting.held_on.replace(day=1) or not meeting.unit.is_under(meeting.theme.unit):
        raise ValidationError({"theme": _("所选主题不是本镇%(month)s的主题党日主题。")
                               % {"month": f"{meeting.held_on:%Y年%m月}"}})  # fmt: skip


@transaction.atomic
def meeting_save(*, user, instance, attendance=None):
    """Record (or edit) a meeting of a party organisation; with `attendance` (rows as `meeting_attendance_save`
    takes them) its attendance in the same go. A 主题党日 is linked to the month's theme the town set, unless one is
    chosen."""
    meeting = instance
    if meeting.organisation_id is not None:
        meeting.unit = meeting.organisation.unit
    _meeting_check(meeting)
    stored = Meeting.objects.filter(pk=meeting.pk).values_list("organisation_id", flat=True).first()
    if stored is not None and stored != meeting.organisation_id and meeting.attendance.exists():
        raise ValidationError({"organisation": _("已登记参会情况的会议不能改到其他党组织。")})
    record_save(user=user, instance=meeting)
    if attendance is not None:
        meeting_attendance_save(user=user, meeting=meeting, rows=attendance)
    return meeting


def attendance_problems(meeting, member, status, reason="", away_at=""):
    """{field: message} of what is wrong with one member's attendance at a meeting (the one rule, for the phone page,
    the attendance ledger and the API): a member of the meeting's organisation (or of one under it); excused with a
    reason; attending remotely (流动党员) saying where he is."""
    problems = {}
    if member.organisation_id != meeting.organisation_id and not member.unit.is_under(meeting.unit):
        problems["member"] = _("%(name)s 不是“%(org)s”的党员。") % {"name": member.name, "org": meeting.organisation}
    if status not in Attendance.Status.values:
        problems["status"] = _("请选择出席情况（出席、远程参会、请假或缺席）。")
    elif status == Attendance.Status.EXCUSED and not (reason or "").strip():
        problems["reason"] = _("请假须填写请假事由。")
    elif status == Attendance.Status.REMOTE and not (away_at or "").strip():
        problems["away_at"] = _("远程参会须填写外出所在地（流动党员务工所在地）。")
    return problems


def _tidy(row):
    """Keep what the status says: a reason for leave, where a member away is (remote, or excused while away)."""
    row.reason = row.reason.strip() if row.status == Attendance.Status.EXCUSED else ""
    keeps_place = row.status in (Attendance.Status.REMOTE, Attendance.Status.EXCUSED)
    row.away_at = row.away_at.strip() if keeps_place else ""
    return row


def attendance_save(*, user, instance):
    """One member's attendance at a meeting (the attendance ledger and its API)."""
    row = instance
    if row.meeting_id is None or row.member_id is None:
        raise ValidationError({"meeting" if row.meeting_id is None else "member": _("请选择会议和党员。")})
    row.unit = row.meeting.unit
    problems = attendance_problems(row.meeting, row.member, row.status, row.reason, row.away_at)
    if problems:
        raise ValidationError(problems)
    clash = Attendance.objects.filter(meeting=row.meeting, member=row.member).exclude(pk=row.pk)
    if clash.exists():
        raise ValidationError({"member": _("%(name)s 在该会议已有参会记录。") % {"name": row.member.name}})
    return record_save(user=user, instance=_tidy(row))


def attendance_delete(*, user, instance):
    return record_delete(user=user, instance=instance)


@transaction.atomic
def meeting_attendance_save(*, user, meeting, rows):
    """Record a meeting's attendance for its members at once: `rows` is [{"member", "status", "reason", "away_at"}],
    each member once. Every row is checked first (nothing is saved if any is wrong, each refusal naming the member);
    a member listed before and not now is taken off."""
    ensure_can_act_on_unit(user, meeting.unit)
    problems, seen = [], set()
    for row in rows:
        member = row["member"]
        if member.pk in seen:
            problems.append(_("%(name)s 重复登记。") % {"name": member.name})
            continue
        seen.add(member.pk)
        found = attendance_problems(meeting, member, row.get("status"), row.get("reason", ""), row.get("away_at", ""))
        problems += [_("%(name)s：%(problem)s") % {"name": member.name, "problem": text} for text in found.values()]
    if problems:
        raise ValidationError({"attendance": problems})
    reason = reason_of(meeting)  # a month already approved: the reason given for the meeting holds for its rows
    existing = {row.member_id: row for row in Attendance.objects.select_for_update().filter(meeting=meeting)}
    for row in rows:
        attendance = existing.pop(row["member"].pk, None) or Attendance(meeting=meeting, member=row["member"])
        before = (attendance.status, attendance.reason, attendance.away_at)
        attendance.unit = meeting.unit
        attendance.status = row["status"]
        attendance.reason, attendance.away_at = row.get("reason", "") or "", row.get("away_at", "") or ""
        _tidy(attendance)
        if attendance.pk is None or before != (attendance.status, attendance.reason, attendance.away_at):
            record_save(user=user, instance=set_reason(attendance, reason))
    for attendance in existing.values():
        set_reason(attendance, reason)
        record_delete(user=user, instance=attendance)
    return meeting


# (end of meetings)

# --- dues, 民主评议, 发展党员, 换届 ----------------------------------------------------------------------------------
# (end of dues, 民主评议, 发展党员, 换届)

# --- 党员先锋积分 ---------------------------------------------------------------------------------------------------
# (end of points)
