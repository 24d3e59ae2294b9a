"""Writes of 支部建设: each checks the rules of its part of the branch's life and saves through the guarded
`record_save` (scope, validation, month-close guards, history). Each part keeps its own section."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from branches.closing import REASON_MAX_LENGTH, reason_of, set_reason
from branches.models import Unit, User
from branches.scoping import ensure_can_act_on_unit, is_admin
from branches.services import check_not_future, check_unit_kind, record_delete, record_save
from reports.plugins import add_months

from . import selectors
from .models import Appraisal, Attendance, DuesPayment, Meeting, MeetingKind, MonthlyTheme, PointRule
from .selectors import STAGE_DATES, add_years, applicant_stage

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


# --- dues, 民主评议, 发展党员, 换届 ----------------------------------------------------------------------------------


MAX_MONTHS_IN_ADVANCE = 12


def _member_unit(instance):
    """A row about a member hangs on the member's own unit."""
    if instance.member_id is None:
        raise ValidationError({"member": _("请选择党员。")})
    instance.unit = instance.member.unit


def dues_save(*, user, instance):
    """党费: one member's month. The month is kept as its first day; what is paid needs the day it was paid."""
    _member_unit(instance)
    if instance.month:
        instance.month = instance.month.replace(day=1)
    if instance.paid and not instance.paid_on:
        raise ValidationError({"paid_on": _("已缴金额大于 0 时请填写缴纳日期。")})
    if instance.paid_on and not instance.paid:
        raise ValidationError({"paid": _("填写了缴纳日期，请填写实缴金额。")})
    check_not_future(instance, "paid_on")
    if instance.month and DuesPayment.objects.filter(member=instance.member, month=instance.month).exclude(
        pk=instance.pk
    ).exists():
        raise ValidationError({"month": _("%(member)s %(month)s 的党费已有记录，请修改原记录。") % {
            "member": instance.member, "month": f"{instance.month:%Y年%m月}"}})  # fmt: skip
    return record_save(user=user, instance=instance)


@dataclass
class DuesEntry:
    member: object
    due: Decimal
    paid: Decimal
    paid_on: object  # date or None
    months: int = 1  # months this payment covers: the later ones are paid in advance on the same day


@transaction.atomic
def dues_record_month(*, user, organisation, month, entries):
    """Record a branch's dues for `month` at once: each entry's row for the month, and for a payment covering several
    months the later months' rows, paid on the same day. All or nothing: a refused row refuses the sheet, with the
    member named."""
    ensure_can_act_on_unit(user, organisation.unit)
    month = month.replace(day=1)
    saved = []
    for entry in entries:
        if entry.member.organisation_id != organisation.pk:
            raise ValidationError(_("%(member)s 不是本支部党员。") % {"member": entry.member})
        if not 1 <= entry.months <= MAX_MONTHS_IN_ADVANCE:
            raise ValidationError(_("%(member)s：缴纳月数应在 1 至 %(n)s 之间。") % {
                "member": entry.member, "n": MAX_MONTHS_IN_ADVANCE})  # fmt: skip
        if entry.months > 1 and entry.paid < entry.due:
            raise ValidationError(_("%(member)s：预缴多个月党费须每月足额缴纳。") % {"member": entry.member})
        stored = {row.month: row for row in DuesPayment.objects.filter(
            member=entry.member, month__gte=month, month__lt=add_months(month, entry.months))}  # fmt: skip
        for offset in range(entry.months):
            covered = add_months(month, offset)
            row = stored.get(covered) or DuesPayment(member=entry.member, month=covered)
            if row.pk and (row.due, row.paid, row.paid_on) == (entry.due, entry.paid, entry.paid_on):
                continue  # unchanged: no history row, no guard asked
            row.due, row.paid, row.paid_on = entry.due, entry.paid, entry.paid_on
            try:
                saved.append(dues_save(user=user, instance=row))
            except ValidationError as error:
                where = {"member": entry.member, "month": f"{covered:%Y年%m月}", "error": "；".join(error.messages)}
                raise ValidationError(_("%(member)s %(month)s：%(error)s") % where) from error
    return saved


def appraisal_save(*, user, instance):
    """民主评议: once a year per member, decided by the branch no earlier than the year appraised."""
    _member_unit(instance)
    if instance.year and Appraisal.objects.filter(member=instance.member, year=instance.year).exclude(
        pk=instance.pk
    ).exists():
        raise ValidationError({"year": _("%(member)s %(year)s 年度已有民主评议结果，每名党员每年只评议一次。") % {
            "member": instance.member, "year": instance.year}})  # fmt: skip
    if instance.decided_on and instance.year and instance.decided_on.year < instance.year:
        raise ValidationError({"decided_on": _("支部决定日期不能早于评议年度（%(year)s 年）。") % {
            "year": instance.year}})  # fmt: skip
    check_not_future(instance, "decided_on")
    return record_save(user=user, instance=instance)


