"""任务督办: the town's tasks sent down to the branches, and each branch's item of work on one.

A task is issued by a unit (the town, or its office) to chosen villages; each target village gets one item, which
goes 待签收 → 已签收 → 已上报 → 已办结, or 已退回 and is reported again. The item keeps its own deadline (the task's,
moved by a granted extension), and every step it takes is a `Step` row. Who may see and act on what is declared on
the querysets, as everywhere else (branches/scoping.py)."""

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import PartyMember, UnitScopedModel
from branches.scoping import EVERYTHING, REVIEW, VIEW, ScopedQuerySet, is_admin, scope_filter, scope_roots
from branches.validators import dated_since, text_limit

ISSUER_ROLES = ("leader", "cadre", "admin")
ATTACHMENT_TYPES = ("pdf", "jpg", "jpeg", "png", "webp", "doc", "docx", "xls", "xlsx")
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024


class Priority(models.TextChoices):
    NORMAL = "normal", _("一般")
    HIGH = "high", _("重要")
    URGENT = "urgent", _("紧急")


class Every(models.TextChoices):
    NONE = "none", _("不重复")
    WEEK = "week", _("每周")
    MONTH = "month", _("每月")
    QUARTER = "quarter", _("每季度")


class TaskQuerySet(ScopedQuerySet):
    """A task hangs at its issuing unit (the town), above the villages it targets: a secretary sees the tasks with an
    item for his village; the town's leaders and cadres see the town's tasks (the unit rule); its issuer always."""

    scope_rules = {VIEW: "seen_by"}

    def seen_by(self, user):
        roots = scope_roots(user, VIEW)
        if roots is EVERYTHING:
            return Q()
        return (
            self.unit_rule(user, VIEW)
            | Q(issued_by=user.pk)
            | Q(pk__in=Item.objects.filter(scope_filter(user, VIEW, "unit__path")).values("task_id"))
        )


class Task(UnitScopedModel):
    """A piece of work the town sends down: what to do, by when, and what each branch must report."""

    objects = TaskQuerySet.as_manager()

    title = models.CharField(_("任务名称"), max_length=200)
    # One of the reporting work lines (reports.plugins.work_line_choices, checked by services.task_issue): no
    # choices on the column, whose migration would then name the reports module.
    work_line = models.CharField(_("工作条线"), max_length=20, blank=True, help_text=_("可留空：综合任务"))
    description = models.TextField(_("任务要求"), blank=True, **text_limit(5000))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("下达人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_on = models.DateField(_("下达日期"), validators=dated_since(2000))
    deadline = models.DateField(_("办结时限"), validators=dated_since(2000))
    near_days = models.PositiveSmallIntegerField(
        _("黄牌提前天数"), default=3, validators=[MaxValueValidator(60)],
        help_text=_("距时限不足该天数且未上报时亮黄牌；逾期未上报亮红牌"),
    )  # fmt: skip
    priority = models.CharField(_("紧急程度"), max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    targets = models.CharField(_("下达范围"), max_length=300, blank=True, help_text=_("如：全镇各村（社区）"))
    needs_text = models.BooleanField(_("须报文字"), default=True)
    needs_photo = models.BooleanField(_("须报照片"), default=False)
    needs_verify = models.BooleanField(_("须镇干部核验"), default=True)
    every = models.CharField(_("重复"), max_length=8, choices=Every.choices, default=Every.NONE)
    repeats = models.ForeignKey(
        "self", verbose_name=_("重复自"), null=True, blank=True, on_delete=models.SET_NULL, related_name="occurrences"
    )
    is_cancelled = models.BooleanField(_("已撤销"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("督办任务")
        verbose_name_plural = _("督办任务")
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["unit", "deadline"])]

    def __str__(self):
        return self.title


class Measure(models.Model):
    """A number each branch must report on a task (e.g. 排查隐患 处), in the task's order."""

    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="measures")
    name = models.CharField(_("上报数字"), max_length=60)
    unit_label = models.CharField(_("计量单位"), max_length=10, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("上报数字项")
        verbose_name_plural = _("上报数字项")
        ordering = ["task", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["task", "name"], name="dispatch_measure_once")]

    def __str__(self):
        return f"{self.name}（{self.unit_label}）" if self.unit_label else self.name


def attachment_path(instance, filename):
    return f"dispatch/{instance.task_id}/{filename}"


class Attachment(models.Model):
    """A file that comes with a task (a notice in PDF or Word, a picture), served only to those who see the task."""

    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(
        _("附件"), upload_to=attachment_path, max_length=300, validators=[FileExtensionValidator(ATTACHMENT_TYPES)]
    )
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("任务附件")
        verbose_name_plural = _("任务附件")
        ordering = ["task", "id"]

    def __str__(self):
        return self.name

    @property
    def unit(self):
        """The unit of its task: the file is the task's, seen by whoever sees the task."""
        return self.task.unit


class ItemQuerySet(ScopedQuerySet):
    """An item is its village's (the unit rule for seeing it and for receiving and reporting on it); verifying,
    returning and deciding on an extension are for the task's issuer and those who review the village (its 联村干部,
    the town's leaders): the VERIFY rule."""

    scope_rules = {REVIEW: "verified_by"}

    def verified_by(self, user):
        if is_admin(user):
            return Q()
        return scope_filter(user, REVIEW, "unit__path") | Q(task__issued_by=user.pk)


class Item(UnitScopedModel):
    """One village's part of a task (`unit` is the village)."""

    accepts_photos = True

    class Status(models.TextChoices):
        PENDING = "pending", _("待签收")
        RECEIVED = "received", _("已签收")
        REPORTED = "reported", _("已上报")
        RETURNED = "returned", _("已退回")
        DONE = "done", _("已办结")

    OPEN = (Status.PENDING, Status.RECEIVED, Status.RETURNED)  # still waiting for the branch's report

    objects = ItemQuerySet.as_manager()

    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="items")
    status = models.CharField(_("办理状态"), max_length=10, choices=Status.choices, default=Status.PENDING,
                              db_index=True)  # fmt: skip
    deadline = models.DateField(_("办结时限"), validators=dated_since(2000))
    # The day its yellow card shows if still not reported: the deadline less the task's near_days (services keep it,
    # so the lists and counts filter on a column; selectors.item_card is the rule for one item).
    yellow_on = models.DateField(_("黄牌日期"), db_index=True)
    received_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    reported_on = models.DateField(_("上报日期"), null=True, blank=True, db_index=True)
    report_text = models.TextField(_("办理情况"), blank=True, **text_limit(5000))
    done_on = models.DateField(_("办结日期"), null=True, blank=True)
    members = models.ManyToManyField(PartyMember, verbose_name=_("参与党员"), blank=True, related_name="+")
    version = models.PositiveIntegerField(default=0)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("任务办理")
        verbose_name_plural = _("任务办理")
        ordering = ["task", "unit__path", "id"]
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="dispatch_one_item_a_village")]
        indexes = [models.Index(fields=["unit", "status", "deadline"])]

    def __str__(self):
        return f"{self.task} · {self.unit}"

    @property
    def is_open(self):
        return self.status in self.OPEN


