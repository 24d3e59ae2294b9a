"""Ledgers of 支部建设 — the branch's own life: its meetings (三会一课, 主题党日, 组织生活会, 谈心谈话) and who
attended, the yearly 民主评议党员, 党员先锋积分's rules, 党费, the 发展党员 pipeline and each organisation's
term (换届).

The statutory rhythm of meetings and the points per record are data an admin edits (MeetingRule, PointRule), not
code; the checks that apply them live in services.py and selectors.py, one function each."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import PartyMember, PartyOrganisation, Unit, UnitScopedModel
from branches.scoping import EVERYTHING, VIEW, ScopedQuerySet, scope_roots
from branches.validators import dated_since, happened_since, phone_number, text_limit


class MeetingKind(models.TextChoices):
    ASSEMBLY = "assembly", _("支部党员大会")
    COMMITTEE = "committee", _("支部委员会")
    GROUP = "group", _("党小组会")
    LECTURE = "lecture", _("党课")
    THEME_DAY = "theme_day", _("主题党日")
    LIFE_MEETING = "life_meeting", _("组织生活会")
    TALK = "talk", _("谈心谈话")


class Every(models.TextChoices):
    MONTH = "month", _("每月")
    QUARTER = "quarter", _("每季度")
    YEAR = "year", _("每年")
    NONE = "none", _("不作要求")


class MeetingRule(models.Model):
    """How often a party organisation must hold each kind of meeting (an admin edits it; the defaults are the rules
    of 三会一课: 支委会 and 党小组会 monthly, 党员大会 and 党课 quarterly, 主题党日 monthly, 组织生活会 yearly)."""

    kind = models.CharField(_("会议类型"), max_length=16, choices=MeetingKind.choices, unique=True)
    every = models.CharField(_("频次要求"), max_length=8, choices=Every.choices, default=Every.NONE)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("组织生活频次要求")
        verbose_name_plural = _("组织生活频次要求")
        ordering = ["kind"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.get_every_display()}"


class ThemeQuerySet(ScopedQuerySet):
    """A theme set by the town is for every branch under it: a secretary sees his town's themes (and the county's),
    though he changes none of them (changing stays the unit rule)."""

    scope_rules = {VIEW: "seen_by"}

    def seen_by(self, user):
        roots = scope_roots(user, VIEW)
        if roots is EVERYTHING:
            return models.Q()
        above = {root[:end] for root in roots for end in range(Unit.steplen, len(root), Unit.steplen)}
        return self.unit_rule(user, VIEW) | models.Q(unit__path__in=sorted(above))


class MonthlyTheme(UnitScopedModel):
    """The town's 主题党日 theme for a month; each branch's 主题党日 that month is recorded against it."""

    objects = ThemeQuerySet.as_manager()

    month = models.DateField(_("月份"), help_text=_("该月1日"), validators=happened_since(2000))
    title = models.CharField(_("主题"), max_length=200)
    content = models.TextField(_("活动要求"), blank=True, **text_limit())

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("主题党日主题")
        verbose_name_plural = _("主题党日主题")
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["unit", "month"], name="partylife_one_theme_a_month")]

    def __str__(self):
        return f"{self.month:%Y年%m月}：{self.title}"


class Meeting(UnitScopedModel):
    """组织生活: one meeting of a party organisation (photos are kept as the portal's photo evidence)."""

    accepts_photos = True

    organisation = models.ForeignKey(
        PartyOrganisation, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(_("会议类型"), max_length=16, choices=MeetingKind.choices, db_index=True)
    held_on = models.DateField(_("召开日期"), db_index=True, validators=happened_since(2000))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    host = models.ForeignKey(
        PartyMember, verbose_name=_("主持人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    topic = models.CharField(_("议题"), max_length=200)
    theme = models.ForeignKey(
        MonthlyTheme, verbose_name=_("主题党日主题"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="meetings",
    )  # fmt: skip
    minutes = models.TextField(_("会议记录"), blank=True, **text_limit())
    resolutions = models.TextField(_("决议事项"), blank=True, **text_limit())

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("组织生活会议")
        verbose_name_plural = _("组织生活会议")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["unit", "kind", "held_on"])]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.get_kind_display()}：{self.topic}"


class Attendance(UnitScopedModel):
    """A member at a meeting: present, attending from where he works away (流动党员), excused with a reason, or
    absent. Only a row naming the member earns him points."""

    class Status(models.TextChoices):
        PRESENT = "present", _("出席")
        REMOTE = "remote", _("远程参会")
        EXCUSED = "excused", _("请假")
        ABSENT = "absent", _("缺席")

    ATTENDED = (Status.PRESENT, Status.REMOTE)

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(PartyMember, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("出席情况"), max_length=8, choices=Status.choices, default=Status.PRESENT)
    reason = models.CharField(_("请假事由"), max_length=200, blank=True)
    away_at = models.CharField(_("外出所在地"), max_length=200, blank=True, help_text=_("流动党员填写务工所在地"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("参会情况")
        verbose_name_plural = _("参会情况")
        ordering = ["meeting", "member__name", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="partylife_once_per_meeting")]

    def __str__(self):
        return f"{self.member} {self.get_status_display()}"

    @property
    def held_on(self):
        """The meeting's date, which dates this row into a month (the month close: AttendanceLedger.dated_by)."""
        return self.meeting.held_on if self.meeting_id else None


class Appraisal(UnitScopedModel):
    """民主评议党员: a member's result for a year, with the branch's decision."""

    class Result(models.TextChoices):
        EXCELLENT = "excellent", _("优秀")
        QUALIFIED = "qualified", _("合格")
        BASIC = "basic", _("基本合格")
        UNQUALIFIED = "unqualified", _("不合格")

    member = models.ForeignKey(PartyMember, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(
        _("评议年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    result = models.CharField(_("评议结果"), max_length=12, choices=Result.choices)
    decided_on = models.DateField(_("支部决定日期"), validators=happened_since(2000))
    decision = models.TextField(_("支部决定"), blank=True, **text_limit())

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("民主评议")
        verbose_name_plural = _("民主评议")
        ordering = ["-year", "member__name", "id"]
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="partylife_one_appraisal_a_year")]

    def __str__(self):
        return f"{self.year}年 {self.member} {self.get_result_display()}"


class PointRule(models.Model):
    """党员先锋积分: what one unit of a point source (a meeting attended, an hour of approved volunteering, a visit, a
    household kept for a month) earns, and the most it may earn a member in a month."""

    source = models.CharField(_("积分来源"), max_length=40, unique=True, help_text=_("由各工作线声明的积分来源代码"))
    points = models.DecimalField(_("每项积分"), max_digits=6, decimal_places=2,
                                 validators=[MinValueValidator(0), MaxValueValidator(1000)])  # fmt: skip
    monthly_cap = models.DecimalField(
        _("每月上限"), max_digits=7, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(10000)], help_text=_("留空表示不设上限"),
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")
        ordering = ["source"]

    def __str__(self):
        return self.source


class DuesPayment(UnitScopedModel):
    """党费: one member's dues for one month — due, paid and when (paid before the month: paid in advance)."""

    member = models.ForeignKey(PartyMember, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("所属月份"), help_text=_("该月1日"), validators=happened_since(2000))
    due = models.DecimalField(_("应缴金额（元）"), max_digits=8, decimal_places=2,
                              validators=[MinValueValidator(0), MaxValueValidator(100000)])  # fmt: skip
    paid = models.DecimalField(_("实缴金额（元）"), max_digits=8, decimal_places=2, default=0,
                               validators=[MinValueValidator(0), MaxValueValidator(100000)])  # fmt: skip
    paid_on = models.DateField(_("缴纳日期"), null=True, blank=True, validators=happened_since(2000))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("党费缴纳")
        verbose_name_plural = _("党费缴纳")
        ordering = ["-month", "member__name", "id"]
        constraints = [models.UniqueConstraint(fields=["member", "month"], name="partylife_dues_once_a_month")]
        indexes = [models.Index(fields=["unit", "month"])]

    def __str__(self):
        return f"{self.member} {self.month:%Y-%m}" if self.month else str(self.member)


class Applicant(UnitScopedModel):
    """发展党员: one person's way from 入党申请人 to 正式党员, each step dated; the statutory checks are in
    services.applicant_check."""

    personal_fields = {"phone": "number", "id_number": "number"}

    class Stage(models.TextChoices):
        APPLICANT = "applicant", _("入党申请人")
        ACTIVIST = "activist", _("入党积极分子")
        CANDIDATE = "candidate", _("发展对象")
        PROBATIONARY = "probationary", _("预备党员")
        FULL = "full", _("正式党员")

    organisation = models.ForeignKey(
        PartyOrganisation, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="applicants"
    )
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=PartyMember.Gender.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), validators=happened_since(1900))
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True, validators=[phone_number])
    stage = models.CharField(_("所处阶段"), max_length=12, choices=Stage.choices, default=Stage.APPLICANT,
                             db_index=True)  # fmt: skip
    applied_on = models.DateField(_("递交申请日期"), validators=happened_since(2000))
    activist_on = models.DateField(_("列为积极分子日期"), null=True, blank=True, validators=happened_since(2000))
    candidate_on = models.DateField(_("列为发展对象日期"), null=True, blank=True, validators=happened_since(2000))
    probationary_on = models.DateField(_("接收为预备党员日期"), null=True, blank=True,
                                       validators=happened_since(2000))  # fmt: skip
    full_on = models.DateField(_("转为正式党员日期"), null=True, blank=True, validators=happened_since(2000))
    introducers = models.ManyToManyField(PartyMember, verbose_name=_("入党介绍人"), blank=True, related_name="+")
    note = models.TextField(_("备注"), blank=True, **text_limit())

    history = HistoricalRecords(m2m_fields=[introducers])

    class Meta:
        verbose_name = _("发展党员")
        verbose_name_plural = _("发展党员")
        ordering = ["unit__path", "stage", "name", "id"]

    def __str__(self):
        return self.name


class Term(UnitScopedModel):
    """换届: a party organisation's term (five years) and who was elected secretary; a reminder six months before it
    ends."""

    organisation = models.ForeignKey(
        PartyOrganisation, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="terms"
    )
    starts_on = models.DateField(_("本届起始日期"), validators=happened_since(2000))
    ends_on = models.DateField(_("本届届满日期"), validators=dated_since(2000))
    secretary = models.ForeignKey(
        PartyMember, verbose_name=_("书记"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("选举情况"), blank=True, **text_limit())

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("任期（换届）")
        verbose_name_plural = _("任期（换届）")
        ordering = ["ends_on", "id"]

    def __str__(self):
        years = "—".join(f"{day:%Y}" for day in (self.starts_on, self.ends_on) if day)  # ends_on: blank until saved
        return f"{self.organisation} {years}".strip()