# --- 发展党员 -------------------------------------------------------------------------------------------------------


ADULT_AGE = 18
STAGE_LABELS = {
    "applied_on": _lazy("递交入党申请"),
    "activist_on": _lazy("列为入党积极分子"),
    "candidate_on": _lazy("确定为发展对象"),
    "probationary_on": _lazy("接收为预备党员"),
    "full_on": _lazy("转为正式党员"),
}


def _day(value):
    return value.isoformat() if value else "—"


def applicant_check(applicant, introducers):
    """The statutory checks of 发展党员, the one place pages and the API ask: raises a ValidationError naming each
    field refused, in Chinese.

    - the steps are dated in order, none skipped and none in the future;
    - 年满十八周岁 on applying;
    - 确定为发展对象 a full year after 列为入党积极分子 (培养考察一年以上);
    - 接收为预备党员 with two introducers, full members (on the roll, joined a year or more before that day);
    - 预备期一年: 转为正式党员 a year after 接收为预备党员."""
    errors = {}
    today = timezone.localdate()
    dated = [(field, getattr(applicant, field)) for _stage, field in STAGE_DATES]
    for (before, before_day), (field, day) in zip([(None, None), *dated], dated, strict=False):
        if day is None:
            continue
        if day > today:
            errors[field] = _("日期不能晚于今天。")
        elif before is not None and before_day is None:
            errors[field] = SKIPPED % {"step": STAGE_LABELS[before], "this": STAGE_LABELS[field]}
        elif before is not None and day < before_day:
            errors[field] = OUT_OF_ORDER % {"this": STAGE_LABELS[field], "day": _day(day),
                                            "step": STAGE_LABELS[before], "before": _day(before_day)}  # fmt: skip
    if applicant.birth_date and applicant.applied_on and "applied_on" not in errors:
        adult_on = add_years(applicant.birth_date, ADULT_AGE)
        if applicant.applied_on < adult_on:
            errors["applied_on"] = UNDER_AGE % {"birth": _day(applicant.birth_date), "earliest": _day(adult_on)}
    if applicant.activist_on and applicant.candidate_on and "candidate_on" not in errors:
        earliest = add_years(applicant.activist_on, 1)
        if applicant.candidate_on < earliest:
            errors["candidate_on"] = TOO_SOON_CANDIDATE % {"day": _day(applicant.activist_on),
                                                           "earliest": _day(earliest)}  # fmt: skip
    if applicant.probationary_on and applicant.full_on and "full_on" not in errors:
        earliest = add_years(applicant.probationary_on, 1)
        if applicant.full_on < earliest:
            errors["full_on"] = TOO_SOON_FULL % {"day": _day(applicant.probationary_on), "earliest": _day(earliest)}
    if applicant.probationary_on:
        problem = _introducers_problem(list(introducers), applicant.probationary_on)
        if problem:
            errors["introducers"] = problem
    if errors:
        raise ValidationError(errors)


SKIPPED = _lazy("请先填写“%(step)s”的日期，再填写“%(this)s”。")
OUT_OF_ORDER = _lazy("“%(this)s”（%(day)s）不能早于“%(step)s”（%(before)s）。")
UNDER_AGE = _lazy("递交入党申请须年满十八周岁：出生日期 %(birth)s，最早 %(earliest)s 可递交。")
TOO_SOON_CANDIDATE = _lazy("确定为发展对象须在列为入党积极分子满一年后：积极分子日期 %(day)s，最早 %(earliest)s。")
TOO_SOON_FULL = _lazy("预备期为一年：接收为预备党员日期 %(day)s，最早 %(earliest)s 可转为正式党员。")
TWO_INTRODUCERS = _lazy("接收为预备党员须有两名正式党员作入党介绍人（现为 %(n)s 名）。")
NOT_FULL_MEMBER = _lazy("入党介绍人须为正式党员：%(name)s 入党日期 %(day)s，须在 %(latest)s 或之前入党"
                        "（预备党员不能作入党介绍人）。")  # fmt: skip


def _introducers_problem(introducers, on):
    if len(introducers) != 2:
        return TWO_INTRODUCERS % {"n": len(introducers)}
    latest = add_years(on, -1)
    for member in introducers:
        if not member.is_active:
            return _("入党介绍人 %(name)s 已不在册。") % {"name": member.name}
        if member.joined_date is None or member.joined_date > latest:
            return NOT_FULL_MEMBER % {"name": member.name, "day": _day(member.joined_date), "latest": _day(latest)}
    return ""


