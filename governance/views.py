"""Pages of 支部+基层治理 (safety so far): the ledgers through the shared generic views, and a hazard page that moves
the hazard along found → rectifying → rectified → verified."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.generic_views import ledger_views
from branches.scoping import REVIEW, can_act_on_unit

from . import filtersets, forms, selectors, services, tables
from .models import Hazard, PatrolMember, PatrolTeam, SafetyAction

TEAMS = ledger_views(
    PatrolTeam,
    selectors.team_list,
    tables.PatrolTeamTable,
    filtersets.PatrolTeamFilterSet,
    forms.PatrolTeamForm,
    services.save_team,
    ("name", "unit", "leader_name", "founded_on", "is_active"),
)
MEMBERS = ledger_views(
    PatrolMember,
    selectors.member_list,
    tables.PatrolMemberTable,
    filtersets.PatrolMemberFilterSet,
    forms.PatrolMemberForm,
    services.save_member,
    ("name", "team", "unit", "phone", "party_member", "is_active"),
)
ACTIONS = ledger_views(
    SafetyAction,
    selectors.action_list,
    tables.SafetyActionTable,
    filtersets.SafetyActionFilterSet,
    forms.SafetyActionForm,
    services.save_action,
    ("date", "kind", "unit", "team", "partners", "place", "umbrellas_removed", "helmet_persuasions", "note"),
)
HAZARDS = ledger_views(Hazard, selectors.hazard_list, tables.HazardTable, filtersets.HazardFilterSet,
                       forms.HazardForm, services.save_hazard,
                       ("item", "unit", "location", "found_on", "action", "measures", "funds", "responsible",
                        "deadline", "reviewer", "status", "rectified_on", "verified_on", "note"),
                       detail_template="governance/hazard_detail.html")  # fmt: skip


class HazardDetail(HAZARDS["detail"]):
    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        following = services.HAZARD_STEPS.get(obj.status)
        context["next_status"] = Hazard.Status(following).label if following else None
        context["can_review"] = can_act_on_unit(self.request.user, obj.unit, REVIEW)
        context["overdue"] = tables.is_overdue(obj)
        return context


HAZARDS["detail"] = HazardDetail


@login_required
@require_POST
def hazard_step(request, pk, step):
    """advance (one step along the chain) or return (a reviewer sends a rectified hazard back)."""
    hazard = get_object_or_404(selectors.hazard_list(request.user, "change"), pk=pk)
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
