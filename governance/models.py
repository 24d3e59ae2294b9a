"""Ledgers of 支部+基层治理 — so far its safety part: patrol teams and their members, patrols and joint actions
(道路安全整治、打非治违、隐患排查), and the hazard register in the 六定 form (定项目、定措施、定资金、定责任人、定时限、
定验收人) followed from found to verified."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import GridWorker, PartyMember, UnitScopedModel
from branches.scoping import CHANGE, REVIEW, ScopedQuerySet, any_of, is_grid_worker
from branches.validators import dated_since, happened_since, phone_number, phone_numbers, text_limit

VERIFY = "verify"  # a hazard's last step: verify a rectified hazard, or send it back (its village's reviewer)


class PatrolTeam(UnitScopedModel):
    name = models.CharField(_("队伍名称"), max_length=100)
    leader_name = models.CharField(_("队长"), max_length=50, blank=True)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True, validators=happened_since(1949))
    is_active = models.BooleanField(_("在用"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("巡查队伍")
        verbose_name_plural = _("巡查队伍")
        ordering = ["unit__path", "name"]

    def __str__(self):
        return self.name


class PatrolMember(UnitScopedModel):
    personal_fields = {"phone": "number"}

    team = models.ForeignKey(PatrolTeam, verbose_name=_("队伍"), on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True, validators=[phone_number])
    party_member = models.ForeignKey(
        PartyMember, verbose_name=_("党员身份"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_active = models.BooleanField(_("在队"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("巡查队员")
        verbose_name_plural = _("巡查队员")
        ordering = ["team", "name"]

    def __str__(self):
        return self.name


class SafetyAction(UnitScopedModel):
    """A patrol or joint action, with what it removed and persuaded."""

    class Kind(models.TextChoices):
        ROAD_SAFETY = "road_safety", _("道路安全整治")
        CRACKDOWN = "crackdown", _("打非治违")
        INSPECTION = "inspection", _("安全隐患排查")
        PATROL = "patrol", _("日常巡查")

    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, db_index=True)
    date = models.DateField(_("日期"), db_index=True, validators=happened_since(2000))
    team = models.ForeignKey(
        PatrolTeam, verbose_name=_("巡查队伍"), null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    partners = models.CharField(_("联合单位"), max_length=100, blank=True, help_text=_("如 派出所"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    umbrellas_removed = models.PositiveIntegerField(_("拆除摩托车遮阳伞（把）"), default=0,
                                                    validators=[MaxValueValidator(100_000)])  # fmt: skip
    helmet_persuasions = models.PositiveIntegerField(_("劝导戴帽（人次）"), default=0,
                                                     validators=[MaxValueValidator(100_000)])  # fmt: skip
    note = models.TextField(_("情况"), blank=True, **text_limit())

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("巡查与整治行动")
        verbose_name_plural = _("巡查与整治行动")
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"


class HazardQuerySet(ScopedQuerySet):
    """Hazards are read and edited by the unit rule. REVIEW is moving one along the 六定 chain: its village (and
    cadre) advance it, a reviewer verifies or returns it — so the rows under either rule. VERIFY is the reviewer's
    part alone: those under the units he reviews (a cadre's 包村, a leader's unit), never the village's own."""

    scope_rules = {REVIEW: "handled_by", VERIFY: "verified_by"}

    def handled_by(self, user):
        return any_of(self.unit_rule(user, CHANGE), self.unit_rule(user, REVIEW))

    def verified_by(self, user):
        return self.unit_rule(user, REVIEW)


class Hazard(UnitScopedModel):
    """A safety hazard in the 六定 form, followed found → rectifying → rectified → verified."""

    accepts_photos = True

    class Status(models.TextChoices):
        FOUND = "found", _("已发现")
        RECTIFYING = "rectifying", _("整改中")
        RECTIFIED = "rectified", _("已整改")
        VERIFIED = "verified", _("已验收")

    OPEN_STATUSES = (Status.FOUND, Status.RECTIFYING)

    action = models.ForeignKey(
        SafetyAction, verbose_name=_("发现于"), null=True, blank=True, on_delete=models.SET_NULL, related_name="hazards"
    )
    found_on = models.DateField(_("发现日期"), db_index=True, validators=happened_since(2000))
    item = models.CharField(_("定项目（隐患）"), max_length=200)
    location = models.CharField(_("位置"), max_length=100, blank=True)
    measures = models.TextField(_("定措施"), blank=True, **text_limit())
    funds = models.DecimalField(_("定资金（万元）"), max_digits=10, decimal_places=2, default=0,
                                validators=[MinValueValidator(0), MaxValueValidator(100_000)])  # fmt: skip
    responsible = models.CharField(_("定责任人"), max_length=50)
    deadline = models.DateField(_("定时限"), blank=True, validators=dated_since(2000),
                                help_text=_("不填则自发现日期按默认时限计算；修改须写明原因。"))  # fmt: skip
    reviewer = models.CharField(_("定验收人"), max_length=50, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.FOUND, db_index=True)
    rectified_on = models.DateField(_("整改完成日期"), null=True, blank=True, validators=happened_since(2000))
    verified_on = models.DateField(_("验收日期"), null=True, blank=True, validators=happened_since(2000))
    note = models.TextField(_("情况"), blank=True, **text_limit())

    objects = HazardQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("安全隐患")
        verbose_name_plural = _("安全隐患")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self):
        return self.item

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("governance:hazard_detail", args=[self.pk])


