"""任务督办 in the API (/api/v1/dispatch/): the tasks a caller may see and the town's issuing of one, and the
villages' items with each step of their way. Rows come from the scoped selectors (another village's item is a 404);
every step is its service's, whose ValidationError is a 400 with field errors in Chinese and whose PermissionDenied
is a 403 (branches.api.base.exception_handler)."""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from branches.api.base import ScopedReadOnlyViewSet
from branches.models import Photo
from branches.scoping import VIEW

from .. import selectors, services
from ..filtersets import ItemFilterSet, TaskFilterSet
from ..models import Extension, Figure, Item, Step, Task
from . import serializers

# An action reads its record by id alone: the list's filters (?status=…, ?q=…) do not apply to it.
ACTION = {"detail": True, "filter_backends": [], "pagination_class": None}

# --- tasks ----------------------------------------------------------------------------------------------------------


def _tasks(user, action=VIEW):
    return selectors.task_list(user).prefetch_related("measures", "attachments")


class TaskViewSet(ScopedReadOnlyViewSet):
    """督办任务: the tasks the caller may see (a village's secretary: those sent to his village), newest first, each
    with what it asks, its attachments and how its villages stand (`progress`). POST issues one (镇领导、镇干部):
    one item for every village of `targets`, each told at once."""

    selector = staticmethod(_tasks)
    serializer_class = serializers.TaskSerializer
    filterset_class = TaskFilterSet
    ordering_fields = ["issued_on", "deadline", "id"]
    http_method_names = ["get", "post", "head", "options"]

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "progress": getattr(self, "progress", {})}

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        self.progress = selectors.task_progress(page, user=request.user)  # the counts of the whole page at once
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return Response(self.answer(self.get_object()))

    def answer(self, task):
        self.progress = selectors.task_progress([task], user=self.request.user)
        return serializers.TaskSerializer(task, context=self.get_serializer_context()).data

    @extend_schema(request=serializers.TaskIssueSerializer, responses={201: serializers.TaskSerializer})
    def create(self, request, *args, **kwargs):
        """下达任务 (镇领导、镇干部、管理员). JSON, or multipart with `attachments` (see the request's fields)."""
        if not selectors.can_issue(request.user):
            raise exceptions.PermissionDenied(_("只有镇领导、镇干部可以下达任务。"))
        payload = serializers.TaskIssueSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        targets, measures, attachments = data.pop("targets"), data.pop("measures"), data.pop("attachments")
        data["targets"] = data.pop("targets_text")
        task = services.task_issue(user=request.user, task=Task(**data), targets=targets, attachments=attachments,
                                   measures=[services.MeasureSpec(**measure) for measure in measures])  # fmt: skip
        return Response(self.answer(_tasks(request.user).get(pk=task.pk)), status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=serializers.TaskPressedSerializer)
    @action(methods=["post"], **ACTION)
    def press(self, request, pk=None):
        """催办: tells every village of the task that has not reported yet (those the caller reviews); answers how
        many were pressed."""
        task = self.get_object()
        if not selectors.can_issue(request.user):
            raise exceptions.PermissionDenied(_("只有镇领导、镇干部可以催办。"))
        return Response({"pressed": services.task_press(user=request.user, task=task)})

    @extend_schema(request=serializers.DispatchReasonSerializer, responses=serializers.TaskSerializer)
    @action(methods=["post"], **ACTION)
    def cancel(self, request, pk=None):
        """撤销任务 (its issuer): `{"reason"}` is required."""
        task = self.get_object()
        payload = serializers.DispatchReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.task_cancel(user=request.user, task=task, reason=payload.validated_data["reason"])
        return Response(self.answer(_tasks(request.user).get(pk=task.pk)))

    @extend_schema(responses=serializers.TaskBoardSerializer)
    @action(methods=["get"], **ACTION)
    def board(self, request, pk=None):
        """The task's board: each village (that the caller may see) with its status, card and reported numbers,
        the numbers' totals, the count of villages in each status and their total."""
        board = selectors.task_board(request.user, self.get_object())
        counts = {value: board.counts.get(value, 0) for value in Item.Status.values}
        data = {"task": board.task, "measures": board.measures, "rows": board.rows, "totals": board.totals,
                "counts": counts, "total": len(board.rows), "red": board.red}  # fmt: skip
        return Response(serializers.TaskBoardSerializer(data).data)


# --- items ----------------------------------------------------------------------------------------------------------


def _items(user, action=VIEW):
    return selectors.item_list(user, action).prefetch_related(
        Prefetch("figures", queryset=Figure.objects.select_related("measure").order_by("measure__order", "id")),
        Prefetch("steps", queryset=Step.objects.select_related("user")),
        Prefetch("extensions", queryset=Extension.objects.all()),
        "members",
    )


