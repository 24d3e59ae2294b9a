"""Issuing a document (签发): the next 文号 of its unit, year and kind, and the file as it goes out, in one
transaction. A draft download calls none of this: only an issued document takes a number."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Unit
from branches.scoping import REVIEW, can_act_on_unit, is_admin

from ..models import IssuedDocument
from . import selectors
from .numbers import Kind, reference_text


def can_issue(user, unit):
    """Who signs a unit's documents off (签发): the admin, and the leaders of the unit (those who review its reports
    as leaders; a cadre reviews his villages' reports but signs nothing off)."""
    return is_admin(user) or (getattr(user, "role", None) == "leader" and can_act_on_unit(user, unit, REVIEW))


def document_issue(*, unit, kind, title, build, filename, user, day=None, source=""):
    """Issue a document of `unit`: the next number of the unit's `kind` in the year (one issuer of the unit at a time:
    its row is locked, and a unique constraint holds the rest), the file `build(reference=…, number=…, day=…)`
    writes with it, stored. Returns the IssuedDocument."""
    if not can_issue(user, unit):
        raise PermissionDenied(_("您没有签发本单位公文的权限。"))
    if kind != Kind.JIANBAO and not unit.doc_prefix:
        raise ValidationError(_("“%(unit)s”尚未设置发文机关代字，请系统管理员先在单位资料中填写。") % {"unit": unit})
    day = day or timezone.localdate()
    with transaction.atomic():
        # FOR NO KEY UPDATE: issuers of the unit wait for each other, while rows that refer to the unit (every ledger
        # row of a town's own) are still written meanwhile — FOR UPDATE would hold them up until the file is built.
        list(Unit.objects.select_for_update(no_key=True).filter(pk=unit.pk).values_list("pk", flat=True))
        numbers = IssuedDocument.objects.filter(unit=unit, kind=kind, year=day.year)
        number = (numbers.aggregate(last=Max("number"))["last"] or 0) + 1
        reference = reference_text(unit, kind, day.year, number)
        content = build(reference=reference, number=number, day=day)
        return IssuedDocument.objects.create(
            unit=unit, kind=kind, year=day.year, number=number, reference=reference, title=title[:200],
            issued_on=day, filename=f"{filename}.docx"[-200:], content=content, issued_by=user, source=source,
        )  # fmt: skip


def document_issue_declared(*, code, record, user, filename):
    """Issue `record`'s document `code` (a line's DocumentKind) under the next 文号 of its unit: the file as the issuer
    reads it, kept in the register. Once per record: a second issue is refused with the number it went out under."""
    kind = selectors.declared(code)
    issued = selectors.document_issued(code, record)
    if issued is not None:
        raise ValidationError(_("已签发，文号 %(reference)s。") % {"reference": issued.reference})
    return document_issue(
        unit=kind.unit(record), kind=kind.kind, title=kind.title(record), filename=filename, user=user,
        source=selectors.source_of(code, record),
        build=lambda reference, number, day: selectors.declared_document(
            code, record, user, reference=reference, day=day).save(),
    )  # fmt: skip
