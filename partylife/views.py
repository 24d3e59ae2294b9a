"""Pages of 支部建设 of their own; the ledgers' lists, details and edits are derived from ledgers.py."""


from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.calendars import CalendarFilter, month_calendar
from branches.closing import set_reason
from branches.exports import rows_to_workbook, workbook_response
from branches.generic_views import add_errors, user_can_write_somewhere
from branches.models import PartyMember, PartyOrganisation, Unit
from branches.params import parse_id, query_id, query_text
from branches.scoping import CHANGE, VIEW, is_admin
from reports.plugins import PeriodError, add_months, current_month, month_key, parse_month, periods, point_sources

from . import forms, selectors, services
from .forms import HandoverForm
from .models import Applicant, Appraisal, Meeting, PointRule

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
    if not user_can_write_somewhere(request.user, Meeting):
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
    organisations = selectors.organisation_list(request.user)
    choice = CalendarFilter("organisation", _("党组织"), _("全部党组织"), organisations, organisation)
    weeks = selectors.calendar_weeks(request.user, month, organisation)
    context = month_calendar(month, weeks, choice, future=False)
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


# --- dues, 民主评议, 发展党员, 换届 ----------------------------------------------------------------------------------


def _month_from(request, default):
    """The `?month=YYYY-MM` asked for (a bad one is said, and the default shown)."""
    if request.GET.get("month"):
        try:
            return periods.parse_month(request.GET["month"])
        except periods.PeriodError as error:
            messages.error(request, str(error))
    return default


def _recent_months(count=24):
    return [periods.add_months(periods.current_month(), -offset) for offset in range(count)]


def _under(request):
    """The unit of `?under=` the user may see (None: everything he sees)."""
    under = request.GET.get("under", "")
    if under.isdigit() and len(under) < 10:
        return get_object_or_404(Unit.objects.restrict(request.user, VIEW), pk=under)
    return None


@login_required
def dues_overview(request):
    """党费收缴: per branch the month's members owing dues, those paid in full, the collection rate, and the members
    in arrears with their flag (three months unpaid: yellow; six running: red, 视为自行脱党)."""
    month = _month_from(request, selectors.arrears_month())
    unit = _under(request)
    branches = selectors.dues_overview(request.user, month, unit)
    context = {"month": month, "months": _recent_months(), "branches": branches, "unit": unit,
               "red": sum(1 for b in branches for a in b.arrears if a.red),
               "flagged": sum(1 for b in branches for a in b.arrears if a.flagged)}  # fmt: skip
    return render(request, "partylife/dues_overview.html", context)


@login_required
def dues_entry(request):
    """党费登记: a branch's month on one page, phone-sized — due, paid, the day, and months paid ahead."""
    organisations = PartyOrganisation.objects.restrict(request.user, CHANGE).select_related("unit").order_by(
        "unit__path", "name")  # fmt: skip
    chosen = request.POST.get("organisation") or request.GET.get("organisation") or ""
    organisation = organisations.filter(pk=chosen).first() if chosen.isdigit() else organisations.first()
    if organisation is None:
        if chosen:
            raise Http404
        messages.error(request, _("您没有可以登记党费的党组织。"))
        return render(request, "partylife/dues_entry.html", {"organisations": organisations}, status=403)
    source = request.POST if request.method == "POST" else request.GET
    month = periods.current_month()
    if source.get("month"):
        try:
            month = periods.parse_month(source["month"])
        except periods.PeriodError as error:
            messages.error(request, str(error))
    sheet = selectors.dues_sheet(organisation, month)
    status = 200
    if request.method == "POST":
        form = forms.DuesSheetForm(request.POST, sheet=sheet)
        if form.is_valid():
            try:
                saved = services.dues_record_month(user=request.user, organisation=organisation, month=month,
                                                   entries=form.entries())  # fmt: skip
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, getattr(error, "messages", [str(error)]))
            else:
                messages.success(request, _("已保存 %(n)s 条党费记录。") % {"n": len(saved)})
                return redirect(f"{reverse('partylife:dues_entry')}?organisation={organisation.pk}"
                                f"&month={periods.month_key(month)}")  # fmt: skip
        status = 400
    else:
        form = forms.DuesSheetForm(sheet=sheet)
    context = {"organisations": organisations, "organisation": organisation, "month": month,
               "months": _recent_months(), "form": form}  # fmt: skip
    return render(request, "partylife/dues_entry.html", context, status=status)


@login_required
def appraisal_summary(request):
    """民主评议: per branch and for the town, how many members got each result in a year."""
    this_year = timezone.localdate().year
    year = this_year
    if request.GET.get("year", "").isdigit() and 2000 <= int(request.GET["year"]) <= this_year:
        year = int(request.GET["year"])
    elif request.GET.get("year"):
        messages.error(request, _("评议年度应在 2000 至 %(year)s 之间。") % {"year": this_year})
    rows, total = selectors.appraisal_counts(request.user, year)
    context = {"year": year, "years": range(this_year, this_year - 8, -1), "rows": rows, "total": total,
               "results": Appraisal.Result.choices}  # fmt: skip
    return render(request, "partylife/appraisal_summary.html", context)


@login_required
def applicant_summary(request):
    """发展党员: per branch how many stand at each stage today."""
    rows, total = selectors.applicant_counts(request.user)
    context = {"rows": rows, "total": total, "stages": Applicant.Stage.choices}
    return render(request, "partylife/applicant_summary.html", context)


