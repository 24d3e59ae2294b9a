"""The ledgers of the shared model (units, households, party organisations and members, micro-grids, cadres, grid
workers, assignments), each declared once: its pages, API and routes are derived (branches.ledgers).

The base class lives in branches/ledgers.py, which every app imports; this module is branches' own declarations, so
that importing the base class never pulls in branches' forms, tables and views."""

from django.urls import path
from django.utils.translation import gettext as _

from . import filtersets, forms, selectors, services, tables, views
from .api import serializers
from .api.actions import HouseholdContactActions
from .api.base import ScopedReadOnlyViewSet
from .ledgers import Ledger
from .models import Assignment, Cadre, GridWorker, Household, MicroGrid, PartyMember, PartyOrganisation, Unit
from .panels import leading_and_other_panels


class SharedLedger(Ledger):
    """What the shared model's ledgers declare besides a ledger's usual: whether their API only reads, and which
    fields its `?ordering=` accepts."""

    api_read_only = False  # the API lists and shows only: these records are written on the pages
    api_ordering_fields = None  # None: every serialized field (DRF's default)
    api_ordering = ("id",)

    @classmethod
    def viewset(cls):
        viewset = cls.read_only_viewset() if cls.api_read_only else super().viewset()
        if cls.api_ordering_fields is None:
            return viewset
        # a subclass, so the derived viewset is built by Ledger.viewset() unchanged
        attributes = {"ordering_fields": list(cls.api_ordering_fields), "__doc__": viewset.__doc__}
        return type(viewset.__name__, (viewset,), attributes)

    @classmethod
    def read_only_viewset(cls):
        attributes = {
            "selector": staticmethod(cls.selector),
            "serializer_class": cls.serializer,
            "filterset_class": cls.filterset,
            "ordering": list(cls.api_ordering),
            "__doc__": f"{cls.model._meta.verbose_name_plural}: {cls.__doc__ or ''}".strip(": "),
        }
        return type(f"{cls.model.__name__}ViewSet", (ScopedReadOnlyViewSet,), attributes)


class UnitLedger(SharedLedger):
    """Organisational units the caller may see. Filter with `kind` and `parent`."""

    model = Unit
    prefix = "units"
    selector = selectors.unit_list
    table = tables.UnitTable
    filterset = filtersets.UnitFilterSet
    form = forms.UnitEditForm  # the routes serve views.UnitEditView in place of the derived edit page
    serializer = serializers.UnitSerializer
    api_name = "units"
    api_read_only = True
    api_ordering = ("path",)
    api_ordering_fields = ("path", "name", "code")

    # A unit is created under its parent through unit_create (not saved from a model form): a page of its own.
    add_view = views.UnitCreateView.as_view()

    @classmethod
    def routes(cls):
        """The derived list and detail pages, with views.UnitEditView as the edit page: editing a unit changes only
        its name, code and note through unit_update (its place in the tree never moves), not a model form's save."""
        edit = path(f"{cls.prefix}/<int:pk>/edit/", views.UnitEditView.as_view(), name=f"{cls.url_name()}_edit")
        return [edit if route.name == edit.name else route for route in super().routes()]

    @classmethod
    def detail_template_for(cls, unit):
        return "branches/village_detail.html" if unit.is_village else "branches/unit_detail.html"

    @classmethod
    def detail_context(cls, request, obj, context):
        page = selectors.unit_page(request.user, obj)
        return {**page, **leading_and_other_panels(request, obj)}


class HouseholdLedger(SharedLedger):
    model = Household
    prefix = "households"
    selector = selectors.household_list
    table = tables.HouseholdTable
    filterset = filtersets.HouseholdFilterSet
    form = forms.HouseholdForm
    delete = services.record_delete
    fields = ("head_name", "house_number", "unit", "population", "phone", "note")
    detail_template = "branches/household_detail.html"
    serializer = serializers.HouseholdSerializer
    api_name = "households"
    api_ordering_fields = ("head_name", "house_number", "id")
    api_mixins = (HouseholdContactActions,)  # …/{id}/contact/: a grid worker's update of its contact data

    @classmethod
    def detail_context(cls, request, obj, context):
        return selectors.household_page(request.user, obj, can_edit=context["can_edit"])


