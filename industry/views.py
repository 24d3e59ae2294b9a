"""Pages of 支部+产业发展: enterprises and their visits and problems, the cadre's workbench, the village collective
economy with its chart, the 消薄 board, featured projects and sales. Lists, details and edits use the shared generic
views; the rest are thin views over selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.generic_views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    add_errors,
    user_can_write_somewhere,
)
from branches.models import Cadre, Unit
from branches.scoping import VIEW, is_admin

from . import filtersets, forms, selectors, services, tables
from .models import Enterprise, FeaturedProject, IncomeEntry, Problem, SalesRecord, ServiceVisit

# --- enterprises ----------------------------------------------------------------------------------------------------


class EnterpriseListView(ObjectListView):
    model = Enterprise
    selector = staticmethod(selectors.enterprise_list)
    table_class = tables.EnterpriseTable
    filterset_class = filtersets.EnterpriseFilterSet


class EnterpriseDetailView(ObjectDetailView):
    model = Enterprise
    selector = staticmethod(selectors.enterprise_list)
    template_name = "industry/enterprise_detail.html"
    fields = ("name", "kind", "sector", "chain", "is_leading", "unit", "contact_name", "contact_phone", "address",
              "yearly_tax", "jobs", "note")  # fmt: skip

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        user = self.request.user
        context.update(
            cadres=selectors.cadres_by_enterprise([obj.pk]).get(obj.pk, []),
            visits=selectors.visit_list(user).filter(enterprise=obj)[:20],
            problems=selectors.problem_list(user).filter(enterprise=obj),
            answers_for=selectors.answers_for(user, obj),
            assignable=Cadre.objects.restrict(user).order_by("name") if is_admin(user) else None,
        )
        return context


class EnterpriseEditView(ObjectEditView):
    model = Enterprise
    selector = staticmethod(selectors.enterprise_list)
    form_class = forms.EnterpriseForm
    save_service = staticmethod(services.enterprise_save)


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
    problems = selectors.problem_list(request.user).filter(
        enterprise__in=enterprises.values("pk"), status__in=Problem.OPEN_STATUSES
    )
    context = {
        "enterprises": enterprises,
        "problems": problems,
        "today": timezone.localdate(),
        "recent_visits": selectors.visit_list(request.user).filter(enterprise__in=enterprises.values("pk"))[:10],
    }
    return render(request, "industry/my_enterprises.html", context)


# --- visits and problems --------------------------------------------------------------------------------------------


class ServiceVisitListView(ObjectListView):
    model = ServiceVisit
    selector = staticmethod(selectors.visit_list)
    table_class = tables.ServiceVisitTable
    filterset_class = filtersets.ServiceVisitFilterSet

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = selectors.my_enterprises(self.request.user).exists()
        return context


class ServiceVisitDetailView(ObjectDetailView):
    model = ServiceVisit
    selector = staticmethod(selectors.visit_list)
    template_name = "industry/servicevisit_detail.html"
    fields = ("date", "enterprise", "cadre", "policies", "note")

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        context["problems"] = obj.problems.all()
        return context


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


class ServiceVisitEditView(ObjectEditView):
    model = ServiceVisit
    selector = staticmethod(selectors.visit_list)
    form_class = forms.ServiceVisitForm
    save_service = staticmethod(services.visit_save)


class ProblemListView(ObjectListView):
    tab_filter = "status"
    model = Problem
    selector = staticmethod(selectors.problem_list)
    table_class = tables.ProblemTable
    filterset_class = filtersets.ProblemFilterSet

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = False  # problems are raised on a visit
        return context


class ProblemDetailView(ObjectDetailView):
    model = Problem
    selector = staticmethod(selectors.problem_list)
    template_name = "industry/problem_detail.html"
    fields = ("description", "enterprise", "visit", "status", "responsible", "deadline", "resolved_on", "resolution")

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        context["status_form"] = forms.ProblemStatusForm(initial={"status": services.TRANSITIONS[obj.status][0]})
        context["status_form"].fields["status"].choices = [
            (status, Problem.Status(status).label) for status in services.TRANSITIONS[obj.status]
        ]
        context["overdue"] = tables.is_overdue(obj)
        return context


class ProblemEditView(ObjectEditView):
    model = Problem
    selector = staticmethod(selectors.problem_list)
    form_class = forms.ProblemEditForm
    save_service = staticmethod(services.problem_save)


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
    next_url = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure())
    return redirect(next_url if next_url and safe else problem.get_absolute_url())  # "//elsewhere" is elsewhere


# --- the collective economy -----------------------------------------------------------------------------------------


class IncomeEntryListView(ObjectListView):
    model = IncomeEntry
    selector = staticmethod(selectors.income_list)
    table_class = tables.IncomeEntryTable
    filterset_class = filtersets.IncomeEntryFilterSet


class IncomeEntryDetailView(ObjectDetailView):
    model = IncomeEntry
    selector = staticmethod(selectors.income_list)
    template_name = "generic/object_detail_deletable.html"
    fields = ("unit", "date", "source", "amount", "project", "note")


class IncomeEntryEditView(ObjectEditView):
    model = IncomeEntry
    selector = staticmethod(selectors.income_list)
    form_class = forms.IncomeEntryForm
    save_service = staticmethod(services.village_ledger_save)


class IncomeEntryDeleteView(ObjectDeleteView):
    model = IncomeEntry
    selector = staticmethod(selectors.income_list)


def requested_year(request):
    text = request.GET.get("year", "")
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else timezone.localdate().year


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
        "can_add": user_can_write_somewhere(request.user),
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


# --- featured projects and sales ------------------------------------------------------------------------------------


class FeaturedProjectListView(ObjectListView):
    model = FeaturedProject
    selector = staticmethod(selectors.project_list)
    table_class = tables.FeaturedProjectTable
    filterset_class = filtersets.FeaturedProjectFilterSet


class FeaturedProjectDetailView(ObjectDetailView):
    model = FeaturedProject
    selector = staticmethod(selectors.project_list)
    template_name = "industry/featuredproject_detail.html"
    fields = ("name", "unit", "cooperative", "products", "brand", "started", "note")

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        context["field_rows"] += [(_("参与农户"), obj.household_count), (_("集体增收（元）"), obj.income_total or 0)]
        context["sales"] = obj.sales.order_by("-date")[:20]
        context["incomes"] = obj.incomes.order_by("-date")[:20]
        return context


class FeaturedProjectEditView(ObjectEditView):
    model = FeaturedProject
    selector = staticmethod(selectors.project_list)
    form_class = forms.FeaturedProjectForm

    def save(self, form):
        return services.featured_project_save(
            user=self.request.user, instance=form.save(commit=False), households=list(form.cleaned_data["households"])
        )


class SalesRecordListView(ObjectListView):
    model = SalesRecord
    selector = staticmethod(selectors.sales_list)
    table_class = tables.SalesRecordTable
    filterset_class = filtersets.SalesRecordFilterSet


class SalesRecordDetailView(ObjectDetailView):
    model = SalesRecord
    selector = staticmethod(selectors.sales_list)
    template_name = "generic/object_detail_deletable.html"
    fields = ("unit", "date", "project", "product", "channel", "platform", "kg", "amount")


class SalesRecordEditView(ObjectEditView):
    model = SalesRecord
    selector = staticmethod(selectors.sales_list)
    form_class = forms.SalesRecordForm
    save_service = staticmethod(services.village_ledger_save)


class SalesRecordDeleteView(ObjectDeleteView):
    model = SalesRecord
    selector = staticmethod(selectors.sales_list)
