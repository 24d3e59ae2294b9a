"""The work lines: one `WorkLine` declaration per app, kept in one store.

A work-line app declares itself once, in its own `workline.py` (found at start-up by `reports.apps`, which never
names the app): its code and label, its indicators and pages, its dashboard alerts, its cases with time limits, its
brief section, its panel on the branch pages, its county-size seeder, its demo module, its page and API routes, and
the hooks the later capabilities plug into. Everything that lists the work lines — the navigation, the dashboard,
the 通报, the brief, the monthly reports, the API's choices, the routes — reads this store, so adding a fifth line
touches only its own app, its demo module and one line in `INSTALLED_APPS`
(the test-only fifth work line under tests/ proves it).

An app with no monthly figures of its own (任务督办, `dispatch/`) declares itself the same way with `reports=False`:
its pages, routes, panel, demo and hooks count as a line's (`plugins()`), but it is no work line of the reports,
roll-ups, indicators or navigation (`work_lines()`, `choices()`).

The hooks, each a named extension point (see `hooks(name)`):
- `alerts` (dashboard exceptions), `timed_cases` (a ledger's cases with time limits: counted overdue in the 通报),
  `brief` (the 工作简报's section), `score_parts` (a part of the 通报's score);
- `event_sinks` (a record from elsewhere — a grid worker's report, say — becomes this line's ledger row through
  this line's own service: `deliver(kind, user=…, **payload)`);
- `point_sources` (records that name a party member and earn him points: `point_records(units, start, end)`);
- `notification_events` (what a line may tell people about: `notification_event(code)`; the line sends one with
  `reports.plugins.notify_event(code, obj)`, in the portal and through each recipient's email and group robots);
- `today_items` (what a role's home page lists as needing the user today, with the nearest deadline: read by
  reports/today.py `today_for(user)`, with the core's own items on the monthly reports);
- `schedules` (the line's jobs that beat runs: `Schedule(name, task, crontab)`, created in the database with the
  core's own by reports/setup.py `ensure_schedules()` after `migrate`; an admin may then change their times).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.urls import reverse
from django.utils.functional import Promise

from branches.panels import register_panel

from .registry import registry


class WorkLineError(ValueError):
    pass


# --- the hooks ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Alert:
    """An exception on the leaders' dashboard, listed at `url(unit)`: the rows under `unit` the user may see, given as
    `rows(user, unit)` (a queryset with no aggregate: the dashboard counts every such alert together, in one statement
    whatever their number), or counted by `count(user, unit)` (one query) where they are no plain queryset."""

    label: str
    count: Callable | None = None
    url: Callable | None = field(default=None, compare=False)
    order: int = 100
    work_line: str = ""
    rows: Callable | None = field(default=None, compare=False)

    def __post_init__(self):
        if self.url is None or (self.count is None and self.rows is None):
            raise WorkLineError(f"alert {self.label!r}: needs a url, and its rows or a count")


@dataclass(frozen=True)
class TimedCase:
    """A kind of case with a time limit: `rows(unit, on)` are the cases under `unit` past their deadline and still
    open on `on` (a queryset); `url(unit)` lists them. The 通报 counts them against each village.

    A kind whose cases take their deadline from a default limit names itself with `kind` (a code unique over the
    work lines, e.g. "petition") and its `default_days`: the admin-editable limit (reports.models.CaseLimit) is
    seeded from it, and the line's service asks `reports.deadlines.deadline_for(kind, accepted_on)`."""

    label: str  # what is overdue, e.g. “安全隐患逾期未整改”
    rows: Callable
    measure: str = "件"  # the counting word, e.g. “处”
    url: Callable | None = field(default=None, compare=False)
    kind: str = ""  # the case kind with a default limit, e.g. "petition"
    kind_label: str = ""  # what the limit's row in the admin is called, e.g. “信访积案（自列为积案起办结）”
    default_days: int | None = None
    work_line: str = ""


@dataclass(frozen=True)
class BriefSection:
    """The line's section of the 工作简报: `build(unit, period, values)` → [paragraph, …]."""

    build: Callable
    subtitle: str = ""  # “激发经济活力”: the headline is “支部+产业发展”，激发经济活力
    work_line: str = ""


