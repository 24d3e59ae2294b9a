"""The shapes of 任务督办 in the API. Read serializers only show; the write ones only check the form of a payload
(types, lengths, ids the caller may see): what a step means is services.py's."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from branches.api.base import ScopedPrimaryKeyField
from branches.api.serializers import PhotoLinkSerializer
from branches.models import PartyMember, Unit
from branches.scoping import VIEW
from reports.plugins import work_line_choices

from .. import selectors
from ..models import Extension, Figure, Item, Measure, Step, Task
from ..services import MEASURES_MAX, REPORT_PHOTOS_MAX

ATTACHMENTS_MAX = 10

# --- tasks ----------------------------------------------------------------------------------------------------------


class TaskMeasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Measure
        fields = ["id", "name", "unit_label"]


class TaskAttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True, label=_("文件名"))
    size = serializers.IntegerField(read_only=True, label=_("字节数"))
    url = serializers.SerializerMethodField(label=_("下载地址（仅有权查看该任务者可打开）"))

    def get_url(self, attachment) -> str:
        path = reverse("dispatch:attachment", args=[attachment.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class TaskProgressSerializer(serializers.Serializer):
    """How the task's villages stand: a count per status, the red and yellow cards of today, and the total."""

    pending = serializers.IntegerField(label=_("待签收"))
    received = serializers.IntegerField(label=_("已签收"))
    reported = serializers.IntegerField(label=_("已上报"))
    returned = serializers.IntegerField(label=_("已退回"))
    done = serializers.IntegerField(label=_("已办结"))
    red = serializers.IntegerField(label=_("红牌"))
    yellow = serializers.IntegerField(label=_("黄牌"))
    total = serializers.IntegerField(label=_("下达村数"))


def progress_of(counts):
    """The TaskProgressSerializer's numbers from selectors.task_progress's {status: n, "red": n, "yellow": n}."""
    shown = {status: counts.get(status, 0) for status in Item.Status.values}
    return {**shown, "red": counts.get("red", 0), "yellow": counts.get("yellow", 0), "total": sum(shown.values())}


class TaskSerializer(serializers.ModelSerializer):
    """A task as its readers see it. `progress` comes from the view (one count for a whole page of tasks)."""

    unit_name = serializers.CharField(source="unit.name", read_only=True, label=_("下达单位"))
    issued_by_name = serializers.SerializerMethodField(label=_("下达人"))
    measures = TaskMeasureSerializer(many=True, read_only=True, label=_("须上报的数字"))
    attachments = TaskAttachmentSerializer(many=True, read_only=True, label=_("附件"))
    targets_text = serializers.CharField(source="targets", read_only=True, label=_("下达范围（说明）"))
    progress = serializers.SerializerMethodField(label=_("办理进度"))
    notice_url = serializers.SerializerMethodField(label=_("督办通知（Word）"))

    class Meta:
        model = Task
        fields = ["id", "unit", "unit_name", "title", "work_line", "description", "issued_by", "issued_by_name",
                  "issued_on", "deadline", "near_days", "priority", "targets_text", "needs_text", "needs_photo",
                  "needs_verify", "every", "repeats", "is_cancelled", "measures", "attachments",
                  "progress", "notice_url"]  # fmt: skip
        read_only_fields = fields

    def get_notice_url(self, task) -> str:
        """The page that downloads the task's 督办通知 as a .docx, as the signed-in reader may see it."""
        return reverse("dispatch:task_notice", args=[task.pk])

    def get_issued_by_name(self, task) -> str:
        return task.issued_by.display_name if task.issued_by else ""

    @extend_schema_field(TaskProgressSerializer)
    def get_progress(self, task):
        return progress_of(self.context.get("progress", {}).get(task.pk, {}))


class TaskMeasureInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60, label=_("上报数字"))
    unit_label = serializers.CharField(max_length=10, required=False, allow_blank=True, default="",
                                       label=_("计量单位"))  # fmt: skip


def attachment_field():
    """A file that comes with the task: its kind and size are the service's one rule (services.attachments_check)."""
    return serializers.FileField(max_length=200)


class TaskIssueSerializer(serializers.ModelSerializer):
    """下达任务. `targets`: ids of the units it goes to (the town: every village; an area: its villages; or villages),
    each one the caller may see; `measures`: the numbers each village must report. In a multipart request (with
    `attachments`: PDF, images, Word or Excel, ≤ 20 MB each) repeat `targets`, and send `measures[0]name`,
    `measures[0]unit_label`, … ."""

    work_line = serializers.ChoiceField(choices=[], required=False, allow_blank=True, default="", label=_("工作条线"))
    targets = ScopedPrimaryKeyField(queryset=Unit.objects.all(), action=VIEW, many=True, allow_empty=False,
                                    label=_("下达的单位"))  # fmt: skip
    targets_text = serializers.CharField(max_length=300, required=False, allow_blank=True, default="",
                                         label=_("下达范围（说明），如：全镇各村（社区）"))  # fmt: skip
    measures = serializers.ListField(child=TaskMeasureInputSerializer(), required=False, default=list,
                                     max_length=MEASURES_MAX, label=_("须上报的数字"))  # fmt: skip
    attachments = serializers.ListField(child=attachment_field(), required=False, default=list,
                                        max_length=ATTACHMENTS_MAX, label=_("附件"))  # fmt: skip

    class Meta:
        model = Task
        fields = ["title", "work_line", "description", "deadline", "near_days", "priority", "needs_text",
                  "needs_photo", "needs_verify", "every", "targets", "targets_text", "measures",
                  "attachments"]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_line"].choices = work_line_choices()  # the lines declared at start-up


