"""Pages of the monthly reports: the work-line page, the entry form, review queue, completeness and roll-up reports.

Views are thin: they resolve what the user may see, call a selector or a service, and render.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from branches.models import Unit
from branches.offline import offline_page
from branches.params import next_url
from branches.scoping import CHANGE, REVIEW, VIEW, can_act_on_unit, has_no_unit, is_admin
from branches.selectors import own_unit

from .. import cache, periods, worklines
from ..models import MonthlyReport
from ..pages import chosen_unit, month_choices, period_choices, requested_month, visible_unit
from . import selectors, services
from .excel import exports

# --- helpers ----------------------------------------------------------------------------------------------------


def check_work_line(work_line):
    if not worklines.is_work_line(work_line):
        raise Http404(_("没有这条工作线。"))


def entry_url(report):
    return reverse("reports:entry", args=[report.unit_id, report.work_line, report.month_key])


# --- work-line landing --------------------------------------------------------------------------------------------


@login_required
def work_line(request, work_line):
    """A work line's page: this period's figures for the user's unit and his reports of the line."""
    check_work_line(work_line)
    unit = own_unit(request.user)
    if unit is None and not has_no_unit(request.user):
        raise Http404(_("还没有任何组织单位"))
    try:
        period = periods.parse_period(request.GET.get("period") or f"{periods.current_month().year}-YTD")
    except periods.PeriodError as error:
        messages.error(request, str(error))
        period = periods.parse_period(f"{periods.current_month().year}-YTD")
    context = {
        "work_line": work_line,
        "label": selectors.work_line_label(work_line),
        "unit": unit,
        "period": period,
        "rows": selectors.summary(unit, period, work_line) if unit is not None else [],
        "month": periods.last_complete_month(),
        "pages": worklines.pages_for(work_line, request.user),
        "reporting_units": [
            u for u in selectors.visible_reporting_units(request.user) if selectors.specs_for(u, work_line)
        ][:50],
    }
    return render(request, "reports/work_line.html", context)


# --- the monthly entry form ---------------------------------------------------------------------------------------