class MediationCommittee(UnitScopedModel):
    """A village's people's mediation committee (调解委员会) with its room, legal adviser and auxiliary police."""

    name = models.CharField(_("名称"), max_length=100)
    director = models.CharField(_("主任"), max_length=50, blank=True)
    members = models.TextField(_("委员"), blank=True, **text_limit())
    room = models.CharField(_("调解室"), max_length=100, blank=True, help_text=_("地址；为空表示尚未建调解室"))
    legal_adviser = models.CharField(_("法律顾问"), max_length=50, blank=True)
    auxiliary_police = models.CharField(_("辅警（一村一辅警）"), max_length=50, blank=True)
    established_on = models.DateField(_("成立日期"), null=True, blank=True, validators=happened_since(1949))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("调解委员会")
        verbose_name_plural = _("调解委员会")
        ordering = ["unit__path"]

    def __str__(self):
        return self.name


class DisputeCase(UnitScopedModel):
    """A dispute, mediated by the 三三工作法 — small matters stay in the village (枫桥经验)."""

    class Kind(models.TextChoices):
        NEIGHBOUR = "neighbour", _("邻里纠纷")
        FAMILY = "family", _("婚姻家庭")
        SUPPORT = "support", _("赡养纠纷")
        LAND = "land", _("土地宅基地")
        FOREST = "forest", _("山林纠纷")
        EXPROPRIATION = "expropriation", _("征地拆迁")
        ENVIRONMENT = "environment", _("环境纠纷")
        LABOUR = "labour", _("劳资纠纷")
        OTHER = "other", _("其他")

    class Result(models.TextChoices):
        PENDING = "pending", _("调解中")
        SUCCESS = "success", _("调解成功")
        FAILED = "failed", _("调解未成功")
        TRANSFERRED = "transferred", _("移交")

    personal_fields = {"parties": "name", "party_phones": "number", "party_ids": "number", "steps": "text"}

    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    summary = models.CharField(_("纠纷概要"), max_length=200)
    parties = models.CharField(_("当事人"), max_length=200, help_text=_("多人用顿号分隔"))
    party_phones = models.CharField(_("当事人电话"), max_length=100, blank=True, validators=[phone_numbers],
                                    help_text=_("多个号码用顿号分隔"))  # fmt: skip
    party_ids = models.CharField(_("当事人身份证号"), max_length=200, blank=True)
    received_on = models.DateField(_("受理日期"), db_index=True, validators=happened_since(2000))
    deadline = models.DateField(_("调解时限"), blank=True, db_index=True, validators=dated_since(2000),
                                help_text=_("不填则按受理日期和默认时限自动计算；修改须写明原因。"))  # fmt: skip
    mediator = models.CharField(_("调解人"), max_length=50, blank=True)
    steps = models.TextField(_("调解过程"), blank=True, **text_limit())
    result = models.CharField(_("结果"), max_length=12, choices=Result.choices, default=Result.PENDING, db_index=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True, db_index=True, validators=happened_since(2000))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("矛盾纠纷")
        verbose_name_plural = _("矛盾纠纷")
        ordering = ["-received_on", "-id"]

    def __str__(self):
        return self.summary

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("governance:disputecase_detail", args=[self.pk])


