"""Reporting periods: a month is the unit of entry; quarters, years and year-to-date are built from months.

Keys are stable text, as the API takes them: `2026-03`, `2026-Q1`, `2026`, `2026-YTD`. Year-to-date runs from January
to the last complete month (for a past year, to December).
"""

import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

MONTH, QUARTER, YEAR, YTD = "month", "quarter", "year", "ytd"
PERIOD_TYPES = {MONTH: "月", QUARTER: "季度", YEAR: "年", YTD: "年初至今"}

_PATTERNS = (
    (MONTH, re.compile(r"^(\d{4})-(\d{2})$")),
    (QUARTER, re.compile(r"^(\d{4})-Q([1-4])$")),
    (YTD, re.compile(r"^(\d{4})-YTD$")),
    (YEAR, re.compile(r"^(\d{4})$")),
)


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    type: str
    year: int
    number: int = 0  # the month (1–12) or the quarter (1–4)

    @property
    def key(self):
        if self.type == MONTH:
            return f"{self.year}-{self.number:02d}"
        if self.type == QUARTER:
            return f"{self.year}-Q{self.number}"
        if self.type == YTD:
            return f"{self.year}-YTD"
        return str(self.year)

    @property
    def label(self):
        if self.type == MONTH:
            return _("%(year)s年%(month)s月") % {"year": self.year, "month": self.number}
        if self.type == QUARTER:
            return _("%(year)s年第%(quarter)s季度") % {"year": self.year, "quarter": self.number}
        if self.type == YTD:
            last = self.months()[-1] if self.months() else None
            if last is None:
                return _("%(year)s年初至今") % {"year": self.year}
            return _("%(year)s年1—%(month)s月") % {"year": self.year, "month": last.month}
        return _("%(year)s年") % {"year": self.year}

    def months(self, today=None):
        if self.type == MONTH:
            return [date(self.year, self.number, 1)]
        if self.type == QUARTER:
            first = 3 * (self.number - 1) + 1
            return [date(self.year, m, 1) for m in range(first, first + 3)]
        if self.type == YEAR:
            return [date(self.year, m, 1) for m in range(1, 13)]
        cutoff = last_complete_month(today)
        if self.year < cutoff.year:
            return [date(self.year, m, 1) for m in range(1, 13)]
        if self.year > cutoff.year:
            return []
        return [date(self.year, m, 1) for m in range(1, cutoff.month + 1)]

    def previous(self):
        """The period just before (a month's previous month, a quarter's previous quarter, last year)."""
        if self.type == MONTH:
            return month_period(add_months(date(self.year, self.number, 1), -1))
        if self.type == QUARTER:
            return Period(QUARTER, self.year - (self.number == 1), 4 if self.number == 1 else self.number - 1)
        return Period(self.type, self.year - 1)

    def same_last_year(self):
        return Period(self.type, self.year - 1, self.number)


def parse_period(key):
    key = (key or "").strip().upper()
    for period_type, pattern in _PATTERNS:
        match = pattern.match(key)
        if match:
            year = int(match.group(1))
            number = int(match.group(2)) if period_type in (MONTH, QUARTER) else 0
            if period_type == MONTH and not 1 <= number <= 12:
                break
            if not 2000 <= year <= 2100:
                break
            return Period(period_type, year, number)
    raise PeriodError(_("期间格式不正确：“%(key)s”。应为 YYYY-MM、YYYY-Qn、YYYY 或 YYYY-YTD。") % {"key": key})


def parse_month(text):
    """A `YYYY-MM` month as its first day; a future month is refused."""
    try:
        period = parse_period(text)
    except PeriodError:
        period = None
    if period is None or period.type != MONTH:
        message = _("月份格式不正确：“%(key)s”，应为 YYYY-MM，年份在 2000 至 2100 之间。")
        raise PeriodError(message % {"key": str(text)[:20]})
    month = date(period.year, period.number, 1)
    if month > current_month():
        raise PeriodError(_("不能填报未来的月份（%(key)s）。") % {"key": period.key})
    return month


def month_period(month):
    return Period(MONTH, month.year, month.month)


def month_key(month):
    return f"{month.year}-{month.month:02d}"


def add_months(month, count):
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def current_month(today=None):
    today = today or timezone.localdate()
    return date(today.year, today.month, 1)


def last_complete_month(today=None):
    return add_months(current_month(today), -1)


def deadline_for(month):
    """The day a month's reports are due: `REPORT_DEADLINE_DAY` of the following month."""
    return add_months(month, 1).replace(day=settings.REPORT_DEADLINE_DAY)


def last_due_month(today=None):
    """The latest month whose reports are already due (its deadline has passed)."""
    today = today or timezone.localdate()
    month = last_complete_month(today)
    return month if today > deadline_for(month) else add_months(month, -1)


def periods_containing(month, today=None):
    """Every stored period a month counts in: its month, quarter, year and (if complete) its year-to-date."""
    periods = [month_period(month), Period(QUARTER, month.year, (month.month - 1) // 3 + 1), Period(YEAR, month.year)]
    ytd = Period(YTD, month.year)
    if month in ytd.months(today):
        periods.append(ytd)
    return periods


def all_periods_for_months(months, today=None):
    """(period key, period type, month) for every period each month counts in — the roll-up's calendar."""
    rows = []
    for month in months:
        for period in periods_containing(month, today):
            rows.append((period.key, period.type, month))
    return rows
