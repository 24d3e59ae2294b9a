"""Pages of 支部+基层治理: a village's governance at a glance, the monthly dispute table, and the steps that move a
hazard along found → rectifying → rectified → verified. The ledgers' lists, details and edits are derived from
governance/ledgers.py; these are the pages of their own, thin views over selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.models import Unit
from branches.params import query_month
from branches.scoping import REVIEW, VIEW
from branches.selectors import own_unit
from reports.plugins import periods

from . import selectors, services


@login_required
def village(request, unit_id):
    """A village's governance at a glance: 五个到户, 民情台账, key persons, hazards, disputes, checkpoints."""
    unit = get_object_or_404(Unit.objects.restrict(request.user, VIEW).villages(), pk=unit_id)
    context = {"unit": unit, **selectors.village_overview(request.user, unit)}
    return render(request, "governance/village.html", context)


@login_required
def dispute_table(request):
    """The monthly 矛盾纠纷排查化解 table, built from the cases, for the user's unit (or one he may see)."""
    unit = own_unit(request.user)
    if request.GET.get("under", "").isdigit():
        unit = get_object_or_404(Unit.objects.restrict(request.user, VIEW), pk=request.GET["under"])
    month = query_month(request, periods.last_complete_month(), parse=periods.parse_month)  # a bad one: a 400
    rows, totals = [], {}
    if unit is not None:
        rows, totals = selectors.dispute_table(request.user, unit, month, periods.add_months(month, 1))
    months = [periods.add_months(periods.current_month(), -offset) for offset in range(18)]
    context = {"unit": unit, "month": month, "rows": rows, "totals": totals, "months": months}
    return render(request, "governance/dispute_table.html", context)


@login_required
@require_POST
def hazard_step(request, pk, step):
    """advance (one step along the chain) or return (a reviewer sends a rectified hazard back)."""
    hazard = get_object_or_404(selectors.hazard_list(request.user, REVIEW), pk=pk)
    try:
        if step == "return":
            services.hazard_return(user=request.user, hazard=hazard, note=request.POST.get("note", ""))
        else:
            services.hazard_advance(user=request.user, hazard=hazard, note=request.POST.get("note", ""))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("隐患状态已改为“%(status)s”。") % {"status": hazard.get_status_display()})
    return redirect(hazard.get_absolute_url())
