"""Alerts work lines contribute to the leaders' dashboard: overdue cases and other things someone must act on.

Each work-line app registers its alerts in its own `alerts.py` (autodiscovered in reports/apps.py, as indicators are),
so the dashboard lists them without naming the app:

    register_alert("governance", "逾期未整改的安全隐患", count_overdue_hazards, overdue_hazards_url)

`count(user, unit)` returns how many rows under `unit` the user may see (scope through the app's own selectors);
`url(unit)` is the page listing them. One alert costs one query, whatever the number of villages.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class AlertSpec:
    work_line: str
    label: str
    count: Callable
    url: Callable
    order: int = 100


@dataclass(frozen=True)
class Alert:
    work_line: str
    label: str
    count: int
    url: str

    @property
    def work_line_label(self):
        return dict(settings.WORK_LINES)[self.work_line]


_alerts = {}


def register_alert(work_line, label, count, url, order=100):
    """Declare an alert; registering the same work line and label again replaces it (module reloads in tests)."""
    if work_line not in dict(settings.WORK_LINES):
        raise ValueError(f"{label}: unknown work line {work_line!r}")
    _alerts[(work_line, label)] = AlertSpec(work_line, label, count, url, order)


def unregister_alert(work_line, label):
    _alerts.pop((work_line, label), None)


def registered():
    lines = [code for code, _label in settings.WORK_LINES]
    return sorted(_alerts.values(), key=lambda spec: (lines.index(spec.work_line), spec.order, spec.label))


def alerts_for(user, unit):
    """Every registered alert's count under `unit` as the user sees it, in work-line order (zeros included)."""
    return [Alert(spec.work_line, spec.label, spec.count(user, unit), spec.url(unit)) for spec in registered()]
