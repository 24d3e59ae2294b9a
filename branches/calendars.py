"""A month laid out day by day, for the pages that show records on a calendar (meetings, volunteer activities): the
weeks, and what the one calendar frame (templates/generic/month_calendar.html) needs to move between months and
to filter by one choice (a party organisation, a station)."""

import calendar
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

WEEKDAYS = (_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日"))


def month_weeks(month, by_day):
    """The weeks of `month` (Monday first) as lists of (day, [records]) — None for days of other months; `by_day`
    maps a day of the month to its records."""
    first = month.replace(day=1)
    return [[(first.replace(day=day), by_day.get(day, [])) if day else None for day in week]
            for week in calendar.Calendar(firstweekday=0).monthdayscalendar(first.year, first.month)]  # fmt: skip


@dataclass(frozen=True)
class CalendarFilter:
    """The frame's one filter: the query parameter, its label and "all" wording, the choices and the one chosen."""

    name: str
    label: str
    all_label: str
    choices: object
    chosen: object = None

    @property
    def query(self):
        """The parameter to carry along the month links ("organisation=5"), or ""."""
        return f"{self.name}={self.chosen.pk}" if self.chosen is not None else ""


def month_calendar(month, weeks, calendar_filter, *, future=True):
    """The frame's context for `month`: its weeks, the previous and next month ("YYYY-MM"; no next beyond the current
    month unless `future`), the weekday names, today, and the filter."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    today = timezone.localdate()
    return {
        "month": first,
        "weeks": weeks,
        "previous": f"{(first - timedelta(days=1)):%Y-%m}",
        "next": f"{following:%Y-%m}" if future or following <= today else None,
        "weekdays": WEEKDAYS,
        "today": today,
        "filter": calendar_filter,
    }