@dataclass(frozen=True)
class ScorePart:
    """A part of the 通报's score: `judge(villages, month, as_of)` → {village id: (earned, [reason text])}, earned
    out of `weight`; a village missing from the answer has nothing to be judged on in this part."""

    code: str
    label: str
    weight: int
    judge: Callable
    work_line: str = ""


@dataclass(frozen=True)
class EventSink:
    """A record from elsewhere (a grid worker's event) becomes this line's ledger row, through the line's own service:

        accept(*, user, unit, reported_on, description, place="", household=None, reporter="", **asked) → the row

    `user` accepts it, `unit` is where it was found (a grid or a village), `reported_on` the day it was reported;
    `asked` are the cleaned fields of `form`, what the line's register requires that a report does not give (a
    hazard's responsible person and deadline). It returns the saved row (a model instance with a page) or raises the
    service's ValidationError, keyed by the form's fields."""

    kind: str  # e.g. "hazard": what a grid worker may report as one
    label: str
    accept: Callable
    form: type | None = field(default=None, compare=False)  # a django.forms.Form class, or None: nothing to ask
    work_line: str = ""


@dataclass(frozen=True)
class PointRecord:
    """One record that names a party member as a member (never a free-text name): `quantity` of its source's unit
    (a meeting attended, 2.5 hours approved, a household kept for the month) on a day, with the page that shows it."""

    member_id: int
    quantity: Decimal
    on: object  # datetime.date
    text: str
    url: str = ""


@dataclass(frozen=True)
class PointSource:
    """Records that earn a party member points: `records(units, start, end)` → [PointRecord] of the records kept in
    `units` from `start` to `end` (local dates, inclusive). What a record is worth is not the source's to say: the
    branch-life line's rules (points per unit, a monthly cap) turn the records into points."""

    code: str
    label: str
    records: Callable
    measure: str = "项"  # the counting word of a quantity, e.g. “小时”
    work_line: str = ""
    # quantities(units, start, end) → [(member id, month's first day, quantity)]: the records' quantities summed per
    # member and month by the database, for totals over many months that show no record (the derived figure's bulk
    # path); without it they are summed from `records`.
    quantities: Callable | None = field(default=None, compare=False)


@dataclass(frozen=True)
class NotificationEvent:
    """Something the line may tell people about: `recipients(obj)` → users, `message(obj)` → text, `url(obj)`."""

    code: str
    label: str
    recipients: Callable
    message: Callable
    url: Callable | None = None
    work_line: str = ""


@dataclass(frozen=True)
class TodayItem:
    """A line on a role's home page ("what needs me today"), listed at `url(user)` and shown to the `roles` named
    (all when empty), with how many things wait and the nearest of their deadlines:
    - the normal way, `rows(user)`: the waiting rows as a plain queryset, with `deadline` the field (or expression)
      of their time limit; every such item's count and nearest deadline are read together in one statement
      (reports/today.py), so the home page costs the same however many lines declare one;
    - else `count(user)`: one query of its own, giving the number or a (number, nearest deadline) pair."""

    code: str
    label: str
    count: Callable | None = None
    url: Callable | None = field(default=None, compare=False)
    roles: tuple = ()
    work_line: str = ""
    rows: Callable | None = field(default=None, compare=False)
    deadline: object = field(default=None, compare=False)  # a field name or expression of `rows`, or None

    def __post_init__(self):
        if self.url is None or (self.count is None) == (self.rows is None):
            raise WorkLineError(f"today item {self.code!r}: needs a url, and either its rows or a count")
        if self.deadline is not None and self.rows is None:
            raise WorkLineError(f"today item {self.code!r}: a deadline is read from its rows")


@dataclass(frozen=True)
class Schedule:
    """A job beat runs for the line: the Celery task's dotted `task` name at the `crontab` fields (minute, hour,
    day_of_month, …: django_celery_beat's CrontabSchedule), stored once under its `name` (unique over the lines;
    the admin may change the times, the name stays)."""

    name: str  # e.g. “任务督办：每日黄牌红牌提醒”
    task: str  # e.g. "dispatch.tasks.send_cards"
    crontab: dict = field(default_factory=dict, hash=False)
    work_line: str = ""


