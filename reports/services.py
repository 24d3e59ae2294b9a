"""Writes of the reporting core: indicators mirrored from code, monthly reports opened, filled, submitted, reviewed
and unlocked, reminders sent, roll-ups enqueued. Views, the API, the Excel import and the tasks all call these."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from branches.models import Unit, User
from branches.scoping import CHANGE, REVIEW, can_act_on_unit, ensure_can_act_on_unit, is_admin

from . import checks, periods
from .derive import figures
from .models import Indicator, MonthlyReport, Notification, ReportEvent, ReportValue
from .periods import deadline_for
from .registry import TOWN, VILLAGE, registry
from .rollup.services import enqueue_rollup

logger = logging.getLogger(__name__)
Status = MonthlyReport.Status


class ConflictError(ValidationError):
    """Someone else saved the report since this user loaded it."""


# --- indicators and schedules ----------------------------------------------------------------------------------


def sync_indicators(using="default"):
    """Mirror the declared indicators into the database (the admin and the API list them; values refer to them)."""
    declared = registry.all()
    existing = {indicator.code: indicator for indicator in Indicator.objects.using(using).all()}
    for position, spec in enumerate(declared):
        fields = {
            "name": spec.name, "unit": spec.unit, "work_line": spec.work_line, "kind": spec.kind,
            "source": spec.source, "min_value": spec.min_value, "max_value": spec.max_value, "target": spec.target,
            "sort_order": position, "is_active": True,
        }  # fmt: skip
        indicator = existing.get(spec.code)
        if indicator is None:
            Indicator.objects.using(using).create(code=spec.code, **fields)
        elif any(getattr(indicator, name) != value for name, value in fields.items()):
            Indicator.objects.using(using).filter(pk=indicator.pk).update(**fields)
    Indicator.objects.using(using).exclude(code__in=[spec.code for spec in declared]).update(is_active=False)


SCHEDULES = (
    # (name, task, crontab fields) — admins may change the times in the admin; names stay.
    ("汇总：每晚全量重算", "reports.tasks.rollup_full", {"minute": "30", "hour": "1"}),
    ("月报：每月 1 日生成上月草稿", "reports.tasks.open_month", {"minute": "0", "hour": "2", "day_of_month": "1"}),
    ("月报：每晚按台账重算自动生成的数值", "reports.tasks.refresh_derived", {"minute": "0", "hour": "1"}),
    ("月报：每日催报", "reports.tasks.send_reminders", {"minute": "0", "hour": "8"}),
    ("汇总：补做未能入队的汇总", "reports.tasks.rollup_pending", {"minute": "*/10"}),
    ("通报：截止日次日生成上月月度通报", "reports.tasks.build_bulletins",
     {"minute": "0", "hour": "6", "day_of_month": str(min(settings.REPORT_DEADLINE_DAY + 1, 28))}),
)


def ensure_schedules():
    """Create the beat schedules once (django-celery-beat keeps them in the database, editable in the admin)."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    for name, task, fields in SCHEDULES:
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        crontab, _created = CrontabSchedule.objects.get_or_create(timezone=settings.TIME_ZONE, **fields)
        PeriodicTask.objects.create(name=name, task=task, crontab=crontab)


# --- opening a report ------------------------------------------------------------------------------------------


def reporting_level(unit):
    if unit.is_village:
        return VILLAGE
    if unit.kind == Unit.Kind.TOWN:
        return TOWN
    return None


def specs_for(unit, work_line):
    """The stored indicators a unit reports in a work line (ratios are computed, not stored)."""
    level = reporting_level(unit)
    return [spec for spec in registry.stored(work_line) if level in spec.reported_by]


def check_reportable(unit, work_line, month):
    if reporting_level(unit) is None:
        raise ValidationError({"unit": _("只有村（社区）和镇可以填报月报，“%(unit)s”不能。") % {"unit": unit}})
    if work_line not in dict(settings.WORK_LINES):
        raise ValidationError({"work_line": _("没有“%(line)s”这条工作线。") % {"line": work_line}})
    if month > periods.current_month():
        raise ValidationError({"month": _("不能填报未来的月份（%(month)s）。") % {"month": periods.month_key(month)}})


def report_open(*, unit, work_line, month):
    """The report for a unit, work line and month, created as a draft with every value row, derived ones filled."""
    check_reportable(unit, work_line, month)
    report, created = MonthlyReport.objects.get_or_create(unit=unit, work_line=work_line, month=month)
    indicators = dict(Indicator.objects.filter(code__in=[spec.code for spec in specs_for(unit, work_line)])
                      .values_list("code", "pk"))  # fmt: skip
    have = set(report.values.values_list("indicator_id", flat=True)) if not created else set()
    missing = [ReportValue(report=report, indicator_id=pk) for pk in indicators.values() if pk not in have]
    ReportValue.objects.bulk_create(missing, ignore_conflicts=True)
    report_refresh_derived(report=report)
    return report


