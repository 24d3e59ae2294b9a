"""Pages of 支部建设 of their own; the ledgers' lists, details and edits are derived from ledgers.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.closing import set_reason
from branches.generic_views import add_errors, user_can_write_somewhere
from branches.models import Unit
from branches.scoping import CHANGE, VIEW
from reports.plugins import PeriodError, add_months, current_month, month_key, parse_month

from . import forms, selectors, services

# --- meetings (三会一课, 主题党日, 组织生活会) ------------------------------------------------------------------------


def _id(text):
    """An id typed in a query (a database integer), or None for anything else."""
    text = str(text or "")
    return int(text) if text.isdigit() and int(text) < 2**31 else None


def _organisation_for(request):
    """The organisation whose meeting is being recorded: `?organisation=` (or the form's), else the only one the user
    may change (a secretary's branch); None while he has several to choose from."""
    organisations = selectors.organisation_list(request.user, CHANGE)
    chosen = request.POST.get("organisation") or request.GET.get("organisation")
    if chosen:
        pk = _id(chosen)
        return organisations, organisations.filter(pk=pk).first() if pk else None
    only = list(organisations[:2])
    return organisations, only[0] if len(only) == 1 else None


@login_required
def meeting_record(request):
    """Record a meeting with every member's attendance in one go: one page, one row per member with big buttons,
    made for the secretary's phone."""
    if not user_can_write_somewhere(request.user):
        raise PermissionDenied(_("您没有登记组织生活的权限。"))
    organisations, organisation = _organisation_for(request)
    initial = {"organisation": organisation, "held_on": timezone.localdate(), "kind": request.GET.get("kind")}
    form = forms.MeetingForm(request.POST or None, user=request.user, initial=initial)
    if organisation is not None:  # the rows below are this organisation's members: another is picked afresh
        form.fields["organisation"].queryset = organisations.filter(pk=organisation.pk)
        form.fields["organisation"].empty_label = None
    members = selectors.members_for(organisation) if organisation is not None else []
    rows = forms.AttendanceRowsForm(request.POST or None, members=members, prefix="att")
    status = 200
    if request.method == "POST":
        if form.is_valid() and rows.is_valid():
            try:
                meeting = set_reason(form.save(commit=False), rows.cleaned_data["change_reason"])
                meeting = services.meeting_save(user=request.user, instance=meeting, attendance=rows.attendance())
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("已登记：%(meeting)s") % {"meeting": meeting})
                return redirect("partylife:meeting_detail", meeting.pk)
        status = 400
    context = {"form": form, "rows": rows, "organisation": organisation, "organisations": organisations,
               "meeting": None}  # fmt: skip
    return render(request, "partylife/meeting_record.html", context, status=status)


@login_required
def meeting_attendance(request, pk):
    """Record (or correct) the attendance of a meeting already recorded."""
    meeting = get_object_or_404(selectors.meeting_list(request.user, CHANGE), pk=pk)
    existing = {row.member_id: row for row in selectors.attendance_of(meeting)}
    members = selectors.members_for(meeting.organisation, meeting)
    rows = forms.AttendanceRowsForm(request.POST or None, members=members, existing=existing, prefix="att")
    status = 200
    if request.method == "POST":
        if rows.is_valid():
            try:
                set_reason(meeting, rows.cleaned_data["change_reason"])
                services.meeting_attendance_save(user=request.user, meeting=meeting, rows=rows.attendance())
            except ValidationError as error:
                add_errors(rows, error)
            else:
                messages.success(request, _("参会情况已保存。"))
                return redirect("partylife:meeting_detail", meeting.pk)
        status = 400
    context = {"form": None, "rows": rows, "organisation": meeting.organisation, "meeting": meeting}
    return render(request, "partylife/meeting_record.html", context, status=status)


def _requested_month(request):
    try:
        return parse_month(request.GET["month"]) if request.GET.get("month") else current_month()
    except PeriodError as error:
        messages.error(request, str(error))
        return current_month()


def _requested_unit(request):
    """`?under=` a unit the user may see (None: all he may see)."""
    under = request.GET.get("under", "")
    if not under:
        return None
    if _id(under) is None:
        raise Http404(_("没有这个单位。"))
    return get_object_or_404(Unit.objects.restrict(request.user, VIEW), pk=_id(under))


@login_required
def meeting_calendar(request):
    """A month of meetings, day by day, for the organisations the user may see."""
    month = _requested_month(request)
    organisation = None
    if request.GET.get("organisation"):
        pk = _id(request.GET["organisation"])
        organisation = get_object_or_404(selectors.organisation_list(request.user), pk=pk) if pk else None
    context = {
        "month": month,
        "previous": month_key(add_months(month, -1)),
        "next": month_key(add_months(month, 1)) if add_months(month, 1) <= current_month() else None,
        "weeks": selectors.calendar_weeks(request.user, month, organisation),
        "weekdays": [_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日")],
        "organisation": organisation,
        "organisations": selectors.organisation_list(request.user),
        "today": timezone.localdate(),
    }
    return render(request, "partylife/calendar.html", context)


@login_required
def absences(request):
    """Members absent without leave from their last three meetings: the follow-up list (谈心谈话)."""
    under = _requested_unit(request)
    streaks = selectors.absent_streaks(request.user, under)
    return render(request, "partylife/absences.html", {"streaks": streaks, "under": under,
                                                       "streak": selectors.STREAK})  # fmt: skip


@login_required
def rhythm(request):
    """三会一课 执行情况: each organisation the user may see and the statutory meetings it missed in the last complete
    month, quarter and year (the branches behind first)."""
    under = _requested_unit(request)
    today = timezone.localdate()
    rows = selectors.rhythm_rows(request.user, today, under)
    context = {"rows": rows, "under": under, "today": today, "behind": sum(1 for _org, missed in rows if missed),
               "rules": selectors.rule_rows()}  # fmt: skip
    return render(request, "partylife/rhythm.html", context)


# (end of meetings)

# --- dues, 民主评议, 发展党员, 换届 ----------------------------------------------------------------------------------
# (end of dues, 民主评议, 发展党员, 换届)

# --- 党员先锋积分 ---------------------------------------------------------------------------------------------------
# (end of points)
