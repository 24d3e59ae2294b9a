"""Closed periods: the extension point a write to a ledger row passes through when the row lies in a period that is
closed (a month whose report is approved, a year an admin closed).

`branches` knows no reports, so it only declares the point: each ledger says which of its fields date a row
(`Ledger.dated_by`, kept here by model), and `record_save` / `record_delete` hand every write of such a row — the
row, its stored values before the write, the user and the reason he gave — to the registered guards. The reporting
core registers its guard at start-up (reports.apps); a guard refuses the write (a ValidationError on `reason`, a
PermissionDenied) or returns what must happen after it, in the same transaction (the month's report marked).

The reason travels on the row as django-simple-history's `_change_reason`, so the row's history keeps it with the
old and new values: the page's edit form and the API set it (`set_reason`) before calling the ledger's service."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_DATED = {}  # model label → the fields that date its rows
_GUARDS = []


@dataclass(frozen=True)
class RowChange:
    instance: object  # the row being saved or deleted
    old: object | None  # the row as stored before the write (None: a new row)
    user: object
    reason: str
    deleting: bool = False
    moved_only: bool = False  # a workflow step: only the dating fields it moves count (see services.workflow_save)

    def dating_fields(self):
        """The fields whose months the change touches: every dating field, or for a workflow step those it moves."""
        fields = dated_fields(type(self.instance))
        if not self.moved_only or self.old is None:
            return fields
        return tuple(name for name in fields if getattr(self.old, name, None) != getattr(self.instance, name, None))


def declare_dated(model, fields):
    """A ledger's rows are dated by `fields` (dates or times): the months they fall in are the periods they count in."""
    if fields:
        _DATED[model._meta.label_lower] = tuple(fields)


def dated_fields(model):
    return _DATED.get(model._meta.label_lower, ())


def register_period_guard(guard):
    """A guard has `check(change)` → None or a callable run after the write, and `closed(instance)` → a sentence
    saying which closed period the stored row lies in ("" when none): the edit form asks for a reason when it is not
    empty."""
    if guard not in _GUARDS:
        _GUARDS.append(guard)


def unregister_period_guard(guard):
    if guard in _GUARDS:
        _GUARDS.remove(guard)


REASON_MAX_LENGTH = 100  # django-simple-history's history_change_reason


def set_reason(instance, reason):
    """Carry the reason a user gave for a change on the row: the one place a change's 修改原因 is stored, whatever
    asked for it (a closed month or year here, a changed time limit in reports.deadlines). The page's form and the
    API's serializer each have one `reason` field (branches.forms.reason_field, branches.api.base.reason_field)."""
    reason = str(reason or "").strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": _("原因不能超过 %(n)s 个字。") % {"n": REASON_MAX_LENGTH}})
    instance._change_reason = reason or None
    return instance


def reason_of(instance):
    """The reason given for the change about to be saved ("" when none)."""
    return (getattr(instance, "_change_reason", None) or "").strip()


def stored_row(instance):
    """The row as it is stored now (None for a new one)."""
    if instance.pk is None:
        return None
    return type(instance)._base_manager.select_related("unit").filter(pk=instance.pk).first()


def guard_row_change(*, instance, user, old=None, deleting=False, moved_only=False):
    """Ask every guard about a write to a dated row: raises if one refuses, else returns the callables to run once
    the write is done (inside the caller's transaction). Rows that no ledger dates pass untouched."""
    if not _GUARDS or not dated_fields(type(instance)):
        return []
    if old is None and instance.pk is not None:
        old = instance if deleting else stored_row(instance)
    change = RowChange(instance=instance, old=old, user=user, reason=reason_of(instance), deleting=deleting,
                       moved_only=moved_only)
    return [after for guard in list(_GUARDS) if (after := guard.check(change)) is not None]


def closed_period(instance):
    """Which closed period the stored row lies in, as a sentence ("" when none): the edit form's reason field."""
    if instance.pk is None or not dated_fields(type(instance)):
        return ""
    return "；".join(text for guard in list(_GUARDS) if (text := guard.closed(instance)))
