"""The pages of 网格事件, thin over the selectors and services.

- /grid/events/ the events a user may see, in tabs (mine, waiting for me, all), searchable, filterable, exportable;
- /grid/events/new/ 事件上报, made for a phone: it works offline (the page is cached by the service worker and the
  report queued on the phone until the network is back: static/js/offline.js, `data-offline-endpoint`);
- /grid/events/<pk>/ one event with its photos, time limit and history, and the village's answers to it.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.exports import rows_to_workbook, workbook_response
from branches.generic_views import add_errors
from branches.history import change_history
from branches.offline import offline_page
from branches.photos import photos_of
from branches.scoping import is_grid_worker

from . import forms, selectors, services
from .filtersets import EventFilterSet
from .models import GridEvent
from .tables import EventTable, status_badge

PER_PAGE = 20
TAB_LABELS = {"mine": gettext_lazy("我上报的"), "waiting": gettext_lazy("待我处理"), "all": gettext_lazy("全部事件")}


def tabs_for(user):
    tabs = []
    if selectors.may_report(user):
        tabs.append("mine")
    if not is_grid_worker(user):
        tabs.append("waiting")
    tabs.append("all")
    return tabs


def tab_rows(user, tab):
    if tab == "mine":
        return selectors.event_list(user).filter(reporter=user)
    if tab == "waiting":
        return selectors.waiting_for(user)
    return selectors.event_list(user)


@login_required
def event_list(request):
    user = request.user
    tabs = tabs_for(user)
    tab = request.GET.get("tab") if request.GET.get("tab") in tabs else tabs[0]
    if (request.GET.get("overdue") or request.GET.get("under")) and "tab" not in request.GET:
        tab = "all"  # the dashboard's alert links the unit's overdue events, not only one's own
    filters = EventFilterSet(request.GET, queryset=tab_rows(user, tab), request=request)
    rows = filters.qs
    if request.GET.get("export") == "xlsx":
        return _export(rows)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    kept = {key: value for key, value in request.GET.items() if key not in ("page", "tab", "export")}
    context = {
        "tabs": [(name, TAB_LABELS[name], urlencode({**kept, "tab": name}), name == tab) for name in tabs],
        "tab": tab,
        "table": EventTable(list(page.object_list)),
        "page": page,
        "filters": filters.form,
        "query": urlencode({**kept, "tab": tab}),
        "may_report": selectors.may_report(user),
    }
    return render(request, "grid/event_list.html", context)


def _export(rows):
    headers = [_("上报时间"), _("类型"), _("事件描述"), _("地点"), _("村（社区）"), _("网格"), _("上报人"), _("状态"),
               _("受理时限"), _("办结日期"), _("处理结果")]  # fmt: skip
    table = [
        [timezone.localtime(event.reported_at).strftime("%Y-%m-%d %H:%M"), event.get_kind_display(),
         event.description, event.place, str(selectors.village_of(event)),
         event.unit.name, event.reporter.display_name if event.reporter else "", event.get_status_display(),
         event.answer_deadline, event.closed_on or "", event.result]
        for event in rows.select_related("unit", "reporter")
    ]  # fmt: skip
    return workbook_response(rows_to_workbook(_("网格事件"), headers, table), "grid-events")


@login_required
@offline_page
def event_new(request):
    """事件上报. Without JavaScript (or with it, online) the form posts here; the phone's queue posts the same fields
    to the API instead, so a report typed with no signal is sent once the signal is back."""
    if not selectors.may_report(request.user):
        raise PermissionDenied(_("只有网格员和村（社区）可以上报网格事件。"))
    form = forms.EventReportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_report(user=request.user, event=form.save(commit=False),
                                          photos=request.FILES.getlist("photos"))  # fmt: skip
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("已上报，等待村（社区）受理。"))
            return redirect(event.get_absolute_url())
    status = 400 if form.is_bound else 200
    return render(request, "grid/event_new.html", {"form": form}, status=status)


def _event_for(request, pk):
    return get_object_or_404(selectors.event_list(request.user), pk=pk)




@login_required
def event_detail(request, pk):
    event = _event_for(request, pk)
    bound = {}
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ACTIONS:
            return redirect(event.get_absolute_url())
        bound = _act(request, event, action)
        if bound is None:
            return redirect(event.get_absolute_url())
        event.refresh_from_db()
    return render(request, "grid/event_detail.html", _detail_context(request, event, bound),
                  status=400 if bound else 200)  # fmt: skip


# The plain steps: their form's cleaned fields are the service's arguments. Accepting also asks the register's form.
STEPS = {"escalate": (forms.EscalateForm, services.event_escalate), "close": (forms.CloseForm, services.event_close)}
ACTIONS = {"accept", *STEPS}


def _act(request, event, action):
    """Do the posted step; None when done, else {action: the bound forms with their errors}."""
    if action == "accept":
        return _accept(request, event)
    form_class, step = STEPS[action]
    form = form_class(request.POST)
    if not form.is_valid():
        return {action: form}
    return _done(request, lambda: step(user=request.user, event=event, **form.cleaned_data), {action: form}, form)


def _accept(request, event):
    form = forms.AcceptForm(request.POST)
    kind = form.cleaned_data["register"] if form.is_valid() else None
    asked = forms.sink_form(kind, request.POST) if kind else None
    bound = {"accept": form, "asked": asked}
    if kind is None or (asked is not None and not asked.is_valid()):
        return bound
    answers = asked.cleaned_data if asked else {}
    accept = lambda: services.event_accept(user=request.user, event=event, kind=kind, asked=answers)  # noqa: E731
    return _done(request, accept, bound, asked or form, fallback=form)


def _done(request, step, bound, form, fallback=None):
    """Run the step; a refusal goes on `form` when it names that form's fields, else on `fallback` (or `form`)."""
    try:
        step()
    except ValidationError as error:
        named = hasattr(error, "error_dict") and all(name in form.fields for name in error.error_dict)
        add_errors(form if named or fallback is None else fallback, error)
        return bound
    messages.success(request, _("已处理。"))
    return None


def _detail_context(request, event, bound):
    user = request.user
    may_handle = selectors.may_handle(user, event) and event.status != GridEvent.Status.CLOSED
    accept_kind = event.kind if event.kind in selectors.sink_kinds() else None
    record = event.record
    return {
        "event": event,
        "status_badge": status_badge(event),
        "time_state": selectors.time_state(event),
        "record": record,
        "record_label": record._meta.verbose_name if record else "",
        "record_status": record.get_status_display() if hasattr(record, "get_status_display") else "",
        "photos": list(photos_of(event)),
        "history": change_history(event),
        "may_handle": may_handle,
        "may_accept": may_handle and event.status in GridEvent.OPEN_STATUSES and bool(selectors.sink_kinds()),
        "accept_form": bound.get("accept") or forms.AcceptForm(initial={"register": accept_kind}),
        "asked_forms": _asked_forms(bound),
        "escalate_form": bound.get("escalate") or forms.EscalateForm(),
        "close_form": bound.get("close") or forms.CloseForm(),
        "escalated_targets": selectors.escalation_targets(event) if event.escalated_to else [],
    }


def _asked_forms(bound):
    """Each register's form of what it asks, the posted one bound with its errors."""
    posted = bound.get("asked")
    found = []
    for kind, sink in selectors.sink_kinds().items():
        form = posted if posted is not None and posted.prefix == kind else forms.sink_form(kind)
        found.append((kind, sink.label, form))
    return found
