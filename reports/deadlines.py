"""Time limits of cases, one rule for every page, export, API, dashboard, 通报 and brief.

- The default limit of a kind of case is data: each work line declares its kinds (a `TimedCase` with a `kind` and
  its `default_days`), `CaseLimit` holds the days (seeded from the declarations after `migrate`, edited in the
  admin). A case accepted gets its own deadline from it: `deadline_for(kind, accepted_on)`; from then on the
  case's own deadline rules, and a later change of the default leaves it alone.
- Changing a stored case's deadline needs a reason, kept as the change reason of its history:
  `deadline_change_check(instance)`.
- A case is overdue on a day when its deadline is before that day and it was not closed by then (closed after it,
  it still counts as overdue on that day): `deadline_state` for one case, `overdue_on` for a queryset.
- It is near (yellow) within the days its issuer stated (a town task's `near_days`), else in the last fifth of
  its own time, at most the last 7 days and at least the last day: a petition with 60 days turns yellow 7 days
  before, a dispute with 30 days 6 days before, a hazard given 10 days 2 days before.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import django_tables2 as tables
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.closing import reason_of

from . import worklines

NEAR_DAYS = 7  # at most the last week …
NEAR_SHARE = 5  # … of the last fifth of the case's own time

OVER, NEAR, ON_TIME, DONE, NONE = "over", "near", "on_time", "done", "none"
STATE_LABELS = {
    OVER: gettext_lazy("已超期"),
    NEAR: gettext_lazy("临近时限"),
    ON_TIME: gettext_lazy("时限内"),
    DONE: gettext_lazy("已办结"),
    NONE: gettext_lazy("无时限"),
}
STATE_COLOURS = {OVER: "danger", NEAR: "warning", ON_TIME: "success", DONE: "secondary", NONE: "light"}


# --- the limits -----------------------------------------------------------------------------------------------------


def declared_kinds():
    """{kind: TimedCase} of every case kind a work line declares with a default limit."""
    return {case.kind: case for case in worklines.hooks("timed_cases") if case.kind}


def limit_days(kind):
    """The default limit in days of a kind of case: the admin's, or the declared one until it is seeded."""
    from .models import CaseLimit

    declared = declared_kinds().get(kind)
    if declared is None:
        raise worklines.WorkLineError(f"no work line declares the case kind {kind!r}")
    days = CaseLimit.objects.filter(kind=kind).values_list("days", flat=True).first()
    return days or declared.default_days


def deadline_for(kind, accepted_on):
    """The deadline a case of `kind` accepted on `accepted_on` gets: the kind's limit in days after it."""
    return accepted_on + timedelta(days=limit_days(kind))


def sync_case_limits(using="default"):
    """Seed the limits from the declarations (after `migrate`): a new kind gets its declared days, an existing one
    keeps the admin's days and takes the declared label; a kind no longer declared is marked not in use."""
    from .models import CaseLimit

    declared = declared_kinds()
    existing = {limit.kind: limit for limit in CaseLimit.objects.using(using).all()}
    for kind, case in declared.items():
        fields = {"label": str(case.kind_label or case.label), "work_line": case.work_line,
                  "default_days": case.default_days, "is_active": True}  # fmt: skip
        limit = existing.get(kind)
        if limit is None:
            CaseLimit.objects.using(using).create(kind=kind, days=case.default_days, **fields)
        elif any(getattr(limit, name) != value for name, value in fields.items()):
            CaseLimit.objects.using(using).filter(pk=limit.pk).update(**fields)
    CaseLimit.objects.using(using).exclude(kind__in=list(declared)).update(is_active=False)


# --- changing a case's own deadline ---------------------------------------------------------------------------------


