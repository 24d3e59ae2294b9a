"""The ledgers of 支部+产业发展, each declared once: its pages, API and routes are derived (branches.ledgers)."""

from django.utils.translation import gettext as _

from branches.ledgers import Ledger
from branches.services import record_delete

from . import filtersets, forms, selectors, services, tables, views
from .api import serializers
from .api.views import ProblemStatusActions
from .models import Enterprise, FeaturedProject, IncomeEntry, Problem, SalesRecord, ServiceVisit


class EnterpriseLedger(Ledger):
    model = Enterprise
    prefix = "industry/enterprises"
    selector = selectors.enterprise_list
    table = tables.EnterpriseTable
    filterset = filtersets.EnterpriseFilterSet
    form = forms.EnterpriseForm
    save = services.enterprise_save
    fields = ("name", "kind", "sector", "chain", "is_leading", "unit", "contact_name", "contact_phone", "address",
              "yearly_tax", "jobs", "note")  # fmt: skip
    detail_template = "industry/enterprise_detail.html"
    serializer = serializers.EnterpriseSerializer
    api_name = "enterprises"
    api_ordering = ("id",)

    @classmethod
    def detail_context(cls, request, obj, context):
        return selectors.enterprise_page(request.user, obj)


class ServiceVisitLedger(Ledger):
    model = ServiceVisit
    prefix = "industry/visits"
    selector = selectors.visit_list
    table = tables.ServiceVisitTable
    filterset = filtersets.ServiceVisitFilterSet
    form = forms.ServiceVisitForm
    save = services.visit_save
    fields = ("date", "enterprise", "cadre", "policies", "note")
    detail_template = "industry/servicevisit_detail.html"
    serializer = serializers.ServiceVisitSerializer
    api_name, api_basename = "visits", "visit"
    api_ordering = ("-date", "-id")

    @classmethod
    def can_add(cls, user):
        return selectors.my_enterprises(user).exists()  # a visit is to one of the cadre's own enterprises

    @classmethod
    def detail_context(cls, request, obj, context):
        return {"problems": obj.problems.all()}

    add_view = views.visit_add  # the visit's form with the problems it raised, a page of its own


class ProblemLedger(Ledger):
    model = Problem
    prefix = "industry/problems"
    selector = selectors.problem_list
    table = tables.ProblemTable
    filterset = filtersets.ProblemFilterSet
    tab_filter = "status"
    form = forms.ProblemEditForm
    save = services.problem_save
    fields = ("description", "enterprise", "visit", "status", "responsible", "deadline", "resolved_on", "resolution")
    detail_template = "industry/problem_detail.html"
    serializer = serializers.ProblemSerializer
    api_name = "problems"
    api_ordering = ("deadline", "id")
    api_mixins = (ProblemStatusActions,)

    @classmethod
    def can_add(cls, user):
        return False  # a problem is raised on a visit

    @classmethod
    def detail_context(cls, request, obj, context):
        status_form = forms.ProblemStatusForm(initial={"status": services.TRANSITIONS[obj.status][0]})
        status_form.fields["status"].choices = [
            (status, Problem.Status(status).label) for status in services.TRANSITIONS[obj.status]
        ]
        return {"status_form": status_form, "overdue": tables.is_overdue(obj),
                "deadline_state": selectors.problem_state(obj)}  # fmt: skip


class VillageLedger(Ledger):
    """A village's own record (income, sales): saved and deleted by the village's people."""

    save = services.village_ledger_save
    delete = record_delete
    detail_template = "generic/object_detail_deletable.html"
    api_ordering = ("-date", "-id")


class IncomeEntryLedger(VillageLedger):
    model = IncomeEntry
    dated_by = ("date",)
    prefix = "industry/incomes"
    selector = selectors.income_list
    table = tables.IncomeEntryTable
    filterset = filtersets.IncomeEntryFilterSet
    form = forms.IncomeEntryForm
    fields = ("unit", "date", "source", "amount", "project", "note")
    serializer = serializers.IncomeEntrySerializer
    api_name, api_basename = "incomes", "income"


class SalesRecordLedger(VillageLedger):
    model = SalesRecord
    dated_by = ("date",)
    prefix = "industry/sales"
    selector = selectors.sales_list
    table = tables.SalesRecordTable
    filterset = filtersets.SalesRecordFilterSet
    form = forms.SalesRecordForm
    fields = ("unit", "date", "project", "product", "channel", "platform", "kg", "amount")
    serializer = serializers.SalesRecordSerializer
    api_name, api_basename = "sales", "sale"


class FeaturedProjectLedger(Ledger):
    model = FeaturedProject
    prefix = "industry/projects"
    selector = selectors.project_list
    table = tables.FeaturedProjectTable
    filterset = filtersets.FeaturedProjectFilterSet
    form = forms.FeaturedProjectForm
    save = services.village_ledger_save
    fields = ("name", "unit", "cooperative", "products", "brand", "started", "note")
    detail_template = "industry/featuredproject_detail.html"
    serializer = serializers.FeaturedProjectSerializer
    api_name, api_basename = "projects", "project"
    api_ordering = ("id",)

    @classmethod
    def save_form(cls, request, form):
        households = list(form.cleaned_data["households"])
        return services.featured_project_save(
            user=request.user, instance=form.save(commit=False), households=households
        )

    @classmethod
    def detail_context(cls, request, obj, context):
        extra_rows = [(_("参与农户"), obj.household_count), (_("集体增收（元）"), obj.income_total or 0)]
        return {
            "field_rows": context["field_rows"] + extra_rows,
            "sales": obj.sales.order_by("-date")[:20],
            "incomes": obj.incomes.order_by("-date")[:20],
        }


LEDGERS = (EnterpriseLedger, ServiceVisitLedger, ProblemLedger, IncomeEntryLedger, FeaturedProjectLedger,
           SalesRecordLedger)  # fmt: skip
