"""Pages of the shared model: home per role, units and the village page, and the ledgers of people and households."""

from django.apps import apps as django_apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import filtersets, forms, photos, selectors, services, tables
from .generic_views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    add_errors,
    user_can_write_somewhere,
)
from .history import change_history
from .models import (
    Assignment,
    Cadre,
    GridWorker,
    Household,
    MicroGrid,
    PartyMember,
    PartyOrganisation,
    Photo,
    Unit,
    User,
)
from .panels import panels_for
from .scoping import CHANGE, VIEW, can_act_on_unit, has_no_unit

# --- home ---------------------------------------------------------------------------------------------------------


@login_required
def home(request):
    """A secretary lands on his village; everyone else on an overview of the unit he is attached to."""
    user = request.user
    if user.role == User.Role.SECRETARY and user.unit is not None:
        return redirect("branches:unit_detail", user.unit.pk)
    unit = selectors.own_unit(user)
    if unit is None:
        return render(request, "branches/home_empty.html", {"no_unit": has_no_unit(user)})
    villages = list(selectors.visible_villages(user).filter(path__startswith=unit.path))
    rows = selectors.coverage_for_units([unit, *villages])
    context = {
        "unit": unit,
        "total": rows[0],
        "village_rows": rows[1:],
        "assignments": selectors.cadre_assignments(user) if user.role == User.Role.CADRE else None,
        "panels": panels_for(request, unit),
    }
    return render(request, "branches/home.html", context)


# --- units --------------------------------------------------------------------------------------------------------


class UnitListView(ObjectListView):
    model = Unit
    selector = staticmethod(selectors.unit_list)
    table_class = tables.UnitTable
    filterset_class = filtersets.UnitFilterSet


class UnitDetailView(ObjectDetailView):
    model = Unit
    selector = staticmethod(selectors.unit_list)

    def get(self, request, pk):
        unit = self.get_object()
        context = {
            "unit": unit,
            "ancestors": [a for a in Unit.objects.get_ancestors(unit) if can_act_on_unit(request.user, a, "view")],
            "can_edit": can_act_on_unit(request.user, unit, CHANGE),
            "history": change_history(unit),
            "panels": panels_for(request, unit),
        }
        if unit.is_village:
            context.update(selectors.village_overview(unit))
            households = selectors.household_list(request.user).filter(unit__path__startswith=unit.path)
            context["households_page"] = Paginator(households.order_by("unit__path", "id"), 30).get_page(
                request.GET.get("page")
            )
            context["members"] = selectors.party_member_list(request.user).filter(unit=unit)[:200]
            return render(request, "branches/village_detail.html", context)
        context["children"] = selectors.coverage_for_units(Unit.objects.get_children(unit))
        context["coverage"] = selectors.coverage_total(unit)
        if unit.kind == Unit.Kind.GRID:
            context["households"] = selectors.household_list(request.user).filter(unit=unit)
        return render(request, "branches/unit_detail.html", context)


class UnitCreateView(ObjectEditView):
    """Add a unit under `?parent=` (or a county/town at the top, for an admin)."""

    model = Unit
    selector = staticmethod(selectors.unit_list)
    form_class = forms.UnitCreateForm

    def parent(self):
        parent_id = self.request.GET.get("parent") or self.request.POST.get("parent")
        if not parent_id:
            return None
        if not parent_id.isdigit():
            raise Http404(_("没有这个上级单位。"))
        return get_object_or_404(selectors.unit_list(self.request.user, CHANGE), pk=parent_id)

    def get(self, request, pk=None):
        if not user_can_write_somewhere(request.user):
            raise PermissionDenied(_("您没有新增组织单位的权限。"))
        return self.render_unit_form(self.form_class(user=request.user))

    def post(self, request, pk=None):
        if not user_can_write_somewhere(request.user):
            raise PermissionDenied(_("您没有新增组织单位的权限。"))
        form = self.form_class(request.POST, user=request.user)
        if form.is_valid():
            try:
                unit = services.unit_create(user=request.user, parent=self.parent(), **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("已新增：%(obj)s") % {"obj": unit})
                return redirect("branches:unit_detail", unit.pk)
        return self.render_unit_form(form, status=400)

    def render_unit_form(self, form, status=200):
        context = {**self.model_context(), "form": form, "object": None, "parent": self.parent()}
        return render(self.request, self.template_name, context, status=status)