@dataclass(frozen=True)
class DocumentKind:
    """A document the line writes in the portal's one 公文 layout (reports/documents/) and may issue under a 文号:
    `write(document, record, user)` adds what follows the 版头 and the title to the OfficialDocument — written as
    `user` may see the record (a secretary: his own village's part only); `title(record)` is its title,
    `unit(record)` the unit that issues it, `kind` the register's kind (IssuedDocument.Kind: "fa", "ban",
    "tongbao", "duban" …). The core adds the 版头, the title and the 落款, gives the number on issue and keeps the
    file in the register (reports.plugins: `document_download`, `document_issue_declared`, `document_issued`)."""

    code: str  # e.g. "task_notice": unique over the lines
    label: str
    write: Callable
    title: Callable
    unit: Callable
    kind: str = "fa"
    work_line: str = ""


HOOKS = ("alerts", "timed_cases", "score_parts", "event_sinks", "point_sources", "notification_events",
         "today_items", "schedules", "documents")  # fmt: skip


@dataclass(frozen=True)
class WorkLine:
    code: str
    label: str | Promise
    order: int
    indicators: tuple = ()  # IndicatorSpec, each with work_line=code
    # The codes of the three or four figures the line is judged on, in order: its headline on the dashboard and on a
    # village's page (the rest sit behind 更多). A unit that does not report one is given the next telling figure.
    headline: tuple = ()
    pages: tuple = ()  # (label, URL name or function of the user giving a URL or None): the line's own pages
    brief: BriefSection | None = None
    panel: Callable | None = None  # panel(request, unit) on the branch pages (branches.panels)
    panel_order: int = 100
    seed: Callable | None = None  # seed(villages, months, rng): the county-size seeder (reports/scale.py)
    demo: str | None = None  # the dotted name of its demo module (demo/loader.py runs it)
    urls: str | None = None  # the module of its page routes, included at /
    api_urls: str | None = None  # the module of its API routes, included at /api/v1/<code>/
    alerts: tuple = ()
    timed_cases: tuple = ()
    score_parts: tuple = ()
    event_sinks: tuple = ()
    point_sources: tuple = ()
    notification_events: tuple = ()
    today_items: tuple = ()
    schedules: tuple = ()  # Schedule: the jobs beat runs for the line
    documents: tuple = ()  # DocumentKind: the 公文 the line writes (a town task's 督办通知)
    apps: tuple = ()  # the app labels whose ledgers count in this line's reports; by default the app named as its code
    # False: an app that plugs into the same surface (pages, routes, panel, demo, seeder, hooks) without monthly
    # figures of its own — 任务督办 — so it is no choice of a report, a roll-up or an indicator (`plugins()`).
    reports: bool = True

    @property
    def app_labels(self):
        return self.apps or (self.code,)


# --- the store ------------------------------------------------------------------------------------------------------

_LINES = {}


def register_work_line(line):
    """Declare a work line (from its app's workline.py). Its indicators join the indicator registry and its panel
    the branch pages; declaring the same line again is an error unless it is the same declaration."""
    existing = _LINES.get(line.code)
    if existing is not None:
        if existing == line:
            return existing
        raise WorkLineError(f"{line.code}: declared twice with different contents")
    _check(line)
    if not line.reports and line.indicators:
        raise WorkLineError(f"{line.code}: an app without monthly reports declares no indicators")
    line = replace(line, **{name: _bound(line.code, getattr(line, name)) for name in HOOKS},
                   brief=_bound(line.code, (line.brief,))[0] if line.brief else None)  # fmt: skip
    _LINES[line.code] = line
    if line.reports:
        registry.work_lines.add(line.code)
    registry.register(*line.indicators)
    if line.panel is not None:
        register_panel(line.panel, order=line.panel_order)
    return line


def _check(line):
    for case in line.timed_cases:
        if bool(case.kind) != bool(case.default_days):
            raise WorkLineError(f"{line.code}: a timed case with a default limit needs both a kind and its days")
        for other in _LINES.values():
            if other.code != line.code and case.kind and case.kind in {c.kind for c in other.timed_cases}:
                raise WorkLineError(f"{line.code}: the case kind {case.kind!r} is {other.code}'s")
    declared = {spec.code for spec in line.indicators}
    for code in line.headline:
        if code not in declared:
            raise WorkLineError(f"{line.code}: headline figure {code!r} is not one of its indicators")
    for spec in line.indicators:
        if spec.work_line != line.code:
            raise WorkLineError(f"{spec.code}: declared by {line.code} for work line {spec.work_line!r}")
    for name in HOOKS:
        items = getattr(line, name)
        keys = [getattr(item, "code", None) or getattr(item, "kind", None) or getattr(item, "name", None) or item.label
                for item in items]  # fmt: skip
        if len(keys) != len(set(keys)):
            raise WorkLineError(f"{line.code}: two {name} with the same name")