def photos_by_item(items):
    """{item id: its photos} for a page of items, in one query (branches.photos.photos_of is one item's)."""
    found = defaultdict(list)
    record_type = ContentType.objects.get_for_model(Item)
    photos = Photo.objects.filter(record_type=record_type, record_id__in=[item.pk for item in items])
    for photo in photos.order_by("id"):
        found[photo.record_id].append(photo)
    return found


class ItemViewSet(ScopedReadOnlyViewSet):
    """任务办理: each village's item of a task, those the caller may see (a secretary: his village's). Its steps are
    POSTs on the item, each answered with the item as it then stands:

    - `receive/` 签收 and `report/` 上报 `{text, figures: {measure id: number}, members: [ids]}` (or multipart with
      `photos`): the village's secretary;
    - `verify/` 核验办结 `{note}` and `return/` 退回 `{reason}`: the task's issuer and those who review the village
      (its 联村干部, the town's leaders);
    - `extend/` 申请延期 `{until, reason}`: the village; `decide/` `{grant, note}` grants or refuses the item's waiting
      request (one waits at a time): the issuer or a reviewer. A refusal needs a note."""

    selector = staticmethod(_items)
    serializer_class = serializers.ItemSerializer
    filterset_class = ItemFilterSet
    ordering_fields = ["deadline", "reported_on", "id"]

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "photos": getattr(self, "photos", {})}

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        self.photos = photos_by_item(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return Response(self.answer(self.get_object()))

    def answer(self, item):
        """The item re-read with everything it shows (a service returns it bare)."""
        item = _items(self.request.user).get(pk=item.pk)
        self.photos = photos_by_item([item])
        return serializers.ItemSerializer(item, context=self.get_serializer_context()).data

    def payload(self, serializer_class):
        payload = serializer_class(data=self.request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        return payload.validated_data

    @extend_schema(request=None, responses=serializers.ItemSerializer)
    @action(methods=["post"], **ACTION)
    def receive(self, request, pk=None):
        """签收 (the village): a pending item becomes received; any other is left as it is."""
        return Response(self.answer(services.item_receive(user=request.user, item=self.get_object())))

    @extend_schema(request=serializers.ItemReportSerializer, responses=serializers.ItemSerializer)
    @action(methods=["post"], **ACTION)
    def report(self, request, pk=None):
        """上报 (the village): the text, every number the task asks, the members who took part, photos (multipart,
        `photos` repeated). A task that needs no verification is done by it."""
        item = self.get_object()
        data = self.payload(serializers.ItemReportSerializer)
        item = services.item_report(user=request.user, item=item, text=data["text"], figures=data["figures"],
                                    photos=data["photos"], members=data.get("members", ()))  # fmt: skip
        return Response(self.answer(item))

    @extend_schema(request=serializers.ItemVerifySerializer, responses=serializers.ItemSerializer)
    @action(methods=["post"], **ACTION)
    def verify(self, request, pk=None):
        """核验办结 (the issuer or a reviewer of the village): a reported item is done."""
        item = self.get_object()
        note = self.payload(serializers.ItemVerifySerializer)["note"]
        return Response(self.answer(services.item_verify(user=request.user, item=item, note=note)))

    @extend_schema(request=serializers.DispatchReasonSerializer, responses=serializers.ItemSerializer)
    @action(methods=["post"], url_path="return", **ACTION)
    def send_back(self, request, pk=None):
        """退回 (the issuer or a reviewer): the village reports again; `reason` is required."""
        item = self.get_object()
        reason = self.payload(serializers.DispatchReasonSerializer)["reason"]
        return Response(self.answer(services.item_return(user=request.user, item=item, reason=reason)))

    @extend_schema(request=serializers.ItemExtendSerializer, responses=serializers.ItemSerializer)
    @action(methods=["post"], **ACTION)
    def extend(self, request, pk=None):
        """申请延期 (the village): a date after the item's deadline and a reason; one request waits at a time."""
        item = self.get_object()
        data = self.payload(serializers.ItemExtendSerializer)
        services.extension_ask(user=request.user, item=item, until=data["until"], reason=data["reason"])
        return Response(self.answer(item))

    @extend_schema(request=serializers.ItemDecideSerializer, responses=serializers.ItemSerializer)
    @action(methods=["post"], **ACTION)
    def decide(self, request, pk=None):
        """同意或不同意延期 (the issuer or a reviewer): decides the item's waiting request; granted, the item's
        deadline moves to the date asked."""
        item = self.get_object()
        if not selectors.can_verify(request.user, item):
            raise exceptions.PermissionDenied(_("只有任务下达人或联村干部可以审批延期申请。"))
        data = self.payload(serializers.ItemDecideSerializer)
        waiting = item.extensions.filter(state=Extension.State.ASKED).first()
        if waiting is None:
            raise ValidationError({"extension": _("该村没有待审批的延期申请。")})
        services.extension_decide(user=request.user, extension=waiting, grant=data["grant"], note=data["note"])
        return Response(self.answer(item))