@login_required
def handover(request):
    """书记交接 (the admin's alone): the new login becomes the village's secretary, the old ones are switched off."""
    if not is_admin(request.user):
        raise PermissionDenied(_("只有系统管理员可以办理书记交接。"))
    form = HandoverForm(request.POST or None, user=request.user, initial={"on": timezone.localdate()})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                new, leaving = services.secretary_handover(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("已完成交接：%(new)s 为%(village)s书记；停用账号：%(old)s。") % {
                    "new": new.username, "village": form.cleaned_data["village"],
                    "old": "、".join(user.username for user in leaving) or "—"})  # fmt: skip
                return redirect("partylife:handover")
        status = 400
    return render(request, "partylife/handover.html", {"form": form}, status=status)


# --- 党员先锋积分 ---------------------------------------------------------------------------------------------------


def _point_month(request):
    """`?month=YYYY-MM` (this month when none); a malformed or future month is a 400 in Chinese."""
    return forms.point_month(query_text(request, "month"))


def _point_under(request):
    """`?under=` a village (or any unit) the user may see; one he may not see is a 404, as a guessed id is."""
    text = query_text(request, "under")
    unit_id = query_id(request, name="under") if text.isascii() else parse_id("?")
    if unit_id is None:
        return None
    return get_object_or_404(Unit.objects.restrict(request.user, VIEW), pk=unit_id)


def _point_query(month, under, **extra):
    query = {"month": month_key(month), **({"under": under.pk} if under else {}), **extra}
    return urlencode({key: value for key, value in query.items() if value not in (None, "")})


@login_required
def point_ranking(request):
    """党员先锋积分 of a month, highest first: the town's (or the user's village's), one village's with `?under=`, a
    name with `?q=`; each member's name leads to the records behind his points. Excel with `?export=xlsx`."""
    month, under = _point_month(request), _point_under(request)
    search = query_text(request, "q")[:50]
    ranking = selectors.point_ranking(request.user, month, under, search)
    sources = point_sources()
    if request.GET.get("export") == "xlsx":
        header = [_("名次"), _("姓名"), _("村（社区）"), _("党组织"),
                  *(str(source.label) for source in sources), _("积分合计")]  # fmt: skip
        rows = []
        for row in ranking.rows:
            parts = {part.source.code: part.points for part in row.sources}
            rows.append([row.rank, row.member.name, row.member.unit.name, row.member.organisation.name,
                         *(parts.get(source.code, 0) for source in sources), row.total])  # fmt: skip
        title = _("%(month)s党员先锋积分") % {"month": f"{month:%Y年%m月}"}
        if under is not None:
            title = f"{under.name}{title}"
        return workbook_response(rows_to_workbook(title, header, rows), title)
    page = Paginator(ranking.rows, 50).get_page(request.GET.get("page"))
    context = {
        "month": month, "month_key": month_key(month), "under": under, "search": search, "ranking": ranking,
        "page": page, "villages": selectors.point_villages(request.user), "max_month": month_key(current_month()),
        "query": _point_query(month, under, q=search), "member_query": _point_query(month, under),
        "previous": month_key(add_months(month, -1)),
        "next": month_key(add_months(month, 1)) if month < current_month() else None,
    }  # fmt: skip
    return render(request, "partylife/point_ranking.html", context)


@login_required
def point_member(request, pk):
    """One member's points for a month: every record behind them, by source, with the rule and the cap applied."""
    member = get_object_or_404(PartyMember.objects.restrict(request.user, VIEW).select_related("unit"), pk=pk)
    month, under = _point_month(request), _point_under(request)
    points = selectors.member_month_points(request.user, member, month, under)
    context = {
        "member": member, "month": month, "under": under, "points": points,
        "ranking_query": _point_query(month, under),
        "previous": _point_query(add_months(month, -1), under),
        "next": _point_query(add_months(month, 1), under) if month < current_month() else None,
    }  # fmt: skip
    return render(request, "partylife/point_member.html", context)


@login_required
def point_rules(request):
    """The admin's page of what each point source earns (points per unit, monthly cap); a source without a rule
    earns nothing until it has one."""
    if not is_admin(request.user):
        raise PermissionDenied(_("只有系统管理员可以修改积分规则。"))
    rules = selectors.point_rules()
    sources = point_sources()
    known = {source.code for source in sources}
    rows = [(source, rules.get(source.code)) for source in sources]
    rows += [(None, rule) for code, rule in rules.items() if code not in known]  # a rule of a source no line declares
    data = request.POST if request.method == "POST" else None
    forms_ = []
    for source, rule in rows:
        form = forms.PointRuleForm(data, instance=rule or PointRule(source=source.code),
                                   prefix=(source.code if source else rule.source).replace(".", "-"))  # fmt: skip
        form.fields["points"].required = rule is not None  # a source left blank stays without a rule
        forms_.append((source, rule, form))
    status = 200
    if request.method == "POST":
        if all(form.is_valid() for _source, _rule, form in forms_):
            values = {form.instance.source: (form.cleaned_data["points"], form.cleaned_data["monthly_cap"])
                      for _source, _rule, form in forms_ if form.cleaned_data["points"] is not None}  # fmt: skip
            try:
                saved = services.point_rules_save(user=request.user, rules=values)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                status = 400
            else:
                messages.success(request, _("已保存 %(count)d 条积分规则。") % {"count": len(saved)})
                return redirect("partylife:point_rules")
        else:
            status = 400
    context = {"forms": forms_, "unruled": [source for source in sources if source.code not in rules]}
    return render(request, "partylife/point_rules.html", context, status=status)
