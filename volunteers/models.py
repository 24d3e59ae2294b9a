"""Ledgers of 支部+文明实践: the town's 新时代文明实践所 and the village 站, volunteer teams and volunteers, activities
(planned → held, with photos) and the hours each volunteer gave, which count once the station approves them."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import PartyMember, UnitScopedModel
from branches.scoping import REVIEW, ScopedQuerySet, any_of
from branches.validators import dated_since, happened_since, phone_number, text_limit


class StationQuerySet(ScopedQuerySet):
    """Stations are read and edited by the unit rule; REVIEW, approving their volunteers' hours, is for the station's
    manager and for the reviewers above it (leaders, cadres where assigned; an admin everywhere)."""

    scope_rules = {REVIEW: "reviewed_by"}

    def reviewed_by(self, user):
        managed = Q(manager=user) if user is not None and user.is_authenticated else Q(pk__in=[])
        return any_of(managed, self.unit_rule(user, REVIEW))


class Station(UnitScopedModel):
    """A 新时代文明实践所 (at the town) or 站 (at a village or community): one per unit."""

    personal_fields = {"phone": "number"}  # the person in charge's phone

    name = models.CharField(_("名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    opening_hours = models.CharField(_("开放时间"), max_length=100, blank=True)
    person_in_charge = models.CharField(_("负责人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True, validators=[phone_number])
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核时长的账号"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="managed_stations", help_text=_("站长（所长）的登录账号：由他审核志愿者的服务时长"),
    )  # fmt: skip
    established_on = models.DateField(_("建成日期"), validators=happened_since(1949))
    is_active = models.BooleanField(_("运行中"), default=True)

    objects = StationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("文明实践所（站）")
        verbose_name_plural = _("文明实践所（站）")
        ordering = ["unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit"], name="station_one_per_unit",
                                    violation_error_message=_("该单位已有文明实践所（站）。")),
        ]  # fmt: skip

    def __str__(self):
        return self.name


class VolunteerTeam(UnitScopedModel):
    """A 志愿服务团队; professional teams (专业志愿服务队) such as the town's 和森故里红色宣讲队 bring a skill."""

    name = models.CharField(_("名称"), max_length=100)
    station = models.ForeignKey(Station, verbose_name=_("所属所（站）"), on_delete=models.PROTECT, related_name="teams")
    is_professional = models.BooleanField(_("专业志愿服务队"), default=False)
    leader_name = models.CharField(_("队长"), max_length=50, blank=True)
    founded_on = models.DateField(_("登记日期"), validators=happened_since(1949))
    is_active = models.BooleanField(_("在册"), default=True)
    description = models.TextField(_("服务内容"), blank=True, **text_limit())

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("志愿服务团队")
        verbose_name_plural = _("志愿服务团队")
        ordering = ["unit__path", "name"]

    def __str__(self):
        return self.name


class Volunteer(UnitScopedModel):
    """A registered volunteer of a village (or of the town); leaving keeps the record and the hours given."""

    personal_fields = {"phone": "number"}

    class Gender(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True, validators=[phone_number])
    skills = models.CharField(_("特长"), max_length=200, blank=True)
    party_member = models.ForeignKey(
        PartyMember, verbose_name=_("党员"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    teams = models.ManyToManyField(VolunteerTeam, verbose_name=_("所属团队"), blank=True, related_name="volunteers")
    joined_on = models.DateField(_("注册日期"), validators=happened_since(2000))
    is_active = models.BooleanField(_("在册"), default=True)
    left_on = models.DateField(_("注销日期"), null=True, blank=True, validators=happened_since(2000))

    history = HistoricalRecords(m2m_fields=[teams])

    class Meta:
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")
        ordering = ["unit__path", "name", "id"]

    def __str__(self):
        return self.name


class ActivityType(models.Model):
    """理论宣讲, 助力春耕, …: the admin adds more."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("可选"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("活动类型")
        verbose_name_plural = _("活动类型")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Activity(UnitScopedModel):
    """A volunteer activity: planned, then held (with the people served and who took part) or cancelled."""

    accepts_photos = True

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划中")
        HELD = "held", _("已开展")
        CANCELLED = "cancelled", _("已取消")

    title = models.CharField(_("活动名称"), max_length=100)
    type = models.ForeignKey(ActivityType, verbose_name=_("活动类型"), on_delete=models.PROTECT, related_name="+")
    station = models.ForeignKey(Station, verbose_name=_("组织所（站）"), on_delete=models.PROTECT,
                                related_name="activities")  # fmt: skip
    teams = models.ManyToManyField(VolunteerTeam, verbose_name=_("参与团队"), blank=True, related_name="activities")
    starts_at = models.DateTimeField(_("开始时间"), db_index=True, validators=dated_since(2000))
    ends_at = models.DateTimeField(_("结束时间"), null=True, blank=True, validators=dated_since(2000))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    description = models.TextField(_("活动内容"), blank=True, **text_limit())
    people_served = models.PositiveIntegerField(
        _("服务群众（人次）"), default=0, validators=[MaxValueValidator(100_000)]
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PLANNED,
                              db_index=True)  # fmt: skip

    history = HistoricalRecords(m2m_fields=[teams])

    class Meta:
        verbose_name = _("志愿服务活动")
        verbose_name_plural = _("志愿服务活动")
        ordering = ["-starts_at", "-id"]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d} {self.title}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("volunteers:activity_detail", args=[self.pk])


class Participation(UnitScopedModel):
    """One volunteer at one held activity, with the hours given; the hours count once the station approves them."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已审核")
        REJECTED = "rejected", _("未通过")

    activity = models.ForeignKey(Activity, verbose_name=_("活动"), on_delete=models.CASCADE,
                                 related_name="participations")  # fmt: skip
    volunteer = models.ForeignKey(Volunteer, verbose_name=_("志愿者"), on_delete=models.PROTECT,
                                  related_name="participations")  # fmt: skip
    hours = models.DecimalField(
        _("服务时长（小时）"), max_digits=4, decimal_places=1,
        validators=[MinValueValidator(0.5), MaxValueValidator(24)],
    )  # fmt: skip
    status = models.CharField(_("审核状态"), max_length=10, choices=Status.choices, default=Status.PENDING,
                              db_index=True)  # fmt: skip
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("服务时长")
        verbose_name_plural = _("服务时长")
        ordering = ["activity", "volunteer__name"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "volunteer"], name="participation_once_per_activity",
                                    violation_error_message=_("该志愿者已登记在这次活动中。")),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.volunteer} · {self.activity}"

    @property
    def held_at(self):
        """When the activity was held: the month whose report counts these hours (volunteers.ledgers dates the row
        by it, so a review in an approved month goes through the month close)."""
        return self.activity.starts_at if self.activity_id else None
