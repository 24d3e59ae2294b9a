"""The cache of what only approvals change: pages' roll-up-derived parts, keyed on the town's roll-up version.

Every roll-up write bumps the version of the towns it touched in its own transaction (rollup.build.bump_versions), so
a key built on it becomes unreachable the moment a new roll-up commits; old entries simply expire. The cache fails
open: with Redis down a page computes its figures as if nothing were cached (DESIGN §7).
"""

import hashlib
import logging

from django.core.cache import cache
from django.utils import translation
from redis.exceptions import RedisError

from .rollup.selectors import read_rollups, rollup_values, rollup_version

logger = logging.getLogger(__name__)

TIMEOUT = 24 * 60 * 60  # the version retires stale entries; the timeout only frees the memory
KEY_PREFIX = "rollup"

CACHE_ERRORS = (RedisError, OSError)
_down = False  # log a broken cache once, not on every request


def _warn(error):
    global _down
    if not _down:
        logger.warning("cache unavailable, computing without it: %s", error)
    _down = True


def cached(key, compute, timeout=TIMEOUT):
    """compute() through the cache under `key`; if the cache cannot be reached, or there is no key, just compute()."""
    global _down
    if key is None:
        return compute()
    try:
        found = cache.get(key)
    except CACHE_ERRORS as error:
        _warn(error)
        return compute()
    if found is not None:
        _down = False
        return found
    value = compute()
    try:
        cache.set(key, value, timeout)
        _down = False
    except CACHE_ERRORS as error:
        _warn(error)
    return value


def rollup_key(name, unit, *parts):
    """A key for `name` of `unit` that changes with its town's roll-up version and the active language (labels are
    translated when computed); `parts` are whatever else the value depends on (period, choices, today…)."""
    version = rollup_version(unit)
    if version is None:
        return None  # no roll-up written yet: nothing worth keeping, and no token to tell this database's apart
    raw = repr((unit.pk, translation.get_language(), *parts))
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return f"{KEY_PREFIX}:{name}:{unit.pk}:v{version}:{digest}"


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
