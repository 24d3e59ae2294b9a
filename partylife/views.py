"""Pages of 支部建设 beyond the derived ledger pages (partylife/ledgers.py): thin views over selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.generic_views import add_errors
from branches.models import PartyOrganisation, Unit
from branches.scoping import CHANGE, VIEW, is_admin
from reports.plugins import periods

from . import forms, selectors, services
from .forms import HandoverForm
from .models import Applicant, Appraisal

# --- meetings (三会一课, 主题党日, 组织生活会) ------------------------------------------------------------------------
# (end of meetings)

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


# (end of dues, 民主评议, 发展党员, 换届)

# --- 党员先锋积分 ---------------------------------------------------------------------------------------------------
# (end of points)
