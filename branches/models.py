"""The shared model: one tree of units, the households on its grids, party organisations and members, cadres,
grid workers and the assignments that say who answers for what."""

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from .scoping import ScopedQuerySet, path_is_under
from .validators import dated_since, happened_since, phone_number, text_limit


class UnitQuerySet(MP_NodeQuerySet, ScopedQuerySet):
    scope_path = "path"

    def scope_rule(self, user, action):
        """The units are where a user acts, not records he writes: the unit rule alone (a grid worker acts in his
        grid, on the records open to him; renaming or adding units is refused him by their services)."""
        return self.unit_rule(user, action)

    def under(self, unit, include_self=True):
        """Everything in the subtree of `unit`: one indexed prefix match on the materialised path."""
        queryset = self.filter(path__startswith=unit.path)
        return queryset if include_self else queryset.exclude(pk=unit.pk)

    def villages(self):
        return self.filter(kind__in=Unit.VILLAGE_KINDS)


class UnitManager(MP_NodeManager.from_queryset(UnitQuerySet)):
    def get_queryset(self):
        return UnitQuerySet(self.model, using=self._db).order_by("path")


class Unit(MP_Node):
    """An organisational unit: county → town → area(片) → village/community → group(组) → grid(网格).

    Stored as a materialised path (django-treebeard), so "everything under X" and "X's ancestors" are single queries.
    """

    class Kind(models.TextChoices):
        COUNTY = "county", _("县")
        TOWN = "town", _("镇")
        AREA = "area", _("片区")
        VILLAGE = "village", _("村")
        COMMUNITY = "community", _("社区")
        GROUP = "group", _("村民小组")
        GRID = "grid", _("网格")

    VILLAGE_KINDS = (Kind.VILLAGE, Kind.COMMUNITY)

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, db_index=True)
    code = models.CharField(_("区划代码"), max_length=32, blank=True, db_index=True)
    note = models.TextField(_("备注"), blank=True, **text_limit())
    # What the unit's 公文 say of it (reports/documents): the body it issues under, in red in the 版头
    # (中共双峰县井字镇委员会), and its 发文机关代字 in the 文号 (井 in 井发〔2026〕12号). Data the admin edits.
    issuing_name = models.CharField(_("发文机关名称"), max_length=60, blank=True, default="",
                                    help_text=_("公文版头上的发文机关全称，如“中共双峰县井字镇委员会”。"))  # fmt: skip
    doc_prefix = models.CharField(_("发文机关代字"), max_length=8, blank=True, default="",
                                  help_text=_("文号中的机关代字，如“井”（井发〔2026〕12号）。"))  # fmt: skip

    steplen = 4
    objects = UnitManager()
    history = HistoricalRecords(excluded_fields=["numchild"])

    class Meta:
        verbose_name = _("组织单位")
        verbose_name_plural = _("组织单位")
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=~models.Q(code=""),
                name="unit_code_unique_when_set",
                violation_error_message=_("该区划代码已被其他单位使用。"),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def is_village(self):
        return self.kind in self.VILLAGE_KINDS

    def is_under(self, ancestor):
        """Is this unit `ancestor` itself or somewhere below it? The in-memory twin of `Unit.objects.under()`."""
        return ancestor is not None and path_is_under(self.path, ancestor.path)

    @classmethod
    def path_prefixes(cls, path):
        """The paths of the unit at `path` and of every unit above it, top first."""
        return [path[:end] for end in range(cls.steplen, len(path) + 1, cls.steplen)]

    def ancestor_of_kind(self, *kinds):
        """The nearest unit of one of `kinds` on the way up, self included (None if there is none)."""
        if self.kind in kinds:
            return self
        for ancestor in reversed(Unit.objects.get_ancestors(self)):
            if ancestor.kind in kinds:
                return ancestor
        return None

    @property
    def village(self):
        return self.ancestor_of_kind(*self.VILLAGE_KINDS)

    @property
    def town(self):
        return self.ancestor_of_kind(self.Kind.TOWN)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("branches:unit_detail", args=[self.pk])


