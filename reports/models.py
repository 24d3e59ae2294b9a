"""Monthly figures: indicators (declared in code, mirrored here), monthly reports with their values and workflow,
and the roll-ups Celery builds from approved reports."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Unit
from branches.scoping import ScopedQuerySet

from . import registry, worklines


class Indicator(models.Model):
    """A mirror of a declared indicator (see registry.py), so the admin and the API list them and values refer to
    them. `sync_indicators` writes it from the code; nobody edits it by hand."""

    code = models.CharField(_("代码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    unit = models.CharField(_("计量单位"), max_length=20)
    work_line = models.CharField(_("工作条线"), max_length=20, choices=worklines.choices, db_index=True)
    kind = models.CharField(_("类型"), max_length=10, choices=registry.KINDS.items())
    source = models.CharField(_("来源"), max_length=10, choices=registry.SOURCES.items())
    min_value = models.DecimalField(_("下限"), max_digits=18, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField(_("上限"), max_digits=18, decimal_places=4, null=True, blank=True)
    target = models.DecimalField(_("目标值"), max_digits=18, decimal_places=4, null=True, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["work_line", "sort_order", "code"]

    def __str__(self):
        return f"{self.name}（{self.unit}）"

    @property
    def spec(self):
        return registry.registry.get(self.code)


class MonthlyReport(models.Model):
    """One reporting unit × work line × month, with its workflow."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")
        RETURNED = "returned", _("已退回")
        APPROVED = "approved", _("已审核")

    EDITABLE = (Status.DRAFT, Status.RETURNED)

    unit = models.ForeignKey(Unit, verbose_name=_("填报单位"), on_delete=models.PROTECT, related_name="reports")
    work_line = models.CharField(_("工作条线"), max_length=20, choices=worklines.choices)
    month = models.DateField(_("月份"), help_text=_("该月的第一天"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("版本"), default=1)
    updated_at = models.DateTimeField(_("最后修改时间"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("最后修改人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    approved_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    return_reason = models.TextField(_("退回原因"), blank=True)
    balance_note = models.TextField(
        _("不平衡说明"), blank=True,
        help_text=_("本月在办数与“上月已审核 + 本月新增 − 本月办结”不符时，填报人写明的原因，审核人可见"),
    )  # fmt: skip
    changed_since_approval = models.BooleanField(_("审核后有变动"), default=False)
    rollup_pending = models.BooleanField(
        _("待汇总"), default=False, help_text=_("审核或解锁时未能把汇总任务交给 Celery，由定时任务补做")
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("月报")
        verbose_name_plural = _("月报")
        ordering = ["-month", "unit__path", "work_line"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "work_line", "month"], name="monthly_report_unique"),
        ]
        indexes = [
            models.Index(fields=["month", "work_line", "status"]),
            # 今日待办 and the dashboard count the approved reports changed since: a few among ten years of reports
            # (a parallel scan of them all on every dashboard at 440 villages, 25 ms).
            models.Index(fields=["unit"], condition=models.Q(changed_since_approval=True), name="report_changed_idx"),
        ]

    def __str__(self):
        return f"{self.unit} · {self.get_work_line_display()} · {self.month:%Y-%m}"

    @property
    def month_key(self):
        return f"{self.month:%Y-%m}"

    @property
    def is_editable(self):
        return self.status in self.EDITABLE


class ValueQuerySet(ScopedQuerySet):
    scope_path = "report__unit__path"


class ReportValue(models.Model):
    """One figure of a monthly report. `value` is the current figure; `approved_value` the one approval froze."""

    report = models.ForeignKey(MonthlyReport, verbose_name=_("月报"), on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("数值"), max_digits=18, decimal_places=4, null=True, blank=True)
    approved_value = models.DecimalField(_("审核值"), max_digits=18, decimal_places=4, null=True, blank=True)
    flag = models.CharField(_("提示"), max_length=200, blank=True, help_text=_("与本单位历史相比的异常提示"))

    objects = ValueQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("月报数值")
        verbose_name_plural = _("月报数值")
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="report_value_unique")]

    def __str__(self):
        return f"{self.indicator.code}={self.value}"


class ReportEvent(models.Model):
    """The workflow log of a report: saved, submitted, returned (with the reason), approved, unlocked."""

    class Action(models.TextChoices):
        SAVE = "save", _("保存")
        SUBMIT = "submit", _("提交")
        RESUBMIT = "resubmit", _("重新提交")
        RETURN = "return", _("退回")
        APPROVE = "approve", _("审核通过")
        UNLOCK = "unlock", _("解锁")
        IMPORT = "import", _("Excel 导入")
        LEDGER = "ledger", _("审核后台账变动")
        DRIFT = "drift", _("夜间核查发现变动")

    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    reason = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("月报操作记录")
        verbose_name_plural = _("月报操作记录")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.report} {self.get_action_display()}"