class PetitionCase(UnitScopedModel):
    """A petition backlog case (信访积案) with the leader answering for it (包案)."""

    class Status(models.TextChoices):
        OPEN = "open", _("未化解")
        IN_PROGRESS = "in_progress", _("化解中")
        RESOLVED = "resolved", _("已化解")

    personal_fields = {"petitioner": "name", "petitioner_phone": "number", "progress": "text"}

    title = models.CharField(_("案件"), max_length=200)
    petitioner = models.CharField(_("信访人"), max_length=50)
    petitioner_phone = models.CharField(_("信访人电话"), max_length=32, blank=True, validators=[phone_number])
    received_on = models.DateField(_("首次信访日期"), validators=happened_since(2000))
    taken_on = models.DateField(_("列为积案日期"), blank=True, validators=happened_since(2000),
                                help_text=_("化解时限自此日起算，而非首次信访日期；不填则为登记当天。"))  # fmt: skip
    deadline = models.DateField(_("化解时限"), blank=True, db_index=True, validators=dated_since(2000),
                                help_text=_("不填则按列为积案日期和默认时限自动计算；修改须写明原因。"))  # fmt: skip
    leader = models.ForeignKey(
        "branches.Cadre", verbose_name=_("包案领导"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True)
    progress = models.TextField(_("化解情况"), blank=True, **text_limit())
    resolved_on = models.DateField(_("化解日期"), null=True, blank=True, db_index=True, validators=happened_since(2000))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("信访积案")
        verbose_name_plural = _("信访积案")
        ordering = ["status", "-received_on"]

    def __str__(self):
        return self.title


# --- 五个到户: visits and the people's ledger (民情台账) ---------------------------------------------------------


class SignedQuerySet(ScopedQuerySet):
    """Records a grid worker signs (visits, door knocks): in his grid he changes only his own, never a party
    member's visit nor another worker's knock; everyone else by the unit rule."""

    scope_rules = {CHANGE: "changed_by"}

    def changed_by(self, user):
        rule = self.unit_rule(user, CHANGE)
        return rule & models.Q(grid_worker__user=user) if is_grid_worker(user) else rule


class VisitLog(UnitScopedModel):
    """民情走访: a visit to a household, by a party member who covers it or by its grid worker, and which of the five
    things it was for. Exactly one of the two is its author."""

    grid_worker_writes = True

    class Aspect(models.TextChoices):
        CONTACT = "contact", _("联系到户")
        VISIT = "visit", _("走访到户")
        POLICY = "policy", _("政策落实到户")
        JOBS = "jobs", _("产业就业对接到户")
        SERVICE = "service", _("精准服务到户")

    member = models.ForeignKey(
        PartyMember, verbose_name=_("党员"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    grid_worker = models.ForeignKey(
        GridWorker, verbose_name=_("网格员"), null=True, blank=True, on_delete=models.PROTECT, related_name="visits"
    )
    household = models.ForeignKey(
        "branches.Household", verbose_name=_("农户"), on_delete=models.CASCADE, related_name="visit_logs"
    )
    date = models.DateField(_("走访日期"), db_index=True, validators=happened_since(2000))
    aspect = models.CharField(_("到户事项"), max_length=10, choices=Aspect.choices)
    raised = models.TextField(_("群众反映"), blank=True, **text_limit())

    objects = SignedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("民情走访")
        verbose_name_plural = _("民情走访")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(member__isnull=False, grid_worker__isnull=True)
                | models.Q(member__isnull=True, grid_worker__isnull=False),
                name="visit_log_one_author",
                violation_error_message=_("走访人须在党员和网格员中选择且只选一个。"),
            )
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.author} → {self.household}"

    @property
    def author(self):
        return self.member or self.grid_worker


class PeopleIssue(UnitScopedModel):
    """民情台账: something a household raised, kept until it is resolved and struck off (销号)."""

    class Status(models.TextChoices):
        OPEN = "open", _("办理中")
        CLOSED = "closed", _("已销号")

    household = models.ForeignKey(
        "branches.Household", verbose_name=_("农户"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="issues",
    )  # fmt: skip
    raised_on = models.DateField(_("反映日期"), validators=happened_since(2000))
    content = models.TextField(_("诉求"), **text_limit())
    handler = models.CharField(_("办理人"), max_length=50, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN, db_index=True)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True, validators=happened_since(2000))
    result = models.TextField(_("办理结果"), blank=True, **text_limit())

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("民情台账")
        verbose_name_plural = _("民情台账")
        ordering = ["status", "-raised_on", "-id"]

    def __str__(self):
        return self.content[:30]

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("governance:peopleissue_detail", args=[self.pk])


# --- key persons (五包一), door knocks, checkpoints --------------------------------------------------------------


class KeeperRole(models.Model):
    """One of the five roles answering for a key person (五包一); the admin names them."""

    name = models.CharField(_("名称"), max_length=30, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("五包一角色")
        verbose_name_plural = _("五包一角色")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class KeyPerson(UnitScopedModel):
    personal_fields = {"name": "name", "phone": "number", "id_number": "number", "note": "text"}

    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True, validators=[phone_number])
    category = models.CharField(_("类别"), max_length=50, help_text=_("如 外地返乡、居家监测"))
    since = models.DateField(_("纳入日期"), validators=happened_since(2000))
    released_on = models.DateField(_("解除日期"), null=True, blank=True, validators=dated_since(2000))
    note = models.TextField(_("情况"), blank=True, **text_limit())

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("重点人员")
        verbose_name_plural = _("重点人员")
        ordering = ["released_on", "-since", "id"]

    def __str__(self):
        return f"{self.category}（{self.unit}）"


class KeyPersonKeeper(UnitScopedModel):
    """One of the five named people answering for a key person."""

    personal_fields = {"phone": "number"}

    person = models.ForeignKey(KeyPerson, verbose_name=_("重点人员"), on_delete=models.CASCADE, related_name="keepers")
    role = models.ForeignKey(KeeperRole, verbose_name=_("角色"), on_delete=models.PROTECT)
    keeper_name = models.CharField(_("责任人"), max_length=50)
    phone = models.CharField(_("电话"), max_length=32, blank=True, validators=[phone_number])

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("五包一责任人")
        verbose_name_plural = _("五包一责任人")
        constraints = [models.UniqueConstraint(fields=["person", "role"], name="one_keeper_per_role",
                                               violation_error_message=_("该角色已有责任人。"))]  # fmt: skip

    def __str__(self):
        return f"{self.role}：{self.keeper_name}"


class DoorKnock(UnitScopedModel):
    """敲门行动: a door knocked, what was checked and told; by a grid worker's login, signed with his record."""

    grid_worker_writes = True

    date = models.DateField(_("日期"), db_index=True, validators=happened_since(2000))
    household = models.ForeignKey(
        "branches.Household", verbose_name=_("农户"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    person = models.ForeignKey(
        KeyPerson, verbose_name=_("重点人员"), null=True, blank=True, on_delete=models.SET_NULL, related_name="knocks"
    )
    by = models.CharField(_("敲门人"), max_length=50)
    grid_worker = models.ForeignKey(
        GridWorker, verbose_name=_("网格员"), null=True, blank=True, on_delete=models.PROTECT, related_name="knocks"
    )
    result = models.TextField(_("摸排宣传情况"), blank=True, **text_limit())

    objects = SignedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("敲门行动")
        verbose_name_plural = _("敲门行动")
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.by}"


class Checkpoint(UnitScopedModel):
    """卡点: at a village crossroads or the border with another city or county."""

    class Kind(models.TextChoices):
        VILLAGE_ROAD = "village_road", _("村道路口")
        BORDER = "border", _("市县边界")

    name = models.CharField(_("卡点名称"), max_length=100)
    kind = models.CharField(_("位置类型"), max_length=14, choices=Kind.choices)
    location = models.CharField(_("位置"), max_length=100, blank=True)
    opened_on = models.DateField(_("设卡日期"), validators=happened_since(2000))
    closed_on = models.DateField(_("撤卡日期"), null=True, blank=True, validators=happened_since(2000))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("卡点")
        verbose_name_plural = _("卡点")
        ordering = ["unit__path", "name"]

    def __str__(self):
        return self.name


class CheckpointStaff(UnitScopedModel):
    """A party member or cadre on a checkpoint's duty roster."""

    checkpoint = models.ForeignKey(Checkpoint, verbose_name=_("卡点"), on_delete=models.CASCADE, related_name="staff")
    name = models.CharField(_("姓名"), max_length=50)
    shifts = models.CharField(_("值守安排"), max_length=200, blank=True, help_text=_("如 春节 8:00—20:00"))
    is_active = models.BooleanField(_("在岗"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("卡点值守人员")
        verbose_name_plural = _("卡点值守人员")
        ordering = ["checkpoint", "name"]

    def __str__(self):
        return self.name


class PassRecord(UnitScopedModel):
    """The in/out personnel ledger of a checkpoint."""

    personal_fields = {"person_name": "name", "phone": "number", "id_number": "number"}

    class Direction(models.TextChoices):
        IN = "in", _("进")
        OUT = "out", _("出")

    checkpoint = models.ForeignKey(Checkpoint, verbose_name=_("卡点"), on_delete=models.CASCADE, related_name="passes")
    at = models.DateTimeField(_("时间"), db_index=True, validators=happened_since(2000))
    direction = models.CharField(_("进出"), max_length=3, choices=Direction.choices)
    person_name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("电话"), max_length=32, blank=True, validators=[phone_number])
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    from_place = models.CharField(_("来自/去往"), max_length=100, blank=True)
    plate = models.CharField(_("车牌"), max_length=20, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("进出登记")
        verbose_name_plural = _("进出登记")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_direction_display()}"
