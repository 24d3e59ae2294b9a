"""Reads of the stored roll-ups (approved figures only), for the summary, the dashboard and the brief."""

from django.db import DEFAULT_DB_ALIAS

from branches.models import Unit

from ..models import Rollup, RollupVersion
from .build import VERSIONED_KINDS


def rollup_values(unit, period_key, work_line=None):
    """{code: value} of the stored roll-up of `unit` for one period (approved figures only)."""
    rows = Rollup.objects.filter(unit=unit, period=period_key).select_related("indicator")
    if work_line:
        rows = rows.filter(indicator__work_line=work_line)
    return {row.indicator.code: row.value for row in rows}


def read_rollups(units, keys, codes=None):
    """{(unit id, period key, code): value} of stored roll-ups, in one query; `units` may be ids, units or a
    queryset."""
    rows = Rollup.objects.filter(unit__in=units, period__in=sorted(keys))
    if codes is not None:
        rows = rows.filter(indicator__code__in=sorted(codes))
    return {(u, p, c): v for u, p, c, v in rows.values_list("unit_id", "period", "indicator__code", "value")}


def rollup_versions(unit):
    """(depth, version) of the roll-up versions of the town and county at or above `unit`, unevaluated and read from
    the primary: a replica a moment behind would hand back the version before an approval's roll-up and so its cached
    figures. The deepest one is `unit`'s (rollup_version)."""
    return (
        # The primary by name: asking the router for the write connection would mark the request as one that wrote.
        RollupVersion.objects.using(DEFAULT_DB_ALIAS)
        .filter(unit__path__in=Unit.path_prefixes(unit.path), unit__kind__in=VERSIONED_KINDS)
        .values_list("unit__depth", "version")
    )


def rollup_version(unit):
    """The roll-up version of the town `unit` lies in (the county's own for a county)."""
    return deepest(rollup_versions(unit))


def deepest(versions):
    """The version of the deepest of (depth, version) pairs, None if there are none."""
    return max(versions, default=(0, None))[1]