class User(AbstractUser):
    """A login. Every user but a superuser is attached to one unit; the role says what he may do there."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("系统管理员")
        LEADER = "leader", _("镇领导")
        CADRE = "cadre", _("镇干部")
        SECRETARY = "secretary", _("村党组织书记")
        GRID_WORKER = "grid_worker", _("网格员")

    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.SECRETARY)
    unit = models.ForeignKey(
        Unit, verbose_name=_("所属单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    phone = models.CharField(_("电话"), max_length=32, blank=True, validators=[phone_number])
    # 大字: the pages' text a size larger, for older secretaries. Kept on the login, not the browser, so it follows
    # him from the office computer to his phone.
    large_text = models.BooleanField(_("大字"), default=False)

    # Who gave whom which role and unit, and who was switched off: every change is kept. A login stamps last_login
    # without a history row (BranchesConfig.ready); a reading preference is no one's business but his.
    history = HistoricalRecords(excluded_fields=["password", "last_login", "large_text"])

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    @property
    def display_name(self):
        return self.get_full_name() or self.username

    def centre_town_paths(self):
        """Paths of the towns whose 综治中心 this login works in (as a cadre marked `in_centre`): none for a village's
        secretary or a grid worker, who hold no cadre card."""
        if self.role not in (self.Role.CADRE, self.Role.LEADER, self.Role.ADMIN):
            return []
        cache = self.__dict__.setdefault("_centre_town_paths", None)
        if cache is None:
            cache = self.__dict__["_centre_town_paths"] = list(
                Cadre.objects.filter(user=self, in_centre=True).values_list("unit__path", flat=True)
            )
        return cache

    def assigned_unit_paths(self, on=None):
        """Paths of the units this login answers for as a cadre (包片/包村/包组) on `on`, by default today.

        A method of the user, not a function of `scoping`: scoping asks the user for it because the models' querysets
        are built on scoping, which therefore must not import them."""
        return list(
            Assignment.objects.active(on)
            .filter(cadre__user=self, kind__in=Assignment.UNIT_KINDS)
            .values_list("unit__path", flat=True)
            .distinct()
        )


class UnitScopedModel(models.Model):
    """A record that belongs to one unit; scoping goes through `unit.path`."""

    unit = models.ForeignKey(Unit, verbose_name=_("所属单位"), on_delete=models.PROTECT)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class Household(UnitScopedModel):
    """A household (户), hanging off a grid."""

    personal_fields = {"phone": "number"}
    # What its grid worker may update (services.household_contact_update): how to reach the household. The rest
    # (head, population, grid) is the village's to keep, so the model does not open itself to grid-worker writes.
    contact_fields = ("phone", "house_number", "note")

    head_name = models.CharField(_("户主"), max_length=50, db_index=True)
    house_number = models.CharField(_("门牌号"), max_length=50, blank=True)
    population = models.PositiveSmallIntegerField(
        _("人口数"), default=1, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    phone = models.CharField(_("联系电话"), max_length=32, blank=True, validators=[phone_number])
    note = models.TextField(_("备注"), blank=True, **text_limit())

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("农户")
        verbose_name_plural = _("农户")
        ordering = ["unit__path", "house_number", "id"]

    def __str__(self):
        return f"{self.head_name}户"


class PartyOrganisation(UnitScopedModel):
    class Level(models.TextChoices):
        COMMITTEE = "committee", _("党委")
        GENERAL_BRANCH = "general_branch", _("党总支")
        BRANCH = "branch", _("党支部")

    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices, default=Level.BRANCH)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级组织"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    secretary_name = models.CharField(_("书记"), max_length=50, blank=True)
    committee = models.TextField(_("委员"), blank=True, help_text=_("支委/两委成员，每行一人"), **text_limit())
    founded = models.DateField(_("成立日期"), null=True, blank=True, validators=happened_since(1921))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        ordering = ["unit__path", "name"]

    def __str__(self):
        return self.name


class PartyMember(UnitScopedModel):
    personal_fields = {"phone": "number"}

    class Gender(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    organisation = models.ForeignKey(
        PartyOrganisation, verbose_name=_("所在党组织"), on_delete=models.PROTECT, related_name="members"
    )
    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True, validators=happened_since(1900))
    joined_date = models.DateField(_("入党日期"), null=True, blank=True, validators=happened_since(1921))
    phone = models.CharField(_("联系电话"), max_length=32, blank=True, validators=[phone_number])
    household = models.ForeignKey(
        Household,
        verbose_name=_("本人所在户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resident_members",
    )
    is_group_leader = models.BooleanField(_("党员组长"), default=False)
    is_active = models.BooleanField(_("在册"), default=True)
    covered_households = models.ManyToManyField(
        Household, through="HouseholdLink", related_name="covering_members", verbose_name=_("联系农户")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        ordering = ["unit__path", "name", "id"]

    def __str__(self):
        return self.name


class HouseholdLink(UnitScopedModel):
    """党员联户: a party member covers a household (五个到户: 联系、走访、政策落实、产业就业对接、精准服务到户)."""

    member = models.ForeignKey(PartyMember, verbose_name=_("党员"), on_delete=models.CASCADE, related_name="links")
    household = models.ForeignKey(Household, verbose_name=_("农户"), on_delete=models.CASCADE, related_name="links")
    since = models.DateField(_("联系起始日期"), null=True, blank=True, validators=happened_since(1949))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("党员联户")
        verbose_name_plural = _("党员联户")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "household"],
                name="household_link_unique",
                violation_error_message=_("该党员已联系这户。"),
            )
        ]

    def __str__(self):
        return f"{self.member} → {self.household}"


class MicroGrid(UnitScopedModel):
    """党员服务微网格: households grouped under one party member."""

    name = models.CharField(_("名称"), max_length=100)
    leader = models.ForeignKey(
        PartyMember, verbose_name=_("微网格长"), on_delete=models.PROTECT, related_name="micro_grids"
    )
    households = models.ManyToManyField(Household, verbose_name=_("农户"), blank=True, related_name="micro_grids")

    history = HistoricalRecords(m2m_fields=[households])

    class Meta:
        verbose_name = _("党员服务微网格")
        verbose_name_plural = _("党员服务微网格")
        ordering = ["unit__path", "name"]

    def __str__(self):
        return self.name


class Cadre(UnitScopedModel):
    """A township cadre (镇干部), attached to the town; may hold a login."""

    personal_fields = {"phone": "number"}

    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    position = models.CharField(_("职务"), max_length=100, blank=True)
    is_leader = models.BooleanField(_("党政领导班子成员"), default=False)
    # The town's 综治中心 takes the grid events a village and its 包村 cadre cannot settle.
    in_centre = models.BooleanField(_("综治中心工作人员"), default=False)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True, validators=[phone_number])
    user = models.OneToOneField(
        User, verbose_name=_("登录账号"), null=True, blank=True, on_delete=models.SET_NULL, related_name="cadre"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("镇干部")
        verbose_name_plural = _("镇干部")
        ordering = ["-is_leader", "name"]

    def __str__(self):
        return self.name


class GridWorker(UnitScopedModel):
    """网格员: answers for one grid."""

    personal_fields = {"phone": "number"}

    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True, validators=[phone_number])
    member = models.ForeignKey(
        PartyMember, verbose_name=_("党员身份"), null=True, blank=True, on_delete=models.SET_NULL
    )
    # His login (role 网格员, attached to this grid): what he records is signed with this row.
    user = models.OneToOneField(
        User, verbose_name=_("登录账号"), null=True, blank=True, on_delete=models.SET_NULL, related_name="grid_worker"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("网格员")
        verbose_name_plural = _("网格员")
        ordering = ["unit__path", "name"]

    def __str__(self):
        return self.name


class AssignmentQuerySet(ScopedQuerySet):
    def active(self, on=None):
        """The assignments in force on `on`: begun by then and not yet ended, an empty date being open-ended.

        `on` defaults to today in the portal's time zone (Asia/Shanghai), not the server's: on a UTC server a 包村
        that starts today is in force from midnight in Beijing, for scoping and pages alike."""
        on = on or timezone.localdate()
        return self.filter(models.Q(start_date__isnull=True) | models.Q(start_date__lte=on)).filter(
            models.Q(end_date__isnull=True) | models.Q(end_date__gte=on)
        )


class Assignment(UnitScopedModel):
    """Who answers for what: 包片 (an area), 包村 (a village), 包组 (a group), 包户 (a household), 包企 (an enterprise).

    `unit` is the unit answered for (for 包户 the household's grid, for 包企 the enterprise's unit), so an assignment is
    scoped like everything else. The person is a cadre or a party member, never both. An enterprise is named through
    `target` so that `branches` needs no import of the industry app.
    """

    class Kind(models.TextChoices):
        AREA = "area", _("包片")
        VILLAGE = "village", _("包村")
        GROUP = "group", _("包组")
        HOUSEHOLD = "household", _("包户")
        ENTERPRISE = "enterprise", _("包企")

    UNIT_KIND_FOR = {
        Kind.AREA: (Unit.Kind.AREA,),
        Kind.VILLAGE: Unit.VILLAGE_KINDS,
        Kind.GROUP: (Unit.Kind.GROUP,),
    }
    UNIT_KINDS = tuple(UNIT_KIND_FOR)  # the kinds that put a cadre in charge of a subtree of units (scoping's CHANGE)

    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, db_index=True)
    cadre = models.ForeignKey(
        Cadre, verbose_name=_("镇干部"), null=True, blank=True, on_delete=models.CASCADE, related_name="assignments"
    )
    member = models.ForeignKey(
        PartyMember,
        verbose_name=_("党员"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    household = models.ForeignKey(
        Household, verbose_name=_("农户"), null=True, blank=True, on_delete=models.CASCADE, related_name="assignments"
    )
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    role_title = models.CharField(_("职责"), max_length=100, blank=True)
    start_date = models.DateField(_("开始日期"), null=True, blank=True, validators=dated_since(2000))
    end_date = models.DateField(_("结束日期"), null=True, blank=True, validators=dated_since(2000))

    objects = AssignmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("包联责任")
        verbose_name_plural = _("包联责任")
        ordering = ["kind", "unit__path"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cadre__isnull=False, member__isnull=True)
                | models.Q(cadre__isnull=True, member__isnull=False),
                name="assignment_one_person",
            )
        ]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.person} {self.get_kind_display()} {self.subject}"

    @property
    def person(self):
        return self.cadre or self.member

    @property
    def subject(self):
        if self.kind == self.Kind.HOUSEHOLD:
            return self.household
        if self.kind == self.Kind.ENTERPRISE:
            return self.target
        return self.unit


def photo_path(instance, filename):
    """Photos are stored under a random name: the file name a user gave reveals nothing and cannot be guessed."""
    import uuid

    return f"photos/{instance.unit_id}/{uuid.uuid4().hex}.jpg"


def thumbnail_path(instance, filename):
    import uuid

    return f"photos/{instance.unit_id}/thumb-{uuid.uuid4().hex}.jpg"


class Photo(UnitScopedModel):
    """A photo kept as evidence for any record (a cleanup, a demolished house, an activity), in that record's unit.

    Served only through a view that checks the viewer's scope, never as a public media URL.
    """

    class Stage(models.TextChoices):
        BEFORE = "before", _("整治前")
        AFTER = "after", _("整治后")
        OTHER = "other", _("现场")

    record_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    record_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("record_type", "record_id")
    image = models.ImageField(_("照片"), upload_to=photo_path)
    thumbnail = models.ImageField(_("缩略图"), upload_to=thumbnail_path)
    stage = models.CharField(_("类别"), max_length=8, choices=Stage.choices, default=Stage.OTHER)
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["thumbnail", "width", "height"])

    class Meta:
        verbose_name = _("照片")
        verbose_name_plural = _("照片")
        ordering = ["stage", "uploaded_at", "id"]
        indexes = [models.Index(fields=["record_type", "record_id"])]

    def __str__(self):
        return self.caption or f"{self.get_stage_display()} {self.pk}"


class PersonalDataAccess(models.Model):
    """查看完整信息: one deliberate look at a record's personal data whole, by someone who sees it masked — who, whose
    record, which fields, when and why (个人信息保护法: a record of access). Written once by
    `services.personal_data_reveal`; nothing updates or deletes it (the admin site shows it read-only)."""

    user = models.ForeignKey(User, verbose_name=_("查看人"), on_delete=models.PROTECT, related_name="+")
    record_type = models.ForeignKey(ContentType, verbose_name=_("记录类型"), on_delete=models.PROTECT)
    record_id = models.PositiveBigIntegerField(_("记录编号"))
    record_repr = models.CharField(_("记录"), max_length=200)
    fields = models.CharField(_("查看字段"), max_length=300)
    reason = models.CharField(_("查看事由"), max_length=200)
    at = models.DateTimeField(_("查看时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("个人信息查看记录")
        verbose_name_plural = _("个人信息查看记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["record_type", "record_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} → {self.record_repr}"


class IdempotentRequest(models.Model):
    """One unsafe API request sent with an `Idempotency-Key` (an offline phone's queue retries until it hears back):
    done once, its answer kept so a retry gets the same answer and writes nothing (branches/idempotency.py). A row
    with no status is a request still running. Rows older than IDEMPOTENCY_KEEP are purged when new ones are written."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    body_digest = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.BinaryField(default=b"", blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("幂等请求")
        verbose_name_plural = _("幂等请求")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotent_request_once_per_user_key")]

    def __str__(self):
        return f"{self.user_id} {self.method} {self.path} {self.key}"


class LiveVersion(models.Model):
    """A token per town and per county that changes whenever a request or task writes something under it: the cached
    live parts of pages (今日待办, the dashboard's exceptions and alerts, the reference counts, the ledger lists)
    are keyed on the tokens of the units a page is about or its reader may see (selectors.live_versions,
    selectors.scope_live_token), so the next page after any write computes them afresh (jingzi/live.py). It is
    a random number, not a counter: a database restored or made anew never meets its own old keys in a cache that
    outlived it."""

    LIVE_KINDS = (Unit.Kind.COUNTY, Unit.Kind.TOWN)

    unit = models.OneToOneField(Unit, primary_key=True, on_delete=models.CASCADE, related_name="+")
    token = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("实时数据版本")
        verbose_name_plural = _("实时数据版本")

    def __str__(self):
        return f"{self.unit_id}: {self.token}"
