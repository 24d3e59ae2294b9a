"""Pages of 支部+产业发展: enterprises and their visits and problems, the cadre's workbench, the village collective
economy with its chart, the 消薄 board. The ledgers' lists, details and edits are derived from industry/ledgers.py;
these are the pages of their own, thin views over selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.generic_views import add_errors, user_can_write_somewhere
from branches.models import Cadre, Unit
from branches.params import next_url, query_year
from branches.scoping import VIEW

from . import forms, selectors, services
from .models import IncomeEntry

# --- enterprises ----------------------------------------------------------------------------------------------------


@login_required
@require_POST
def enterprise_assign(request, pk):
    enterprise = get_object_or_404(selectors.enterprise_list(request.user), pk=pk)
    cadre = get_object_or_404(Cadre.objects.restrict(request.user), pk=request.POST.get("cadre") or 0)
    try:
        services.enterprise_assign(user=request.user, enterprise=enterprise, cadre=cadre)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = _("已安排 %(cadre)s 包联 %(enterprise)s。") % {"cadre": cadre, "enterprise": enterprise}
        messages.success(request, done)
    return redirect("industry:enterprise_detail", enterprise.pk)


@login_required
def my_enterprises(request):
    """The cadre's workbench: his enterprises, their open and overdue problems, and a visit to log."""
    enterprises = selectors.my_enterprises(request.user)
    problems = selectors.my_open_problems(request.user)
    context = {
        "enterprises": enterprises,
        "problems": [(problem, selectors.problem_state(problem)) for problem in problems],
        "recent_visits": selectors.visit_list(request.user).filter(enterprise__in=enterprises.values("pk"))[:10],
    }
    return render(request, "industry/my_enterprises.html", context)


# --- visits and problems --------------------------------------------------------------------------------------------


@login_required
def visit_add(request, pk=None):
    """Log a visit (送政策、解难题) with the problems raised, each with a responsible person and a deadline."""
    user = request.user
    initial = {"date": timezone.localdate(), "enterprise": request.GET.get("enterprise")}
    form = forms.ServiceVisitForm(request.POST or None, user=user, initial=initial)
    formset = forms.ProblemFormSet(request.POST or None, prefix="problem")
    if not form.fields["enterprise"].queryset.exists():
        raise PermissionDenied(_("您没有包联的企业，不能记录走访。"))
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        problems = [data for data in formset.cleaned_data if data and data.get("description")]
        try:
            visit = services.visit_log(user=user, visit=form.save(commit=False), problems=problems)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("已记录走访，登记问题 %(n)s 个。") % {"n": len(problems)})
            return redirect("industry:servicevisit_detail", visit.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "industry/visit_form.html", {"form": form, "formset": formset}, status=status)


@login_required
@require_POST
def problem_status(request, pk):
    problem = get_object_or_404(selectors.problem_list(request.user), pk=pk)
    form = forms.ProblemStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择新的状态。"))
        return redirect("industry:problem_detail", problem.pk)
    try:
        services.problem_set_status(user=request.user, problem=problem, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("问题已改为“%(status)s”。") % {"status": problem.get_status_display()})
    return redirect(next_url(request, problem.get_absolute_url()))


# --- the collective economy -----------------------------------------------------------------------------------------


def requested_year(request):
    """`?year=` (this year when none): a year outside 2000–2100 is a 400 in Chinese (branches.params)."""
    return query_year(request, timezone.localdate().year, low=2000, high=2100)


@login_required
def economy(request, unit_id):
    """A village's collective economy: this year's income by month and cumulated, against the 5万 and 10万 lines."""
    unit = get_object_or_404(Unit.objects.restrict(request.user, VIEW).villages(), pk=unit_id)
    year = requested_year(request)
    data = selectors.village_economy(unit, year)
    chart = {
        "months": [f"{month}月" for month in range(1, 13)],
        "monthly": [float(value) for value in data["monthly"]],
        "cumulative": [None if value is None else float(value) for value in data["cumulative"]],
        "weak_line": float(data["weak_line"]),
        "strong_line": float(data["strong_line"]),
    }
    context = {
        "unit": unit,
        "economy": data,
        "chart": chart,
        "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
        "sources": dict(IncomeEntry.Source.choices),
        "can_add": user_can_write_somewhere(request.user, IncomeEntry),
        "incomes": selectors.income_list(request.user).filter(unit=unit, date__year=year)[:50],
    }
    return render(request, "industry/economy.html", context)


@login_required
def xiaobo(request):
    """The town's 消薄 board: villages weak last year and lifted now, and each village against the 消薄 target's pace
    (reports/targets.py)."""
    year = requested_year(request)
    context = {"board": selectors.xiaobo_board(request.user, year), "years": range(year + 1, year - 4, -1)}
    return render(request, "industry/xiaobo.html", context)
