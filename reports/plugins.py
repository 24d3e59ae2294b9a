"""The one surface a work-line app reaches the reporting core through (DESIGN §2). A work line imports from
`reports` only this module (`make lint` holds it to that), so the core can move its insides without touching the
work lines.

What a work line finds here:
- declaring itself: `WorkLine` and `register_work_line` (its one declaration, in its `workline.py`; an app with
  no monthly reports of its own, such as 任务督办, declares itself the same way with `reports=False`;
  `work_line_choices()` lists the reporting lines), with the hooks it may fill (`Alert`, `TimedCase`,
  `BriefSection`, `ScorePart`, `EventSink`, `PointSource`, `NotificationEvent`, `TodayItem`, `Schedule` (a job beat
  runs); reports/worklines.py says what each is for), `IndicatorSpec` and the kind, source and level constants,
  every line's point sources and their records (`point_sources`, `point_records`, and `point_quantities` summed
  per member and month: what the branch-life line's 积分 rules turn into points),
  `Balance` (a backlog's month-to-month rule: open = last month's approved open + new − closed);
  `registry` to read the indicators back;
- counting a derived indicator from its ledgers: `count`, `count_distinct`, `total` (measures counted together
  with a report's others), `own`, `in_month`, `local_midnight`, `month_rows`;
- months and periods: `periods` and its `add_months`, `current_month`, `month_key`, `parse_month`, `PeriodError`;
  pace and colour against a yearly target: `targets`;
- the 工作简报's phrasing helpers for its brief section;
- its 公文 (a `DocumentKind` hook: the parts it writes in the one GB/T 9704 layout): `declared_document` (the
  document itself, for its print view: `.print_response(request, title=…)`), `document_download` (the file,
  as the reader may see the record; a draft has no number), `document_issue_declared` (签发: the next 文号 of the
  issuing unit, the file kept in the register), `document_issued` (the register's entry, or None) and
  `can_issue_document(user, unit)`;
- the county-size seeder's writer for its `scale.py`: `insert`, `new_ids`;
- time limits of its cases (reports/deadlines.py, one rule): `deadline_for` (a case accepted gets its deadline from
  the admin's limit of its kind), `deadline_change_check` (a changed deadline needs a reason), `deadline_state` and
  `case_state` (red, yellow or on time, for one case), `DeadlineColumn` (its list's column with the badge),
  `overdue_q` and `overdue_on` (the overdue rows of a queryset on a day);
- telling people: `notify_event(code, obj, key=None)` (one of its `NotificationEvent`s about `obj`, once per key —
  the object's id unless given: in the portal and through each recipient's channels, email or group robot, sent
  after the commit) and `notify(users, *, message, url="", key)` for a message of its own.
"""

from . import periods, targets
from .brief.selectors import (
    child_values,
    clauses,
    figure,
    figure_of,
    listing,
    marks,
    paragraphs,
    period_phrase,
    period_range,
    scope_word,
    wan,
)
from .deadlines import (
    DeadlineColumn,
    case_state,
    deadline_change_check,
    deadline_for,
    deadline_state,
    overdue_on,
    overdue_q,
)
from .derive import count, count_distinct, in_month, local_midnight, month_rows, own, total
from .documents.selectors import declared_document, document_download, document_issued
from .documents.services import can_issue as can_issue_document
from .documents.services import document_issue_declared
from .notifications.services import notify, notify_event
from .periods import PeriodError, add_months, current_month, month_key, parse_month
from .registry import DERIVED, ENTERED, FLOW, RATIO, STOCK, TOWN, VILLAGE, Balance, IndicatorSpec, registry
from .scale import insert, new_ids
from .worklines import (
    Alert,
    BriefSection,
    DocumentKind,
    EventSink,
    NotificationEvent,
    PointRecord,
    PointSource,
    Schedule,
    ScorePart,
    TimedCase,
    TodayItem,
    WorkLine,
    deliver,
    event_sink,
    hooks,
    point_quantities,
    point_records,
    point_sources,
    register_work_line,
    work_line,
)
from .worklines import choices as work_line_choices

__all__ = [
    "Alert", "Balance", "BriefSection", "DERIVED", "DeadlineColumn", "DocumentKind", "can_issue_document",
    "declared_document", "document_download", "document_issue_declared", "document_issued", "ENTERED", "EventSink",
    "FLOW", "IndicatorSpec",
    "NotificationEvent", "PeriodError", "PointRecord", "PointSource", "RATIO", "STOCK", "Schedule", "ScorePart",
    "TOWN", "TimedCase", "TodayItem", "VILLAGE", "WorkLine", "add_months", "case_state", "child_values", "clauses",
    "count", "count_distinct", "current_month", "deadline_change_check", "deadline_for", "deadline_state", "deliver",
    "event_sink", "figure", "figure_of", "hooks", "in_month", "insert", "listing", "local_midnight", "marks",
    "month_key", "month_rows", "new_ids",
    "notify", "notify_event", "overdue_on", "overdue_q", "own", "paragraphs", "parse_month", "period_phrase",
    "period_range", "periods", "point_quantities", "point_records", "point_sources", "register_work_line", "registry",
    "scope_word", "targets", "total", "wan", "work_line", "work_line_choices",
]  # fmt: skip
