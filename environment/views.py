"""Pages of 支部+环境整治: the village's environment page (its four-level chain, rules, engines, pledges and the
month's cleanup), the town's campaigns and projects, the gaps in the chain. The ledgers' lists, details and edits are
derived from environment/ledgers.py; these are the pages of their own, thin views over selectors."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from branches.models import Assignment, Unit
from branches.scoping import VIEW
from branches.selectors import households_without_keeper, responsibility_chain
from reports.plugins import add_months, current_month

from . import selectors


@login_required
def village(request, unit_id):
    """A village's environment: who answers for what, its rules and engines, pledges, and this month's cleanup."""
    unit = get_object_or_404(Unit.objects.restrict(request.user, VIEW).villages(), pk=unit_id)
    month = current_month()
    overview = selectors.village_overview(unit, month, add_months(month, 1))
    group_keepers = {
        assignment.unit_id: assignment.person
        for assignment in Assignment.objects.active()
        .filter(kind=Assignment.Kind.GROUP, unit__in=overview["groups"])
        .select_related("cadre", "member")
    }
    context = {
        "unit": unit,
        "month": month,
        "chain": responsibility_chain(unit=unit),
        "group_rows": [(group, group_keepers.get(group.pk)) for group in overview["groups"]],
        "gaps": households_without_keeper(request.user, unit).count(),
        **overview,
    }
    return render(request, "environment/village.html", context)


@login_required
def town(request):
    """The town's campaigns and infrastructure projects, with the campaigns' cleanup totals."""
    user = request.user
    context = {
        "campaigns": selectors.campaign_list(user)[:20],
        "projects": selectors.project_states(selectors.project_list(user)),
        "villages": Unit.objects.restrict(user).villages().order_by("code", "path"),
        "today": timezone.localdate(),
    }
    return render(request, "environment/town.html", context)


@login_required
def gaps(request):
    """Households nobody answers for (no 包户 in force), to be closed by naming a party member on the household."""
    unit = None
    if request.GET.get("under", "").isdigit():
        unit = get_object_or_404(Unit.objects.restrict(request.user, VIEW), pk=request.GET["under"])
    households = households_without_keeper(request.user, unit)
    page = Paginator(households, 50).get_page(request.GET.get("page"))
    return render(request, "environment/gaps.html", {"page": page, "unit": unit, "count": households.count()})
