"""The read replica (DATABASE_REPLICA_URL): which queries may go to it. The routing state of a request or task is
begun by jingzi/live.py, which is always installed; this router only with a replica.

A streaming replica is a few milliseconds to seconds behind the primary, so only a request that cannot be hurt by that
reads from it: a GET or HEAD of a page or API list declared read-only (settings.REPLICA_READ_VIEWS: dashboards, lists,
exports, roll-up reads), from a browser that has not written in the last REPLICA_PIN_SECONDS. Everything else — every
write, every form, every read after a write in the same request, Celery tasks and management commands (no request at
all) — uses the primary. ReplicaMiddleware decides per request; the router only follows that decision.
"""

from contextvars import ContextVar
from dataclasses import dataclass

REPLICA = "replica"
PRIMARY = "default"
# Sessions, tokens and the login throttle are read on every request and written at login: a replica that has not yet
# replayed a fresh login would log the user out, so they always come from the primary.
PRIMARY_ONLY_APPS = frozenset({"sessions", "authtoken", "axes"})


@dataclass
class RequestRouting:
    may_use_replica: bool = False
    wrote: bool = False


_routing: ContextVar[RequestRouting | None] = ContextVar("jingzi_request_routing", default=None)


def begin_request():
    """A fresh routing state for the request now starting (primary until the middleware allows the replica)."""
    state = RequestRouting()
    return state, _routing.set(state)


def end_request(token):
    _routing.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        state = _routing.get()
        if state is None or not state.may_use_replica or state.wrote:
            return PRIMARY
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        state = _routing.get()
        if state is not None:
            state.wrote = True  # the rest of this request, and the browser's next pages, read what it wrote
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies of it

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY  # the replica gets the schema by streaming it
