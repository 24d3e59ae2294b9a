"""Alerts work lines contribute to the leaders' dashboard: overdue cases and other things someone must act on.

Each work line declares its alerts on its `WorkLine` (`alerts=(Alert(label, url=…, rows=…), …)`, reports/worklines.py),
so the dashboard lists them without naming the app. `rows(user, unit)` are the rows under `unit` the user may see
(scope through the app's own selectors), counted with every other line's in one statement; an alert whose rows are
no plain queryset gives `count(user, unit)` instead, one query. `url(unit)` is the page listing them.
"""

from dataclasses import dataclass

from .. import worklines
from ..derive import count, figures


@dataclass(frozen=True)
class Alert:
    work_line: str
    label: str
    count: int
    url: str

    @property
    def work_line_label(self):
        return worklines.label_of(self.work_line)


def registered():
    """Every line's declared alerts (the plug-ins' without reports too), in work-line order, then each line's own
    order."""
    order = {line.code: index for index, line in enumerate(worklines.plugins())}
    return sorted(worklines.hooks("alerts"), key=lambda spec: (order[spec.work_line], spec.order, spec.label))


def alerts_for(user, unit):
    """Every declared alert's count under `unit` as the user sees it, in work-line order (zeros included). The alerts
    that give their rows are counted together in one statement (reports.derive.figures); the others one query each."""
    specs = registered()
    together = figures(unit, {index: count(spec.rows(user, unit)) for index, spec in enumerate(specs) if spec.rows})
    return [
        Alert(spec.work_line, spec.label, int(together[index]) if spec.rows else spec.count(user, unit), spec.url(unit))
        for index, spec in enumerate(specs)
    ]
