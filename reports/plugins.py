"""The one surface a work-line app reaches the reporting core through (DESIGN §2). A work line imports from
`reports` only this module (`make lint` holds it to that), so the core can move its insides without touching the
work lines.

What a work line finds here:
- declaring its indicators and pages: `register`, `register_pages`, `IndicatorSpec` and the kind, source and level
  constants; `registry` to read them back;
- counting a derived indicator from its ledgers: `count`, `count_distinct`, `total` (measures counted together
  with a report's others), `own`, `in_month`, `local_midnight`, `month_rows`;
- months and periods: `periods` and its `add_months`, `current_month`, `month_key`, `parse_month`, `PeriodError`;
  pace and colour against a yearly target: `targets`;
- hooks: `register_alert` (the dashboard's exceptions), `register_overdue` (the 通报's overdue counters),
  `register_brief_section` with the 工作简报's phrasing helpers;
- the county-size seeder's writer for its `scale.py`: `insert`, `new_ids`.

The next step (issue 18) turns the separate `register*` calls into one `WorkLine` declaration per app.
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
    register_brief_section,
    scope_word,
    wan,
)
from .bulletin.selectors import register_overdue
from .dashboard.alerts import register_alert
from .derive import count, count_distinct, in_month, local_midnight, month_rows, own, total
from .periods import PeriodError, add_months, current_month, month_key, parse_month
from .registry import (
    DERIVED,
    ENTERED,
    FLOW,
    RATIO,
    STOCK,
    TOWN,
    VILLAGE,
    IndicatorSpec,
    register,
    register_pages,
    registry,
)
from .scale import insert, new_ids

__all__ = [
    "DERIVED", "ENTERED", "FLOW", "RATIO", "STOCK", "TOWN", "VILLAGE", "IndicatorSpec", "PeriodError",
    "add_months", "child_values", "clauses", "count", "count_distinct", "current_month", "figure", "figure_of",
    "in_month", "insert", "listing", "local_midnight", "marks", "month_key", "month_rows", "new_ids", "own",
    "paragraphs", "parse_month", "period_phrase", "period_range", "periods", "register", "register_alert",
    "register_brief_section", "register_overdue", "register_pages", "registry", "scope_word", "targets", "total",
    "wan",
]  # fmt: skip