@login_required
@offline_page
def entry(request, unit_id, work_line, month):
    """One unit × work line × month: figures to type, derived figures with the rows behind them, the workflow.

    A GET writes nothing: it shows the report with its derived figures counted afresh, or, before anyone saved it, a
    draft for whoever may fill it in. The first POST creates it."""
    unit = visible_unit(request.user, unit_id)
    check_work_line(work_line)
    may_change = can_act_on_unit(request.user, unit, CHANGE)
    try:
        month_date = periods.parse_month(month)
        if may_change:
            selectors.check_reportable(unit, work_line, month_date)
    except (periods.PeriodError, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("home")
    if request.method != "POST":
        shown = selectors.report_as_shown(unit, work_line, month_date, unsaved_draft=may_change)
        if shown is None:
            raise Http404(_("该月报还没有建立。"))
        report, values = shown
        return _render_entry(request, report, {}, values=values)
    if may_change:
        report = services.report_open(unit=unit, work_line=work_line, month=month_date)
    else:  # the services refuse what he posts; nothing is opened or recounted for him
        report = get_object_or_404(MonthlyReport, unit=unit, work_line=work_line, month=month_date)
    errors = _handle_entry_post(request, report)
    if not errors:
        return redirect(entry_url(report))
    report.refresh_from_db()
    return _render_entry(request, report, errors, status=400)


def _handle_entry_post(request, report):
    """Save (and submit, if asked) what was typed; return field errors, or {} when all went well."""
    values = {key[2:]: value for key, value in request.POST.items() if key.startswith("v:")}
    version = request.POST.get("version")
    note = request.POST.get("balance_note")  # None when the form had no 不平衡说明 box
    try:
        if (values or note is not None) and report.is_editable:
            services.report_save_values(report=report, user=request.user, values=values, version=version,
                                        balance_note=note)  # fmt: skip
            version = None
        if request.POST.get("action") == "submit":
            services.report_submit(report=report, user=request.user, version=version)
            messages.success(request, _("已提交，等待审核。"))
        else:
            messages.success(request, _("已保存草稿。"))
    except ValidationError as error:
        request._typed_values = values
        request._typed_note = note
        if hasattr(error, "error_dict"):
            return {code: " ".join(messages_) for code, messages_ in error.message_dict.items()}
        return {"": " ".join(error.messages)}
    return {}


def _render_entry(request, report, errors, status=200, values=None):
    user = request.user
    breaks = selectors.balance_breaks(report, values)
    context = {
        "report": report,
        "rows": selectors.entry_rows(report, values),
        "balance_breaks": breaks,
        "balance_by_code": {item.code: item.equation for item in breaks},
        "typed_note": getattr(request, "_typed_note", None),
        "typed": getattr(request, "_typed_values", {}),
        "errors": errors,
        "general_error": errors.get(""),
        "events": selectors.report_events(report),
        "value_history": selectors.value_history(report),
        "can_edit": report.is_editable and can_act_on_unit(user, report.unit, CHANGE),
        "can_review": can_act_on_unit(user, report.unit, REVIEW),
        "can_unlock": is_admin(user) and report.status == MonthlyReport.Status.APPROVED,
        "deadline": periods.deadline_for(report.month),
        "previous_month": periods.month_key(periods.add_months(report.month, -1)),
        "next_month": periods.month_key(periods.add_months(report.month, 1))
        if periods.add_months(report.month, 1) <= periods.current_month()
        else None,
        "unit_work_lines": selectors.work_lines_for(report.unit),
    }
    return render(request, "reports/entry.html", context, status=status)


@login_required
@require_POST
def review_action(request, unit_id, work_line, month, action):
    """approve / return / unlock one report, then back to where the reviewer came from."""
    unit = visible_unit(request.user, unit_id)
    report = get_object_or_404(MonthlyReport, unit=unit, work_line=work_line, month=periods.parse_month(month))
    handlers = {
        "approve": lambda: services.report_approve(report=report, user=request.user),
        "return": lambda: services.report_return(report=report, user=request.user, reason=request.POST.get("reason")),
        "unlock": lambda: services.report_unlock(report=report, user=request.user, reason=request.POST.get("reason")),
    }
    if action not in handlers:
        raise Http404
    try:
        handlers[action]()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = {"approve": _("已审核通过：%(r)s"), "return": _("已退回：%(r)s"), "unlock": _("已解锁：%(r)s")}
        messages.success(request, done[action] % {"r": report})
    return redirect(next_url(request, entry_url(report)))


# --- review queue and completeness ----------------------------------------------------------------------------------

REVIEW_STATE_LABELS = (("submitted", _lazy("待审核")), ("changed", _lazy("台账有变动、待重新审核")))


@login_required
def review_queue(request):
    """Submitted reports for this reviewer, by month; bulk-approve the clean ones, open any to return it."""
    month = requested_month(request, default=None) if request.GET.get("month") else None
    work_line = request.GET.get("work_line") or None
    state = request.GET.get("state") if request.GET.get("state") in selectors.REVIEW_STATES else None
    queue = selectors.review_queue(request.user, month=month, work_line=work_line, state=state)
    if request.method == "POST":
        chosen = queue.filter(pk__in=request.POST.getlist("report"))
        approved, skipped = services.reports_bulk_approve(reports=list(chosen), user=request.user)
        messages.success(request, _("已审核通过 %(n)s 份月报。") % {"n": len(approved)})
        if skipped:
            messages.warning(request, _("%(n)s 份有异常提示或状态已变，未批量通过，请逐份查看。") % {"n": len(skipped)})
        return redirect(request.get_full_path())
    context = {
        "queue": queue,
        "month": month,
        "work_line": work_line,
        "state": state,
        "states": REVIEW_STATE_LABELS,
        "months": month_choices(),
    }
    return render(request, "reports/review.html", context)


@login_required
def completeness(request):
    month = requested_month(request)
    context = {"month": month, "months": month_choices(), **selectors.completeness(request.user, month)}
    return render(request, "reports/completeness.html", context)


# --- roll-up reports -----------------------------------------------------------------------------------------------


@login_required
def summary(request):
    """Choose a unit and a period: one table per work line, drill-down to the units below, Excel and print."""
    user = request.user
    unit = chosen_unit(user, request.GET.get("unit"))
    try:
        period = periods.parse_period(request.GET.get("period") or f"{periods.current_month().year}-YTD")
    except periods.PeriodError as error:
        messages.error(request, str(error))
        period = periods.parse_period(f"{periods.current_month().year}-YTD")
    lines = worklines.codes()
    selected = request.GET.get("work_line")
    if selected in lines:
        lines = [selected]
    if request.GET.get("export") == "xlsx":
        return exports.summary_workbook(unit, period, selectors.summary_tables(user, unit, period, lines))

    def context():
        return {
            "unit": unit,
            "period": period,
            "tables": selectors.summary_tables(user, unit, period, lines),
            "ancestors": [a for a in Unit.objects.get_ancestors(unit) if can_act_on_unit(user, a, VIEW)],
            "period_choices": period_choices(period),
            "selected_line": selected,
            "print": request.GET.get("print") == "1",
        }

    # The body as rendered for this reader and address, until the next roll-up or write (its report states are live).
    key = cache.keys_for(unit).live_key("summary-page", user, request.get_full_path())
    body = cache.rendered(key, "reports/_summary_body.html", context, request)
    return render(request, "reports/summary.html", {"unit": unit, "period": period, "body": body})
