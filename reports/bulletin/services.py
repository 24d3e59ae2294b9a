"""Writes of the monthly 通报: build (or rebuild), publish, and issue (签发: a 公文 with its 文号). The rules and
reads are in selectors.py."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Unit

from .. import periods
from ..documents.services import document_issue
from ..models import Bulletin, BulletinRow, IssuedDocument
from .selectors import bulletin_rows, can_publish, ensure_can_build, gather, issued_document, judge, rank, source_of
from .word import bulletin_document, bulletin_title


def check_buildable(town, month):
    if town.kind != Unit.Kind.TOWN:
        raise ValidationError(_("月度通报按镇生成，“%(unit)s”不是镇。") % {"unit": town})
    if month > periods.last_complete_month():
        raise ValidationError(_("%(month)s 尚未结束，不能生成月度通报。") % {"month": periods.month_key(month)})


@transaction.atomic
def bulletin_build(*, town, month, user=None, today=None):
    """Build (or rebuild) the town's bulletin of `month`: its rows are replaced, so building twice gives the same
    rows. A published bulletin stays published. A person building it must be an admin; beat and the command build
    it with no user."""
    if user is not None:
        ensure_can_build(user)
    check_buildable(town, month)
    as_of = today or timezone.localdate()
    now = timezone.now()
    bulletin, created = Bulletin.objects.get_or_create(
        unit=town, month=month, defaults={"as_of": as_of, "built_at": now, "built_by": user}
    )
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    verdicts = [judge(facts, month, as_of) for facts in gather(town, month, as_of)]
    bulletin.rows.all().delete()
    BulletinRow.objects.bulk_create(
        BulletinRow(bulletin=bulletin, unit=verdict.unit, rank=position, score=verdict.score, colour=verdict.colour,
                    parts=verdict.parts, reasons=verdict.reasons)
        for position, verdict in rank(verdicts)
    )  # fmt: skip
    bulletin.as_of, bulletin.built_at, bulletin.built_by = as_of, now, user
    bulletin.save(update_fields=["as_of", "built_at", "built_by"])
    return bulletin


def bulletins_build_all(month=None, today=None):
    """The beat job: last month's bulletin for every town; returns how many were built."""
    month = month or periods.last_complete_month(today)
    built = 0
    for town in Unit.objects.filter(kind=Unit.Kind.TOWN):
        bulletin_build(town=town, month=month, today=today)
        built += 1
    return built


def bulletin_publish(*, bulletin, user):
    if not can_publish(user, bulletin.unit):
        raise PermissionDenied(_("只有镇领导或系统管理员可以发布月度通报。"))
    if bulletin.status == Bulletin.Status.PUBLISHED:
        raise ValidationError(_("该通报已发布。"))
    bulletin.status = Bulletin.Status.PUBLISHED
    bulletin.published_at, bulletin.published_by = timezone.now(), user
    bulletin.save(update_fields=["status", "published_at", "published_by"])
    return bulletin


def bulletin_issue(*, bulletin, user):
    """Issue (签发) a published 通报 under the town's next 通报 文号: the file as the issuer's page shows the ranking,
    stored in the register. Once per bulletin: a second issue is refused with the number it went out under."""
    if bulletin.status != Bulletin.Status.PUBLISHED:
        raise ValidationError(_("通报发布后才能签发。"))
    issued = issued_document(bulletin)
    if issued is not None:
        raise ValidationError(_("本期通报已签发，文号 %(reference)s。") % {"reference": issued.reference})
    rows = bulletin_rows(bulletin, user)
    return document_issue(
        unit=bulletin.unit, kind=IssuedDocument.Kind.TONGBAO, title=bulletin_title(bulletin), user=user,
        filename=f"{bulletin.unit}-{bulletin.month_key}-月度通报", source=source_of(bulletin),
        build=lambda reference, number, day: bulletin_document(bulletin, rows, day=day, reference=reference).save(),
    )  # fmt: skip
