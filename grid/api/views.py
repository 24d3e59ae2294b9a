"""网格事件 in the API (/api/v1/grid/): the events a caller may see (a grid worker his grid's, a secretary his
village's, a cadre his town's, the 综治中心 those escalated to it), the report from a phone, and the village's
answers. Another grid's or village's event is a 404; each step is its service's, whose ValidationError is a 400 with
field errors in Chinese and whose PermissionDenied is a 403 (branches.api.base.exception_handler)."""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from branches.api.base import ScopedReadOnlyViewSet
from branches.models import Photo

from .. import forms, selectors, services
from ..filtersets import EventFilterSet
from ..models import GridEvent
from . import serializers

ACTION = {"detail": True, "filter_backends": [], "pagination_class": None}


def _events(user, action):
    return selectors.event_list(user, action)


def photos_by_event(events):
    """{event id: [photo]} for the events, in one query."""
    found = defaultdict(list)
    ids = [event.pk for event in events]
    if ids:
        kind = ContentType.objects.get_for_model(GridEvent)
        for photo in Photo.objects.filter(record_type=kind, record_id__in=ids).order_by("id"):
            found[photo.record_id].append(photo)
    return found


class EventViewSet(ScopedReadOnlyViewSet):
    """网格事件. POST reports one (a grid worker in his grid; a secretary in one of his village's grids), multipart
    with `photos` repeated. Its steps are POSTs on the event, each answered with the event as it then stands:

    - `accept/` 受理 `{kind?, …the register's fields}`: the village (or its 包村 cadre) — the event becomes the row of
      that work line's register (安全隐患、矛盾纠纷、民情台账、环境问题) through the line's own service;
    - `escalate/` 上报 `{to: cadre|centre, note}`: the village to its 包村 cadre or the town's 综治中心, the cadre on to
      the centre;
    - `close/` 办结 `{result}`: whoever holds it now. Its reporter is told."""

    selector = staticmethod(_events)
    serializer_class = serializers.EventSerializer
    filterset_class = EventFilterSet
    ordering_fields = ["reported_at", "answer_deadline", "id"]
    http_method_names = ["get", "post", "head", "options"]

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "photos": getattr(self, "photos", {})}

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        self.photos = photos_by_event(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return Response(self.answer(self.get_object()))

    def answer(self, event):
        self.photos = photos_by_event([event])
        return self.get_serializer(event).data

    def payload(self, serializer_class):
        payload = serializer_class(data=self.request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        return payload.validated_data

    @extend_schema(request=serializers.EventReportSerializer, responses={201: serializers.EventSerializer})
    def create(self, request, *args, **kwargs):
        if not selectors.may_report(request.user):
            raise exceptions.PermissionDenied(_("只有网格员和村（社区）可以上报网格事件。"))
        data = dict(self.payload(serializers.EventReportSerializer))
        photos = data.pop("photos")
        if data.get("unit") is None:
            grids = list(selectors.report_units(request.user)[:2])
            if len(grids) != 1:
                raise exceptions.ValidationError({"unit": [_("请选择事件所在的网格。")]})
            data["unit"] = grids[0]
        event = services.event_report(user=request.user, event=GridEvent(**data), photos=photos)
        return Response(self.answer(event), status=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.EventAcceptSerializer, responses=serializers.EventSerializer)
    @action(methods=["post"], **ACTION)
    def accept(self, request, pk=None):
        event = self.get_object()
        kind = self.payload(serializers.EventAcceptSerializer).get("register") or event.kind
        asked = forms.sink_form(kind, _prefixed(request.data, kind))
        if asked is not None and not asked.is_valid():
            raise exceptions.ValidationError(asked.errors)
        event = services.event_accept(user=request.user, event=event, kind=kind,
                                      asked=asked.cleaned_data if asked else {})  # fmt: skip
        return Response(self.answer(event))

    @extend_schema(request=serializers.EventEscalateSerializer, responses=serializers.EventSerializer)
    @action(methods=["post"], **ACTION)
    def escalate(self, request, pk=None):
        event = self.get_object()
        data = self.payload(serializers.EventEscalateSerializer)
        return Response(self.answer(services.event_escalate(user=request.user, event=event, **data)))

    @extend_schema(request=serializers.EventCloseSerializer, responses=serializers.EventSerializer)
    @action(methods=["post"], **ACTION)
    def close(self, request, pk=None):
        event = self.get_object()
        data = self.payload(serializers.EventCloseSerializer)
        return Response(self.answer(services.event_close(user=request.user, event=event, **data)))

    @extend_schema(request=None, parameters=[serializers.RegisterQuerySerializer],
                   responses=serializers.RegisterSerializer(many=True))  # fmt: skip
    @action(methods=["get"], detail=False, filter_backends=[], pagination_class=None)
    def registers(self, request):
        """The registers an event may be accepted into (`?kind=` one of them), each with the fields its acceptance
        asks for."""
        query = serializers.RegisterQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        wanted = query.validated_data.get("kind")
        found = []
        for kind, sink in selectors.sink_kinds().items():
            if wanted and kind != wanted:
                continue
            form = forms.sink_form(kind)
            fields = [] if form is None else [
                {"name": name, "label": str(field.label), "required": field.required}
                for name, field in form.fields.items()
            ]  # fmt: skip
            found.append({"kind": kind, "label": str(sink.label), "fields": fields})
        return Response(found)


def _prefixed(data, kind):
    """The request's fields under the register form's prefix (`hazard-responsible`), as that form reads them."""
    return {f"{kind}-{key}": value for key, value in data.items() if key != "register"}
