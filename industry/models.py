"""Ledgers of 支部+产业发展: enterprises served by cadres (包企) with their visits and problems, the village collective
economy's income, featured projects (党支部+合作社+农户) and their sales."""

from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Assignment, Cadre, Household, UnitScopedModel
from branches.scoping import CHANGE, ScopedQuerySet, has_no_unit, is_admin
from branches.validators import dated_since, happened_since, phone_number, text_limit

MONEY_LIMIT = MaxValueValidator(10**10)
NON_NEGATIVE = MinValueValidator(0)

ANSWER = "answer"  # 包企: act for an enterprise as the cadre who answers for it — its visits and problems


def enterprise_assignments(on=None):
    """包企 assignments in force on a day (default today)."""
    return Assignment.objects.active(on).filter(
        kind=Assignment.Kind.ENTERPRISE, target_type=ContentType.objects.get_for_model(Enterprise)
    )


class EnterpriseQuerySet(ScopedQuerySet):
    """Enterprises are read and edited by the unit rule; `restrict(user, ANSWER)` gives the ones he answers for."""

    scope_rules = {ANSWER: "answered_by"}

    def answered_by(self, user):
        """包企: the enterprises the user answers for today — every one for an admin, none for a login with no unit
        (whose 包企 would otherwise reach past scoping, which gives him nothing)."""
        if is_admin(user):
            return Q()
        if has_no_unit(user):
            return Q(pk__in=[])
        return Q(pk__in=enterprise_assignments().filter(cadre__user=user).values("target_id"))


class EnterpriseCaseQuerySet(ScopedQuerySet):
    """Visits and problems: read by the unit rule; changed only by the cadre who answers for the enterprise (包企),
    wherever it lies — or an admin."""

    scope_rules = {CHANGE: "of_enterprises_answered_by"}

    def of_enterprises_answered_by(self, user):
        return Q(enterprise__in=Enterprise.objects.restrict(user, ANSWER).values("pk"))


class Enterprise(UnitScopedModel):
    personal_fields = {"contact_phone": "number"}  # the contact person's own phone

    class Kind(models.TextChoices):
        ABOVE_SCALE = "above_scale", _("规模以上")
        SME = "sme", _("中小企业")
        COOPERATIVE = "cooperative", _("合作社")
        INDIVIDUAL = "individual", _("个体")

    name = models.CharField(_("企业名称"), max_length=100, db_index=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.SME)
    sector = models.CharField(_("行业"), max_length=50, blank=True, db_index=True)
    chain = models.CharField(_("产业链"), max_length=50, blank=True, help_text=_("如“粮油+”"))
    is_leading = models.BooleanField(_("龙头企业"), default=False)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=32, blank=True, validators=[phone_number])
    address = models.CharField(_("地址"), max_length=200, blank=True)
    yearly_tax = models.DecimalField(
        _("年纳税（万元）"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[NON_NEGATIVE]
    )
    jobs = models.PositiveIntegerField(
        _("带动就业（个）"), null=True, blank=True, validators=[MaxValueValidator(100_000)]
    )
    note = models.TextField(_("备注"), blank=True, **text_limit())

    objects = EnterpriseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["-is_leading", "name"]

    def __str__(self):
        return self.name


class ServiceVisit(UnitScopedModel):
    """送政策、解难题: a cadre's visit to one of his enterprises. `unit` is the enterprise's."""

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="visits")
    cadre = models.ForeignKey(Cadre, verbose_name=_("走访干部"), on_delete=models.PROTECT, related_name="visits")
    date = models.DateField(_("走访日期"), validators=happened_since(2000))
    policies = models.TextField(_("宣讲的政策"), blank=True, **text_limit())
    note = models.TextField(_("走访情况"), blank=True, **text_limit())

    objects = EnterpriseCaseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("走访服务")
        verbose_name_plural = _("走访服务")
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.cadre} → {self.enterprise}"


