"""The list / detail / edit / delete views every ledger's pages are derived from (branches/ledgers.py), as NetBox's
generic views are.

Each view reads its rows through a selector that applies the user's scope, and writes through a service; a record
outside the user's scope is a 404, whichever way its id was guessed.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from .cache import cached, list_key
from .closing import closed_period, set_reason
from .exports import export_table
from .forms import RevealForm
from .history import change_history
from .links import links_for
from .masking import hidden_fields, mask_fields
from .photos import photos_of
from .scoping import CHANGE, VIEW, may_write_model, scope_roots
from .services import personal_data_reveal, record_delete, record_save
from .tables import mask_personal_columns


def user_can_write_somewhere(user, model=None):
    """Whether `user` may write somewhere (rows of `model`, when given: a grid worker writes only what a model opens
    to him)."""
    roots = scope_roots(user, CHANGE)
    if model is not None and not may_write_model(user, model):
        return False
    return roots is None or bool(roots)


class ScopedViewMixin(LoginRequiredMixin):
    """`selector(user, action)` returns the rows the user may see (VIEW) or change (CHANGE)."""

    model = None
    selector = None
    action = VIEW

    def get_queryset(self):
        return type(self).selector(self.request.user, self.action)

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def model_context(self):
        meta = self.model._meta
        return {
            "verbose_name": meta.verbose_name,
            "verbose_name_plural": meta.verbose_name_plural,
            "url_base": f"{meta.app_label}:{meta.model_name}",
        }


class ObjectListView(ScopedViewMixin, SingleTableMixin, FilterView):
    """A filtered, searchable, paginated list; `?export=xlsx` downloads every matching row."""

    template_name = "generic/object_list.html"
    table_class = None
    filterset_class = None
    paginate_by = 50

    def get(self, request, *args, **kwargs):
        """A filter out of range (a year 99999, a date in year 1, an id no column holds) is the list page with its
        Chinese errors and a 400, the Excel export's request included: never a 500, nor an empty download."""
        if request.GET.get("export") == "xlsx":
            filterset = self.filterset_class(request.GET, queryset=self.get_queryset(), request=request)
            if filterset.is_valid():
                return self.export(request, filterset.qs)
        response = super().get(request, *args, **kwargs)
        if self.filterset.is_bound and not self.filterset.is_valid():
            response.status_code = 400
        return response

    def export(self, request, rows):
        table = self.table_class(rows)
        RequestConfig(request, paginate=False).configure(table)
        return export_table(mask_personal_columns(table), str(self.model._meta.verbose_name_plural))

    def get_table(self, **kwargs):
        return mask_personal_columns(super().get_table(**kwargs))

    def table_html(self, table):
        """The table as HTML, through the cache until something its reader may see is written: rendering a page of
        rows is most of a list's time (cache.list_key)."""
        key = list_key(self.model._meta.label_lower, self.request)
        return cached(key, lambda: table.as_html(self.request))

    tab_filter = None  # a filter whose choices become tabs above the list (a case list's statuses)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.model_context())
        context["table_html"] = self.table_html(context["table"])
        context["can_add"] = user_can_write_somewhere(self.request.user, self.model)
        context["query_without_page"] = self._query_without("page")
        context["tabs"] = self.tabs()
        return context

    def tabs(self):
        """[(label, query string, active)]: 全部 and one tab per choice of `tab_filter`, other filters kept."""
        if not self.tab_filter:
            return []
        field = self.filterset_class.base_filters[self.tab_filter]
        current = self.request.GET.get(self.tab_filter, "")
        tabs = []
        for value, label in [("", _("全部")), *field.extra["choices"]]:
            query = self.request.GET.copy()
            query.pop("page", None)
            query[self.tab_filter] = value
            tabs.append((label, query.urlencode(), value == current))
        return tabs

    def _query_without(self, *names):
        query = self.request.GET.copy()
        for name in names:
            query.pop(name, None)
        return query.urlencode()