def deadline_change_check(instance, field="deadline"):
    """A stored case whose deadline changes must say why (the page's and the API's one `reason` of a change,
    branches.closing.set_reason, which the history keeps); a new case, or one whose deadline stays, needs none."""
    if instance.pk is None:
        return
    before = type(instance)._default_manager.filter(pk=instance.pk).values_list(field, flat=True).first()
    if before is None or before == getattr(instance, field):
        return
    if not reason_of(instance):
        raise ValidationError({"reason": _("修改办理时限必须填写修改原因。")})


# --- overdue and near -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineState:
    code: str
    days_left: int | None = None  # negative: days over

    @property
    def label(self):
        return STATE_LABELS[self.code]

    @property
    def colour(self):
        return STATE_COLOURS[self.code]

    @property
    def text(self):
        if self.code == OVER:
            return _("超期%(days)s天") % {"days": -self.days_left}
        if self.code == NEAR:
            return _("剩%(days)s天") % {"days": self.days_left} if self.days_left else _("今日到期")
        return str(self.label)

    @property
    def is_over(self):
        return self.code == OVER

    def badge(self):
        """The coloured badge the case lists and pages show (red over, yellow near)."""
        return format_html('<span class="badge text-bg-{} deadline-{}" title="{}">{}</span>', self.colour, self.code,
                           self.label, self.text)  # fmt: skip


def near_window(start, deadline, near_days=None):
    """How many days before its deadline a case turns yellow: the days its issuer stated (a town task's), else the
    last fifth of its own time, at most NEAR_DAYS, at least one day (NEAR_DAYS when its start is unknown)."""
    if near_days is not None:
        return near_days
    if start is None or deadline is None:
        return NEAR_DAYS
    return min(NEAR_DAYS, max(1, (deadline - start).days // NEAR_SHARE))


def deadline_state(deadline, *, start=None, closed_on=None, on=None, near_days=None):
    """The state of one case on the day `on` (today): over (red), near (yellow), on time, done, or none."""
    on = on or timezone.localdate()
    if closed_on is not None and closed_on <= on:
        return DeadlineState(DONE)
    if deadline is None:
        return DeadlineState(NONE)
    days_left = (deadline - on).days
    if days_left < 0:
        return DeadlineState(OVER, days_left)
    if days_left <= near_window(start, deadline, near_days):
        return DeadlineState(NEAR, days_left)
    return DeadlineState(ON_TIME, days_left)


def overdue_q(on, *, open_q, closed_field, deadline_field="deadline"):
    """The condition of a case overdue on the day `on`: deadline before it, and open then (`open_q` now, or closed
    after it) — the database's form of `deadline_state(...).is_over`."""
    if not isinstance(on, date):
        raise TypeError("on must be a date")
    return Q(**{f"{deadline_field}__lt": on}) & (open_q | Q(**{f"{closed_field}__gt": on}))


def overdue_on(rows, on, **how):
    """Those of `rows` overdue on the day `on` (`overdue_q`)."""
    return rows.filter(overdue_q(on, **how))


def case_state(case, *, start, closed, on=None):
    """`deadline_state` of a case record: its `deadline`, started on its field `start` (None: unknown), closed on
    its field `closed`."""
    started = getattr(case, start) if start else None
    return deadline_state(case.deadline, start=started, closed_on=getattr(case, closed), on=on)


class DeadlineColumn(tables.Column):
    """A case list's 时限 column: the case's own deadline with its badge (`case_state`)."""

    def __init__(self, *, start, closed, **kwargs):
        self.start, self.closed = start, closed
        kwargs.setdefault("verbose_name", gettext_lazy("时限"))
        super().__init__(accessor="deadline", **kwargs)

    def render(self, value, record):
        state = case_state(record, start=self.start, closed=self.closed)
        return format_html("{} {}", value, state.badge())

    def value(self, value, record):
        """In an export: the date, with the state when it is red or yellow (“2026-05-01（超期10天）”)."""
        state = case_state(record, start=self.start, closed=self.closed)
        return f"{value:%Y-%m-%d}（{state.text}）" if state.code in (OVER, NEAR) and value else value