class PartyOrganisationLedger(SharedLedger):
    model = PartyOrganisation
    prefix = "party-organisations"
    selector = selectors.party_organisation_list
    table = tables.PartyOrganisationTable
    filterset = filtersets.PartyOrganisationFilterSet
    form = forms.PartyOrganisationForm
    fields = ("name", "level", "unit", "parent", "secretary_name", "committee", "founded")
    serializer = serializers.PartyOrganisationSerializer
    api_name, api_basename = "party-organisations", "party-organisation"
    api_read_only = True

    @classmethod
    def detail_context(cls, request, obj, context):
        return {"field_rows": [*context["field_rows"], (_("党员数"), obj.member_count)]}


class PartyMemberLedger(SharedLedger):
    model = PartyMember
    prefix = "party-members"
    selector = selectors.party_member_list
    table = tables.PartyMemberTable
    filterset = filtersets.PartyMemberFilterSet
    form = forms.PartyMemberForm
    save = services.party_member_save
    fields = ("name", "gender", "organisation", "unit", "birth_date", "joined_date", "phone", "household",
              "is_group_leader", "is_active")  # fmt: skip
    detail_template = "branches/partymember_detail.html"
    serializer = serializers.PartyMemberSerializer
    api_name, api_basename = "party-members", "party-member"
    api_ordering_fields = ("name", "joined_date", "id")

    @classmethod
    def detail_context(cls, request, obj, context):
        links = obj.links.select_related("household", "household__unit").order_by("household__unit__path")
        link_form = cls.link_form(request.user, obj) if context["can_edit"] else None
        return {"links": links, "link_form": link_form}

    @staticmethod
    def link_form(user, member):
        """The form adding a 五个到户 link, offering the households under the member's unit."""
        form = forms.HouseholdLinkForm(user=user)
        form.fields["household"].queryset = selectors.linkable_households(user, member)
        return form


class MicroGridLedger(SharedLedger):
    model = MicroGrid
    prefix = "micro-grids"
    selector = selectors.micro_grid_list
    table = tables.MicroGridTable
    filterset = filtersets.MicroGridFilterSet
    form = forms.MicroGridForm
    fields = ("name", "unit", "leader")
    detail_template = "branches/microgrid_detail.html"
    serializer = serializers.MicroGridSerializer
    api_name, api_basename = "micro-grids", "micro-grid"
    api_read_only = True

    @classmethod
    def save_form(cls, request, form):
        households = list(form.cleaned_data["households"])
        return services.micro_grid_save(user=request.user, micro_grid=form.save(commit=False), households=households)

    @classmethod
    def detail_context(cls, request, obj, context):
        return {"households": obj.households.order_by("house_number", "id")}


class CadreLedger(SharedLedger):
    model = Cadre
    prefix = "cadres"
    selector = selectors.cadre_list
    table = tables.CadreTable
    filterset = filtersets.CadreFilterSet
    form = forms.CadreForm
    fields = ("name", "position", "is_leader", "in_centre", "unit", "phone", "user")
    detail_template = "branches/cadre_detail.html"

    @classmethod
    def detail_context(cls, request, obj, context):
        return {"assignments": selectors.assignment_list(request.user).filter(cadre=obj)}


class GridWorkerLedger(SharedLedger):
    model = GridWorker
    prefix = "grid-workers"
    selector = selectors.grid_worker_list
    table = tables.GridWorkerTable
    filterset = filtersets.GridWorkerFilterSet
    form = forms.GridWorkerForm
    save = services.grid_worker_save
    fields = ("name", "unit", "phone", "member", "user")


class AssignmentLedger(SharedLedger):
    model = Assignment
    prefix = "assignments"
    selector = selectors.assignment_list
    table = tables.AssignmentTable
    filterset = filtersets.AssignmentFilterSet
    form = forms.AssignmentForm
    save = services.assignment_save
    delete = services.record_delete
    fields = ("kind", "cadre", "member", "unit", "household", "role_title", "start_date", "end_date")
    serializer = serializers.AssignmentSerializer
    api_name = "assignments"
    api_read_only = True


LEDGERS = (UnitLedger, HouseholdLedger, PartyOrganisationLedger, PartyMemberLedger, MicroGridLedger, CadreLedger,
           GridWorkerLedger, AssignmentLedger)  # fmt: skip
