"""The shapes of 网格事件 in the API. Read serializers only show; the write ones only check the form of a payload
(types, lengths, ids the caller may change): what a step means is services.py's."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from branches.api.base import ScopedPrimaryKeyField
from branches.api.serializers import PhotoLinkSerializer
from branches.models import Household, Unit

from .. import selectors
from ..models import GridEvent, Kind

PHOTOS_MAX = 9


class TimeLimitSerializer(serializers.Serializer):
    code = serializers.CharField(label=_("状态：over 超期、near 临期、on_time、done、none"))
    text = serializers.CharField()


class RecordSerializer(serializers.Serializer):
    model = serializers.CharField(label=_("台账"))
    id = serializers.IntegerField()
    text = serializers.CharField()
    url = serializers.CharField()


class EventSerializer(serializers.ModelSerializer):
    """One event as the caller may see it: where, what, its status and time limit, the ledger row it became (once
    accepted), its photos. `description` and `result` are masked for a reader who may not change its village."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    escalated_to = serializers.CharField(read_only=True, label=_("上报至：cadre 包村干部、centre 综治中心，未上报为空"))
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    reporter_name = serializers.SerializerMethodField(label=_("上报人"))
    time_limit = serializers.SerializerMethodField(label=_("时限"))
    record = serializers.SerializerMethodField(label=_("转入的台账记录"))
    photos = serializers.SerializerMethodField(label=_("现场照片"))
    url = serializers.SerializerMethodField(label=_("页面"))

    class Meta:
        model = GridEvent
        fields = ["id", "unit", "unit_name", "kind", "kind_display", "description", "place", "latitude", "longitude",
                  "household", "reporter_name", "reported_at", "status", "status_display", "answer_deadline",
                  "answered_on", "escalated_to", "escalated_on", "escalation_deadline", "closed_on", "result",
                  "time_limit", "record", "photos", "url"]  # fmt: skip
        read_only_fields = fields

    def get_reporter_name(self, event) -> str:
        return event.reporter.display_name if event.reporter else ""

    @extend_schema_field(TimeLimitSerializer)
    def get_time_limit(self, event):
        state = selectors.time_state(event)
        return {"code": state.code, "text": str(state.text)}

    @extend_schema_field(RecordSerializer(allow_null=True))
    def get_record(self, event):
        record = event.record
        if record is None:
            return None
        return {"model": str(record._meta.verbose_name), "id": record.pk, "text": str(record),
                "url": record.get_absolute_url()}  # fmt: skip

    @extend_schema_field(PhotoLinkSerializer(many=True))
    def get_photos(self, event):
        photos = self.context.get("photos", {}).get(event.pk, [])
        return PhotoLinkSerializer(photos, many=True, context=self.context).data

    def get_url(self, event) -> str:
        return event.get_absolute_url()


class EventReportSerializer(serializers.Serializer):
    """事件上报 (multipart, `photos` repeated; or JSON without photos). `unit`: the grid — a grid worker may leave it
    out, his own grid is taken."""

    unit = ScopedPrimaryKeyField(queryset=Unit.objects.filter(kind=Unit.Kind.GRID), required=False, label=_("网格"))
    kind = serializers.ChoiceField(choices=Kind.choices, label=_("事件类型"))
    description = serializers.CharField(max_length=2000, label=_("事件描述"))
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", label=_("地点"))
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True,
                                        min_value=-90, max_value=90, label=_("纬度"))  # fmt: skip
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True,
                                         min_value=-180, max_value=180, label=_("经度"))  # fmt: skip
    household = ScopedPrimaryKeyField(queryset=Household.objects.all(), required=False, allow_null=True,
                                      label=_("涉及农户"))  # fmt: skip
    photos = serializers.ListField(child=serializers.ImageField(), required=False, default=list,
                                   max_length=PHOTOS_MAX, label=_("现场照片"))  # fmt: skip


class EventAcceptSerializer(serializers.Serializer):
    """受理: `register` the kind of register it goes into (the event's kind if left out), and the fields that register
    asks for (see `GET /api/v1/grid/events/registers/`), flat beside it."""

    register = serializers.ChoiceField(choices=Kind.choices, required=False, label=_("转入台账"))


class EventEscalateSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=GridEvent.To.choices, label=_("上报至"))
    note = serializers.CharField(max_length=500, label=_("上报原因"))


class EventCloseSerializer(serializers.Serializer):
    result = serializers.CharField(max_length=1000, label=_("处理结果"))


class RegisterQuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices, required=False, label=_("事件类型"))


class RegisterFieldSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    required = serializers.BooleanField()


class RegisterSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    fields = RegisterFieldSerializer(many=True)