@transaction.atomic
def applicant_save(*, user, instance, introducers=None):
    """A 发展党员 record: hangs on its organisation's unit, passes applicant_check, and stands at the stage of its
    furthest dated step (set here, never in save()). `introducers` None keeps those recorded."""
    applicant = instance
    if applicant.organisation_id is None:
        raise ValidationError({"organisation": _("请选择党组织。")})
    applicant.unit = applicant.organisation.unit
    if introducers is None:
        introducers = list(applicant.introducers.all()) if applicant.pk else []
    introducers = list(introducers)
    applicant_check(applicant, introducers)
    applicant.stage = applicant_stage(applicant)
    record_save(user=user, instance=applicant)
    if set(applicant.introducers.all()) != set(introducers):
        applicant.introducers.set(introducers)
    return applicant


# --- 换届 -----------------------------------------------------------------------------------------------------------


TERM_YEARS = 5


def term_save(*, user, instance):
    """换届: a term hangs on its organisation's unit and ends five years after it starts unless said otherwise."""
    term = instance
    if term.organisation_id is None:
        raise ValidationError({"organisation": _("请选择党组织。")})
    term.unit = term.organisation.unit
    if term.starts_on and not term.ends_on:
        term.ends_on = add_years(term.starts_on, TERM_YEARS)
    if term.starts_on and term.ends_on and term.ends_on <= term.starts_on:
        raise ValidationError({"ends_on": _("届满日期须晚于起始日期。")})
    check_not_future(term, "starts_on")
    if term.secretary_id and term.secretary.organisation_id != term.organisation_id:
        raise ValidationError({"secretary": _("书记须是本党组织的党员。")})
    return record_save(user=user, instance=term)


def secretary_handover(*, user, village, new_user=None, username="", full_name="", password="", on, reason):
    """书记交接: the admin (only he) hands a village's login rights to its new secretary on `on`: the new login (an
    existing one, or one made here) becomes the village's secretary, and every other secretary login of the village
    is switched off that day. Each change is in the users' history with the reason.

    Returns (the new login, [the logins switched off])."""
    if not is_admin(user):
        raise PermissionDenied(_("只有系统管理员可以办理书记交接。"))
    errors = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("请填写交接原因（如：村党组织换届选举产生新书记）。")
    if village is None or not village.is_village:
        errors["village"] = _("请选择村（社区）。")
    if on is None:
        errors["on"] = _("请填写交接日期。")
    elif on > timezone.localdate():
        errors["on"] = _("交接日期不能晚于今天：请在交接当天办理。")
    if new_user is None and not username:
        errors["new_user"] = _("请选择新书记的账号，或填写新账号的用户名。")
    if new_user is not None and is_admin(new_user):
        errors["new_user"] = _("系统管理员账号不能改为村书记账号。")
    if new_user is None and username:
        if User.objects.filter(username=username).exists():
            errors["username"] = _("用户名“%(name)s”已被使用。") % {"name": username}
        if not password:
            errors["password"] = _("请为新账号设置初始密码。")
    if errors:
        raise ValidationError(errors)
    note = (_("%(day)s 书记交接：%(reason)s") % {"day": on.isoformat(), "reason": reason})[:REASON_MAX_LENGTH]
    with transaction.atomic():
        if new_user is None:
            new_user = User(username=username, first_name=full_name)
            new_user.set_password(password)
            try:
                new_user.full_clean(exclude=["password"])
            except ValidationError as error:
                raise ValidationError({"username": error.messages}) from error
        new_user.role, new_user.unit, new_user.is_active = User.Role.SECRETARY, village, True
        if full_name:
            new_user.first_name = full_name
        new_user._history_user, new_user._change_reason = user, note
        new_user.save()
        leaving = list(User.objects.filter(role=User.Role.SECRETARY, unit=village, is_active=True)
                       .exclude(pk=new_user.pk))  # fmt: skip
        for old in leaving:
            old.is_active = False
            old._history_user, old._change_reason = user, note
            old.save()
    return new_user, leaving


# --- 党员先锋积分 ---------------------------------------------------------------------------------------------------


@transaction.atomic
def point_rules_save(*, user, rules):
    """The admin sets what each point source earns: `rules` {source code: (points per unit, monthly cap or None)}.
    Only an admin may; each rule is validated (points 0–1000, cap 0–10000) and saved with him in its history."""
    if not is_admin(user):
        raise PermissionDenied(_("只有系统管理员可以修改积分规则。"))
    saved = []
    for source, (points, cap) in rules.items():
        rule = PointRule.objects.select_for_update().filter(source=source).first() or PointRule(source=source)
        if rule.pk is not None and (rule.points, rule.monthly_cap) == (points, cap):
            continue
        rule.points, rule.monthly_cap = points, cap
        rule.full_clean()
        rule._history_user = user
        rule.save()
        saved.append(rule)
    return saved
