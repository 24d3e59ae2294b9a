"""Change history (django-simple-history) as a page shows it: who, when, which field, old value, new value."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from .masking import mask_value

HISTORY_LIMIT = 50
CHANGE_TYPES = {"+": _("新建"), "~": _("修改"), "-": _("删除")}


@dataclass
class Change:
    field: str
    old: object
    new: object


@dataclass
class HistoryEntry:
    when: object
    who: str
    kind: str
    reason: str
    changes: list = field(default_factory=list)


def change_history(instance, limit=HISTORY_LIMIT, hidden=None):
    """The latest changes to `instance`, newest first, with foreign keys shown by name (one query per key field).
    `hidden` maps personal fields to their kind (branches.masking): their old and new values are masked."""
    if not hasattr(instance, "history"):
        return []
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    entries = []
    raw = []
    for newer, older in zip(records, records[1:] + [None], strict=False):
        changes = newer.diff_against(older).changes if older is not None else []
        raw.append(changes)
        entries.append(
            HistoryEntry(
                when=newer.history_date,
                who=newer.history_user.display_name if newer.history_user else _("系统"),
                kind=CHANGE_TYPES.get(newer.history_type, newer.history_type),
                reason=newer.history_change_reason or "",
            )
        )
    labels = _foreign_key_labels(type(instance), raw)
    for entry, changes in zip(entries, raw, strict=True):
        entry.changes = [_masked(_readable(type(instance), change, labels), change.field, hidden or {})
                         for change in changes]  # fmt: skip
    return entries[:limit]


def _masked(change, field, hidden):
    if field not in hidden:
        return change
    kind = hidden[field]
    return Change(field=change.field, old=mask_value(kind, change.old), new=mask_value(kind, change.new))


def _foreign_key_labels(model, raw_changes):
    wanted = defaultdict(set)
    for changes in raw_changes:
        for change in changes:
            model_field = model._meta.get_field(change.field)
            if isinstance(model_field, models.ForeignKey):
                wanted[change.field].update(value for value in (change.old, change.new) if value is not None)
    labels = {}
    for name, ids in wanted.items():
        related = model._meta.get_field(name).related_model
        labels[name] = {pk: str(obj) for pk, obj in related._base_manager.in_bulk(ids).items()}
    return labels


def _readable(model, change, labels):
    model_field = model._meta.get_field(change.field)

    def show(value):
        if value in (None, ""):
            return "—"
        if isinstance(value, list):
            return _("%(count)s 项") % {"count": len(value)}
        if change.field in labels:
            return labels[change.field].get(value, value)
        if model_field.choices:
            return dict(model_field.flatchoices).get(value, value)
        if isinstance(value, bool):
            return _("是") if value else _("否")
        return value

    return Change(field=str(model_field.verbose_name), old=show(change.old), new=show(change.new))
