"""The ledgers of 支部+基层治理, each declared once: its pages, API and routes are derived (branches.ledgers)."""

from branches.ledgers import Ledger

from . import filtersets, forms, selectors, services, tables
from .api import serializers
from .api.views import HazardSteps
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

# --- safety ---------------------------------------------------------------------------------------------------------


class PatrolTeamLedger(Ledger):
    model = PatrolTeam
    prefix = "governance/teams"
    selector = selectors.team_list
    table = tables.PatrolTeamTable
    filterset = filtersets.PatrolTeamFilterSet
    form = forms.PatrolTeamForm
    save = services.patrol_team_save
    fields = ("name", "unit", "leader_name", "founded_on", "is_active")
    serializer = serializers.PatrolTeamSerializer
    api_name, api_basename = "patrol-teams", "patrol-team"


class PatrolMemberLedger(Ledger):
    model = PatrolMember
    prefix = "governance/team-members"
    selector = selectors.member_list
    table = tables.PatrolMemberTable
    filterset = filtersets.PatrolMemberFilterSet
    form = forms.PatrolMemberForm
    save = services.patrol_member_save
    fields = ("name", "team", "unit", "phone", "party_member", "is_active")
    serializer = serializers.PatrolMemberSerializer
    api_name, api_basename = "patrol-members", "patrol-member"


class SafetyActionLedger(Ledger):
    model = SafetyAction
    dated_by = ("date",)
    prefix = "governance/actions"
    selector = selectors.action_list
    table = tables.SafetyActionTable
    filterset = filtersets.SafetyActionFilterSet
    form = forms.SafetyActionForm
    save = services.safety_action_save
    fields = ("date", "kind", "unit", "team", "partners", "place", "umbrellas_removed", "helmet_persuasions", "note")
    serializer = serializers.SafetyActionSerializer
    api_name, api_basename = "safety-actions", "safety-action"


class HazardLedger(Ledger):
    """POST …/{id}/advance/ moves a hazard one step; …/{id}/return/ sends a rectified one back (reviewers)."""

    model = Hazard
    dated_by = ("found_on", "rectified_on")
    prefix = "governance/hazards"
    selector = selectors.hazard_list
    table = tables.HazardTable
    filterset = filtersets.HazardFilterSet
    tab_filter = "status"
    form = forms.HazardForm
    save = services.hazard_save
    fields = ("item", "unit", "location", "found_on", "action", "measures", "funds", "responsible", "deadline",
              "reviewer", "status", "rectified_on", "verified_on", "note")  # fmt: skip
    detail_template = "governance/hazard_detail.html"
    serializer = serializers.HazardSerializer
    api_name = "hazards"
    api_mixins = (HazardSteps,)

    @classmethod
    def detail_context(cls, request, obj, context):
        following = services.HAZARD_STEPS.get(obj.status)
        return {
            "next_status": Hazard.Status(following).label if following else None,
            "overdue": tables.is_overdue(obj),
            "deadline_state": selectors.hazard_state(obj),
            **selectors.hazard_page(request.user, obj),
        }


# --- disputes and petitions -----------------------------------------------------------------------------------------


class MediationCommitteeLedger(Ledger):
    model = MediationCommittee
    prefix = "governance/committees"
    selector = selectors.committee_list
    table = tables.MediationCommitteeTable
    filterset = filtersets.MediationCommitteeFilterSet
    form = forms.MediationCommitteeForm
    save = services.mediation_committee_save
    fields = ("name", "unit", "director", "members", "room", "legal_adviser", "auxiliary_police", "established_on")
    serializer = serializers.MediationCommitteeSerializer
    api_name, api_basename = "mediation-committees", "mediation-committee"


class DisputeCaseLedger(Ledger):
    model = DisputeCase
    dated_by = ("closed_on",)
    prefix = "governance/disputes"
    selector = selectors.dispute_list
    table = tables.DisputeCaseTable
    filterset = filtersets.DisputeCaseFilterSet
    tab_filter = "result"
    form = forms.DisputeCaseForm
    save = services.dispute_save
    fields = ("summary", "kind", "unit", "parties", "party_phones", "party_ids", "received_on", "deadline",
              "mediator", "steps", "result", "closed_on")  # fmt: skip
    serializer = serializers.DisputeCaseSerializer
    api_name, api_basename = "disputes", "dispute"

    @classmethod
    def detail_context(cls, request, obj, context):
        return {"deadline_state": selectors.dispute_state(obj)}


class PetitionCaseLedger(Ledger):
    model = PetitionCase
    dated_by = ("resolved_on",)
    prefix = "governance/petitions"
    selector = selectors.petition_list
    table = tables.PetitionCaseTable
    filterset = filtersets.PetitionCaseFilterSet
    tab_filter = "status"
    form = forms.PetitionCaseForm
    save = services.petition_save
    fields = ("title", "unit", "petitioner", "petitioner_phone", "received_on", "taken_on", "deadline", "leader",
              "status", "progress", "resolved_on")  # fmt: skip
    serializer = serializers.PetitionCaseSerializer
    api_name, api_basename = "petitions", "petition"

    @classmethod
    def detail_context(cls, request, obj, context):
        return {"deadline_state": selectors.petition_state(obj)}


