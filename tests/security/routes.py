"""Every route of the site, read from the URL conf (pages) and from the OpenAPI schema (the API), and the URL of
each filled in for the records of tests/security/world.py — so a new page or endpoint is covered by the security
tests without anyone listing it. A route whose parameters cannot be filled fails loudly: add it to `PAGE_OBJECTS`
or `PATH_VALUES` below."""

from dataclasses import dataclass, field

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from branches.models import PartyMember
from partylife.models import Meeting
from reports import periods, worklines
from reports.models import Indicator

# Parts of the URL conf that are not the portal's pages: Django's admin (staff only, its own permission system),
# the API (walked from its schema instead), the language switch, login/logout/password views, the favicon, and the
# installable portal's service worker and manifest (public by design, the same for everyone: tests/branches/
# test_offline_pages.py).
NOT_PAGES = ("admin/", "api/", "i18n/", "accounts/", "favicon.ico", "sw.js", "manifest.webmanifest")

# Function views whose `pk` is not a record of the model their name starts with.
PAGE_OBJECTS = {
    "branches:householdlink_add": PartyMember,
    "partylife:point_member": PartyMember,  # one member's 先锋积分
    "partylife:meeting_attendance_edit": Meeting,  # the attendance of one meeting
}
# Edit forms whose records are listed on a list not named like the form ("x_edit" → "x_list").
LIST_PAGES = {"partylife:meeting_attendance_edit": "partylife:attendance_list",
              "branches:household_contact_edit": "branches:household_list"}
# Function views named like these show a form (GET) and save it (POST).
FORM_SUFFIXES = ("_add", "_edit", "_delete", "_remove", "_held")


@dataclass(frozen=True)
class PageRoute:
    name: str  # "industry:enterprise_detail"
    route: str  # "industry/enterprises/<int:pk>/"
    params: tuple  # the path parameters, e.g. ("pk",)
    callback: object = field(compare=False, repr=False)
    defaults: dict = field(compare=False, repr=False, default_factory=dict)

    @property
    def model(self):
        """The model whose record the `pk` names: the view's own `model`, else the one the URL name starts with."""
        if self.name in PAGE_OBJECTS:
            return PAGE_OBJECTS[self.name]
        view_class = getattr(self.callback, "view_class", None)
        if getattr(view_class, "model", None) is not None:
            return view_class.model
        app_label, _sep, url_name = self.name.partition(":")
        model_name = url_name.split("_")[0]
        try:
            return apps.get_model(app_label, model_name)
        except LookupError:
            raise LookupError(f"{self.name}: which model does its pk name? add it to routes.PAGE_OBJECTS") from None

    @property
    def has_object(self):
        return bool(set(self.params) & {"pk", "unit_id"})

    @property
    def view_class(self):
        return getattr(self.callback, "view_class", None)

    @property
    def is_form(self):
        """A page that writes: a generic edit or delete view, or a function view named like one (its GET shows the
        form, its POST saves)."""
        from branches.generic_views import ObjectDeleteView, ObjectEditView

        if self.view_class is not None and issubclass(self.view_class, ObjectEditView | ObjectDeleteView):
            return True
        return self.name.endswith(FORM_SUFFIXES)

    @property
    def is_generic(self):
        """One of the shared list/detail/edit/delete views: every one of them answers GET."""
        from branches.generic_views import ScopedViewMixin

        return self.view_class is not None and issubclass(self.view_class, ScopedViewMixin)


def page_routes():
    """Every named route of the portal's pages (see NOT_PAGES for what is left out, and why)."""
    found = []

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(NOT_PAGES):
                continue
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                params = tuple(pattern.pattern.regex.groupindex)
                found.append(PageRoute(name, route, params, pattern.callback, dict(pattern.default_args)))

    walk(get_resolver().url_patterns, "", None)
    return sorted(set(found), key=lambda r: r.name)


def list_name(route):
    """The URL name of the list that shows the records the edit form `route` saves."""
    return LIST_PAGES.get(route.name, route.name.replace("_edit", "_list"))


def month_key():
    return periods.month_key(periods.last_complete_month())


def page_url(route, world):
    """The route's URL for village A's record (or village A itself)."""
    records = world.records
    kwargs = {}
    for param in route.params:
        if param == "pk":
            kwargs["pk"] = records[route.model].pk
        elif param == "unit_id":
            kwargs["unit_id"] = world.village.pk
        elif param == "work_line":
            kwargs["work_line"] = "industry"
        elif param == "month":
            kwargs["month"] = month_key()
        elif param == "action":  # reports:action
            kwargs["action"] = "approve"
        elif param == "code":  # an indicator's code (reports:dashboard_indicator)
            kwargs["code"] = Indicator.objects.filter(work_line="industry").values_list("code", flat=True).first()
        elif param == "step":  # governance:hazard_step
            kwargs["step"] = "advance"
        elif param == "model":  # branches:photo_attach
            owner = records[route.model].record if route.model._meta.label == "branches.Photo" else None
            owner = owner or next(r for m, r in records.items() if getattr(m, "accepts_photos", False))
            kwargs["model"] = owner._meta.label_lower
            kwargs["pk"] = owner.pk
        else:
            raise LookupError(f"{route.name}: no value for the path parameter <{param}>; add it to routes.page_url")
    return reverse(route.name, kwargs=kwargs)


