"""One declaration per ledger, from which its pages, its API viewset and their routes are derived.

As Nautobot's `NautobotUIViewSet` names queryset, form, filterset, table and serializer once and derives every page
and route, a `Ledger` subclass names its model, selector, table, filterset, form, serializer, services and detail
fields once. What a ledger does differently it says through the named hooks below (`list_context`,
`detail_context`, `detail_template_for`, `can_add`, `save_form`, `add_view`, `api_mixins`), never by patching a
derived view afterwards.

    class EnterpriseLedger(Ledger):
        model = Enterprise
        prefix = "industry/enterprises"
        selector = selectors.enterprise_list
        ...

    urlpatterns = [..., *ledger_routes(LEDGERS)]           # <app>/urls.py
    router = ledger_router(LEDGERS)                         # <app>/api/urls.py

Every concrete ledger is kept in one store (`declared()`), keyed by its model, which nothing overwrites: a second
declaration for the same model is an error at start-up.
"""

from django.urls import path
from django.utils.module_loading import autodiscover_modules
from rest_framework.routers import DefaultRouter

from .api.base import PersonalDataActions, ScopedViewSet
from .closing import declare_dated
from .generic_views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    user_can_write_somewhere,
)
from .masking import personal_fields_of
from .services import record_save

_DECLARED = {}


class LedgerError(TypeError):
    pass


class Ledger:
    """A ledger's declaration. Functions are declared as plain class attributes (`selector = selectors.x_list`);
    the ledger is never instantiated, so they are called as they are."""

    model = None
    prefix = None  # the pages' URL path, e.g. "industry/enterprises"
    name = None  # the URL names' stem; the model's name by default ("enterprise" → "industry:enterprise_list")
    selector = None  # selector(user, action=VIEW): the rows the user may see (VIEW) or change (CHANGE)
    table = None
    filterset = None
    form = None
    fields = ()  # the detail page's fields, in order
    detail_template = None  # the detail page's template; the generic one by default
    tab_filter = None  # a filter whose choices become tabs above the list (a case list's statuses)
    save = record_save  # save(user=…, instance=…)
    delete = None  # delete(user=…, instance=…); None: the ledger has no delete page and its API no DELETE
    serializer = None  # None: the ledger has no API
    api_name = None  # the API route, e.g. "enterprises"
    api_basename = None  # the API's URL names' stem; the pages' by default
    api_ordering = ("-id",)
    api_mixins = ()  # viewset mixins adding the ledger's own API actions (a case's status change)
    dated_by = ()  # the fields dating a row into a month (Hazard: found_on, rectified_on): a row of a closed month
    # (its report approved) is changed only with a reason, and marks that report (branches.closing)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.model is None:
            return  # an abstract base sharing declarations between ledgers
        for required in ("prefix", "selector", "table", "filterset", "form"):
            if getattr(cls, required) is None:
                raise LedgerError(f"{cls.__name__}: a ledger declares its {required}")
        if cls.serializer is not None and not cls.api_name:
            raise LedgerError(f"{cls.__name__}: a ledger with a serializer declares its api_name")
        label = cls.model._meta.label_lower
        if label in _DECLARED and _DECLARED[label].__qualname__ != cls.__qualname__:
            raise LedgerError(f"{label}: declared by {_DECLARED[label].__name__} and {cls.__name__}")
        _DECLARED[label] = cls
        declare_dated(cls.model, cls.dated_by)
        cls._views = None

    # --- hooks: what a ledger does differently ----------------------------------------------------------------------

    @classmethod
    def list_context(cls, request):
        """Extra context of the list page."""
        return {}

    @classmethod
    def detail_context(cls, request, obj, context):
        """Extra context of the detail page (`context` is what the generic page shows: field_rows, history …)."""
        return {}

    @classmethod
    def detail_template_for(cls, obj):
        """The detail page's template for `obj`: the declared one (None: the generic one). A ledger whose records are
        shown on different pages by kind (a village and a town) picks here."""
        return cls.detail_template

    @classmethod
    def can_add(cls, user):
        """Whether the list offers 新增 (the add page still checks the form's scoped choices)."""
        return user_can_write_somewhere(user, cls.model)

    @classmethod
    def save_form(cls, request, form):
        """Save a valid form through the ledger's service; a ledger whose form carries more than the row (a
        project's households) passes it on here."""
        return cls.save(user=request.user, instance=form.save(commit=False))

    add_view = None  # a view function replacing the generic add page (a visit logged with its problems)

    # --- what is derived ------------------------------------------------------------------------------------------

    @classmethod
    def url_name(cls):
        return cls.name or cls.model._meta.model_name

    @classmethod
    def views(cls):
        """The list, detail, edit (and delete) view classes, built once."""
        if cls._views is None:
            cls._views = _build_views(cls)
        return cls._views

    @classmethod
    def routes(cls):
        views, prefix, name = cls.views(), cls.prefix, cls.url_name()
        add = cls.add_view if cls.add_view is not None else views["edit"].as_view()
        routes = [
            path(f"{prefix}/", views["list"].as_view(), name=f"{name}_list"),
            path(f"{prefix}/add/", add, name=f"{name}_add"),
            path(f"{prefix}/<int:pk>/", views["detail"].as_view(), name=f"{name}_detail"),
            path(f"{prefix}/<int:pk>/edit/", views["edit"].as_view(), name=f"{name}_edit"),
        ]
        if "delete" in views:
            routes.append(path(f"{prefix}/<int:pk>/delete/", views["delete"].as_view(), name=f"{name}_delete"))
        return routes

    @classmethod
    def viewset(cls):
        attributes = {
            "selector": staticmethod(cls.selector),
            "serializer_class": cls.serializer,
            "filterset_class": cls.filterset,
            "save_service": staticmethod(cls.save),
            "delete_service": staticmethod(cls.delete) if cls.delete else None,
            "ordering": list(cls.api_ordering),
            "__doc__": f"{cls.model._meta.verbose_name_plural}: {cls.__doc__ or ''}".strip(": "),
        }
        personal = (PersonalDataActions,) if personal_fields_of(cls.model) else ()  # …/{id}/unmask/
        return type(f"{cls.model.__name__}ViewSet", (*cls.api_mixins, *personal, ScopedViewSet), attributes)


