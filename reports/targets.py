"""Yearly targets: the only home of the pace rule and its colours, which the dashboard, the monthly 通报, the 工作简报
and the work lines' boards (the 消薄 board) all ask, so one village-month has one colour everywhere.

The rule: for month M of a year with a yearly target T (a flow's total for the year, e.g. 消薄: collective income
≥ 50,000 元), the pace is T × M / 12. The figure is the approved year-to-date roll-up through M — the official
figure, as DHIS2's analytics use approved data: a report submitted but not approved counts nothing yet. Green at or
above the pace, yellow below it but at least half of it, red below half.

Which month M: the 通报 of a month is judged as of that month; every other page as of the last month whose reporting
deadline has passed (`judged_month`), so a month still being filed is not counted against anyone.
"""

from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from . import periods
from .models import Rollup
from .registry import registry

GREEN, YELLOW, RED = "green", "yellow", "red"


def pace(target, month):
    """What a yearly target asks for by the end of `month`: target × month / 12."""
    return Decimal(target) * month.month / 12


def plain(value):
    """A figure as the reasons write it: at most two places, no trailing zeros (41666.67, 12500)."""
    text = format(Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize(), "f")
    return "0" if text == "-0" else text


@dataclass(frozen=True)
class Standing:
    """A figure against a yearly target as of a month."""

    colour: str
    target: Decimal
    figure: Decimal  # approved, January to `month`
    month: date
    pace: Decimal
    gap: Decimal  # how far below the pace (0 on pace)
    reason: str
    unit: object = None  # set by `standings`
    spec: object = None

    @property
    def met(self):
        """The whole year's target reached already."""
        return self.figure >= self.target

    @property
    def behind(self):
        return self.colour != GREEN


def judge(target, figure, month, measure=""):
    """(target, approved figure January to `month`, month) → the Standing; no approved figure counts as nothing."""
    target, figure = Decimal(target), Decimal(figure or 0)
    # Compared as whole products, so a figure exactly on T × M / 12 is on pace whatever the rounding of the pace.
    if figure * 12 >= target * month.month:
        colour = GREEN
    elif figure * 24 >= target * month.month:
        colour = YELLOW
    else:
        colour = RED
    due = pace(target, month)
    gap = max(due - figure, Decimal(0))
    unit = f" {measure}" if measure else ""
    values = {"m": month.month, "figure": plain(figure), "pace": plain(due), "gap": plain(gap),
              "target": plain(target), "unit": unit}  # fmt: skip
    if figure >= target:
        reason = _("已达目标 %(target)s%(unit)s（1—%(m)s月已审核累计 %(figure)s%(unit)s）") % values
    elif colour == GREEN:
        reason = _("达到序时进度：1—%(m)s月已审核累计 %(figure)s%(unit)s，序时应达 %(pace)s%(unit)s") % values
    elif colour == YELLOW:
        reason = _("未达序时进度：1—%(m)s月已审核累计 %(figure)s%(unit)s，序时应达 %(pace)s%(unit)s，"
                   "还差 %(gap)s%(unit)s") % values  # fmt: skip
    else:
        reason = _("不足序时进度的一半：1—%(m)s月已审核累计 %(figure)s%(unit)s，序时应达 %(pace)s%(unit)s，"
                   "还差 %(gap)s%(unit)s") % values  # fmt: skip
    return Standing(colour, target, figure, month, due, gap, reason)


def note(month):
    """The line a page shows beside the colours: which month, and that only approved figures count."""
    return _(
        "目标按序时进度评价：截至%(y)s年%(m)s月应达全年目标的 %(m)s/12，只计已审核的月报；"
        "达到为绿，未达但不低于一半为黄，不足一半为红。"
    ) % {"y": month.year, "m": month.month}


# --- which month, which figures ------------------------------------------------------------------------------------


def judged_month(period, today=None):
    """The month a yearly period's targets are judged as of: the last month whose deadline has passed, within the
    period's year (December for a past year); None for a period that is not a year or has no month due yet."""
    if period.type not in (periods.YEAR, periods.YTD):
        return None
    due = periods.last_due_month(today)
    if period.year < due.year:
        return date(period.year, 12, 1)
    return due if period.year == due.year else None


def targeted_specs():
    """The indicators with a yearly target (each reporting unit is judged against it)."""
    return [spec for spec in registry.all() if spec.target is not None]


def month_keys(month):
    """The monthly roll-ups that make up January to `month`."""
    return [periods.month_key(date(month.year, number, 1)) for number in range(1, month.month + 1)]


def figure_from(values, unit_id, code, month):
    """The approved January-to-`month` figure from monthly roll-ups already read ({(unit id, period key, code):
    value}), or None when none of those months has an approved figure. Monthly rows, not the stored year-to-date,
    because that one runs to the last complete month, which need not be `month`."""
    found = [values[(unit_id, key, code)] for key in month_keys(month) if (unit_id, key, code) in values]
    return sum(found) if found else None


def read_values(units, codes, month):
    """{(unit id, period key, code): value} of the monthly roll-ups `figure_from` needs, in one query."""
    rows = Rollup.objects.filter(unit__in=units, period__in=month_keys(month), indicator__code__in=sorted(codes))
    return {(u, p, c): v for u, p, c, v in rows.values_list("unit_id", "period", "indicator__code", "value")}


def standing_from(values, unit, spec, month):
    standing = judge(spec.target, figure_from(values, unit.pk, spec.code, month), month, spec.unit)
    return replace(standing, unit=unit, spec=spec)


def standings(units, specs, month):
    """{(unit id, code): Standing} of each unit against each spec's target as of `month` (one query)."""
    specs = [spec for spec in specs if spec.target is not None]
    if not specs or not units:
        return {}
    values = read_values([unit.pk for unit in units], {spec.code for spec in specs}, month)
    return {(unit.pk, spec.code): standing_from(values, unit, spec, month) for unit in units for spec in specs}
