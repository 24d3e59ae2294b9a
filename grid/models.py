"""网格事件: what a grid worker finds on his rounds (a hazard, a dispute, a household's problem, litter), reported from
his phone. The village accepts it — and it becomes the ledger row it is, in its work line's own register (an event
sink: reports/worklines.py) — or settles it on the spot, or escalates it to its 包村 cadre or the town's 综治中心.

An event keeps no second register of hazards or disputes: once accepted it only points at the row it became."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from branches.models import Household, UnitScopedModel, User
from branches.scoping import CHANGE, ScopedQuerySet, any_of, is_grid_worker

HANDLE = "handle"  # accept, escalate or close an event: the village's, its 包村 cadre's, or the 综治中心's


class Kind(models.TextChoices):
    """What a grid worker may report an event as. Each but OTHER is accepted into the ledger of the work line that
    declares an event sink of that kind."""

    HAZARD = "hazard", _("安全隐患")
    DISPUTE = "dispute", _("矛盾纠纷")
    PEOPLE = "people", _("民情诉求")
    ENVIRONMENT = "environment", _("环境问题")
    OTHER = "other", _("其他")


class GridEventQuerySet(ScopedQuerySet):
    """Read by the unit rule (a grid worker his grid's, a secretary his village's, a cadre — the 综治中心's staff
    among them — his town's). Handled (HANDLE) by whoever may change the village — its secretary, its 包村 cadre —
    never by a grid worker, and by the centre's staff once it is theirs."""

    scope_rules = {HANDLE: "handled_by"}

    def centre_rule(self, user):
        paths = user.centre_town_paths() if getattr(user, "is_authenticated", False) else []
        if not paths:
            return Q(pk__in=[])
        return any_of(*(Q(unit__path__startswith=path) for path in paths)) & Q(escalated_to=GridEvent.To.CENTRE)

    def handled_by(self, user):
        if is_grid_worker(user):
            return Q(pk__in=[])
        return any_of(self.unit_rule(user, CHANGE), self.centre_rule(user))


class GridEvent(UnitScopedModel):
    """One report from a grid, followed from reported to closed."""

    grid_worker_writes = True
    accepts_photos = True

    class Status(models.TextChoices):
        REPORTED = "reported", _("待受理")
        ACCEPTED = "accepted", _("已受理")
        ESCALATED = "escalated", pgettext_lazy("grid event", "已上报")
        CLOSED = "closed", _("已办结")

    class To(models.TextChoices):
        CADRE = "cadre", _("包村干部")
        CENTRE = "centre", _("镇综治中心")

    OPEN_STATUSES = (Status.REPORTED, Status.ESCALATED)

    kind = models.CharField(_("事件类型"), max_length=16, choices=Kind.choices, db_index=True)
    description = models.TextField(_("事件描述"), max_length=2000)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True,
                                   validators=[MinValueValidator(-90), MaxValueValidator(90)])  # fmt: skip
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True,
                                    validators=[MinValueValidator(-180), MaxValueValidator(180)])  # fmt: skip
    household = models.ForeignKey(Household, verbose_name=_("涉及农户"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    reporter = models.ForeignKey(User, verbose_name=_("上报人"), null=True, on_delete=models.SET_NULL,
                                 related_name="grid_events")  # fmt: skip
    reported_at = models.DateTimeField(_("上报时间"), default=timezone.now, db_index=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.REPORTED,
                              db_index=True)  # fmt: skip
    # The village's time to answer (accept, settle or escalate), from the day it was reported.
    answer_deadline = models.DateField(_("受理时限"))
    answered_on = models.DateField(_("受理日期"), null=True, blank=True)
    escalated_to = models.CharField(_("上报至"), max_length=8, choices=To.choices, blank=True)
    escalated_on = models.DateField(_("上报日期"), null=True, blank=True)
    # The cadre's or the centre's time to settle an escalated event, from the day it was escalated.
    escalation_deadline = models.DateField(_("办结时限"), null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True, db_index=True)
    result = models.TextField(_("处理结果"), blank=True, max_length=2000)
    handled_by = models.ForeignKey(User, verbose_name=_("处理人"), null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")  # fmt: skip
    # The ledger row the event became on acceptance (a Hazard, a DisputeCase, …), whatever its app.
    record_type = models.ForeignKey(ContentType, verbose_name=_("转入台账"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    record_id = models.PositiveBigIntegerField(_("台账记录编号"), null=True, blank=True)
    record = GenericForeignKey("record_type", "record_id")

    objects = GridEventQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("网格事件")
        verbose_name_plural = _("网格事件")
        ordering = ["-reported_at", "-id"]
        indexes = [
            models.Index(fields=["status", "answer_deadline"]),
            models.Index(fields=["record_type", "record_id"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.description[:20]}"

    @property
    def reported_on(self):
        return timezone.localdate(self.reported_at)

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("grid:gridevent_detail", args=[self.pk])