def _bound(code, items):
    return tuple(replace(item, work_line=code) for item in items)


def plugins():
    """Every declaration, work lines and the apps without reports alike, in declared order: what the routes, the
    demo, the county-size seeder and the hooks read."""
    return sorted(_LINES.values(), key=lambda line: (line.order, line.code))


def work_lines():
    """Every declared work line of the monthly reports, in its declared order."""
    return [line for line in plugins() if line.reports]


def work_line(code):
    try:
        return _LINES[code]
    except KeyError:
        raise WorkLineError(f"unknown work line {code!r}") from None


def is_work_line(code):
    return code in _LINES and _LINES[code].reports


def codes():
    return [line.code for line in work_lines()]


def choices():
    """[(code, label)] in order: for forms, filters and the API."""
    return [(line.code, line.label) for line in work_lines()]


def label_of(code):
    return work_line(code).label


def line_of_app(app_label):
    """The work line whose reports an app's ledger rows count in (None: the app is no work line's)."""
    for line in work_lines():
        if app_label in line.app_labels:
            return line
    return None


def pages_for(code, user):
    """A work line's own pages (its ledgers) as (label, URL), linked from its page in reports: each declared target
    is a URL name, or a function of the user giving a URL (or None to leave the link out)."""
    links = []
    for label, target in work_line(code).pages:
        url = target(user) if callable(target) else reverse(target)
        if url:
            links.append((label, url))
    return links


def hooks(name):
    """Every line's declarations of one hook, in work-line order (each knows its `work_line`)."""
    if name not in HOOKS:
        raise WorkLineError(f"no hook named {name!r}; the hooks are {HOOKS}")
    return [item for line in plugins() for item in getattr(line, name)]


def unregister_work_line(code):
    """Take a line out (a test's work line, when the test is done). Its indicators leave the registry with it."""
    line = _LINES.pop(code, None)
    if line is not None:
        registry.unregister(*(spec.code for spec in line.indicators))
        registry.work_lines.discard(code)


# --- the hooks' entry points ---------------------------------------------------------------------------------------


def event_sink(kind):
    """The sink that accepts `kind` (WorkLineError if no line does)."""
    for sink in hooks("event_sinks"):
        if sink.kind == kind:
            return sink
    raise WorkLineError(f"no work line accepts {kind!r}")


def deliver(kind, /, *, user, **payload):
    """Hand a record from elsewhere to the line that accepts `kind`; its own service makes the row. `kind` is
    positional only: what accepting asked may itself have a `kind` (a dispute's)."""
    return event_sink(kind).accept(user=user, **payload)


def point_sources():
    """Every line's point sources, in work-line order."""
    return hooks("point_sources")


def point_records(units, start, end):
    """[(PointSource, PointRecord)] of every line's point sources, kept in `units` from `start` to `end`."""
    return [(source, record) for source in hooks("point_sources") for record in source.records(units, start, end)]


def point_quantities(units, start, end):
    """{(month, member id): {source code: quantity}} of every line's point records kept in `units` from `start` to
    `end`: what `point_records` gives, summed per member and month (by each source's `quantities` where it has one)."""
    found = defaultdict(lambda: defaultdict(Decimal))
    for source in hooks("point_sources"):
        if source.quantities is not None:
            rows = source.quantities(units, start, end)
        else:
            rows = ((record.member_id, record.on.replace(day=1), record.quantity)
                    for record in source.records(units, start, end))  # fmt: skip
        for member_id, month, quantity in rows:
            found[month, member_id][source.code] += Decimal(quantity)
    return found


def notification_event(code):
    for event in hooks("notification_events"):
        if event.code == code:
            return event
    raise WorkLineError(f"no notification event {code!r}")

