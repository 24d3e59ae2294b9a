"""What every API viewset shares: rows come from a scoped selector, writes go through services, and a service's
ValidationError or PermissionDenied becomes a 400 with field errors or a 403 (never a 500)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ..closing import REASON_MAX_LENGTH, set_reason
from ..masking import mask_fields, personal_fields_of
from ..scoping import CHANGE, VIEW, may_write_model, pick_action, scope_roots
from ..services import REVEAL_REASON_MAX_LENGTH, personal_data_reveal


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        # Still the 403 DRF gives with session login first, but told apart from a refusal: an offline phone's queue
        # keeps the item and waits for the user to log in again (static/js/offline.js).
        response.data["code"] = "not_authenticated"
    return response


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A related-record choice limited to what the caller may change (another village's id is 'does not exist'), or
    may do `action` to: the related model's `restrict(user, action)`, with any rule that model declares."""

    def __init__(self, *, action=CHANGE, **kwargs):
        self.action = action
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        queryset = super().get_queryset()
        return queryset.restrict(request.user, pick_action(request.user, queryset.model, self.action))


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """`selector(user, action)` gives the rows the caller may see; the personal data its model declares is masked
    for a caller who may not change the row, whether or not its serializer remembered to (`masked_serializer`)."""

    selector = None

    def get_queryset(self):
        return type(self).selector(self.request.user, VIEW)

    def get_serializer_class(self):
        serializer_class = super().get_serializer_class()
        if getattr(self, "swagger_fake_view", False):
            return serializer_class  # the schema describes the fields, not anyone's values
        return masked_serializer(serializer_class)


class ScopedViewSet(ScopedReadOnlyViewSet, viewsets.ModelViewSet):
    """Adds writes through `save_service(user=…, instance=…)` and deletes through `delete_service`.

    Whether the caller may change a record is settled before the payload is read: one who may see it but not change
    it (a leader, a cadre outside his villages) gets a 403 on its update or delete, not a 400 about the payload; a
    record he may not see stays a 404. A create by one who may change nothing anywhere (a leader) is a 403 too;
    otherwise the scoped choices of its unit or parent record refuse another village's (a 400 on that field).
    A ledger with no `delete_service` offers no DELETE at all, nor does its schema."""

    save_service = None
    delete_service = None
    WRITES_TO_A_RECORD = ("update", "partial_update", "destroy")

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if getattr(cls, "serializer_class", None) is not None:
            with_reason(cls.serializer_class)
        if cls.delete_service is None:
            cls.http_method_names = [name for name in cls.http_method_names if name != "delete"]
        elif "delete" not in cls.http_method_names:
            cls.http_method_names = [*cls.http_method_names, "delete"]

    def get_object(self):
        obj = super().get_object()
        if self.action in self.WRITES_TO_A_RECORD:
            if not type(self).selector(self.request.user, CHANGE).filter(pk=obj.pk).exists():
                raise exceptions.PermissionDenied(_("您无权修改该记录。"))
        return obj

    def create(self, request, *args, **kwargs):
        if scope_roots(request.user, CHANGE) == []:
            raise exceptions.PermissionDenied(_("您的账号只能查看，不能新增记录。"))
        if not may_write_model(request.user, self.get_queryset().model):
            raise exceptions.PermissionDenied(_("网格员不能新增该类记录。"))
        return super().create(request, *args, **kwargs)

    def reason(self, serializer=None):
        """The `reason` of the change (a row of an approved month or a closed year, a changed time limit:
        branches.closing): the serializer's field, or for a DELETE the query string's `?reason=`."""
        data = serializer.validated_data if serializer is not None else {}
        return data.get("reason") or self.request.query_params.get("reason", "")

    def service_arguments(self, data):
        """What the save service takes besides the row, popped from the validated data (a hook: the teams of a
        volunteer, a many-to-many saved after the row)."""
        return {}

    def save_through_service(self, serializer, instance):
        """Set the validated values on the row, give it the reason, save it through the ledger's service."""
        data = dict(serializer.validated_data)
        data.pop("reason", None)
        extra = self.service_arguments(data)
        for name, value in data.items():
            setattr(instance, name, value)
        set_reason(instance, self.reason(serializer))
        serializer.instance = type(self).save_service(user=self.request.user, instance=instance, **extra)

    def perform_create(self, serializer):
        self.save_through_service(serializer, serializer.Meta.model())

    def perform_update(self, serializer):
        self.save_through_service(serializer, serializer.instance)

    def perform_destroy(self, instance):
        if self.delete_service is None:
            raise exceptions.MethodNotAllowed(self.request.method)
        set_reason(instance, self.reason())
        type(self).delete_service(user=self.request.user, instance=instance)


