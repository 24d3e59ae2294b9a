"""The governance API's own actions; its viewsets are derived from the ledgers (governance/ledgers.py), scoped like
the pages."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from branches.scoping import REVIEW

from .. import selectors, services
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