# --- items ----------------------------------------------------------------------------------------------------------


class ItemCardSerializer(serializers.Serializer):
    code = serializers.CharField(label=_("over 红牌 / near 黄牌 / on_time / done"))
    text = serializers.CharField()


class ItemFigureSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="measure.name", read_only=True, label=_("上报数字"))
    unit_label = serializers.CharField(source="measure.unit_label", read_only=True, label=_("计量单位"))

    class Meta:
        model = Figure
        fields = ["measure", "name", "unit_label", "value"]


class ItemStepSerializer(serializers.ModelSerializer):
    user_name = serializers.SerializerMethodField(label=_("操作人"))

    class Meta:
        model = Step
        fields = ["action", "user", "user_name", "at", "note"]

    def get_user_name(self, step) -> str:
        return step.user.display_name if step.user else ""


class ExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Extension
        fields = ["id", "until", "reason", "state", "asked_by", "asked_at", "decided_by", "decided_at", "note"]


class ItemSerializer(serializers.ModelSerializer):
    """One village's item of a task: its status and card, what it reported, its photos and its history."""

    task_title = serializers.CharField(source="task.title", read_only=True, label=_("任务名称"))
    unit_name = serializers.CharField(source="unit.name", read_only=True, label=_("村（社区）"))
    card = serializers.SerializerMethodField(label=_("时限状态"))
    figures = ItemFigureSerializer(many=True, read_only=True, label=_("上报的数字"))
    photos = serializers.SerializerMethodField(label=_("现场照片"))
    steps = ItemStepSerializer(many=True, read_only=True, label=_("办理记录"))
    extensions = ExtensionSerializer(many=True, read_only=True, label=_("延期申请"))

    class Meta:
        model = Item
        fields = ["id", "task", "task_title", "unit", "unit_name", "status", "deadline", "card", "received_at",
                  "report_text", "reported_on", "done_on", "figures", "photos", "members", "steps",
                  "extensions"]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(ItemCardSerializer)
    def get_card(self, item):
        card = selectors.item_card(item)
        return {"code": card.code, "text": str(card.text)}

    @extend_schema_field(PhotoLinkSerializer(many=True))
    def get_photos(self, item):
        photos = self.context.get("photos", {}).get(item.pk, [])
        return PhotoLinkSerializer(photos, many=True, context=self.context).data


class ItemReportSerializer(serializers.Serializer):
    """上报. `figures`: {measure id: number} for every number the task asks; `members`: ids of the village's party
    members who took part. In a multipart request add `photos` (repeatable), send the numbers as `figures.<measure
    id>` and repeat `members`."""

    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000, trim_whitespace=False,
                                 label=_("办理情况"))  # fmt: skip
    figures = serializers.DictField(child=serializers.CharField(allow_blank=True, max_length=40), required=False,
                                    default=dict, label=_("上报的数字"))  # fmt: skip
    members = ScopedPrimaryKeyField(queryset=PartyMember.objects.all(), action=VIEW, many=True, required=False,
                                    label=_("参与党员"))  # fmt: skip
    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list,
                                   max_length=REPORT_PHOTOS_MAX, label=_("现场照片"))  # fmt: skip


class ItemVerifySerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300, label=_("核验意见"))


class DispatchReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300, label=_("原因"))


class ItemExtendSerializer(serializers.Serializer):
    until = serializers.DateField(required=False, allow_null=True, default=None, label=_("申请延期至"))
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300,
                                   label=_("延期理由"))  # fmt: skip


class ItemDecideSerializer(serializers.Serializer):
    grant = serializers.BooleanField(label=_("同意延期"))
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300, label=_("审批意见"))


# --- answers of the actions -----------------------------------------------------------------------------------------


class TaskPressedSerializer(serializers.Serializer):
    pressed = serializers.IntegerField(label=_("催办的村数"))


class TaskBoardRowSerializer(serializers.Serializer):
    item = serializers.IntegerField(source="item.pk")
    unit = serializers.IntegerField(source="item.unit_id")
    unit_name = serializers.CharField(source="item.unit.name")
    status = serializers.ChoiceField(source="item.status", choices=Item.Status.choices)
    deadline = serializers.DateField(source="item.deadline")
    reported_on = serializers.DateField(source="item.reported_on", allow_null=True)
    card = serializers.SerializerMethodField()
    figures = serializers.DictField(child=serializers.DecimalField(max_digits=14, decimal_places=2),
                                    label=_("{上报数字项 id: 数值}"))  # fmt: skip

    @extend_schema_field(ItemCardSerializer)
    def get_card(self, row):
        return {"code": row.card.code, "text": str(row.card.text)}


class TaskBoardSerializer(serializers.Serializer):
    """Villages × status of one task: each village's status, card and numbers, the numbers' totals and the counts."""

    task = serializers.IntegerField(source="task.pk")
    title = serializers.CharField(source="task.title")
    measures = TaskMeasureSerializer(many=True)
    rows = TaskBoardRowSerializer(many=True)
    totals = serializers.DictField(child=serializers.DecimalField(max_digits=16, decimal_places=2),
                                   label=_("{上报数字项 id: 合计}"))  # fmt: skip
    counts = serializers.DictField(child=serializers.IntegerField(), label=_("{办理状态: 村数}"))
    total = serializers.IntegerField(label=_("下达村数"))
    red = serializers.IntegerField(label=_("红牌"))
