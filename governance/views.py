"""Pages of 支部+基层治理 (safety so far): the ledgers through the shared generic views, and a hazard page that moves
the hazard along found → rectifying → rectified → verified."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.generic_views import ledger_views
from branches.models import Unit
from branches.scoping import REVIEW, VIEW
from branches.selectors import own_unit
from reports.plugins import periods

from . import filtersets, forms, selectors, services, tables
from .models import (
    Checkpoint,
    CheckpointStaff,
    DisputeCase,
    DoorKnock,
    Hazard,
    KeyPerson,
    KeyPersonKeeper,
    MediationCommittee,
    PassRecord,
    PatrolMember,
    PatrolTeam,
    PeopleIssue,
    PetitionCase,
    SafetyAction,
    VisitLog,
)

TEAMS = ledger_views(
    PatrolTeam,
    selectors.team_list,
    tables.PatrolTeamTable,
    filtersets.PatrolTeamFilterSet,
    forms.PatrolTeamForm,
    services.patrol_team_save,
    ("name", "unit", "leader_name", "founded_on", "is_active"),
)
MEMBERS = ledger_views(
    PatrolMember,
    selectors.member_list,
    tables.PatrolMemberTable,
    filtersets.PatrolMemberFilterSet,
    forms.PatrolMemberForm,
    services.patrol_member_save,
    ("name", "team", "unit", "phone", "party_member", "is_active"),
)
ACTIONS = ledger_views(
    SafetyAction,
    selectors.action_list,
    tables.SafetyActionTable,
    filtersets.SafetyActionFilterSet,
    forms.SafetyActionForm,
    services.safety_action_save,
    ("date", "kind", "unit", "team", "partners", "place", "umbrellas_removed", "helmet_persuasions", "note"),
)
HAZARDS = ledger_views(Hazard, selectors.hazard_list, tables.HazardTable, filtersets.HazardFilterSet,
                       forms.HazardForm, services.hazard_save,
                       ("item", "unit", "location", "found_on", "action", "measures", "funds", "responsible",
                        "deadline", "reviewer", "status", "rectified_on", "verified_on", "note"),
                       detail_template="governance/hazard_detail.html")  # fmt: skip


COMMITTEES = ledger_views(
    MediationCommittee,
    selectors.committee_list,
    tables.MediationCommitteeTable,
    filtersets.MediationCommitteeFilterSet,
    forms.MediationCommitteeForm,
    services.mediation_committee_save,
    ("name", "unit", "director", "members", "room", "legal_adviser", "auxiliary_police", "established_on"),
)
DISPUTES = ledger_views(
    DisputeCase,
    selectors.dispute_list,
    tables.DisputeCaseTable,
    filtersets.DisputeCaseFilterSet,
    forms.DisputeCaseForm,
    services.dispute_save,
    (
        "summary",
        "kind",
        "unit",
        "parties",
        "party_phones",
        "party_ids",
        "received_on",
        "mediator",
        "steps",
        "result",
        "closed_on",
    ),
)
PETITIONS = ledger_views(PetitionCase, selectors.petition_list, tables.PetitionCaseTable,
                         filtersets.PetitionCaseFilterSet, forms.PetitionCaseForm, services.petition_save,
                         ("title", "unit", "petitioner", "petitioner_phone", "received_on", "leader", "status",
                          "progress", "resolved_on"))  # fmt: skip


VISITS = ledger_views(
    VisitLog,
    selectors.visit_list,
    tables.VisitLogTable,
    filtersets.VisitLogFilterSet,
    forms.VisitLogForm,
    services.visit_log_save,
    ("date", "member", "household", "aspect", "raised"),
)
ISSUES = ledger_views(
    PeopleIssue,
    selectors.issue_list,
    tables.PeopleIssueTable,
    filtersets.PeopleIssueFilterSet,
    forms.PeopleIssueForm,
    services.people_issue_save,
    ("content", "household", "unit", "raised_on", "handler", "status", "closed_on", "result"),
)
KEY_PERSONS = ledger_views(
    KeyPerson,
    selectors.key_person_list,
    tables.KeyPersonTable,
    filtersets.KeyPersonFilterSet,
    forms.KeyPersonForm,
    services.key_person_save,
    ("name", "id_number", "phone", "category", "unit", "since", "released_on", "note"),
    detail_template="governance/keyperson_detail.html",
)
KEEPERS = ledger_views(
    KeyPersonKeeper,
    selectors.keeper_list,
    tables.KeyPersonKeeperTable,
    filtersets.KeyPersonKeeperFilterSet,
    forms.KeyPersonKeeperForm,
    services.keeper_save,
    ("person", "role", "keeper_name", "phone"),
)
KNOCKS = ledger_views(
    DoorKnock,
    selectors.knock_list,
    tables.DoorKnockTable,
    filtersets.DoorKnockFilterSet,
    forms.DoorKnockForm,
    services.door_knock_save,
    ("date", "unit", "household", "person", "by", "result"),
)
CHECKPOINTS = ledger_views(
    Checkpoint,
    selectors.checkpoint_list,
    tables.CheckpointTable,
    filtersets.CheckpointFilterSet,
    forms.CheckpointForm,
    services.checkpoint_save,
    ("name", "kind", "unit", "location", "opened_on", "closed_on"),
    detail_template="governance/checkpoint_detail.html",
)
STAFF = ledger_views(
    CheckpointStaff,
    selectors.staff_list,
    tables.CheckpointStaffTable,
    filtersets.CheckpointStaffFilterSet,
    forms.CheckpointStaffForm,
    services.checkpoint_staff_save,
    ("name", "checkpoint", "shifts", "is_active"),
)
PASSES = ledger_views(
    PassRecord,
    selectors.pass_list,
    tables.PassRecordTable,
    filtersets.PassRecordFilterSet,
    forms.PassRecordForm,
    services.pass_record_save,
    ("at", "checkpoint", "direction", "person_name", "phone", "id_number", "from_place", "plate"),
)


class KeyPersonDetail(KEY_PERSONS["detail"]):
    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        context["keepers"] = obj.keepers.select_related("role").order_by("role__order")
        context["knocks"] = obj.knocks.order_by("-date")[:20]
        return context


class CheckpointDetail(CHECKPOINTS["detail"]):
    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        context["staff"] = obj.staff.order_by("-is_active", "name")
        context["recent_passes"] = obj.passes.count()
        return context


KEY_PERSONS["detail"] = KeyPersonDetail

# Case lists open on status tabs.
HAZARDS["list"].tab_filter = "status"
DISPUTES["list"].tab_filter = "result"
PETITIONS["list"].tab_filter = "status"
ISSUES["list"].tab_filter = "status"
CHECKPOINTS["detail"] = CheckpointDetail


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
    month = periods.last_complete_month()
    if request.GET.get("month"):
        try:
            month = periods.parse_month(request.GET["month"])
        except periods.PeriodError as error:
            messages.error(request, str(error))
    rows, totals = [], {}
    if unit is not None:
        rows, totals = selectors.dispute_table(request.user, unit, month, periods.add_months(month, 1))
    months = [periods.add_months(periods.current_month(), -offset) for offset in range(18)]
    context = {"unit": unit, "month": month, "rows": rows, "totals": totals, "months": months}
    return render(request, "governance/dispute_table.html", context)


class HazardDetail(HAZARDS["detail"]):
    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        following = services.HAZARD_STEPS.get(obj.status)
        context["next_status"] = Hazard.Status(following).label if following else None
        context["can_review"] = services.may_verify(self.request.user, obj)
        context["overdue"] = tables.is_overdue(obj)
        return context


HAZARDS["detail"] = HazardDetail


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
