"""Alerts work lines contribute to the leaders' dashboard: overdue cases and other things someone must act on.

Each work line declares its alerts on its `WorkLine` (`alerts=(Alert(label, count, url), …)`, reports/lines.py), so
the dashboard lists them without naming the app. `count(user, unit)` returns how many rows under `unit` the user may
see (scope through the app's own selectors); `url(unit)` is the page listing them. One alert costs one query,
whatever the number of villages.
"""

from dataclasses import dataclass

from .. import worklines


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
    """Every line's declared alerts, in work-line order, then each line's own order."""
    order = {code: index for index, code in enumerate(worklines.codes())}
    return sorted(worklines.hooks("alerts"), key=lambda spec: (order[spec.work_line], spec.order, spec.label))


def alerts_for(user, unit):
    """Every declared alert's count under `unit` as the user sees it, in work-line order (zeros included)."""
    return [Alert(spec.work_line, spec.label, spec.count(user, unit), spec.url(unit)) for spec in registered()]