class _LedgerList(ObjectListView):
    ledger = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = self.ledger.can_add(self.request.user)
        context.update(self.ledger.list_context(self.request))
        return context


class _LedgerDetail(ObjectDetailView):
    ledger = None

    def template_for(self, obj):
        return self.ledger.detail_template_for(obj) or self.template_name

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        context.update(self.ledger.detail_context(self.request, obj, context))
        return context


class _LedgerEdit(ObjectEditView):
    ledger = None

    def save(self, form):
        return self.ledger.save_form(self.request, form)


class _LedgerDelete(ObjectDeleteView):
    ledger = None

    def delete_record(self, obj):
        self.ledger.delete(user=self.request.user, instance=obj)


def _build_views(ledger):
    common = {"ledger": ledger, "model": ledger.model, "selector": staticmethod(ledger.selector)}
    name = ledger.model.__name__
    detail = {"fields": ledger.fields}
    if ledger.detail_template:
        detail["template_name"] = ledger.detail_template
    views = {
        "list": type(f"{name}List", (_LedgerList,), {**common, "table_class": ledger.table,
                                                     "filterset_class": ledger.filterset,
                                                     "tab_filter": ledger.tab_filter}),
        "detail": type(f"{name}Detail", (_LedgerDetail,), {**common, **detail}),
        "edit": type(f"{name}Edit", (_LedgerEdit,), {**common, "form_class": ledger.form}),
    }  # fmt: skip
    if ledger.delete is not None:
        views["delete"] = type(f"{name}Delete", (_LedgerDelete,), common)
    return views


def ledger_routes(ledgers):
    """The page routes of `ledgers`, for an app's urls.py."""
    return [route for ledger in ledgers for route in ledger.routes()]


def ledger_router(ledgers, router=None):
    """A router with the API viewset of each of `ledgers` that has a serializer, for an app's api/urls.py."""
    router = router or DefaultRouter()
    for ledger in ledgers:
        if ledger.serializer is not None:
            router.register(ledger.api_name, ledger.viewset(), basename=ledger.api_basename or ledger.url_name())
    return router


def declared():
    """Every declared ledger, by model label ("industry.enterprise"): each app's `ledgers.py` (branches' own are in
    `registers.py`, beside this base) is imported first, as the URL conf does when it loads."""
    autodiscover_modules("ledgers", "registers")
    return dict(_DECLARED)


__all__ = ["Ledger", "LedgerError", "declared", "ledger_router", "ledger_routes"]