class Figure(models.Model):
    """A number an item reports for one of its task's measures."""

    item = models.ForeignKey(Item, verbose_name=_("任务办理"), on_delete=models.CASCADE, related_name="figures")
    measure = models.ForeignKey(Measure, verbose_name=_("上报数字项"), on_delete=models.CASCADE, related_name="+")
    value = models.DecimalField(
        _("数值"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(10**11)]
    )

    class Meta:
        verbose_name = _("上报数字")
        verbose_name_plural = _("上报数字")
        constraints = [models.UniqueConstraint(fields=["item", "measure"], name="dispatch_figure_once")]

    def __str__(self):
        return f"{self.measure}：{self.value}"


class Extension(models.Model):
    """A branch's request for more time on its item, which the issuer grants or refuses."""

    class State(models.TextChoices):
        ASKED = "asked", _("待审批")
        GRANTED = "granted", _("已同意")
        REFUSED = "refused", _("不同意")

    item = models.ForeignKey(Item, verbose_name=_("任务办理"), on_delete=models.CASCADE, related_name="extensions")
    until = models.DateField(_("申请延期至"), validators=dated_since(2000))
    reason = models.CharField(_("延期理由"), max_length=300)
    state = models.CharField(_("审批状态"), max_length=8, choices=State.choices, default=State.ASKED)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    asked_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    note = models.CharField(_("审批意见"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["item", "-asked_at", "-id"]

    def __str__(self):
        return f"{self.item}：{self.until}"


class Step(models.Model):
    """One step in an item's history: who did what, when, and what was said."""

    class Action(models.TextChoices):
        ISSUED = "issued", _("下达")
        RECEIVED = "received", _("签收")
        REPORTED = "reported", _("上报")
        VERIFIED = "verified", _("核验办结")
        RETURNED = "returned", _("退回")
        EXTENSION_ASKED = "extension_asked", _("申请延期")
        EXTENSION_GRANTED = "extension_granted", _("同意延期")
        EXTENSION_REFUSED = "extension_refused", _("不同意延期")
        PRESSED = "pressed", _("催办")

    item = models.ForeignKey(Item, verbose_name=_("任务办理"), on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["item", "at", "id"]

    def __str__(self):
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"