def values_by_code(report):
    return {value.indicator.code: value for value in report.values.select_related("indicator")}


def derived_figures(report, rows):
    """{code: figure} of the report's derived indicators that have a value row in `rows`, counted from the ledgers
    now in one statement. Writes nothing: a GET shows these, the writes below store them."""
    specs = [spec for spec in specs_for(report.unit, report.work_line) if not spec.is_entered and spec.code in rows]
    return figures(report.unit, {spec.code: spec.derive(report.unit, report.month) for spec in specs})


def moved_since_approval(report, rows):
    """Whether an approved report's derived figures in `rows` differ from the ones its approval froze."""
    if report.status != Status.APPROVED:
        return False
    derived = {spec.code for spec in specs_for(report.unit, report.work_line) if not spec.is_entered}
    return any(row.value != row.approved_value for code, row in rows.items() if code in derived)


def report_refresh_derived(*, report):
    """Recount the derived figures from the ledgers. An approved month keeps its frozen figure; a difference marks
    it "changed since approval" until it is approved again."""
    rows = values_by_code(report)
    changed = []
    for code, value in derived_figures(report, rows).items():
        row = rows[code]
        if row.value != value:
            row.value = value
            changed.append(row)
    if changed:
        bulk_update_with_history(changed, ReportValue, ["value"], batch_size=500)
    if report.status == Status.APPROVED:
        moved = moved_since_approval(report, rows)
        if moved != report.changed_since_approval:
            report.changed_since_approval = moved
            report.save(update_fields=["changed_since_approval"])
    return changed


# --- entering figures ------------------------------------------------------------------------------------------


def _lock_report(report, version):
    """Take the report's row lock and check nobody saved it since `version` was read."""
    # No select_related here: a row lock that waited for another save re-reads the report's row, not the joined
    # user's, so the conflict message would name the previous editor (or "其他人"). updated_by loads after the lock.
    locked = MonthlyReport.objects.select_for_update(of=("self",)).get(pk=report.pk)
    if version in (None, ""):
        version = None
    else:
        try:  # the page posts it back as typed text: a tampered one is a refusal, not a 500
            version = int(version)
        except (TypeError, ValueError):
            raise ValidationError(_("页面数据不完整（版本号不正确），请刷新页面后再保存。"), code="version") from None
    if version is not None and version != locked.version:
        who = locked.updated_by.display_name if locked.updated_by else _("其他人")
        when = timezone.localtime(locked.updated_at).strftime("%Y-%m-%d %H:%M") if locked.updated_at else ""
        raise ConflictError(
            _("该月报已被 %(who)s 于 %(when)s 修改，您看到的不是最新内容。请刷新页面后再保存。")
            % {"who": who, "when": when},
            code="conflict",
        )
    return locked


def parse_values(report, values):
    """Validate typed values against the report's indicators; every problem at once, keyed by code."""
    specs = {spec.code: spec for spec in specs_for(report.unit, report.work_line)}
    cleaned, errors = {}, {}
    for code, raw in values.items():
        spec = specs.get(code)
        if spec is None:
            errors[code] = _("本月报没有指标“%(code)s”。") % {"code": code}
        elif not spec.is_entered:
            errors[code] = _("“%(name)s”由台账自动生成，不能手工填写。") % {"name": spec.name}
        else:
            try:
                cleaned[code] = checks.clean_value(spec, raw)
            except ValueError as error:
                errors[code] = str(error)
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def report_save_values(*, report, user, values, version=None, action=ReportEvent.Action.SAVE):
    """Save entered figures of a draft or returned report. Bad input saves nothing; a stale version is refused."""
    ensure_can_act_on_unit(user, report.unit, CHANGE)
    report = _lock_report(report, version)
    if not report.is_editable:
        raise ValidationError(
            _("该月报%(status)s，不能修改。") % {"status": report.get_status_display()}, code="locked"
        )
    cleaned = parse_values(report, values)
    rows = values_by_code(report)
    changed = []
    for code, value in cleaned.items():
        row = rows[code]
        if row.value != value:
            row.value = value
            changed.append(row)
    if changed:
        bulk_update_with_history(changed, ReportValue, ["value"], default_user=user, batch_size=500)
    _touch(report, user)
    ReportEvent.objects.create(report=report, action=action, user=user, reason=saved_reason(len(changed)))
    return report


def saved_reason(changed):
    """What a save's event says: how many figures it changed."""
    return _("修改 %(n)s 项") % {"n": changed}


