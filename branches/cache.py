"""Django's cache, failing open: with Redis down a page computes what it would have read from the cache, as if
nothing were cached (DESIGN §7). reports/cache.py keys pages' roll-up-derived and live parts; here is what every app's
pages share: the helper and the key of a list page, which changes with the live tokens of what its reader may see.
"""

import hashlib
import logging

from django.core.cache import cache
from django.utils import timezone, translation
from redis.exceptions import RedisError

from .selectors import scope_live_token

logger = logging.getLogger(__name__)

TIMEOUT = 24 * 60 * 60  # the version or token retires stale entries; the timeout only frees the memory
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


def reader(user):
    """What a cached part that depends on its reader is keyed on: the user, and his role and unit (an admin may change
    them, and his scope with them)."""
    return (user.pk, user.role, user.unit_id)


def list_key(name, request):
    """A key for a list page `name` as `request`'s user asks for it (filters, sort and page in the query string) that
    changes with the live token of everything he may see, the day (an overdue filter changes at midnight) and the
    language; None (no caching) where nothing he may see has a token yet."""
    user = request.user
    token = scope_live_token(user)
    if token is None:
        return None
    raw = repr((reader(user), translation.get_language(), timezone.localdate(), request.get_full_path()))
    return f"list:{name}:{token}:{hashlib.sha256(raw.encode()).hexdigest()[:32]}"
