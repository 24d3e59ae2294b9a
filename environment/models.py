"""Ledgers of 支部+环境整治: village rules and the 131 method, campaigns and cleanup records (with photos), the
environment problems a village must clean (closed by a cleanup record), 门前三包 pledges, and the registers of hollow
houses, toilet renovations and infrastructure projects."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Household, UnitScopedModel
from branches.validators import dated_since, happened_since, text_limit

NON_NEGATIVE = MinValueValidator(0)


def upper(limit):
    return MaxValueValidator(limit)


class VillageRules(UnitScopedModel):
    """村规民约: each change is a new version with its adoption date; the latest adopted one is in force."""

    version = models.PositiveIntegerField(_("版本"), default=1)
    title = models.CharField(_("标题"), max_length=100)
    text = models.TextField(_("内容"), **text_limit())
    adopted_on = models.DateField(_("通过日期"), validators=happened_since(1949))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("村规民约")
        verbose_name_plural = _("村规民约")
        ordering = ["unit__path", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "version"], name="village_rules_version_unique",
                                    violation_error_message=_("该村已有这个版本号。")),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.unit} {self.title}（第 {self.version} 版）"


class WorkMethod(UnitScopedModel):
    """The 131 work method in a village: one set of rules, three engines (party cadres, grid workers, volunteers),
    one new mechanism. Pilot villages lead (长湾村、杨球村)."""

    is_pilot = models.BooleanField(_("试点村"), default=False)
    started_on = models.DateField(_("推行日期"), null=True, blank=True, validators=happened_since(1949))
    mechanism = models.TextField(_("一套新机制"), blank=True, **text_limit())
    volunteers = models.PositiveIntegerField(
        _("志愿者（人）"), default=0, validators=[upper(100_000)],
        help_text=_("文明实践台账上线前在此填写；上线后以志愿者名册为准"),
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("“131”工作法")
        verbose_name_plural = _("“131”工作法")
        constraints = [models.UniqueConstraint(fields=["unit"], name="work_method_one_per_unit")]

    def __str__(self):
        return f"{self.unit} “131”工作法"


class Campaign(UnitScopedModel):
    """A campaign such as 三边三清 (屋边清整、路边清洁、水边清爽)."""

    name = models.CharField(_("活动名称"), max_length=100)
    start = models.DateField(_("开始日期"), validators=dated_since(2000))
    end = models.DateField(_("结束日期"), null=True, blank=True, validators=dated_since(2000))
    description = models.TextField(_("说明"), blank=True, **text_limit())

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("整治活动")
        verbose_name_plural = _("整治活动")
        ordering = ["-start", "name"]

    def __str__(self):
        return self.name


class CleanupRecord(UnitScopedModel):
    """One cleanup: where (village or grid; the town for its own roads and rivers), which side, what came out."""

    accepts_photos = True

    class Side(models.TextChoices):
        HOUSE = "house", _("屋边")
        ROAD = "road", _("路边")
        WATER = "water", _("水边")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("所属活动"), null=True, blank=True, on_delete=models.SET_NULL, related_name="cleanups"
    )
    date = models.DateField(_("日期"), db_index=True, validators=happened_since(2000))
    side = models.CharField(_("类别"), max_length=8, choices=Side.choices)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    garbage_tons = models.DecimalField(
        _("清除陈旧垃圾（吨）"), max_digits=8, decimal_places=2, default=0, validators=[NON_NEGATIVE, upper(10_000)]
    )
    billboards = models.PositiveIntegerField(_("清除广告牌（块）"), default=0, validators=[upper(10_000)])
    road_km = models.DecimalField(
        _("清理沿路（公里）"), max_digits=7, decimal_places=2, default=0, validators=[NON_NEGATIVE, upper(1_000)]
    )
    river_km = models.DecimalField(
        _("疏通硬化河道（公里）"), max_digits=7, decimal_places=2, default=0, validators=[NON_NEGATIVE, upper(1_000)]
    )
    participants = models.PositiveIntegerField(_("参与人次"), default=0, validators=[upper(100_000)])
    note = models.TextField(_("情况"), blank=True, **text_limit())

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("清理记录")
        verbose_name_plural = _("清理记录")
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.unit} {self.get_side_display()}"


class EnvironmentProblem(UnitScopedModel):
    """环境问题: something the village must clean (a rubbish heap, a blocked ditch), found or reported by a grid
    worker, with a time limit; a cleanup record closes it."""

    accepts_photos = True

    class Status(models.TextChoices):
        OPEN = "open", _("待清理")
        CLEANED = "cleaned", _("已清理")

    found_on = models.DateField(_("发现日期"), db_index=True, validators=happened_since(2000))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    description = models.TextField(_("问题"), **text_limit())
    deadline = models.DateField(_("清理时限"), blank=True, db_index=True, validators=dated_since(2000),
                                help_text=_("不填则自发现日期按默认时限计算；修改须写明原因。"))  # fmt: skip
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN, db_index=True)
    cleaned_on = models.DateField(_("清理日期"), null=True, blank=True, validators=happened_since(2000))
    cleanup = models.ForeignKey(
        CleanupRecord, verbose_name=_("清理记录"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="problems",
    )  # fmt: skip
    note = models.TextField(_("情况"), blank=True, **text_limit())

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("环境问题")
        verbose_name_plural = _("环境问题")
        ordering = ["status", "deadline", "id"]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self):
        return self.description[:30]

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("environment:environmentproblem_detail", args=[self.pk])


class Pledge(UnitScopedModel):
    """门前三包: a household's pledge to keep its frontage clean (包卫生), green (包绿化) and orderly (包秩序)."""

    class Status(models.TextChoices):
        SIGNED = "signed", _("已签订")
        WITHDRAWN = "withdrawn", _("已终止")

    household = models.OneToOneField(Household, verbose_name=_("农户"), on_delete=models.CASCADE, related_name="pledge")
    signed_on = models.DateField(_("签订日期"), validators=happened_since(2000))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.SIGNED)
    hygiene = models.BooleanField(_("包卫生"), default=True)
    greening = models.BooleanField(_("包绿化"), default=True)
    order = models.BooleanField(_("包秩序"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("门前三包")
        verbose_name_plural = _("门前三包")
        ordering = ["unit__path", "household_id"]

    def __str__(self):
        return f"{self.household} 门前三包"


class HollowHouse(UnitScopedModel):
    """空心房: a derelict house planned for, then demolished."""

    accepts_photos = True

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划拆除")
        DEMOLISHED = "demolished", _("已拆除")

    owner = models.ForeignKey(
        Household,
        verbose_name=_("产权户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hollow_houses",
    )
    location = models.CharField(_("位置"), max_length=200)
    area_m2 = models.DecimalField(
        _("面积（平方米）"),
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[NON_NEGATIVE, upper(10_000)],
    )
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PLANNED, db_index=True)
    demolished_on = models.DateField(_("拆除日期"), null=True, blank=True, validators=happened_since(2000))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("空心房")
        verbose_name_plural = _("空心房")
        ordering = ["status", "-demolished_on", "id"]

    def __str__(self):
        return f"{self.location}（{self.get_status_display()}）"


class ToiletRenovation(UnitScopedModel):
    class Kind(models.TextChoices):
        THREE_TANK = "three_tank", _("三格式化粪池")
        DOUBLE_URN = "double_urn", _("双瓮式")
        SEWER = "sewer", _("接入污水管网")
        OTHER = "other", _("其他")

    household = models.ForeignKey(Household, verbose_name=_("农户"), on_delete=models.CASCADE, related_name="toilets")
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    completed_on = models.DateField(_("完工日期"), validators=happened_since(2000))
    accepted = models.BooleanField(_("已验收"), default=False)
    accepted_on = models.DateField(_("验收日期"), null=True, blank=True, validators=happened_since(2000))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("改厕")
        verbose_name_plural = _("改厕")
        ordering = ["-completed_on", "id"]

    def __str__(self):
        return f"{self.household} {self.get_kind_display()}"


class InfrastructureProject(UnitScopedModel):
    """A project such as the town's sewage plant: investment, pipe, capacity, milestones and progress."""

    accepts_photos = True

    name = models.CharField(_("项目名称"), max_length=100)
    planned_investment = models.DecimalField(
        _("计划投资（万元）"), max_digits=10, decimal_places=2, validators=[NON_NEGATIVE, upper(10_000_000)]
    )
    planned_pipe_km = models.DecimalField(
        _("计划管网（千米）"), max_digits=8, decimal_places=2, default=0, validators=[NON_NEGATIVE, upper(10_000)]
    )
    yearly_capacity = models.DecimalField(
        _("年处理能力（万吨）"), max_digits=8, decimal_places=2, default=0, validators=[NON_NEGATIVE, upper(100_000)]
    )
    start = models.DateField(_("开工日期"), validators=dated_since(2000))
    planned_end = models.DateField(_("计划完工"), null=True, blank=True, validators=dated_since(2000))
    description = models.TextField(_("说明"), blank=True, **text_limit())

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("基础设施项目")
        verbose_name_plural = _("基础设施项目")
        ordering = ["-start", "name"]

    def __str__(self):
        return self.name


class ProjectProgress(UnitScopedModel):
    """A dated step of a project: money spent and pipe laid since the last one, the milestone reached, % done."""

    project = models.ForeignKey(
        InfrastructureProject, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="progress"
    )
    date = models.DateField(_("日期"), db_index=True, validators=happened_since(2000))
    investment = models.DecimalField(
        _("本期投入（万元）"), max_digits=10, decimal_places=2, default=0, validators=[NON_NEGATIVE, upper(1_000_000)]
    )
    pipe_km = models.DecimalField(
        _("本期铺设管网（千米）"), max_digits=8, decimal_places=2, default=0, validators=[NON_NEGATIVE, upper(1_000)]
    )
    percent_done = models.PositiveSmallIntegerField(_("总体进度（%）"), default=0, validators=[upper(100)])
    milestone = models.CharField(_("节点"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("项目进度")
        verbose_name_plural = _("项目进度")
        ordering = ["project", "date", "id"]

    def __str__(self):
        return f"{self.project} {self.date:%Y-%m-%d} {self.percent_done}%"
