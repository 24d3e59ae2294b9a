"""The leaders' dashboard (领导驾驶舱) of a town, an area or a village, its drill-down by indicator, and the compact
dashboard panel on a village's page. Thin: resolve the unit and period the user may see, call its selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from branches.scoping import is_grid_worker
from branches.selectors import reference_counts

from .. import cache, periods, worklines
from ..pages import chosen_unit, period_choices
from ..registry import registry
from ..today import today_panel
from . import selectors


def requested_period(request):
    key = request.GET.get("period")
    if not key:
        return selectors.default_period()
    try:
        return periods.parse_period(key)
    except periods.PeriodError as error:
        messages.error(request, str(error))
        return selectors.default_period()


@login_required
def dashboard(request):
    if is_grid_worker(request.user):
        messages.info(request, _("网格员没有月报和驾驶舱，已转到您的网格工作台。"))
        return redirect("home")
    unit = chosen_unit(request.user, request.GET.get("unit"))
    period = requested_period(request)
    rank_by = {code: request.GET.get(f"rank_{code}") for code in worklines.codes()}
    keys = cache.keys_for(unit)  # what every cached part of the page is keyed on, read once
    # Rendering is most of the page's time once its figures are cached: the whole body is kept, for this reader and
    # address, until the next roll-up or write (the parts below are cached too, for the addresses not yet rendered).
    key = keys.live_key("dashboard-page", request.user, request.get_full_path())
    body = cache.rendered(
        key, "reports/_dashboard_body.html", lambda: dashboard_context(request, unit, period, rank_by, keys), request
    )
    return render(request, "reports/dashboard.html", {"unit": unit, "body": body})


def dashboard_context(request, unit, period, rank_by, keys):
    return {
        "unit": unit,
        "period": period,
        "period_choices": period_choices(period),
        "today": today_context(request, unit, keys),
        "full": request.GET.get("full") == "1",
        "reference": cache.cached(keys.live_key("reference"), lambda: reference_counts(unit)),
        **selectors.dashboard(request.user, unit, period, rank_by, keys),
    }


def today_context(request, unit, keys):
    """今日待办 on the dashboard of the user's own unit: a leader's home is his town's dashboard."""
    panel = today_panel(request, unit, keys)
    return panel[1] if panel else None


@login_required
def dashboard_indicator(request, code):
    if code not in registry:
        raise Http404
    unit = chosen_unit(request.user, request.GET.get("unit"))
    period = requested_period(request)
    context = {
        "unit": unit,
        "period": period,
        "period_choices": period_choices(period),
        **selectors.indicator_drill(request.user, unit, period, registry.get(code)),
    }
    return render(request, "reports/dashboard_indicator.html", context)


def dashboard_panel(request, unit):
    """The compact dashboard on a village's page (a secretary's home): this year's cards and a link to the rest."""
    if not request.user.is_authenticated or not unit.is_village:
        return None
    return "reports/_dashboard_panel.html", selectors.village_panel(unit)
