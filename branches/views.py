"""The shared model's own pages: home per role, a unit's grids (村民小组与网格), adding and editing a unit, a
household's keeper and a member's household links, and photos. The ledgers' list, detail, edit and delete pages are
derived from their declarations (branches/registers.py)."""

import json

from django.apps import apps as django_apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from . import forms, offline, photos, selectors, services
from .exports import rows_to_workbook, workbook_response
from .generic_views import ObjectEditView, add_errors, user_can_write_somewhere
from .models import Assignment, PartyMember, Photo, Unit, User
from .panels import leading_and_other_panels, panels_for
from .params import next_url
from .scoping import CHANGE, VIEW, has_no_unit, is_admin, is_grid_worker

# --- home ---------------------------------------------------------------------------------------------------------


@login_required
def home(request):
    """A secretary lands on his village, a leader on his town's dashboard (its summary, 今日待办 first), a grid worker
    on his grid's workbench; everyone else on an overview of the unit he is attached to."""
    user = request.user
    if user.role == User.Role.SECRETARY and user.unit is not None:
        return redirect("branches:unit_detail", user.unit.pk)
    if user.role == User.Role.LEADER and user.unit is not None:
        return redirect("reports:dashboard")
    if is_grid_worker(user) and user.unit is not None:
        context = {**selectors.grid_worker_home(user), "panels": panels_for(request, user.unit)}
        return render(request, "branches/grid_worker_home.html", context)
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
        **leading_and_other_panels(request, unit),
    }
    return render(request, "branches/home.html", context)


# --- the reader's own settings -------------------------------------------------------------------------------------


@login_required
@require_POST
def text_size(request):
    """The 大字 switch of the top bar (base.html): large=1 turns it on, anything else off. The form without script
    comes back to the page it was sent from; the script (static/js/portal.js) asks for JSON and changes the page in
    place."""
    user = services.user_text_size_update(user=request.user, large=request.POST.get("large") == "1")
    if request.get_preferred_type(["text/html", "application/json"]) == "application/json":
        return JsonResponse({"large_text": user.large_text})
    return redirect(next_url(request, reverse("home")))


# --- units --------------------------------------------------------------------------------------------------------

GRID_HEADERS = (
    gettext_lazy("网格"), gettext_lazy("村民小组"), gettext_lazy("网格员"), gettext_lazy("农户"),
    gettext_lazy("已联系"), gettext_lazy("微网格"), gettext_lazy("覆盖率（%）"),
)  # fmt: skip


def _grid_row(row, show_village):
    village = (row.unit.village_name,) if show_village else ()
    return (*village, row.unit.name, row.unit.group_name, row.workers, row.households, row.covered, row.micro_grids,
            row.rate)  # fmt: skip


@require_GET
@login_required
def unit_grids(request, pk):
    """村民小组与网格: the grids of a unit the user may see (a village's, from its page's 名录), with their workers and
    五个到户 coverage; `?export=xlsx` downloads them."""
    unit = get_object_or_404(Unit.objects.restrict(request.user, VIEW), pk=pk)
    page = selectors.grid_page(request.user, unit)
    if request.GET.get("export") == "xlsx":
        village = (_("村（社区）"),) if page["show_village"] else ()
        headers = [str(header) for header in (*village, *GRID_HEADERS)]
        rows = (_grid_row(row, page["show_village"]) for row in page["grids"])
        title = _("村民小组与网格")  # the sheet's name: a unit's name may hold characters a sheet's name may not
        return workbook_response(rows_to_workbook(title, headers, rows), f"{unit}-{title}")
    return render(request, "branches/unit_grids.html", page)


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
        if not user_can_write_somewhere(request.user, Unit):
            raise PermissionDenied(_("您没有新增组织单位的权限。"))
        return self.render_unit_form(self.form_class(user=request.user))

    def post(self, request, pk=None):
        if not user_can_write_somewhere(request.user, Unit):
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
        fields = ("name", "code", "note", "issuing_name", "doc_prefix")
        form = self.form_class(user=request.user, initial={name: getattr(unit, name) for name in fields})
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


# --- households' keepers and members' household links -------------------------------------------------------------


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
def household_contact(request, pk):
    """更新联系方式: a household's phone, house number and note, all a grid worker may change of his grid's
    households (a household he may not update is a 404, whichever way its id was guessed)."""
    household = get_object_or_404(selectors.household_contact_list(request.user), pk=pk)
    form = forms.HouseholdContactForm(request.POST or None, instance=household)
    if request.method == "POST" and form.is_valid():
        try:
            services.household_contact_update(user=request.user, household=household, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("已更新联系方式：%(obj)s") % {"obj": household})
            return redirect("branches:household_detail", household.pk)
    context = {"form": form, "object": household, "verbose_name": _("联系方式"), "url_base": "branches:household"}
    return render(request, "generic/object_edit.html", context, status=400 if form.errors else 200)


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


# --- the record of access to personal data (admin only) -----------------------------------------------------------

ACCESS_LOG_HEADERS = (
    gettext_lazy("查看时间"), gettext_lazy("查看人"), gettext_lazy("账号"), gettext_lazy("记录类型"),
    gettext_lazy("记录编号"), gettext_lazy("记录"), gettext_lazy("查看字段"), gettext_lazy("查看事由"),
)  # fmt: skip


def _access_row(access):
    return (
        timezone.localtime(access.at),
        access.user.display_name,
        access.user.username,
        str(access.record_type.model_class()._meta.verbose_name) if access.record_type.model_class() else "",
        access.record_id,
        access.record_repr,
        access.fields,
        access.reason,
    )


@login_required
def personal_data_access_log(request):
    """个人信息查看记录: every 查看完整信息, newest first, for the admin alone; `?export=xlsx` downloads them all."""
    if not is_admin(request.user):
        raise PermissionDenied(_("只有系统管理员可以查看个人信息查看记录。"))
    accesses = selectors.personal_data_access_list(request.user)
    title = _("个人信息查看记录")
    if request.GET.get("export") == "xlsx":
        rows = (_access_row(access) for access in accesses.iterator(chunk_size=500))
        return workbook_response(rows_to_workbook(title, [str(h) for h in ACCESS_LOG_HEADERS], rows), title)
    page = Paginator(accesses, 50).get_page(request.GET.get("page"))
    context = {"title": title, "headers": ACCESS_LOG_HEADERS, "page": page,
               "rows": [_access_row(access) for access in page.object_list]}  # fmt: skip
    return render(request, "branches/personal_data_access.html", context)


# --- offline entry: the installable portal ---------------------------------------------------------------------


@cache_control(no_cache=True)
def service_worker(request):
    """/sw.js at the root, so its scope is the whole portal; never cached, so a deployment's new worker is found."""
    script = render_to_string("offline/sw.js", {"config": json.dumps(offline.service_worker_context())})
    return HttpResponse(script, content_type="application/javascript; charset=utf-8")


@cache_control(max_age=3600)
def web_manifest(request):
    return JsonResponse(offline.web_manifest(), content_type="application/manifest+json",
                        json_dumps_params={"ensure_ascii": False})  # fmt: skip