class Problem(UnitScopedModel):
    """A problem an enterprise raised, followed as a case until solved or closed with a reason."""

    class Status(models.TextChoices):
        OPEN = "open", _("待办")
        IN_PROGRESS = "in_progress", _("办理中")
        SOLVED = "solved", _("已解决")
        CLOSED = "closed", _("未解决办结")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)
    DONE_STATUSES = (Status.SOLVED, Status.CLOSED)

    visit = models.ForeignKey(
        ServiceVisit, verbose_name=_("走访"), null=True, blank=True, on_delete=models.SET_NULL, related_name="problems"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="problems"
    )
    description = models.TextField(_("问题"), **text_limit())
    raised_on = models.DateField(
        _("提出日期"), default=timezone.localdate, db_index=True, help_text=_("走访中提出的，为走访日期"),
        validators=happened_since(2000),
    )
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True)
    responsible = models.CharField(_("责任人"), max_length=50)
    deadline = models.DateField(_("办结时限"), blank=True, validators=dated_since(2000),
                                help_text=_("不填则自反映之日按默认时限计算；修改须写明原因。"))  # fmt: skip
    resolved_on = models.DateField(_("办结日期"), null=True, blank=True, validators=happened_since(2000))
    resolution = models.TextField(_("办理结果"), blank=True, help_text=_("未解决办结时必须说明原因"), **text_limit())

    objects = EnterpriseCaseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("企业问题")
        verbose_name_plural = _("企业问题")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self):
        return f"{self.enterprise}：{self.description[:30]}"

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("industry:problem_detail", args=[self.pk])


class IncomeEntry(UnitScopedModel):
    """One income of a village's collective economy (村集体经济收入)."""

    class Source(models.TextChoices):
        BUSINESS = "business", _("经营收入")
        CONTRACTING = "contracting", _("发包及上交收入")
        INVESTMENT = "investment", _("投资收益")
        OTHER = "other", _("其他收入")

    date = models.DateField(_("日期"), db_index=True, validators=happened_since(2000))
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    amount = models.DecimalField(
        _("金额（元）"), max_digits=14, decimal_places=2, validators=[NON_NEGATIVE, MONEY_LIMIT]
    )
    project = models.ForeignKey(
        "FeaturedProject", verbose_name=_("来自特色项目"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="incomes",
    )  # fmt: skip
    note = models.CharField(_("摘要"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("集体经济收入")
        verbose_name_plural = _("集体经济收入")
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.unit} {self.date:%Y-%m-%d} {self.get_source_display()} {self.amount}元"


class FeaturedProject(UnitScopedModel):
    """党支部+合作社+农户: a village's featured project, e.g. 铜梁四宝."""

    name = models.CharField(_("项目名称"), max_length=100)
    cooperative = models.CharField(_("合作社"), max_length=100, blank=True)
    products = models.CharField(_("产品"), max_length=200, blank=True, help_text=_("用顿号分隔，如 红薯粉、红薯片"))
    brand = models.CharField(_("品牌"), max_length=50, blank=True)
    started = models.DateField(_("开始日期"), null=True, blank=True, validators=happened_since(1949))
    households = models.ManyToManyField(Household, verbose_name=_("参与农户"), blank=True, related_name="projects")
    note = models.TextField(_("备注"), blank=True, **text_limit())

    history = HistoricalRecords(m2m_fields=[households])

    class Meta:
        verbose_name = _("特色产业项目")
        verbose_name_plural = _("特色产业项目")
        ordering = ["unit__path", "name"]

    def __str__(self):
        return self.name


class SalesRecord(UnitScopedModel):
    class Channel(models.TextChoices):
        ECOMMERCE = "ecommerce", _("电商平台")
        OFFLINE = "offline", _("线下")

    date = models.DateField(_("日期"), db_index=True, validators=happened_since(2000))
    project = models.ForeignKey(
        FeaturedProject, verbose_name=_("项目"), null=True, blank=True, on_delete=models.SET_NULL, related_name="sales"
    )
    product = models.CharField(_("产品"), max_length=50)
    channel = models.CharField(_("渠道"), max_length=12, choices=Channel.choices)
    platform = models.CharField(_("平台/销售点"), max_length=50, blank=True)
    kg = models.DecimalField(_("数量（公斤）"), max_digits=12, decimal_places=2, validators=[NON_NEGATIVE, MONEY_LIMIT])
    amount = models.DecimalField(
        _("金额（元）"), max_digits=14, decimal_places=2, validators=[NON_NEGATIVE, MONEY_LIMIT]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("销售记录")
        verbose_name_plural = _("销售记录")
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.product} {self.kg}公斤"
