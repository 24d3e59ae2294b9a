"""What the work lines' generators share: the demo town's villages and grids as they stand, and exact splits."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from branches.models import Unit
from demo.branches import TOWN, VILLAGES, village_code
from reports import periods


def demo_villages():
    """(town, {village name: unit}) in the demo's village order, the villages that exist (two queries)."""
    town = Unit.objects.get(code=TOWN[1], kind=Unit.Kind.TOWN)
    by_code = {unit.code: unit for unit in Unit.objects.under(town).villages()}
    villages = {}
    for position, spec in enumerate(VILLAGES):
        if village_code(position) in by_code:
            villages[spec.name] = by_code[village_code(position)]
    return town, villages


def grids_of(town, villages):
    """{village name: [its grids in path order]} (one query)."""
    by_path = {village.path: name for name, village in villages.items()}
    prefix = len(next(iter(villages.values())).path) if villages else 0
    grids = {name: [] for name in villages}
    for grid in Unit.objects.filter(path__startswith=town.path, kind=Unit.Kind.GRID).order_by("path"):
        name = by_path.get(grid.path[:prefix])
        if name:
            grids[name].append(grid)
    return grids


def split(total, weights, step=1):
    """`total` split in multiples of `step` proportional to the (positive) `weights`: each share rounded down, then
    the steps left over go to the largest remainders (ties: the earlier share). The shares sum to `total` exactly."""
    steps = int(Decimal(total) / step)
    whole_weights = [max(1, round(weight * 10_000)) for weight in weights]
    whole = sum(whole_weights)
    shares, remainders = [], []
    for weight in whole_weights:
        share, remainder = divmod(steps * weight, whole)
        shares.append(share)
        remainders.append(remainder)
    for index in sorted(range(len(shares)), key=lambda i: (-remainders[i], i))[: steps - sum(shares)]:
        shares[index] += 1
    return [share * step for share in shares]


def month_index(month):
    return month.year * 12 + month.month - 1


def month_end(month):
    return periods.add_months(month, 1) - timedelta(days=1)


def days_in(month, count, rng, last_end):
    """`count` distinct days of `month` (3rd–28th, none after `last_end`), in order."""
    latest = min(28, last_end.day) if (month.year, month.month) == (last_end.year, last_end.month) else 28
    pool = range(min(3, latest), latest + 1)
    return [month.replace(day=day) for day in sorted(rng.sample(pool, min(count, len(pool))))]


@dataclass
class DemoMonths:
    """The demo's calendar, which every work line's generator fills: this year to the last complete month, and
    the whole of last year."""

    this_year: list  # months of this year to the last complete month
    last_year: list  # the twelve months of last year
    last_end: date  # the last day of the last complete month (today, if that is earlier)

    @property
    def year(self):
        return self.this_year[0].year


def demo_months():
    """DemoMonths' fields as of today."""
    last = periods.last_complete_month()
    return {
        "this_year": [date(last.year, month, 1) for month in range(1, last.month + 1)],
        "last_year": [date(last.year - 1, month, 1) for month in range(1, 13)],
        "last_end": min(month_end(last), timezone.localdate()),
    }