class ObjectDetailView(ScopedViewMixin, View):
    """A record's page. Its personal data is masked for a reader who may not change it; "查看完整信息" (a POST with a
    reason) shows it whole in that one response and records the look (services.personal_data_reveal)."""

    template_name = "generic/object_detail.html"
    fields = ()

    def get(self, request, pk):
        return self.render_detail(self.get_object())

    def post(self, request, pk):
        obj = self.get_object()
        form = RevealForm(request.POST)
        if form.is_valid():
            try:
                personal_data_reveal(user=request.user, record=obj, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                add_errors(form, error)
            else:
                return self.render_detail(obj, revealed=True)
        return self.render_detail(obj, reveal_form=form, status=400)

    def template_for(self, obj):
        return self.template_name

    def render_detail(self, obj, revealed=False, reveal_form=None, status=200):
        self.revealed = revealed
        context = self.get_context_data(obj)
        if context["hidden_fields"]:
            context["reveal_form"] = reveal_form or RevealForm()
        return render(self.request, self.template_for(obj), context, status=status)

    def get_context_data(self, obj):
        context = self.model_context()
        revealed = getattr(self, "revealed", False)
        hidden = hidden_fields(self.request.user, obj, revealed)
        shown = mask_fields(self.request.user, obj, {name: self.display(obj, name) for name in self.fields}, revealed)
        context.update(
            object=obj,
            hidden_fields=hidden,
            hidden_labels="、".join(str(obj._meta.get_field(name).verbose_name) for name in hidden),
            revealed=revealed,
            field_rows=[(obj._meta.get_field(name).verbose_name, shown[name]) for name in self.fields],
            history=change_history(obj, hidden=hidden),
            photos=photos_of(obj) if getattr(obj, "accepts_photos", False) else None,
            photo_model=f"{obj._meta.app_label}.{obj._meta.model_name}",
            record_links=links_for(self.request.user, obj),
            can_edit=type(self).selector(self.request.user, CHANGE).filter(pk=obj.pk).exists(),
        )
        return context

    @staticmethod
    def display(obj, name):
        getter = getattr(obj, f"get_{name}_display", None)
        if getter is not None:
            return getter()
        value = getattr(obj, name)
        if isinstance(value, bool):
            return _("是") if value else _("否")
        return value if value not in (None, "") else "—"


class ObjectEditView(ScopedViewMixin, View):
    """Create (no pk) or edit a record through `save_service(user=…, instance=…)`."""

    template_name = "generic/object_edit.html"
    form_class = None
    action = CHANGE
    save_service = staticmethod(record_save)

    def get_instance(self):
        if "pk" in self.kwargs:
            return self.get_object()
        if not user_can_write_somewhere(self.request.user, self.model):
            raise PermissionDenied(_("您没有新增该类数据的权限。"))
        return self.model()

    def get(self, request, pk=None):
        instance = self.get_instance()
        form = self.form_class(instance=instance, user=request.user, initial=self.initial_values())
        closed = closed_period(instance)
        if closed:
            form.ask_reason(closed)
        return self.render_form(form, instance)

    def initial_values(self):
        return {key: value for key, value in self.request.GET.items() if key in self.form_class.base_fields}

    def post(self, request, pk=None):
        instance = self.get_instance()
        form = self.form_class(request.POST, instance=instance, user=request.user)
        closed = closed_period(instance)
        if closed or "reason" in request.POST:
            form.ask_reason(closed)
        if form.is_valid():
            set_reason(form.instance, form.reason_given)
            try:
                saved = self.save(form)
            except ValidationError as error:
                if "reason" in getattr(error, "error_dict", {}):
                    form.ask_reason()  # a new row dated in a closed month: the reason is asked for now
                add_errors(form, error)
            else:
                messages.success(request, _("已保存：%(obj)s") % {"obj": saved})
                return redirect(f"{self.model_context()['url_base']}_detail", saved.pk)
        return self.render_form(form, instance, status=400)

    def save(self, form):
        return self.save_service(user=self.request.user, instance=form.save(commit=False))

    def render_form(self, form, instance, status=200):
        context = self.model_context()
        context.update(form=form, object=instance if instance.pk else None)
        return render(self.request, self.template_name, context, status=status)


class ObjectDeleteView(ScopedViewMixin, View):
    template_name = "generic/object_delete.html"
    action = CHANGE

    def get(self, request, pk):
        obj = self.get_object()
        context = {**self.model_context(), "object": obj, "closed": closed_period(obj)}
        return render(request, self.template_name, context)

    def post(self, request, pk):
        obj = self.get_object()
        try:
            set_reason(obj, request.POST.get("reason", ""))
            self.delete_record(obj)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(f"{self.model_context()['url_base']}_detail", obj.pk)
        messages.success(request, _("已删除：%(obj)s") % {"obj": obj})
        return redirect(f"{self.model_context()['url_base']}_list")

    def delete_record(self, obj):
        record_delete(user=self.request.user, instance=obj)


def add_errors(form, error):
    """Put a service's ValidationError on the form: on its field when the form has it, else on the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)