def _touch(report, user):
    MonthlyReport.objects.filter(pk=report.pk).update(
        version=F("version") + 1, updated_at=timezone.now(), updated_by=user
    )
    report.refresh_from_db(fields=["version", "updated_at", "updated_by"])


# --- checks before submit --------------------------------------------------------------------------------------


def previous_values(report):
    """{code: value} of the same unit and work line's report of the month before (one query)."""
    rows = ReportValue.objects.filter(
        report__unit=report.unit, report__work_line=report.work_line, report__month=periods.add_months(report.month, -1)
    ).values_list("indicator__code", "value")
    return dict(rows)


def approved_history(report):
    """{code: [approved figures]} of this unit and work line in the months before the report's (one query): the
    outlier check's baseline."""
    since = periods.add_months(report.month, -checks.OUTLIER_HISTORY_MONTHS)
    rows = ReportValue.objects.filter(
        report__unit=report.unit, report__work_line=report.work_line, report__status=Status.APPROVED,
        report__month__gte=since, report__month__lt=report.month, approved_value__isnull=False,
    ).values_list("indicator__code", "approved_value")  # fmt: skip
    history = {}
    for code, value in rows:
        history.setdefault(code, []).append(value)
    return history


def report_problems(report):
    """(errors, flags): errors block submitting; flags are outliers shown to the reviewer."""
    specs = specs_for(report.unit, report.work_line)
    values = {code: row.value for code, row in values_by_code(report).items()}
    return checks.problems(specs, values, previous_values(report), approved_history(report))


@transaction.atomic
def report_submit(*, report, user, version=None):
    ensure_can_act_on_unit(user, report.unit, CHANGE)
    report = _lock_report(report, version)
    if not report.is_editable:
        raise ValidationError(_("该月报%(status)s，不能再提交。") % {"status": report.get_status_display()})
    report_refresh_derived(report=report)
    errors, flags = report_problems(report)
    if errors:
        raise ValidationError({problem.code: problem.message for problem in errors})
    rows = values_by_code(report)
    for code, row in rows.items():
        row.flag = flags.get(code, "")
    ReportValue.objects.bulk_update(rows.values(), ["flag"])
    action = ReportEvent.Action.RESUBMIT if report.status == Status.RETURNED else ReportEvent.Action.SUBMIT
    report.status = Status.SUBMITTED
    report.submitted_at = report.submitted_at or timezone.now()
    report.return_reason = ""
    report.save(update_fields=["status", "submitted_at", "return_reason"])
    _touch(report, user)
    ReportEvent.objects.create(report=report, action=action, user=user)
    return report


# --- review ----------------------------------------------------------------------------------------------------


def ensure_can_review(user, report):
    if not can_act_on_unit(user, report.unit, REVIEW):
        raise PermissionDenied(_("您无权审核“%(unit)s”的月报。") % {"unit": report.unit})


@transaction.atomic
def report_approve(*, report, user):
    """Approve a submitted report (or re-approve one changed since approval): freeze every value, then roll up."""
    ensure_can_review(user, report)
    report = _lock_report(report, None)
    # The reviewer saw the derived figures counted afresh (a page shows them without storing them): store them, and
    # with them "changed since approval", so the approval freezes what he saw.
    report_refresh_derived(report=report)
    re_approval = report.status == Status.APPROVED and report.changed_since_approval
    if report.status != Status.SUBMITTED and not re_approval:
        raise ValidationError(
            _("只有已提交的月报可以审核通过（当前：%(status)s）。") % {"status": report.get_status_display()}
        )
    report.values.update(approved_value=F("value"))
    report.status = Status.APPROVED
    report.approved_at, report.approved_by = timezone.now(), user
    report.changed_since_approval = False
    report.save(update_fields=["status", "approved_at", "approved_by", "changed_since_approval"])
    _touch(report, user)
    ReportEvent.objects.create(report=report, action=ReportEvent.Action.APPROVE, user=user)
    enqueue_rollup(report)
    return report


@transaction.atomic
def report_return(*, report, user, reason):
    ensure_can_review(user, report)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("退回时必须填写原因。")})
    report = _lock_report(report, None)
    if report.status != Status.SUBMITTED:
        raise ValidationError(
            _("只有已提交的月报可以退回（当前：%(status)s）。") % {"status": report.get_status_display()}
        )
    report.status, report.return_reason = Status.RETURNED, reason
    report.save(update_fields=["status", "return_reason"])
    _touch(report, user)
    ReportEvent.objects.create(report=report, action=ReportEvent.Action.RETURN, user=user, reason=reason)
    notify_unit_secretaries(
        report,
        _("%(report)s 被退回：%(reason)s") % {"report": report, "reason": reason},
        key=f"return-{report.pk}-{report.version}",
    )
    return report


