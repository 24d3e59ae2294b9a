"""The cache of pages' parts: the roll-up-derived ones keyed on the town's roll-up version, the live ones (今日待办,
the dashboard's exceptions and alerts, reference counts) also on the live tokens that every write renews.

Every roll-up write bumps the version of the towns it touched in its own transaction (rollup.build.bump_versions), so
a key built on it becomes unreachable the moment a new roll-up commits; old entries simply expire. The cache fails
open: with Redis down a page computes its figures as if nothing were cached (DESIGN §7).

A live part is counted from the ledgers and reports as they are now. Any request or task that writes something a page
counts renews the live token of the writer's towns once it is done (jingzi/live.py, branches.models.LiveVersion), so
a key built on the tokens of the units a page is about changes before the page that follows a save is computed.
"""

import hashlib
from dataclasses import dataclass

from django.db.models import Value
from django.template.loader import render_to_string
from django.utils import timezone, translation

from branches.cache import cached, reader
from branches.selectors import live_token, live_versions

from .rollup.selectors import deepest, read_rollups, rollup_values, rollup_versions

KEY_PREFIX = "rollup"


@dataclass(frozen=True)
class PageKeys:
    """What the cached parts of one page about `unit` are keyed on, read together in one query (keys_for): the roll-up
    version of its town (None before any roll-up) and the live token of the towns at, above and below it."""

    unit: object
    rollup: int | None
    live: str

    def rollup_key(self, name, *parts):
        """A key for `name` of the unit that changes with its town's roll-up version and the active language (labels
        are translated when computed); `parts` are whatever else the value depends on (period, choices, today…)."""
        if self.rollup is None:
            return None  # no roll-up written yet: nothing worth keeping, and no token to tell this database's apart
        raw = repr((self.unit.pk, translation.get_language(), *parts))
        digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
        return f"{KEY_PREFIX}:{name}:{self.unit.pk}:v{self.rollup}:{digest}"

    def live_key(self, name, user=None, *parts):
        """A key for a live part of the page (as `user` sees it, when it depends on him): it changes with the live
        token and the day (what is overdue changes at midnight) besides the roll-up version."""
        return self.rollup_key(name, self.live, timezone.localdate(), reader(user) if user else None, *parts)


ROLLUP, LIVE = 0, 1


def keys_for(unit):
    """The PageKeys of a page about `unit`: its roll-up versions and live tokens in one statement."""
    rollup = rollup_versions(unit).annotate(source=Value(ROLLUP)).values_list("source", "unit__depth", "version")
    live = live_versions(unit).annotate(source=Value(LIVE)).values_list("source", "unit_id", "token")
    rows = list(rollup.union(live, all=True))
    return PageKeys(
        unit=unit,
        rollup=deepest((a, b) for source, a, b in rows if source == ROLLUP),
        live=live_token((a, b) for source, a, b in rows if source == LIVE),
    )


def rollup_key(name, unit, *parts):
    """PageKeys.rollup_key of a page about `unit` that reads no other cached part."""
    return keys_for(unit).rollup_key(name, *parts)


def rollups(scope, units, keys, codes=None):
    """read_rollups of `units` (ids or units) through the cache, keyed on the roll-up version of `scope`'s town: the
    units must lie within `scope` (the unit a page is about, and those below it)."""
    ids = sorted(unit if isinstance(unit, int) else unit.pk for unit in units)
    keys, codes = sorted(keys), sorted(codes) if codes is not None else None
    key = rollup_key("rollups", scope, ids, keys, codes)
    return cached(key, lambda: read_rollups(ids, keys, codes))


def unit_rollups(unit, period_key, work_line=None):
    """rollup_values ({code: value} of one unit and period) through the cache."""
    key = rollup_key("unit_rollups", unit, period_key, work_line)
    return cached(key, lambda: rollup_values(unit, period_key, work_line))


def rendered(key, template, context, request):
    """`template` rendered with `context()` through the cache under `key`: once a page's figures are cached,
    rendering is most of its time. `context` is called only when the HTML is not in the cache."""
    return cached(key, lambda: render_to_string(template, context(), request=request))
