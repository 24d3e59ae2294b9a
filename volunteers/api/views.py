"""The 文明实践 API's own pieces; the ledgers' viewsets are derived from volunteers/ledgers.py, scoped like the pages.
An activity is marked held (with the hours) or cancelled by its own actions, hours are approved through
/participations/review/, and the two lists that are not ledgers (participations, activity types) are read-only."""

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from branches.api.base import ScopedReadOnlyViewSet
from branches.scoping import CHANGE

from .. import filtersets, selectors, services
from . import serializers


class TeamsThroughService:
    """Creates and updates pass the chosen teams (many-to-many) to the service rather than setting them on the row."""

    def service_arguments(self, data):
        return {"teams": data.pop("teams", None)}

    def save_through_service(self, serializer, instance):
        with transaction.atomic():
            super().save_through_service(serializer, instance)


class ActivitySteps:
    """POST …/{id}/held/ with the people served and each volunteer's hours; POST …/{id}/cancel/."""

    def _activity_to_change(self):
        """The activity, if the caller may change it: one he may only see is a 403 (not a 500)."""
        activity = selectors.activity_list(self.request.user, CHANGE).filter(pk=self.get_object().pk).first()
        if activity is None:
            raise PermissionDenied(_("您无权办理该活动。"))
        return activity

    def _answer(self, activity):
        fresh = selectors.activity_list(self.request.user).get(pk=activity.pk)
        return Response(serializers.ActivitySerializer(fresh, context={"request": self.request}).data)

    @extend_schema(request=serializers.HeldSerializer, responses=serializers.ActivitySerializer)
    @action(detail=True, methods=["post"])
    def held(self, request, pk=None):
        activity = self._activity_to_change()
        payload = serializers.HeldSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        hours = {row["volunteer"]: row["hours"] for row in payload.validated_data["participants"]}
        activity = services.activity_mark_held(user=request.user, activity=activity, hours_by_volunteer=hours,
                                               people_served=payload.validated_data["people_served"],
                                               reason=payload.validated_data.get("reason", ""))  # fmt: skip
        return self._answer(activity)

    @extend_schema(request=serializers.CancelSerializer, responses=serializers.ActivitySerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        activity = self._activity_to_change()
        payload = serializers.CancelSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.activity_cancel(user=request.user, activity=activity, reason=payload.validated_data.get("reason", ""))
        return self._answer(activity)


class ParticipationViewSet(ScopedReadOnlyViewSet):
    """Hours given, activity by activity; POST /review/ approves or turns down pending ones (the station's manager)."""

    selector = staticmethod(selectors.participation_list)
    serializer_class = serializers.ParticipationSerializer
    filterset_class = filtersets.ParticipationFilterSet
    ordering = ["-id"]

    @extend_schema(request=serializers.ReviewSerializer, responses=serializers.ParticipationSerializer(many=True))
    # One plain list back, no list filters (the schema said "paginated, filterable" and the answer was neither).
    @action(detail=False, methods=["post"], pagination_class=None, filter_backends=[])
    def review(self, request):
        payload = serializers.ReviewSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        chosen = list(selectors.participation_list(request.user).filter(pk__in=data["ids"]))
        services.hours_review(user=request.user, participations=chosen, approve=data["decision"] == "approve",
                              note=data.get("note", ""), reason=data.get("reason", ""))  # fmt: skip
        rows = selectors.participation_list(request.user).filter(pk__in=[p.pk for p in chosen])
        return Response(serializers.ParticipationSerializer(rows, many=True).data)


class ActivityTypeViewSet(ScopedReadOnlyViewSet):
    serializer_class = serializers.ActivityTypeSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.activity_types()
