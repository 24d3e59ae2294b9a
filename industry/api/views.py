"""The industry API's own actions; its viewsets are derived from the ledgers (industry/ledgers.py), scoped like the
pages: village ledgers by unit, visits and problems by 包企."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import services
from . import serializers


class ProblemStatusActions:
    @extend_schema(request=serializers.ProblemStatusSerializer, responses=serializers.ProblemSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        """Move a problem along: in_progress, solved, or closed (with a resolution saying why)."""
        problem = self.get_object()
        payload = serializers.ProblemStatusSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        problem = services.problem_set_status(user=request.user, problem=problem, **payload.validated_data)
        return Response(serializers.ProblemSerializer(problem, context={"request": request}).data)
