"""The industry ledgers' API, scoped like the pages: village ledgers by unit, visits and problems by 包企."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from branches.api.base import ScopedViewSet
from branches.services import record_delete

from .. import filtersets, selectors, services
from . import serializers


class EnterpriseViewSet(ScopedViewSet):
    selector = staticmethod(selectors.enterprise_list)
    save_service = staticmethod(services.enterprise_save)
    serializer_class = serializers.EnterpriseSerializer
    filterset_class = filtersets.EnterpriseFilterSet
    ordering = ["id"]


class ServiceVisitViewSet(ScopedViewSet):
    selector = staticmethod(selectors.visit_list)
    save_service = staticmethod(services.visit_save)
    serializer_class = serializers.ServiceVisitSerializer
    filterset_class = filtersets.ServiceVisitFilterSet
    ordering = ["-date", "-id"]


class ProblemViewSet(ScopedViewSet):
    selector = staticmethod(selectors.problem_list)
    save_service = staticmethod(services.problem_save)
    serializer_class = serializers.ProblemSerializer
    filterset_class = filtersets.ProblemFilterSet
    ordering = ["deadline", "id"]

    @extend_schema(request=serializers.ProblemStatusSerializer, responses=serializers.ProblemSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        """Move a problem along: in_progress, solved, or closed (with a resolution saying why)."""
        problem = self.get_object()
        payload = serializers.ProblemStatusSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        problem = services.problem_set_status(user=request.user, problem=problem, **payload.validated_data)
        return Response(serializers.ProblemSerializer(problem, context={"request": request}).data)


class VillageLedgerViewSet(ScopedViewSet):
    save_service = staticmethod(services.village_ledger_save)
    delete_service = staticmethod(record_delete)


class IncomeEntryViewSet(VillageLedgerViewSet):
    selector = staticmethod(selectors.income_list)
    serializer_class = serializers.IncomeEntrySerializer
    filterset_class = filtersets.IncomeEntryFilterSet
    ordering = ["-date", "-id"]


class FeaturedProjectViewSet(VillageLedgerViewSet):
    selector = staticmethod(selectors.project_list)
    serializer_class = serializers.FeaturedProjectSerializer
    filterset_class = filtersets.FeaturedProjectFilterSet
    ordering = ["id"]


class SalesRecordViewSet(VillageLedgerViewSet):
    selector = staticmethod(selectors.sales_list)
    serializer_class = serializers.SalesRecordSerializer
    filterset_class = filtersets.SalesRecordFilterSet
    ordering = ["-date", "-id"]
