"""Writes of the environment ledgers: each record in the user's change scope, in a unit of the right kind, never
dated in the future; households and projects belong to the record's own village or town."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from branches.models import Unit
from branches.services import check_not_future, check_unit_kind, record_save

from .models import HollowHouse, VillageRules

VILLAGE = Unit.VILLAGE_KINDS
TOWN_OR_VILLAGE = (Unit.Kind.TOWN, *Unit.VILLAGE_KINDS)
ANYWHERE_BELOW_TOWN = (Unit.Kind.TOWN, *Unit.VILLAGE_KINDS, Unit.Kind.GROUP, Unit.Kind.GRID)


def _household_here(instance, field, household):
    village = instance.unit.village or instance.unit
    if household is not None and not household.unit.path.startswith(village.path):
        raise ValidationError({field: _("所选农户不在该村（社区）。")})


def village_rules_save(*, user, instance):
    """村规民约 are versioned: saving an edit keeps the old text and adds the next version."""
    check_unit_kind(instance, VILLAGE)
    with transaction.atomic():
        latest = VillageRules.objects.filter(unit=instance.unit).aggregate(latest=Max("version"))["latest"] or 0
        instance.pk = None
        instance._state.adding = True
        instance.version = latest + 1
        return record_save(user=user, instance=instance)


def work_method_save(*, user, instance):
    check_unit_kind(instance, VILLAGE)
    check_not_future(instance, "started_on")
    return record_save(user=user, instance=instance)


def campaign_save(*, user, instance):
    check_unit_kind(instance, TOWN_OR_VILLAGE)
    if instance.end and instance.end < instance.start:
        raise ValidationError({"end": _("结束日期不能早于开始日期。")})
    return record_save(user=user, instance=instance)


def cleanup_save(*, user, instance):
    check_unit_kind(instance, ANYWHERE_BELOW_TOWN)
    check_not_future(instance, "date")
    return record_save(user=user, instance=instance)


def pledge_save(*, user, instance):
    instance.unit = instance.household.unit
    check_not_future(instance, "signed_on")
    return record_save(user=user, instance=instance)


def hollow_house_save(*, user, instance):
    check_unit_kind(instance, (*VILLAGE, Unit.Kind.GROUP, Unit.Kind.GRID))
    _household_here(instance, "owner", instance.owner)
    check_not_future(instance, "demolished_on")
    if instance.status == HollowHouse.Status.DEMOLISHED and not instance.demolished_on:
        raise ValidationError({"demolished_on": _("已拆除的空心房必须填写拆除日期。")})
    if instance.status == HollowHouse.Status.PLANNED:
        instance.demolished_on = None
    return record_save(user=user, instance=instance)


def toilet_save(*, user, instance):
    instance.unit = instance.household.unit
    check_not_future(instance, "completed_on", "accepted_on")
    if instance.accepted and not instance.accepted_on:
        raise ValidationError({"accepted_on": _("已验收的改厕必须填写验收日期。")})
    if instance.accepted_on and instance.accepted_on < instance.completed_on:
        raise ValidationError({"accepted_on": _("验收日期不能早于完工日期。")})
    if not instance.accepted:
        instance.accepted_on = None
    return record_save(user=user, instance=instance)


def infrastructure_project_save(*, user, instance):
    check_unit_kind(instance, TOWN_OR_VILLAGE)
    return record_save(user=user, instance=instance)


def project_progress_save(*, user, instance):
    instance.unit = instance.project.unit
    check_not_future(instance, "date")
    return record_save(user=user, instance=instance)
