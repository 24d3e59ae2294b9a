from .. import filtersets, selectors, services
from . import serializers
from .base import ScopedReadOnlyViewSet, ScopedViewSet


class UnitViewSet(ScopedReadOnlyViewSet):
    """Organisational units the caller may see. Filter with `kind` and `parent`."""

    selector = staticmethod(selectors.unit_list)
    serializer_class = serializers.UnitSerializer
    filterset_class = filtersets.UnitFilterSet
    ordering_fields = ["path", "name", "code"]
    ordering = ["path"]


class HouseholdViewSet(ScopedViewSet):
    selector = staticmethod(selectors.household_list)
    save_service = staticmethod(services.record_save)
    delete_service = staticmethod(services.record_delete)
    serializer_class = serializers.HouseholdSerializer
    filterset_class = filtersets.HouseholdFilterSet
    ordering_fields = ["head_name", "house_number", "id"]
    ordering = ["id"]


class PartyOrganisationViewSet(ScopedReadOnlyViewSet):
    selector = staticmethod(selectors.party_organisation_list)
    serializer_class = serializers.PartyOrganisationSerializer
    filterset_class = filtersets.PartyOrganisationFilterSet
    ordering = ["id"]


class PartyMemberViewSet(ScopedViewSet):
    selector = staticmethod(selectors.party_member_list)
    save_service = staticmethod(services.party_member_save)
    serializer_class = serializers.PartyMemberSerializer
    filterset_class = filtersets.PartyMemberFilterSet
    ordering_fields = ["name", "joined_date", "id"]
    ordering = ["id"]


class MicroGridViewSet(ScopedReadOnlyViewSet):
    selector = staticmethod(selectors.micro_grid_list)
    serializer_class = serializers.MicroGridSerializer
    filterset_class = filtersets.MicroGridFilterSet
    ordering = ["id"]


class AssignmentViewSet(ScopedReadOnlyViewSet):
    selector = staticmethod(selectors.assignment_list)
    serializer_class = serializers.AssignmentSerializer
    filterset_class = filtersets.AssignmentFilterSet
    ordering = ["id"]
