"""Writes to the shared model. Pages and the API call these; each checks the user's scope and the business rules,
then saves with the user recorded in the change history."""

import secrets

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from .closing import REASON_MAX_LENGTH, guard_row_change, set_reason, stored_row
from .masking import hidden_fields
from .models import (
    Assignment,
    Cadre,
    GridWorker,
    Household,
    HouseholdLink,
    LiveVersion,
    MicroGrid,
    PartyMember,
    PartyOrganisation,
    PersonalDataAccess,
    Unit,
    User,
)
from .scoping import VIEW, ensure_can_act_on_unit, ensure_may_write_model

# Which kinds of unit each record may hang on.
UNIT_KINDS = {
    Household: (Unit.Kind.GRID,),
    GridWorker: (Unit.Kind.GRID,),
    MicroGrid: (Unit.Kind.GRID,),
    Cadre: (Unit.Kind.TOWN, Unit.Kind.COUNTY),
    PartyOrganisation: (Unit.Kind.COUNTY, Unit.Kind.TOWN, *Unit.VILLAGE_KINDS),
    PartyMember: (Unit.Kind.COUNTY, Unit.Kind.TOWN, *Unit.VILLAGE_KINDS),
}

# The kinds a unit of each kind may contain, top-down as in DESIGN §3.
CHILD_KINDS = {
    None: (Unit.Kind.COUNTY, Unit.Kind.TOWN),
    Unit.Kind.COUNTY: (Unit.Kind.TOWN,),
    Unit.Kind.TOWN: (Unit.Kind.AREA, *Unit.VILLAGE_KINDS),
    Unit.Kind.AREA: Unit.VILLAGE_KINDS,
    Unit.Kind.VILLAGE: (Unit.Kind.GROUP, Unit.Kind.GRID),
    Unit.Kind.COMMUNITY: (Unit.Kind.GROUP, Unit.Kind.GRID),
    Unit.Kind.GROUP: (Unit.Kind.GRID,),
    Unit.Kind.GRID: (),
}


def _kind_names(kinds):
    return "、".join(str(Unit.Kind(kind).label) for kind in kinds)


def _check_unit_kind(instance):
    allowed = UNIT_KINDS.get(type(instance))
    if allowed and instance.unit.kind not in allowed:
        raise ValidationError({"unit": _("所属单位必须是：%(kinds)s。") % {"kinds": _kind_names(allowed)}})


def _check_under(unit, other, field, message):
    if other is not None and not other.is_under(unit):
        raise ValidationError({field: message})


def _save(*, user, instance, previous_unit=None, stored=None):
    """Check scope on the old and new unit, validate, pass the closed-period guards (branches.closing: a row of an
    approved month needs a reason, and marks that month's report in the same transaction), save with the user (and
    the reason) in the history."""
    ensure_may_write_model(user, type(instance))
    if previous_unit is not None:
        ensure_can_act_on_unit(user, previous_unit)
    ensure_can_act_on_unit(user, instance.unit)
    _check_unit_kind(instance)
    instance.full_clean()
    return _save_guarded(instance, user, old=stored)


def previous_unit_of(instance):
    """The unit a stored record hangs on now (before the edit being saved)."""
    if instance.pk is None:
        return None
    return type(instance).objects.select_related("unit").get(pk=instance.pk).unit


def record_save(*, user, instance):
    """Create or update a record whose unit the user picks directly (households, grid workers, cadres, …)."""
    stored = stored_row(instance)
    return _save(user=user, instance=instance, previous_unit=stored.unit if stored else None, stored=stored)


def household_contact_update(*, user, household, **contact):
    """Update how to reach a household (Household.contact_fields: phone, house number, note) and nothing else: what
    its grid worker may do, as may anyone who may change the household. The change is in its history, by `user`."""
    unknown = set(contact) - set(Household.contact_fields)
    if unknown:
        names = "、".join(sorted(unknown))
        message = _("只能更新联系方式（联系电话、门牌号、备注），不能修改：%(names)s。") % {"names": names}
        raise ValidationError({"__all__": message})
    ensure_can_act_on_unit(user, household.unit)
    for name, value in contact.items():
        setattr(household, name, value if value is not None else "")
    household.full_clean()
    return _save_guarded(household, user)


def grid_worker_save(*, user, instance):
    """A grid worker's login, if any, is a 网格员 account attached to his grid: it is what signs his records."""
    login = instance.user
    if login is not None:
        if login.role != login.Role.GRID_WORKER:
            raise ValidationError({"user": _("登录账号的角色须为“网格员”。")})
        if login.unit_id != instance.unit_id:
            raise ValidationError({"user": _("登录账号须属于该网格。")})
    return record_save(user=user, instance=instance)