class ClosedYear(models.Model):
    """A year an admin closed for a town (关账): after it only an admin, with a reason, changes the ledger rows dated
    in it (reports/close/). Reopening it (an admin, with a reason) deletes the row; its history keeps both."""

    unit = models.ForeignKey(Unit, verbose_name=_("镇"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField(_("年度"))
    closed_at = models.DateTimeField(_("关账时间"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("关账人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("说明"), blank=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()  # who closed and who reopened a year, when and why (reports/close/)

    class Meta:
        verbose_name = _("年度关账")
        verbose_name_plural = _("年度关账")
        ordering = ["-year", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="closed_year_unique")]

    def __str__(self):
        return f"{self.unit} {self.year}年已关账"


class Notification(models.Model):
    """An in-portal reminder to one user (a late report, a returned report)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField(_("内容"), max_length=300)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    key = models.CharField(max_length=120, help_text=_("同一提醒只发一次"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once")]

    def __str__(self):
        return self.message


def mask_address(address):
    """A robot's webhook URL carries its access token: shown as scheme://host/…last four, enough to tell two apart.
    An email address is shown as it is (it is the owner's, and the admin's to see)."""
    parts = urlsplit(address)
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}/…{address[-4:]}"
    return address


def webhook_host_allowed(address):
    """Whether a robot's webhook points at a host of NOTIFY_WEBHOOK_HOSTS (the server posts there on a user's word)."""
    hosts = settings.NOTIFY_WEBHOOK_HOSTS
    return "*" in hosts or (urlsplit(address).hostname or "").lower() in {host.lower() for host in hosts}


class NotificationChannel(models.Model):
    """Where a user's notifications are also sent: an email address, or a WeCom/DingTalk group robot's webhook."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("邮件")
        WECOM = "wecom", _("企业微信群机器人")
        DINGTALK = "dingtalk", _("钉钉群机器人")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_channels")
    kind = models.CharField(_("渠道"), max_length=10, choices=Kind.choices)
    address = models.CharField(_("地址"), max_length=500, help_text=_("邮箱地址，或群机器人的 Webhook 地址"))
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("添加时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("通知渠道")
        verbose_name_plural = _("通知渠道")
        ordering = ["user_id", "created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.masked_address}"

    @property
    def masked_address(self):
        return mask_address(self.address) if self.kind != self.Kind.EMAIL else self.address

    def clean(self):
        """The address must fit the kind; the messages are the user's to read."""
        address = (self.address or "").strip()
        self.address = address
        if self.kind == self.Kind.EMAIL:
            validator = EmailValidator(message=_("请输入有效的邮箱地址，例如 name@example.com。"))
        else:
            validator = URLValidator(
                schemes=["http", "https"], message=_("请输入以 http:// 或 https:// 开头的群机器人 Webhook 地址。")
            )
        try:
            validator(address)
        except ValidationError as error:
            raise ValidationError({"address": error.messages}) from None
        if self.kind != self.Kind.EMAIL and not webhook_host_allowed(address):
            hosts = "、".join(settings.NOTIFY_WEBHOOK_HOSTS)
            raise ValidationError(
                {"address": _("只能填写企业微信或钉钉群机器人的地址（允许的域名：%(hosts)s）。") % {"hosts": hosts}}
            )


class Delivery(models.Model):
    """One notification sent through one channel: pending, sent, failed (to be retried at `next_attempt_at`) or
    abandoned after the last attempt."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")
        ABANDONED = "abandoned", _("已放弃")

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.ForeignKey(NotificationChannel, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=200, blank=True)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("通知发送")
        verbose_name_plural = _("通知发送")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self):
        return f"{self.channel} · {self.get_status_display()}"


class PeriodMonth(models.Model):
    """The roll-up calendar: which months each period (month, quarter, year, year-to-date) holds."""

    period = models.CharField(max_length=10, db_index=True)
    period_type = models.CharField(max_length=8)
    month = models.DateField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "month"], name="period_month_unique")]

    def __str__(self):
        return f"{self.period} ∋ {self.month:%Y-%m}"


class UnitAncestor(models.Model):
    """Closure of the unit tree for reporting units: each unit with itself and every unit above it."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    ancestor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "ancestor"], name="unit_ancestor_unique")]
        indexes = [models.Index(fields=["ancestor", "unit"])]

    def __str__(self):
        return f"{self.unit_id} ⊂ {self.ancestor_id}"


class Rollup(models.Model):
    """An approved figure for a unit (village, area, town, county) and a period, built by Celery; pages only read."""

    period = models.CharField(_("期间"), max_length=10)
    period_type = models.CharField(_("期间类型"), max_length=8)
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="+")
    value = models.DecimalField(_("数值"), max_digits=20, decimal_places=4)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("汇总")
        verbose_name_plural = _("汇总")
        constraints = [models.UniqueConstraint(fields=["unit", "period", "indicator"], name="rollup_unique")]
        indexes = [models.Index(fields=["period", "indicator"])]

    def __str__(self):
        return f"{self.unit} {self.period} {self.indicator.code}={self.value}"


class RollupVersion(models.Model):
    """A token of a town's (or the county's) roll-ups, changed in the transaction that writes them, so a cached page
    keyed on it is recomputed after the next roll-up and never shows an older figure."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("单位"), on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    version = models.BigIntegerField(_("版本"), default=0)

    class Meta:
        verbose_name = _("汇总版本")
        verbose_name_plural = _("汇总版本")

    def __str__(self):
        return f"{self.unit_id} v{self.version}"


class Bulletin(models.Model):
    """The monthly 通报 of a town: its villages ranked by a composite score (reports/bulletin/). Built by Celery after
    the reporting deadline, rebuilt by an admin on demand (the rows are replaced); a leader publishes it, and only a
    published one reaches the villages."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("待发布")
        PUBLISHED = "published", _("已发布")

    unit = models.ForeignKey(Unit, verbose_name=_("镇"), on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("月份"), help_text=_("该月的第一天"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    as_of = models.DateField(_("评价日期"), help_text=_("报送及时性和逾期事项按这一天计算"))
    built_at = models.DateTimeField(_("生成时间"))
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("生成人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text=_("为空表示由定时任务生成"),
    )  # fmt: skip
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("月度通报")
        verbose_name_plural = _("月度通报")
        ordering = ["-month", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit", "month"], name="bulletin_unique")]

    def __str__(self):
        return f"{self.unit} {self.month:%Y-%m} 月度通报"

    @property
    def month_key(self):
        return f"{self.month:%Y-%m}"


class BulletinRow(models.Model):
    """One village's place in a bulletin: rank, score, colour, the parts of the score and the reasons behind it."""

    class Colour(models.TextChoices):
        GREEN = "green", _("绿")
        YELLOW = "yellow", _("黄")
        RED = "red", _("红")

    bulletin = models.ForeignKey(Bulletin, verbose_name=_("通报"), on_delete=models.CASCADE, related_name="rows")
    unit = models.ForeignKey(Unit, verbose_name=_("村（社区）"), on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveIntegerField(_("名次"))
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=1)
    colour = models.CharField(_("等次"), max_length=6, choices=Colour.choices)
    parts = models.JSONField(_("分项得分"), default=dict)
    reasons = models.JSONField(_("原因"), default=list)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("通报排名")
        verbose_name_plural = _("通报排名")
        ordering = ["bulletin", "rank", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["bulletin", "unit"], name="bulletin_row_unique")]

    def __str__(self):
        return f"{self.rank}. {self.unit} {self.score}"


class CaseLimit(models.Model):
    """The default time limit of one kind of case (a work line's `TimedCase` with a `kind`): a case accepted gets
    its own deadline this many days on (reports/deadlines.py). Seeded from the declarations after `migrate`; the
    admin changes the days, which rule the cases accepted from then on (a case's own deadline stays)."""

    kind = models.CharField(_("案件类型代码"), max_length=40, unique=True)
    label = models.CharField(_("案件类型"), max_length=100)
    work_line = models.CharField(_("工作条线"), max_length=20, choices=worklines.choices, blank=True)
    days = models.PositiveSmallIntegerField(
        _("默认时限（天）"), validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_("自受理之日起计算；修改后只影响此后受理的案件。"),
    )  # fmt: skip
    default_days = models.PositiveSmallIntegerField(_("代码中的默认值（天）"), editable=False)
    is_active = models.BooleanField(_("在用"), default=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("案件办理时限")
        verbose_name_plural = _("案件办理时限")
        ordering = ["work_line", "kind"]

    def __str__(self):
        return f"{self.label}：{self.days}天"


class IssuedDocument(models.Model):
    """A document issued under a 文号 (reports/documents/): its issuing unit numbers its documents per year and per
    kind, from 1, never twice (documents.services.document_issue gives the number). The file is kept as it went out;
    its 文号 is kept as printed, so a later change of the unit's 代字 does not rewrite what was issued."""

    class Kind(models.TextChoices):
        # The value's label is the word of the kind in the 文号: 井发〔2026〕12号, 井办〔2026〕3号, 井通报〔2026〕1号;
        # a 简报 is numbered by 期 (第12期), a 督办通知 by 督 (井督〔2026〕5号).
        FA = "fa", _("发")
        BAN = "ban", _("办")
        TONGBAO = "tongbao", _("通报")
        JIANBAO = "jianbao", _("简报")
        DUBAN = "duban", _("督")

    unit = models.ForeignKey(Unit, verbose_name=_("发文单位"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("文种"), max_length=16, choices=Kind.choices)
    year = models.PositiveIntegerField(_("年度"))
    number = models.PositiveIntegerField(_("序号"))
    reference = models.CharField(_("文号"), max_length=40)
    title = models.CharField(_("标题"), max_length=200)
    issued_on = models.DateField(_("成文日期"))
    filename = models.CharField(_("文件名"), max_length=200)
    content = models.BinaryField(_("文件"), default=b"")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("签发人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    # The record the document was written from (“bulletin:12”, “task:7”): how its page finds the 文号 it went out under.
    source = models.CharField(_("来源"), max_length=60, blank=True, db_index=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("发文登记")
        verbose_name_plural = _("发文登记")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "year", "number"], name="issued_document_number_unique"),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"