class MaskedSerializerMixin:
    """Masks the model's personal_fields for a caller with no need for them (see branches.masking), unless the
    caller has just revealed them (`revealed` in the context: PersonalDataActions.unmask)."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None:
            return data
        return mask_fields(request.user, instance, data, revealed=self.context.get("revealed", False))


class UnmaskSerializer(serializers.Serializer):
    reason = serializers.CharField(
        label=gettext_lazy("查看事由"), max_length=REVEAL_REASON_MAX_LENGTH,
        help_text=gettext_lazy("如：包案领导需电话联系信访人。记入个人信息查看记录。"),
        error_messages={"required": gettext_lazy("请说明查看完整信息的事由。"),
                        "blank": gettext_lazy("请说明查看完整信息的事由。"),
                        "max_length": gettext_lazy("事由最多 {max_length} 个字。")},
    )  # fmt: skip


class PersonalDataActions:
    """POST …/{id}/unmask/ `{"reason"}`: 查看完整信息 through the API, as on the detail page — the record with its
    personal data whole in this one answer, and the look recorded (services.personal_data_reveal: who, whose
    record, which fields, when, why). Without a reason a 400; a record the caller may not see a 404. Every ledger
    whose model declares personal fields has it (branches.ledgers.Ledger.viewset)."""

    @extend_schema(request=UnmaskSerializer, summary="查看完整信息（记入个人信息查看记录）")
    @action(detail=True, methods=["post"], filter_backends=[])
    def unmask(self, request, pk=None):
        record = self.get_object()
        payload = UnmaskSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        personal_data_reveal(user=request.user, record=record, reason=payload.validated_data["reason"])
        context = {**self.get_serializer_context(), "revealed": True}
        return Response(self.get_serializer_class()(record, context=context).data)


_MASKED = {}


def masked_serializer(serializer_class):
    """`serializer_class`, masking the personal fields its model declares (itself if it holds none or masks already)."""
    model = getattr(getattr(serializer_class, "Meta", None), "model", None)
    if issubclass(serializer_class, MaskedSerializerMixin) or not personal_fields_of(model):
        return serializer_class
    if serializer_class not in _MASKED:
        _MASKED[serializer_class] = type(serializer_class.__name__, (MaskedSerializerMixin, serializer_class), {
            "__module__": serializer_class.__module__, "__doc__": serializer_class.__doc__})  # fmt: skip
    return _MASKED[serializer_class]


def reason_field(**kwargs):
    """The one write-only 修改原因 of a change (branches.closing.set_reason stores it, the history keeps it): a row
    of an approved month or a closed year, or a case whose time limit changes, is saved only with one."""
    kwargs = {"label": gettext_lazy("修改原因"), "help_text": gettext_lazy(
        "修改已审核月份或已关账年度的台账记录、修改办理时限时必须填写，记入修改记录。"), **kwargs}  # fmt: skip
    return serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=REASON_MAX_LENGTH,
                                 **kwargs)  # fmt: skip


def with_reason(serializer_class):
    """Give a ledger's serializer the write-only `reason` its creates, updates and deletes take (branches.closing):
    one field, documented in the schema, whatever asks for the reason. The class itself gains it (once), so the
    schema and every action answering with it see one component."""
    if "reason" in serializer_class._declared_fields:
        return serializer_class
    serializer_class._declared_fields["reason"] = reason_field()
    fields = getattr(serializer_class.Meta, "fields", None)
    if isinstance(fields, list | tuple):
        serializer_class.Meta.fields = [*fields, "reason"]
    return serializer_class