def party_member_save(*, user, instance):
    """A member hangs on his organisation's unit; his own household must lie under it."""
    member = instance
    previous = previous_unit_of(member)
    member.unit = member.organisation.unit
    if member.household_id:
        _check_under(member.unit, member.household.unit, "household", _("本人所在户必须在所在党组织的辖区内。"))
    return _save(user=user, instance=member, previous_unit=previous)


@transaction.atomic
def micro_grid_save(*, user, micro_grid, households):
    """A micro-grid lies in one grid; its leader is a member of that village and its households are on that grid."""
    previous = previous_unit_of(micro_grid)
    village = micro_grid.unit.village
    if village is not None:
        _check_under(village, micro_grid.leader.unit, "leader", _("微网格长必须是本村（社区）的党员。"))
    outside = [household for household in households if household.unit_id != micro_grid.unit_id]
    if outside:
        names = "、".join(str(household) for household in outside[:5])
        raise ValidationError({"households": _("以下农户不在该网格内：%(names)s") % {"names": names}})
    _save(user=user, instance=micro_grid, previous_unit=previous)
    micro_grid.households.set(households)
    return micro_grid


def household_link_create(*, user, member, household, since=None):
    """党员联户: a member takes on a household of his own village."""
    ensure_can_act_on_unit(user, member.unit)
    _check_under(member.unit, household.unit, "household", _("只能联系本村（社区）的农户。"))
    if HouseholdLink.objects.filter(member=member, household=household).exists():
        raise ValidationError({"household": _("该党员已联系这户。")})
    link = HouseholdLink(member=member, household=household, unit=household.unit, since=since)
    return _save(user=user, instance=link)


def assignment_save(*, user, instance):
    """包片/包村/包组 name a unit of the matching kind; 包户 a household (the unit follows it); 包企 an enterprise."""
    assignment = instance
    previous = previous_unit_of(assignment)
    kind = assignment.kind
    if kind == Assignment.Kind.HOUSEHOLD:
        if assignment.household is None:
            raise ValidationError({"household": _("包户必须选择农户。")})
        assignment.unit = assignment.household.unit
    elif kind == Assignment.Kind.ENTERPRISE:
        if assignment.target is None:
            raise ValidationError({"kind": _("包企必须指定企业。")})
    else:
        allowed = Assignment.UNIT_KIND_FOR[kind]
        if assignment.unit.kind not in allowed:
            raise ValidationError(
                {
                    "unit": _("%(kind)s的对象必须是：%(kinds)s。")
                    % {"kind": assignment.get_kind_display(), "kinds": _kind_names(allowed)}
                }
            )
    if (assignment.cadre is None) == (assignment.member is None):
        raise ValidationError({"cadre": _("责任人须在镇干部和党员中选择且只选一个。")})
    if assignment.start_date and assignment.end_date and assignment.end_date < assignment.start_date:
        raise ValidationError({"end_date": _("结束日期不能早于开始日期。")})
    return _save(user=user, instance=assignment, previous_unit=previous)


def unit_create(*, user, parent, name, kind, code="", note="", issuing_name="", doc_prefix=""):
    """Add a unit under `parent` (an admin may add a top-level county or town with no parent)."""
    ensure_may_write_model(user, Unit)
    allowed = CHILD_KINDS[parent.kind if parent else None]
    if kind not in allowed:
        raise ValidationError({"kind": _("该上级单位下只能建立：%(kinds)s。") % {"kinds": _kind_names(allowed) or "—"}})
    if parent is None:
        ensure_can_act_on_unit(user, None)
    else:
        ensure_can_act_on_unit(user, parent)
    candidate = Unit(name=name, kind=kind, code=code, note=note, issuing_name=issuing_name, doc_prefix=doc_prefix)
    candidate.full_clean(exclude=["path", "depth", "numchild"])
    with transaction.atomic():
        if parent is None:
            unit = Unit.objects.add_root(instance=candidate)
        else:
            unit = Unit.objects.add_child(parent, instance=candidate)
    return unit


def unit_update(*, user, unit, name, code="", note="", issuing_name=None, doc_prefix=None):
    """Change a unit's own fields; its 公文 names (issuing_name, doc_prefix) are kept unless given."""
    ensure_may_write_model(user, Unit)
    ensure_can_act_on_unit(user, unit)
    unit.name, unit.code, unit.note = name, code, note
    if issuing_name is not None:
        unit.issuing_name = issuing_name
    if doc_prefix is not None:
        unit.doc_prefix = doc_prefix
    unit.full_clean(exclude=["path", "depth", "numchild"])
    unit._history_user = user
    unit.save(update_fields=["name", "code", "note", "issuing_name", "doc_prefix"])
    return unit