def _model(label):
    return apps.get_model(label)


# What a browser posts on the function views that read a field before anything else (the generic forms are posted
# empty: the permission is decided before the form is read).
POST_BODIES = {
    "branches:household_keeper": lambda r: {"member": r[_model("branches.PartyMember")].pk},
    "industry:enterprise_assign": lambda r: {"cadre": r[_model("branches.Cadre")].pk},
    "industry:problem_status": lambda r: {"status": "in_progress", "resolution": "x"},
    "volunteers:hours_review": lambda r: {"ids": [r[_model("volunteers.Participation")].pk], "decision": "approve"},
    "reports:review": lambda r: {"report": [r[_model("reports.MonthlyReport")].pk]},
    "reports:entry": lambda r: {
        f"v:{value.indicator.code}": "1"
        for value in r[_model("reports.MonthlyReport")].values.select_related("indicator")
        if value.indicator.source == "entered"
    },
    "governance:hazard_step": lambda r: {"note": "x"},
    "reports:action": lambda r: {"reason": "x"},
}


def post_body(route, world):
    body = POST_BODIES.get(route.name)
    return body(world.records) if body else None


# --- the API, from its OpenAPI schema ---------------------------------------------------------------------------------

API_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class ApiOperation:
    path: str  # "/api/v1/industry/enterprises/{id}/"
    method: str  # "get"
    operation: dict = field(compare=False, repr=False)

    @property
    def params(self):
        return tuple(p["name"] for p in self.operation.get("parameters", []) if p.get("in") == "path")

    @property
    def has_object(self):
        return bool(self.params)

    @property
    def is_write(self):
        return self.method != "get"

    def view_class(self, url):
        return getattr(resolve(url).func, "cls", None)

    def model(self, url):
        view_class = self.view_class(url)
        serializer = getattr(view_class, "serializer_class", None)
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        if model is None:
            raise LookupError(f"{self.path}: which model does its {{id}} name? (no serializer_class.Meta.model)")
        return model


def api_operations(schema):
    return sorted(
        (ApiOperation(path, method, spec) for path, item in schema["paths"].items()
         for method, spec in item.items() if method in API_METHODS),
        key=lambda op: (op.path, API_METHODS.index(op.method)),
    )  # fmt: skip


PATH_VALUES = {
    "work_line": lambda world: worklines.codes()[0],
    "month": lambda world: month_key(),
    "unit_id": lambda world: world.village.pk,
}


def api_url(operation, world):
    url = operation.path
    for param in operation.params:
        if param in PATH_VALUES:
            value = PATH_VALUES[param](world)
        elif param in ("id", "pk"):
            probe = url.replace("{" + param + "}", "1")
            for other in operation.params:
                if other in PATH_VALUES:
                    probe = probe.replace("{" + other + "}", str(PATH_VALUES[other](world)))
            model = operation.model(probe)
            record = world.records.get(model) or model._default_manager.first()  # a shared list (activity types)
            value = record.pk
        else:
            raise LookupError(f"{operation.path}: no value for {{{param}}}; add it to routes.PATH_VALUES")
        url = url.replace("{" + param + "}", str(value))
    return url


QUERY_VALUES = {
    "unit": lambda world: world.village.pk,
    "period": lambda world: month_key(),
}


def api_query(operation, world):
    """Values for the operation's required query parameters (the roll-ups' unit and period)."""
    query = {}
    for param in operation.operation.get("parameters", []):
        if param.get("in") == "query" and param.get("required"):
            if param["name"] not in QUERY_VALUES:
                raise LookupError(f"{operation.path}: no value for ?{param['name']}=; add it to routes.QUERY_VALUES")
            query[param["name"]] = QUERY_VALUES[param["name"]](world)
    return query


def api_record(operation, world, url):
    """The record of 铜梁村 (or the shared row) the operation's URL names, or village A for a unit in the query."""
    if "id" in operation.params or "pk" in operation.params:
        model = operation.model(url)
        return world.records.get(model) or model._default_manager.first()
    if "unit_id" in operation.params or "unit" in api_query(operation, world):
        return world.village
    return None
