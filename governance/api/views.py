"""The governance ledgers' API (safety so far), scoped like the pages."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from branches.api.base import ledger_viewset
from branches.scoping import REVIEW

from .. import filtersets, selectors, services
from . import serializers


class HazardSteps:
    """POST …/{id}/advance/ moves a hazard one step; …/{id}/return/ sends a rectified one back (reviewers)."""

    def _step(self, request, pk, run):
        hazard = selectors.hazard_list(request.user, REVIEW).filter(pk=self.get_object().pk).first()
        if hazard is None:
            raise PermissionDenied("您无权办理该隐患。")
        payload = serializers.HazardStepSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        hazard = run(user=request.user, hazard=hazard, note=payload.validated_data["note"])
        return Response(serializers.HazardSerializer(hazard, context={"request": request}).data)

    @extend_schema(request=serializers.HazardStepSerializer, responses=serializers.HazardSerializer)
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        return self._step(request, pk, services.hazard_advance)

    @extend_schema(request=serializers.HazardStepSerializer, responses=serializers.HazardSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def send_back(self, request, pk=None):
        return self._step(request, pk, services.hazard_return)


TeamViewSet = ledger_viewset(
    "TeamViewSet",
    selectors.team_list,
    serializers.PatrolTeamSerializer,
    filtersets.PatrolTeamFilterSet,
    services.patrol_team_save,
)
MemberViewSet = ledger_viewset(
    "MemberViewSet",
    selectors.member_list,
    serializers.PatrolMemberSerializer,
    filtersets.PatrolMemberFilterSet,
    services.patrol_member_save,
)
ActionViewSet = ledger_viewset(
    "ActionViewSet",
    selectors.action_list,
    serializers.SafetyActionSerializer,
    filtersets.SafetyActionFilterSet,
    services.safety_action_save,
)
HazardViewSet = ledger_viewset("HazardViewSet", selectors.hazard_list, serializers.HazardSerializer,
                               filtersets.HazardFilterSet, services.hazard_save,
                               extra_bases=(HazardSteps,))  # fmt: skip
CommitteeViewSet = ledger_viewset(
    "CommitteeViewSet",
    selectors.committee_list,
    serializers.MediationCommitteeSerializer,
    filtersets.MediationCommitteeFilterSet,
    services.mediation_committee_save,
)
DisputeViewSet = ledger_viewset(
    "DisputeViewSet",
    selectors.dispute_list,
    serializers.DisputeCaseSerializer,
    filtersets.DisputeCaseFilterSet,
    services.dispute_save,
)
PetitionViewSet = ledger_viewset("PetitionViewSet", selectors.petition_list, serializers.PetitionCaseSerializer,
                                 filtersets.PetitionCaseFilterSet, services.petition_save)  # fmt: skip


VisitViewSet = ledger_viewset(
    "VisitViewSet",
    selectors.visit_list,
    serializers.VisitLogSerializer,
    filtersets.VisitLogFilterSet,
    services.visit_log_save,
)
IssueViewSet = ledger_viewset(
    "IssueViewSet",
    selectors.issue_list,
    serializers.PeopleIssueSerializer,
    filtersets.PeopleIssueFilterSet,
    services.people_issue_save,
)
KeyPersonViewSet = ledger_viewset(
    "KeyPersonViewSet",
    selectors.key_person_list,
    serializers.KeyPersonSerializer,
    filtersets.KeyPersonFilterSet,
    services.key_person_save,
)
KeeperViewSet = ledger_viewset(
    "KeeperViewSet",
    selectors.keeper_list,
    serializers.KeyPersonKeeperSerializer,
    filtersets.KeyPersonKeeperFilterSet,
    services.keeper_save,
)
KnockViewSet = ledger_viewset(
    "KnockViewSet",
    selectors.knock_list,
    serializers.DoorKnockSerializer,
    filtersets.DoorKnockFilterSet,
    services.door_knock_save,
)
CheckpointViewSet = ledger_viewset(
    "CheckpointViewSet",
    selectors.checkpoint_list,
    serializers.CheckpointSerializer,
    filtersets.CheckpointFilterSet,
    services.checkpoint_save,
)
StaffViewSet = ledger_viewset(
    "StaffViewSet",
    selectors.staff_list,
    serializers.CheckpointStaffSerializer,
    filtersets.CheckpointStaffFilterSet,
    services.checkpoint_staff_save,
)
PassViewSet = ledger_viewset("PassViewSet", selectors.pass_list, serializers.PassRecordSerializer,
                    filtersets.PassRecordFilterSet, services.pass_record_save)  # fmt: skip