def workflow_save(*, user, instance, reason="", moved_only=True):
    """Save a step of a row's own workflow (a hazard moved on or sent back, volunteer hours approved), the caller
    having checked who may take it. The closed-period guards (branches.closing) see only the dates the step moves —
    a hazard sent back undoes its rectification date — with the step's note as the reason; a step that changes what
    the row counts in every month it is dated in (hours approved) passes `moved_only=False`."""
    set_reason(instance, str(reason or "").strip()[:REASON_MAX_LENGTH])
    return _save_guarded(instance, user, moved_only=moved_only)


def _save_guarded(instance, user, **change):
    """Save the row as `user` in one transaction with what the closed-period guards ask to happen after it (the
    month's report marked)."""
    with transaction.atomic():
        after = guard_row_change(instance=instance, user=user, **change)
        instance._history_user = user
        instance.save()
        for done in after:
            done()
    return instance


def record_delete(*, user, instance):
    """Delete a record; one of a closed period passes the guards as a save does (branches.closing)."""
    ensure_may_write_model(user, type(instance))
    ensure_can_act_on_unit(user, instance.unit)
    try:
        with transaction.atomic():
            after = guard_row_change(instance=instance, user=user, deleting=True)
            instance._history_user = user
            instance.delete()
            for done in after:
                done()
    except ProtectedError as error:
        raise ValidationError(_("该记录仍被其他数据引用，不能删除。")) from error


def check_unit_kind(instance, kinds):
    """A ledger record must hang on a unit of one of `kinds` (a village, a grid, the town …)."""
    if instance.unit.kind not in kinds:
        raise ValidationError({"unit": _("所属单位必须是：%(kinds)s。") % {"kinds": _kind_names(kinds)}})


def check_not_future(instance, *fields):
    """None of the record's `fields` (dates) may lie after today."""
    today = timezone.localdate()
    for field in fields:
        value = getattr(instance, field)
        if value and value > today:
            raise ValidationError({field: _("日期不能晚于今天。")})


REVEAL_REASON_MAX_LENGTH = 200  # the access log's reason field


def personal_data_reveal(*, user, record, reason):
    """查看完整信息: `user`, who sees `record`'s personal data masked, sees it whole for one page, and the look is
    recorded (who, whose record, which fields, when, why). Only one who may see the record at all may do so (a leader
    answering for a case, a town cadre); one who may change it sees it whole anyway and needs no record.

    Returns the fields now shown whole ({} if there was nothing to reveal)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请说明查看完整信息的事由。")})
    if len(reason) > REVEAL_REASON_MAX_LENGTH:
        raise ValidationError({"reason": _("事由最多 %(n)s 个字。") % {"n": REVEAL_REASON_MAX_LENGTH}})
    if not type(record)._default_manager.restrict(user, VIEW).filter(pk=record.pk).exists():
        raise PermissionDenied(_("您无权查看该记录。"))
    hidden = hidden_fields(user, record)
    if hidden:
        PersonalDataAccess.objects.create(
            user=user,
            record_type=ContentType.objects.get_for_model(record),
            record_id=record.pk,
            record_repr=str(record)[:200],
            fields="、".join(str(record._meta.get_field(name).verbose_name) for name in hidden),
            reason=reason,
        )
    return hidden


def user_text_size_update(*, user, large):
    """大字 on or off for `user`, on every device he logs in from. A reading preference of his own: no scope to
    check, and no row in the users' change history (which keeps who gave whom which role), hence an UPDATE of the
    one column rather than a save()."""
    large = bool(large)
    User.objects.filter(pk=user.pk).update(large_text=large)
    user.large_text = large
    return user


def live_version_bump(*, unit_ids):
    """New live tokens for the towns and counties `unit_ids` (selectors.live_units_written_by): every cached live
    part keyed on them is retired. Called once a request or task that wrote has finished (jingzi.live)."""
    if not unit_ids:
        return
    LiveVersion.objects.bulk_create(
        [LiveVersion(unit_id=pk, token=secrets.randbits(62)) for pk in sorted(set(unit_ids))],
        update_conflicts=True, unique_fields=["unit"], update_fields=["token"],
    )  # fmt: skip


def live_versions_renew_all():
    """New live tokens for every town and county: what a command that loads data ends with (it passes no request)."""
    live_version_bump(unit_ids=list(Unit.objects.filter(kind__in=LiveVersion.LIVE_KINDS).values_list("pk", flat=True)))