# --- 五个到户, key persons, checkpoints -----------------------------------------------------------------------------


class VisitLogLedger(Ledger):
    model = VisitLog
    prefix = "governance/visits"
    selector = selectors.visit_list
    table = tables.VisitLogTable
    filterset = filtersets.VisitLogFilterSet
    form = forms.VisitLogForm
    save = services.visit_log_save
    fields = ("date", "member", "grid_worker", "household", "aspect", "raised")
    serializer = serializers.VisitLogSerializer
    api_name, api_basename = "visits", "visit"


class PeopleIssueLedger(Ledger):
    model = PeopleIssue
    prefix = "governance/issues"
    selector = selectors.issue_list
    table = tables.PeopleIssueTable
    filterset = filtersets.PeopleIssueFilterSet
    tab_filter = "status"
    form = forms.PeopleIssueForm
    save = services.people_issue_save
    fields = ("content", "household", "unit", "raised_on", "handler", "status", "closed_on", "result")
    serializer = serializers.PeopleIssueSerializer
    api_name, api_basename = "issues", "issue"


class KeyPersonLedger(Ledger):
    model = KeyPerson
    prefix = "governance/key-persons"
    selector = selectors.key_person_list
    table = tables.KeyPersonTable
    filterset = filtersets.KeyPersonFilterSet
    form = forms.KeyPersonForm
    save = services.key_person_save
    fields = ("name", "id_number", "phone", "category", "unit", "since", "released_on", "note")
    detail_template = "governance/keyperson_detail.html"
    serializer = serializers.KeyPersonSerializer
    api_name, api_basename = "key-persons", "key-person"

    @classmethod
    def detail_context(cls, request, obj, context):
        return {
            "keepers": obj.keepers.select_related("role").order_by("role__order"),
            "knocks": obj.knocks.order_by("-date")[:20],
        }


class KeyPersonKeeperLedger(Ledger):
    model = KeyPersonKeeper
    prefix = "governance/keepers"
    selector = selectors.keeper_list
    table = tables.KeyPersonKeeperTable
    filterset = filtersets.KeyPersonKeeperFilterSet
    form = forms.KeyPersonKeeperForm
    save = services.keeper_save
    fields = ("person", "role", "keeper_name", "phone")
    serializer = serializers.KeyPersonKeeperSerializer
    api_name, api_basename = "key-person-keepers", "key-person-keeper"


class DoorKnockLedger(Ledger):
    model = DoorKnock
    prefix = "governance/door-knocks"
    selector = selectors.knock_list
    table = tables.DoorKnockTable
    filterset = filtersets.DoorKnockFilterSet
    form = forms.DoorKnockForm
    save = services.door_knock_save
    fields = ("date", "unit", "household", "person", "by", "grid_worker", "result")
    serializer = serializers.DoorKnockSerializer
    api_name, api_basename = "door-knocks", "door-knock"


class CheckpointLedger(Ledger):
    model = Checkpoint
    prefix = "governance/checkpoints"
    selector = selectors.checkpoint_list
    table = tables.CheckpointTable
    filterset = filtersets.CheckpointFilterSet
    form = forms.CheckpointForm
    save = services.checkpoint_save
    fields = ("name", "kind", "unit", "location", "opened_on", "closed_on")
    detail_template = "governance/checkpoint_detail.html"
    serializer = serializers.CheckpointSerializer
    api_name = "checkpoints"

    @classmethod
    def detail_context(cls, request, obj, context):
        return {"staff": obj.staff.order_by("-is_active", "name"), "recent_passes": obj.passes.count()}


class CheckpointStaffLedger(Ledger):
    model = CheckpointStaff
    prefix = "governance/checkpoint-staff"
    selector = selectors.staff_list
    table = tables.CheckpointStaffTable
    filterset = filtersets.CheckpointStaffFilterSet
    form = forms.CheckpointStaffForm
    save = services.checkpoint_staff_save
    fields = ("name", "checkpoint", "shifts", "is_active")
    serializer = serializers.CheckpointStaffSerializer
    api_name, api_basename = "checkpoint-staff", "checkpoint-staff"


class PassRecordLedger(Ledger):
    model = PassRecord
    prefix = "governance/passes"
    selector = selectors.pass_list
    table = tables.PassRecordTable
    filterset = filtersets.PassRecordFilterSet
    form = forms.PassRecordForm
    save = services.pass_record_save
    fields = ("at", "checkpoint", "direction", "person_name", "phone", "id_number", "from_place", "plate")
    serializer = serializers.PassRecordSerializer
    api_name, api_basename = "passes", "pass"


LEDGERS = (PatrolTeamLedger, PatrolMemberLedger, SafetyActionLedger, HazardLedger, MediationCommitteeLedger,
           DisputeCaseLedger, PetitionCaseLedger, VisitLogLedger, PeopleIssueLedger, KeyPersonLedger,
           KeyPersonKeeperLedger, DoorKnockLedger, CheckpointLedger, CheckpointStaffLedger,
           PassRecordLedger)  # fmt: skip