class UnitEditView(UnitCreateView):
    form_class = forms.UnitEditForm
    action = CHANGE

    def get(self, request, pk=None):
        unit = self.get_object()
        form = self.form_class(user=request.user, initial={"name": unit.name, "code": unit.code, "note": unit.note})
        return self.render_unit_form(form, unit)

    def post(self, request, pk=None):
        unit = self.get_object()
        form = self.form_class(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.unit_update(user=request.user, unit=unit, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("已保存：%(obj)s") % {"obj": unit})
                return redirect("branches:unit_detail", unit.pk)
        return self.render_unit_form(form, unit, status=400)

    def render_unit_form(self, form, unit=None, status=200):
        context = {**self.model_context(), "form": form, "object": unit}
        return render(self.request, self.template_name, context, status=status)


# --- households ---------------------------------------------------------------------------------------------------


class HouseholdListView(ObjectListView):
    model = Household
    selector = staticmethod(selectors.household_list)
    table_class = tables.HouseholdTable
    filterset_class = filtersets.HouseholdFilterSet


class HouseholdDetailView(ObjectDetailView):
    model = Household
    selector = staticmethod(selectors.household_list)
    template_name = "branches/household_detail.html"
    fields = ("head_name", "house_number", "unit", "population", "phone", "note")

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        context["links"] = obj.links.select_related("member").order_by("member__name")
        context["micro_grids"] = obj.micro_grids.select_related("leader")
        context["chain"] = selectors.responsibility_chain(household=obj)
        if context["can_edit"]:
            village = obj.unit.village
            context["keeper_choices"] = PartyMember.objects.restrict(self.request.user, CHANGE).filter(
                unit=village, is_active=True
            )
        return context


class HouseholdEditView(ObjectEditView):
    model = Household
    selector = staticmethod(selectors.household_list)
    form_class = forms.HouseholdForm


class HouseholdDeleteView(ObjectDeleteView):
    model = Household
    selector = staticmethod(selectors.household_list)


# --- party organisations and members ------------------------------------------------------------------------------


class PartyOrganisationListView(ObjectListView):
    model = PartyOrganisation
    selector = staticmethod(selectors.party_organisation_list)
    table_class = tables.PartyOrganisationTable
    filterset_class = filtersets.PartyOrganisationFilterSet


class PartyOrganisationDetailView(ObjectDetailView):
    model = PartyOrganisation
    selector = staticmethod(selectors.party_organisation_list)
    fields = ("name", "level", "unit", "parent", "secretary_name", "committee", "founded")

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        context["field_rows"].append((_("党员数"), obj.member_count))
        return context


class PartyOrganisationEditView(ObjectEditView):
    model = PartyOrganisation
    selector = staticmethod(selectors.party_organisation_list)
    form_class = forms.PartyOrganisationForm


class PartyMemberListView(ObjectListView):
    model = PartyMember
    selector = staticmethod(selectors.party_member_list)
    table_class = tables.PartyMemberTable
    filterset_class = filtersets.PartyMemberFilterSet


class PartyMemberDetailView(ObjectDetailView):
    model = PartyMember
    selector = staticmethod(selectors.party_member_list)
    template_name = "branches/partymember_detail.html"
    fields = (
        "name",
        "gender",
        "organisation",
        "unit",
        "birth_date",
        "joined_date",
        "phone",
        "household",
        "is_group_leader",
        "is_active",
    )

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        context["links"] = obj.links.select_related("household", "household__unit").order_by("household__unit__path")
        if context["can_edit"]:
            context["link_form"] = forms.HouseholdLinkForm(user=self.request.user)
            context["link_form"].fields["household"].queryset = Household.objects.restrict(
                self.request.user, CHANGE
            ).filter(unit__path__startswith=obj.unit.path)
        return context


class PartyMemberEditView(ObjectEditView):
    model = PartyMember
    selector = staticmethod(selectors.party_member_list)
    form_class = forms.PartyMemberForm
    save_service = staticmethod(services.party_member_save)


@login_required
@require_POST
def household_keeper_assign(request, pk):
    """包户: a party member takes responsibility for a household (closing a gap in the four-level chain)."""
    household = get_object_or_404(selectors.household_list(request.user, CHANGE), pk=pk)
    member = get_object_or_404(PartyMember.objects.restrict(request.user, CHANGE), pk=request.POST.get("member") or 0)
    assignment = Assignment(kind=Assignment.Kind.HOUSEHOLD, member=member, household=household,
                            start_date=timezone.localdate(), role_title=_("党员组长包户"))  # fmt: skip
    try:
        services.assignment_save(user=request.user, instance=assignment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已由 %(member)s 包户。") % {"member": member})
    return redirect("branches:household_detail", household.pk)


@login_required
def household_link_add(request, pk):
    """Add a 五个到户 link from a member's page."""
    member = get_object_or_404(selectors.party_member_list(request.user, CHANGE), pk=pk)
    form = forms.HouseholdLinkForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.household_link_create(
                user=request.user,
                member=member,
                household=form.cleaned_data["household"],
                since=form.cleaned_data["since"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("已添加联系户：%(household)s") % {"household": form.cleaned_data["household"]})
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("branches:partymember_detail", member.pk)


@login_required
def household_link_remove(request, pk):
    link = get_object_or_404(selectors.household_link_list(request.user, CHANGE), pk=pk)
    if request.method == "POST":
        services.record_delete(user=request.user, instance=link)
        messages.success(request, _("已解除联系：%(link)s") % {"link": link})
    return redirect("branches:partymember_detail", link.member_id)


# --- micro-grids, cadres, grid workers, assignments ---------------------------------------------------------------


class MicroGridListView(ObjectListView):
    model = MicroGrid
    selector = staticmethod(selectors.micro_grid_list)
    table_class = tables.MicroGridTable
    filterset_class = filtersets.MicroGridFilterSet


class MicroGridDetailView(ObjectDetailView):
    model = MicroGrid
    selector = staticmethod(selectors.micro_grid_list)
    template_name = "branches/microgrid_detail.html"
    fields = ("name", "unit", "leader")

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        context["households"] = obj.households.order_by("house_number", "id")
        return context


class MicroGridEditView(ObjectEditView):
    model = MicroGrid
    selector = staticmethod(selectors.micro_grid_list)
    form_class = forms.MicroGridForm

    def save(self, form):
        households = list(form.cleaned_data["households"])
        return services.micro_grid_save(
            user=self.request.user, micro_grid=form.save(commit=False), households=households
        )


class CadreListView(ObjectListView):
    model = Cadre
    selector = staticmethod(selectors.cadre_list)
    table_class = tables.CadreTable
    filterset_class = filtersets.CadreFilterSet


class CadreDetailView(ObjectDetailView):
    model = Cadre
    selector = staticmethod(selectors.cadre_list)
    template_name = "branches/cadre_detail.html"
    fields = ("name", "position", "is_leader", "unit", "phone", "user")

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        context["assignments"] = selectors.assignment_list(self.request.user).filter(cadre=obj)
        return context


class CadreEditView(ObjectEditView):
    model = Cadre
    selector = staticmethod(selectors.cadre_list)
    form_class = forms.CadreForm


class GridWorkerListView(ObjectListView):
    model = GridWorker
    selector = staticmethod(selectors.grid_worker_list)
    table_class = tables.GridWorkerTable
    filterset_class = filtersets.GridWorkerFilterSet


class GridWorkerDetailView(ObjectDetailView):
    model = GridWorker
    selector = staticmethod(selectors.grid_worker_list)
    fields = ("name", "unit", "phone", "member")


class GridWorkerEditView(ObjectEditView):
    model = GridWorker
    selector = staticmethod(selectors.grid_worker_list)
    form_class = forms.GridWorkerForm


class AssignmentListView(ObjectListView):
    model = Assignment
    selector = staticmethod(selectors.assignment_list)
    table_class = tables.AssignmentTable
    filterset_class = filtersets.AssignmentFilterSet


class AssignmentDetailView(ObjectDetailView):
    model = Assignment
    selector = staticmethod(selectors.assignment_list)
    fields = ("kind", "cadre", "member", "unit", "household", "role_title", "start_date", "end_date")


class AssignmentEditView(ObjectEditView):
    model = Assignment
    selector = staticmethod(selectors.assignment_list)
    form_class = forms.AssignmentForm
    save_service = staticmethod(services.assignment_save)


class AssignmentDeleteView(ObjectDeleteView):
    model = Assignment
    selector = staticmethod(selectors.assignment_list)


# --- photos (evidence attached to any record that accepts them) ------------------------------------------------------


@login_required
def photo_file(request, pk, size="full"):
    """A photo, only for users who may see its unit (never a public media URL)."""
    photo = get_object_or_404(Photo.objects.restrict(request.user, VIEW), pk=pk)
    field = photo.thumbnail if size == "thumb" else photo.image
    try:
        opened = field.open("rb")
    except FileNotFoundError:  # the row outlived its file (a restored database, a lost media folder)
        raise Http404(_("照片文件已不存在。")) from None
    response = FileResponse(opened, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_required
@require_POST
def photo_attach(request, model, pk):
    """Attach photos to a record (cleanup, demolished house, activity …) of the user's own scope."""
    model_class = photo_model(model)
    record = get_object_or_404(model_class.objects.restrict(request.user, CHANGE), pk=pk)
    back = record_url(record)
    uploads = request.FILES.getlist("photos")
    if not uploads:
        messages.error(request, _("请选择要上传的照片。"))
        return redirect(back)
    try:
        saved = photos.photos_attach(user=request.user, record=record, uploads=uploads,
                                     stage=request.POST.get("stage") or Photo.Stage.OTHER,
                                     caption=request.POST.get("caption", "")[:200])  # fmt: skip
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已上传 %(n)s 张照片。") % {"n": len(saved)})
    return redirect(back)


@login_required
@require_POST
def photo_delete(request, pk):
    photo = get_object_or_404(Photo.objects.restrict(request.user, CHANGE), pk=pk)
    back = record_url(photo.record) if photo.record is not None else "home"
    photos.photo_delete(user=request.user, photo=photo)
    messages.success(request, _("已删除照片。"))
    return redirect(back)


def photo_model(label):
    """The model named app_label.model_name, if it accepts photos; anything else is a 404."""
    try:
        model_class = django_apps.get_model(label)
    except (LookupError, ValueError):
        raise Http404 from None
    if not getattr(model_class, "accepts_photos", False):
        raise Http404
    return model_class


def record_url(record):
    meta = record._meta
    return reverse(f"{meta.app_label}:{meta.model_name}_detail", args=[record.pk])
