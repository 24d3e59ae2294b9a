"""Month and year close (as DHIS2 closes approved periods): the guard every ledger write passes through, an admin's
year close, and the nightly check.

- A ledger row dated in a month whose report is approved is changed (or deleted, or added) only with a reason; the
  change goes through the ledger's own service (branches' record_save / record_delete), which asks this guard, and in
  the same transaction the month's report is recounted and marked "changed since approval" with the reason in its
  log; the row's own history keeps the old and new values with the reason (django-simple-history).
- A year an admin closed for a town: only an admin, with a reason, changes its rows.
- Nightly (`reports.tasks.check_closed_months`): every approved month of the current year is recounted; a drift the
  services missed (a workflow step, a bulk write) is flagged, logged and told to the admins."""

import logging
from datetime import date
from itertools import groupby

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.closing import REASON_MAX_LENGTH, register_period_guard
from branches.models import Unit
from branches.scoping import ensure_can_act_on_unit, is_admin

from .. import periods
from ..models import ClosedYear, MonthlyReport, ReportEvent
from ..monthly.selectors import stale_reports
from ..monthly.services import refresh_under_lock, report_mark_changed
from ..notifications.services import notify_admins
from .selectors import closed_periods_of

logger = logging.getLogger(__name__)


def _names(reports):
    shown = "、".join(f"{report.unit} {report.month:%Y年%-m月}" for report in reports[:3])
    return shown + (_(" 等 %(n)s 份") % {"n": len(reports)} if len(reports) > 3 else "")


def _years(closed):
    return "、".join(sorted({_("%(unit)s %(year)s年") % {"unit": c.unit, "year": c.year} for c in closed}))


class MonthCloseGuard:
    """The reporting core's period guard (branches.closing), registered in reports.apps."""

    def check(self, change):
        model = type(change.instance)
        rows = [change.old] if change.deleting else [change.old, change.instance]
        line, reports, closed = closed_periods_of(rows, model, change.dating_fields())
        if line is None:
            return None
        if closed:
            if not is_admin(change.user):
                raise ValidationError(
                    _("%(years)s已关账，只有系统管理员可以修改其中的台账记录。") % {"years": _years(closed)},
                    code="closed",
                )
            if not change.reason:
                raise ValidationError(
                    {"reason": _("%(years)s已关账，修改须填写原因。") % {"years": _years(closed)}}, code="closed"
                )
        if not reports:
            return None
        if not change.reason:
            raise ValidationError(
                {"reason": _("该记录属于已审核的月报（%(reports)s），修改须填写原因。") % {"reports": _names(reports)}},
                code="reason",
            )
        what = _what(change)

        def mark():
            for report in reports:
                report_mark_changed(report=report, user=change.user, reason=what)

        return mark

    def closed(self, instance):
        _line, reports, closed = closed_periods_of([instance], type(instance))
        parts = []
        if closed:
            parts.append(_("%(years)s已关账") % {"years": _years(closed)})
        if reports:
            parts.append(_("属于已审核的月报（%(reports)s）") % {"reports": _names(reports)})
        return "，".join(parts)


def _what(change):
    row = change.old if change.old is not None else change.instance
    verb = _("删除") if change.deleting else (_("修改") if change.old is not None else _("新增"))
    return _("%(verb)s%(model)s“%(row)s”：%(reason)s") % {
        "verb": verb, "model": type(change.instance)._meta.verbose_name, "row": row, "reason": change.reason,
    }  # fmt: skip


GUARD = MonthCloseGuard()


def register_guard():
    register_period_guard(GUARD)


# --- the year close ---------------------------------------------------------------------------------------------


@transaction.atomic
def year_close(*, user, town, year, reason=""):
    """An admin closes a town's year: from then on only an admin, with a reason, changes its ledger rows."""
    if not is_admin(user):
        raise PermissionDenied(_("只有系统管理员可以关账。"))
    ensure_can_act_on_unit(user, town)
    if town.kind != Unit.Kind.TOWN:
        raise ValidationError({"town": _("只能按镇关账。")})
    if year > periods.current_month().year:
        raise ValidationError({"year": _("不能关闭未来的年度。")})
    if ClosedYear.objects.filter(unit=town, year=year).exists():
        raise ValidationError({"year": _("%(town)s %(year)s年已经关账。") % {"town": town, "year": year}})
    closed = ClosedYear(unit=town, year=year, closed_by=user, reason=(reason or "").strip())
    closed._history_user = user
    closed._change_reason = closed.reason[:REASON_MAX_LENGTH] or None
    closed.save()
    return closed


@transaction.atomic
def year_reopen(*, user, closed_year, reason):
    """An admin reopens a town's closed year, saying why: its rows are then guarded by the month close alone (an
    approved month still asks a reason). The close's history keeps who reopened it, when and why."""
    if not is_admin(user):
        raise PermissionDenied(_("只有系统管理员可以重新开账。"))
    ensure_can_act_on_unit(user, closed_year.unit)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("重新开账须填写原因。")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": _("原因不能超过 %(n)s 个字。") % {"n": REASON_MAX_LENGTH}})
    closed_year._history_user = user
    closed_year._change_reason = reason
    closed_year.delete()
    logger.info("重新开账：%s %s年，%s：%s", closed_year.unit, closed_year.year, user, reason)
    return closed_year


# --- the nightly check ------------------------------------------------------------------------------------------


def approved_months_check(year=None):
    """Recount every approved month of `year` (by default the current one) from the ledgers: a report whose figures
    moved from what its approval froze without being marked (a change the services missed) is marked now, logged,
    and the admins are told. Returns the reports newly marked."""
    year = year or periods.current_month().year
    reports = (
        MonthlyReport.objects.filter(status=MonthlyReport.Status.APPROVED, month__gte=date(year, 1, 1),
                                     month__lt=date(year + 1, 1, 1))
        .select_related("unit")
        .order_by("unit_id", "work_line", "month")
    )  # fmt: skip
    checked, found = 0, []
    for _key, group in groupby(reports.iterator(), key=lambda report: (report.unit_id, report.work_line)):
        group = list(group)
        checked += len(group)
        for report in stale_reports(group):
            was_flagged = report.changed_since_approval
            refresh_under_lock(report)
            report.refresh_from_db(fields=["changed_since_approval"])
            if report.changed_since_approval and not was_flagged:
                ReportEvent.objects.create(report=report, action=ReportEvent.Action.DRIFT,
                                           reason=_("台账在审核后变动，未经修改原因登记"))  # fmt: skip
                found.append(report)
    logger.info("月结核查：%s年已审核月报 %s 份，新发现审核后台账变动 %s 份%s", year, checked, len(found),
                "：" + "、".join(str(report) for report in found[:20]) if found else "")  # fmt: skip
    if found:
        _tell_admins(year, found)
    return found


def _tell_admins(year, found):
    message = _("夜间核查：%(year)s年有 %(n)s 份已审核月报的台账在审核后变动，已标记待重新审核：%(reports)s") % {
        "year": year, "n": len(found), "reports": "、".join(str(report) for report in found[:5]),
    }  # fmt: skip
    notify_admins(message, key=f"drift-{timezone.localdate():%Y-%m-%d}", url=reverse("reports:review"))
