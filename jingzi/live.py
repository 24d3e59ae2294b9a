"""Retiring the cached live parts of pages when something they count is written (branches.models.LiveVersion).

While a request or a Celery task runs, the statements it sends that write are noted, with the table each writes
(`connection.execute_wrapper`: a queryset's update() and delete(), bulk writes and raw SQL included). Once it has
finished, if it wrote a table that pages count — any but the bookkeeping in settings.LIVE_UNCOUNTED_MODELS — the live
tokens it may have changed are renewed: a request's, those of the towns (or the county) its user may act in
(branches.selectors.live_units_written_by); a task's, every top unit's, as a task acts for no one in particular.
Management commands are not watched: those that load data (load_demo, seed_scale) renew every token when done.

The middleware renews the tokens before the response leaves, so the page that follows a save is computed afresh.
"""

import functools
import re
from contextlib import ExitStack, contextmanager
from fnmatch import fnmatchcase

from django.apps import apps
from django.conf import settings
from django.db import connection

from branches.selectors import live_units_written_by, top_live_units
from branches.services import live_version_bump
from jingzi import db_router

# After an optional WITH …, the statement's verb: a SELECT (… FOR UPDATE included) reads, these write.
_PREFIX = r"^\s*(?:WITH\b.*?\)\s*)?"
WRITING = re.compile(_PREFIX + r"(INSERT|UPDATE|DELETE|REPLACE|MERGE|TRUNCATE)\b", re.I | re.S)
WRITTEN_TABLE = re.compile(
    _PREFIX + r"(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO|MERGE\s+INTO"
    r"|TRUNCATE(?:\s+TABLE)?)\s+\"?([\w.]+)",
    re.I | re.S,
)
UNNAMED = "?"


def written_table(sql):
    """The table a statement writes, "?" when it writes one this cannot name, None when it writes nothing."""
    if not WRITING.match(sql):
        return None
    found = WRITTEN_TABLE.match(sql)
    return found.group(1) if found else UNNAMED


@contextmanager
def noting_writes():
    """The set of tables written by the statements sent inside the block (on the default connection)."""
    tables = set()

    def note(execute, sql, params, many, context):
        table = written_table(sql)
        if table is not None:
            tables.add(table)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note):
        yield tables


def counted(tables):
    """Whether any of `tables` is one that pages count: a model's table not listed in LIVE_UNCOUNTED_MODELS, or a
    table a statement wrote that could not be named. A table of no model (a roll-up's temporary tables) is not."""
    for table in tables:
        if table == UNNAMED:
            return True
        label = _labels().get(table)
        if label and not any(fnmatchcase(label, pattern) for pattern in settings.LIVE_UNCOUNTED_MODELS):
            return True
    return False


@functools.cache
def _labels():
    """{table: "app_label.model_name"} of every model."""
    return {model._meta.db_table: model._meta.label_lower for model in apps.get_models(include_auto_created=True)}


class LiveVersionMiddleware:
    """Begins the request's routing state (jingzi/db_router.py, read by the replica's middleware), notes what the
    request writes and, if pages count any of it, renews its user's live tokens."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state, token = db_router.begin_request()
        request._routing = state
        try:
            with noting_writes() as tables:
                response = self.get_response(request)
        finally:
            db_router.end_request(token)
        if counted(tables):
            live_version_bump(unit_ids=live_units_written_by(request.user))
        return response


# Connected to Celery's task_prerun and task_postrun in jingzi/celery.py.
_tasks = {}  # task id → (the tables it writes, what to leave when it ends)


def task_started(task_id=None, **kwargs):
    stack = ExitStack()
    _state, token = db_router.begin_request()
    stack.callback(db_router.end_request, token)
    tables = stack.enter_context(noting_writes())
    _tasks[task_id] = (tables, stack)


def task_finished(task_id=None, **kwargs):
    started = _tasks.pop(task_id, None)
    if started is None:
        return
    tables, stack = started
    stack.close()
    if counted(tables):
        live_version_bump(unit_ids=top_live_units())
