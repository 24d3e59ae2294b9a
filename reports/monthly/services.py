"""Writes of the monthly report workflow: reports opened, filled, submitted, reviewed (one by one or in bulk) and
unlocked, derived figures stored. Views, the API, the Excel import and the tasks all call these; the reads they need
are in selectors.py, the roll-up they set off in reports/rollup/services.py."""

import logging
from itertools import groupby

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from branches.scoping import CHANGE, REVIEW, can_act_on_unit, ensure_can_act_on_unit, is_admin

from .. import checks, periods, worklines
from ..models import Indicator, MonthlyReport, ReportEvent, ReportValue
from ..notifications.services import notify_unit_secretaries
from ..rollup.services import enqueue_rollup
from .selectors import (
    check_reportable,
    derived_figures,
    moved_since_approval,
    report_problems,
    reporting_units,
    specs_for,
    stale_reports,
    values_by_code,
)

logger = logging.getLogger(__name__)
Status = MonthlyReport.Status


class ConflictError(ValidationError):
    """Someone else saved the report since this user loaded it. `report` is the report as it is now (its version and
    who saved it), so a caller can show both values: what the user typed and what was saved meanwhile."""

    def __init__(self, message, code=None, params=None, report=None):
        super().__init__(message, code=code, params=params)
        self.report = report


# --- indicators and schedules ----------------------------------------------------------------------------------


# --- opening a report ------------------------------------------------------------------------------------------


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
    if report.status == Status.APPROVED and not report.changed_since_approval and moved_since_approval(report, rows):
        # Only raised here: once marked (a recount, or a ledger change made with a reason), only a re-approval clears
        # the mark, even if the figures later move back.
        report.changed_since_approval = True
        report.save(update_fields=["changed_since_approval"])
    return changed


def report_mark_changed(*, report, user, reason):
    """A ledger row counted in this approved report changed (with a reason; reports/close): recount its derived
    figures and mark it "changed since approval" at once, in the caller's transaction, with the reason in its log.
    It enters the review queue and the dashboard's exceptions until it is approved again."""
    locked = _lock_report(report, None)
    locked.unit = report.unit
    report_refresh_derived(report=locked)
    if not locked.changed_since_approval:
        locked.changed_since_approval = True
        locked.save(update_fields=["changed_since_approval"])
    ReportEvent.objects.create(report=locked, action=ReportEvent.Action.LEDGER, user=user, reason=reason)
    return locked


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
            report=locked,
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


BALANCE_NOTE_MAX = 2000


def clean_balance_note(note):
    """The secretary's explanation of a balance break, stripped, or a Chinese refusal."""
    note = (note or "").strip() if isinstance(note, str) or note is None else None
    if note is None:
        raise ValidationError({"balance_note": _("“不平衡说明”必须是文字。")})
    if len(note) > BALANCE_NOTE_MAX:
        raise ValidationError({"balance_note": _("“不平衡说明”不能超过 %(n)s 字。") % {"n": BALANCE_NOTE_MAX}})
    return note


def _set_balance_note(report, note):
    """Store the explanation (None: leave it as it is); whether it changed."""
    if note is None:
        return False
    note = clean_balance_note(note)
    if note == report.balance_note:
        return False
    report.balance_note = note
    report.save(update_fields=["balance_note"])
    return True


@transaction.atomic
def report_save_values(*, report, user, values, version=None, action=ReportEvent.Action.SAVE, balance_note=None):
    """Save entered figures of a draft or returned report, and its 不平衡说明 when given. Bad input saves nothing; a
    stale version is refused."""
    ensure_can_act_on_unit(user, report.unit, CHANGE)
    report = _lock_report(report, version)
    if not report.is_editable:
        raise ValidationError(
            _("该月报%(status)s，不能修改。") % {"status": report.get_status_display()}, code="locked"
        )
    cleaned = parse_values(report, values)
    note_changed = _set_balance_note(report, balance_note)
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
    reason = saved_reason(len(changed))
    if note_changed:
        reason += _("，修改不平衡说明")
    ReportEvent.objects.create(report=report, action=action, user=user, reason=reason)
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


@transaction.atomic
def report_submit(*, report, user, version=None, balance_note=None):
    """Submit a draft or returned report (with its 不平衡说明, when given) once it passes checks.problems."""
    ensure_can_act_on_unit(user, report.unit, CHANGE)
    report = _lock_report(report, version)
    if not report.is_editable:
        raise ValidationError(_("该月报%(status)s，不能再提交。") % {"status": report.get_status_display()})
    _set_balance_note(report, balance_note)
    report_refresh_derived(report=report)
    errors, flags = report_problems(report)
    if errors:
        raise ValidationError({problem.code: problem.message for problem in errors})
    rows = values_by_code(report)
    for code, row in rows.items():
        row.flag = flags.get(code, "")[: ReportValue._meta.get_field("flag").max_length]
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


def open_month_drafts(month):
    """Open a draft for every reporting unit and work line that has indicators, derived figures filled."""
    opened = 0
    for unit in reporting_units():
        for work_line in worklines.codes():
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
    reports = MonthlyReport.objects.filter(month__gte=since).select_related("unit")
    refreshed = 0
    for _line, group in groupby(reports.order_by("unit_id", "work_line", "month").iterator(),
                                key=lambda report: (report.unit_id, report.work_line)):  # fmt: skip
        for report in stale_reports(list(group)):
            refreshed += refresh_under_lock(report)
    return refreshed


def refresh_under_lock(report):
    """Store one report's recount; 1 if that changed anything."""
    with transaction.atomic():
        # Under the report's lock, as an approval takes it: an approval meanwhile must not be flagged from the
        # figures it replaced.
        locked = _lock_report(report, None)
        locked.unit = report.unit
        was_flagged = locked.changed_since_approval
        changed = report_refresh_derived(report=locked) or locked.changed_since_approval != was_flagged
    return int(bool(changed))