@transaction.atomic
def report_unlock(*, report, user, reason):
    """An admin reopens an approved report; it leaves the roll-ups until it is approved again."""
    if not is_admin(user):
        raise PermissionDenied(_("只有系统管理员可以解锁已审核的月报。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("解锁时必须填写原因。")})
    report = _lock_report(report, None)
    if report.status != Status.APPROVED:
        raise ValidationError(_("只有已审核的月报需要解锁。"))
    report.status, report.return_reason = Status.RETURNED, _("管理员解锁：%(reason)s") % {"reason": reason}
    report.save(update_fields=["status", "return_reason"])
    _touch(report, user)
    ReportEvent.objects.create(report=report, action=ReportEvent.Action.UNLOCK, user=user, reason=reason)
    enqueue_rollup(report)
    return report


def reports_bulk_approve(*, reports, user):
    """Approve every clean report among `reports` (submitted, no outlier flags); return (approved, skipped)."""
    approved, skipped = [], []
    for report in reports:
        if report.status != Status.SUBMITTED or report.values.exclude(flag="").exists():
            skipped.append(report)
            continue
        try:
            approved.append(report_approve(report=report, user=user))
        except ValidationError:  # approved or returned by another reviewer since this list was read
            skipped.append(report)
    return approved, skipped


# --- the monthly jobs ------------------------------------------------------------------------------------------


def reporting_units():
    return Unit.objects.filter(kind__in=(Unit.Kind.TOWN, *Unit.VILLAGE_KINDS))


def open_month_drafts(month):
    """Open a draft for every reporting unit and work line that has indicators, derived figures filled."""
    opened = 0
    for unit in reporting_units():
        for work_line, _label in settings.WORK_LINES:
            if (
                specs_for(unit, work_line)
                and not MonthlyReport.objects.filter(unit=unit, work_line=work_line, month=month).exists()
            ):
                report_open(unit=unit, work_line=work_line, month=month)
                opened += 1
    return opened


REFRESH_MONTHS = 13  # the nightly recount covers this month and the twelve before


def reports_refresh_derived(*, since=None):
    """Recount the derived figures of every report from `since` (by default twelve months back) and store them:
    an approved report whose ledgers moved is marked "changed since approval" and enters the review queue. Pages
    only show the recount (a GET writes nothing), so this nightly job is what stores it between two saves. Returns
    how many reports changed."""
    since = since or periods.add_months(periods.current_month(), 1 - REFRESH_MONTHS)
    refreshed = 0
    for report in MonthlyReport.objects.filter(month__gte=since).select_related("unit").order_by("pk").iterator():
        with transaction.atomic():
            # Under the report's lock, as an approval takes it: an approval meanwhile must not be flagged from the
            # figures it replaced.
            locked = _lock_report(report, None)
            locked.unit = report.unit
            was_flagged = locked.changed_since_approval
            if report_refresh_derived(report=locked) or locked.changed_since_approval != was_flagged:
                refreshed += 1
    return refreshed


def notify_unit_secretaries(report, message, key):
    from django.urls import reverse

    url = reverse("reports:entry", args=[report.unit_id, report.work_line, report.month_key])
    for user in User.objects.filter(role=User.Role.SECRETARY, unit=report.unit, is_active=True):
        Notification.objects.get_or_create(user=user, key=key, defaults={"message": message[:300], "url": url})


def send_reminders(today=None):
    """Remind secretaries of last month's reports not yet submitted: from two days before the deadline, and again
    once it has passed. Each reminder is sent once."""
    today = today or timezone.localdate()
    month = periods.last_complete_month(today)
    deadline = deadline_for(month)
    if (deadline - today).days > 2:
        return 0
    late = today > deadline
    sent = 0
    for unit in reporting_units():
        for work_line, label in settings.WORK_LINES:
            if not specs_for(unit, work_line):
                continue
            report = MonthlyReport.objects.filter(unit=unit, work_line=work_line, month=month).first()
            if report is not None and not report.is_editable:
                continue
            if report is None:
                report = report_open(unit=unit, work_line=work_line, month=month)
            stage = "late" if late else "due"
            message = (
                _("%(month)s %(line)s月报已逾期（截止 %(deadline)s），请尽快提交。")
                if late
                else _("%(month)s %(line)s月报将于 %(deadline)s 截止，请按时提交。")
            ) % {"month": periods.month_key(month), "line": label, "deadline": deadline.strftime("%m月%d日")}
            notify_unit_secretaries(report, message, key=f"{stage}-{report.pk}")
            sent += 1
    return sent


def notification_mark_read(*, user, notification_ids):
    Notification.objects.filter(user=user, pk__in=notification_ids, read_at__isnull=True).update(read_at=timezone.now())
