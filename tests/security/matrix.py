"""Asking every route as every role: the answers, gathered without stopping at the first one (each request runs in a
savepoint rolled back afterwards, so a delete or an approval by one role leaves the record for the next)."""

import json
import traceback
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction
from django.db.models import signals
from django.test import Client

from tests.sql_writes import recording_sql_writes

# Accounts with a role but no unit (an admin's slip): each must see and change nothing at all.
NO_UNIT = ("nounit_secretary", "nounit_cadre", "nounit_leader")
# Outside 铜梁村: the other village's secretary and a grid worker of its grid, who must reach none of 铜梁村's records.
OTHER_VILLAGE = ("yangqiu", "yq_grid")
ROLES = ("anonymous", *OTHER_VILLAGE, "tongliang", "cadre", "leader", "admin", *NO_UNIT)


@dataclass
class Answer:
    status: int
    location: str
    body: bytes
    content_type: str
    error: str = ""
    writes: frozenset = frozenset()  # the models saved or deleted while answering
    statements: tuple = ()  # every SQL statement that wrote while answering, as sent to the database

    def text(self):
        return self.body.decode("utf-8", "replace")


def client_for(world, role, **kwargs):
    client = Client(raise_request_exception=False, **kwargs)
    if role != "anonymous":
        client.force_login(getattr(world.users, role))
    return client


def ask(client, method, url, data=None, json_body=False):
    """One request inside a savepoint that is rolled back: the world stays as it was."""
    kwargs = {}
    if json_body:
        kwargs = {"data": json.dumps(data if data is not None else {}), "content_type": "application/json"}
    elif data is not None:
        kwargs = {"data": data}
    if method in ("put", "patch", "delete") and not json_body:
        kwargs.setdefault("content_type", "application/x-www-form-urlencoded")
        kwargs["data"] = ""
    with transaction.atomic(), watching_writes() as writes, recording_sql_writes() as statements:
        response = getattr(client, method)(url, **kwargs)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        transaction.set_rollback(True)
    error = ""
    if getattr(response, "exc_info", None):
        error = "".join(traceback.format_exception(*response.exc_info)[-3:])
    return Answer(response.status_code, response.get("Location", ""), body, response.get("Content-Type", ""), error,
                  frozenset(writes), tuple(statements))  # fmt: skip


# Saved on every visit, by anybody: not a write to the portal's data.
NOT_DATA = ("sessions.", "axes.", "django_celery_results.", "authtoken.")


@dataclass(frozen=True)
class Write:
    model: str  # "industry.Problem"
    path: str | None  # the materialised path of the unit the row hangs on, where it has one


def unit_path(instance):
    from branches.models import Unit

    if isinstance(instance, Unit):
        return instance.path
    scope_path = getattr(type(instance)._default_manager.all(), "scope_path", None)
    if scope_path and instance.pk is not None:
        return type(instance)._default_manager.filter(pk=instance.pk).values_list(scope_path, flat=True).first()
    unit_id = getattr(instance, "unit_id", None)  # a historical row keeps its record's unit
    return Unit.objects.filter(pk=unit_id).values_list("path", flat=True).first() if unit_id else None


@contextmanager
def watching_writes():
    """The labels of the models saved, deleted or re-linked (many-to-many) inside the block."""
    seen = set()

    def saw(sender, instance=None, **kwargs):
        label = sender._meta.label if hasattr(sender, "_meta") else str(sender)
        if not label.startswith(NOT_DATA):
            seen.add(Write(label, unit_path(instance)))

    hooks = (signals.post_save, signals.post_delete, signals.m2m_changed)
    for hook in hooks:
        hook.connect(saw, weak=False, dispatch_uid="security-watch")
    try:
        yield seen
    finally:
        for hook in hooks:
            hook.disconnect(dispatch_uid="security-watch")


def workbook_text(content):
    """Every cell of a downloaded workbook, as one text."""
    from io import BytesIO

    from openpyxl import load_workbook

    workbook = load_workbook(BytesIO(content), read_only=True)
    return "\n".join(str(value) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)
                     for value in row if value is not None)  # fmt: skip
