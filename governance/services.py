"""Writes of the governance ledgers (safety so far). Records follow the unit scope; a hazard is verified by someone
who reviews the village (its cadre or a leader), not by whoever rectified it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Unit
from branches.scoping import CHANGE, VIEW, can_act_on_unit, ensure_can_act_on_unit, is_grid_worker
from branches.selectors import grid_worker_of
from branches.services import check_not_future, check_unit_kind, record_save, workflow_save
from reports.plugins import deadline_change_check, deadline_for

from .models import VERIFY, DisputeCase, Hazard, PeopleIssue, PetitionCase

TOWN_OR_VILLAGE = (Unit.Kind.TOWN, *Unit.VILLAGE_KINDS)
ANYWHERE_BELOW_TOWN = (Unit.Kind.TOWN, *Unit.VILLAGE_KINDS, Unit.Kind.GROUP, Unit.Kind.GRID)


def patrol_team_save(*, user, instance):
    check_unit_kind(instance, TOWN_OR_VILLAGE)
    check_not_future(instance, "founded_on")
    return record_save(user=user, instance=instance)


def patrol_member_save(*, user, instance):
    instance.unit = instance.team.unit
    return record_save(user=user, instance=instance)


def safety_action_save(*, user, instance):
    check_unit_kind(instance, ANYWHERE_BELOW_TOWN)
    check_not_future(instance, "date")
    return record_save(user=user, instance=instance)


def set_deadline(instance, kind, accepted_on):
    """A case with no deadline of its own gets its kind's default limit from the day it was accepted; changing a
    stored one's deadline needs a reason (reports.deadlines)."""
    if instance.deadline is None and accepted_on is not None:
        instance.deadline = deadline_for(kind, accepted_on)
    deadline_change_check(instance)


def hazard_save(*, user, instance):
    check_unit_kind(instance, ANYWHERE_BELOW_TOWN)
    check_not_future(instance, "found_on")
    set_deadline(instance, "hazard", instance.found_on)
    if instance.deadline and instance.found_on and instance.deadline < instance.found_on:
        raise ValidationError({"deadline": _("整改时限不能早于发现日期。")})
    return record_save(user=user, instance=instance)


def reported_note(reporter, description):
    """What a case accepted from a report keeps of it: who reported it and what he said."""
    if not reporter:
        return description
    return _("%(reporter)s上报：%(description)s") % {"reporter": reporter, "description": description}


def hazard_receive(*, user, unit, reported_on, description, place="", household=None, reporter="", item, responsible,
                   deadline=None, measures=""):  # fmt: skip
    """A hazard reported from elsewhere (a grid worker's event) entered in the 六定 register as found on the day it
    was reported, with what accepting it settled (定项目、定责任人, perhaps 定时限 and 定措施); with no deadline it
    gets the default limit of a hazard. The register keeps no household: the report's link keeps it."""
    hazard = Hazard(unit=unit, item=item, found_on=reported_on, deadline=deadline, responsible=responsible,
                    measures=measures, location=place, note=reported_note(reporter, description))  # fmt: skip
    return hazard_save(user=user, instance=hazard)


def may_verify(user, hazard):
    """Is the user a reviewer of the hazard's village (its cadre or a leader): the model's VERIFY rule."""
    return Hazard.objects.restrict(user, VERIFY).filter(pk=hazard.pk).exists()


HAZARD_STEPS = {
    Hazard.Status.FOUND: Hazard.Status.RECTIFYING,
    Hazard.Status.RECTIFYING: Hazard.Status.RECTIFIED,
    Hazard.Status.RECTIFIED: Hazard.Status.VERIFIED,
}


def hazard_advance(*, user, hazard, note=""):
    """Move a hazard one step: found → rectifying → rectified → verified (verification by a reviewer)."""
    following = HAZARD_STEPS.get(hazard.status)
    if following is None:
        raise ValidationError(_("该隐患已验收，无需再处理。"))
    if following == Hazard.Status.VERIFIED and not may_verify(user, hazard):
        raise PermissionDenied(_("整改结果须由联村干部或镇领导验收。"))
    if following != Hazard.Status.VERIFIED:
        ensure_can_act_on_unit(user, hazard.unit, CHANGE)
    today = timezone.localdate()
    hazard.status = following
    if following == Hazard.Status.RECTIFIED:
        hazard.rectified_on = today
    if following == Hazard.Status.VERIFIED:
        hazard.verified_on = today
        hazard.reviewer = hazard.reviewer or user.display_name
    if note:
        hazard.note = f"{hazard.note}\n{today:%Y-%m-%d} {note}".strip()
    hazard.full_clean()
    return workflow_save(user=user, instance=hazard, reason=note)


def hazard_return(*, user, hazard, note):
    """A reviewer sends a rectified hazard back to rectifying, saying why."""
    if hazard.status != Hazard.Status.RECTIFIED:
        raise ValidationError(_("只有已整改的隐患可以退回重改。"))
    if not may_verify(user, hazard):
        raise PermissionDenied(_("只有验收人可以退回。"))
    if not (note or "").strip():
        raise ValidationError({"note": _("退回重改必须写明原因。")})
    hazard.status, hazard.rectified_on = Hazard.Status.RECTIFYING, None
    hazard.note = f"{hazard.note}\n{timezone.localdate():%Y-%m-%d} 退回：{note.strip()}".strip()
    return workflow_save(user=user, instance=hazard, reason=_("退回重改：%(note)s") % {"note": note.strip()})


# --- disputes and petitions -----------------------------------------------------------------------------------------


def mediation_committee_save(*, user, instance):
    check_unit_kind(instance, TOWN_OR_VILLAGE)
    check_not_future(instance, "established_on")
    return record_save(user=user, instance=instance)


def dispute_save(*, user, instance):
    """A case is closed with a result; an open one has none."""
    check_unit_kind(instance, ANYWHERE_BELOW_TOWN)
    check_not_future(instance, "received_on", "closed_on")
    settled = instance.result != DisputeCase.Result.PENDING
    if settled and not instance.closed_on:
        raise ValidationError({"closed_on": _("有了调解结果，请填写办结日期。")})
    if not settled and instance.closed_on:
        raise ValidationError({"result": _("填写了办结日期，请选择调解结果。")})
    if instance.closed_on and instance.closed_on < instance.received_on:
        raise ValidationError({"closed_on": _("办结日期不能早于受理日期。")})
    set_deadline(instance, "dispute", instance.received_on)
    if instance.deadline and instance.received_on and instance.deadline < instance.received_on:
        raise ValidationError({"deadline": _("调解时限不能早于受理日期。")})
    return record_save(user=user, instance=instance)


def dispute_receive(*, user, unit, reported_on, description, place="", household=None, reporter="", kind, parties,
                    summary="", mediator="", deadline=None):  # fmt: skip
    """A dispute reported from elsewhere (a grid worker's event) taken on for mediation on the day it was reported;
    its summary is the one accepting gave, else the report's own words; the report opens the mediation's record."""
    summary = summary or description[: DisputeCase._meta.get_field("summary").max_length]
    steps = reported_note(reporter, f"{description}（{place}）" if place else description)
    case = DisputeCase(unit=unit, kind=kind, summary=summary, parties=parties, received_on=reported_on,
                       deadline=deadline, mediator=mediator, steps=steps)  # fmt: skip
    return dispute_save(user=user, instance=case)


def petition_save(*, user, instance):
    """A backlog case's time to resolve runs from when it is taken on (列为积案), not from the first petition."""
    check_unit_kind(instance, TOWN_OR_VILLAGE)
    if instance.taken_on is None:
        if instance.pk is not None:
            raise ValidationError({"taken_on": _("请填写列为积案日期。")})
        instance.taken_on = timezone.localdate()  # taken on the day it is entered, unless said otherwise
    check_not_future(instance, "received_on", "taken_on", "resolved_on")
    if instance.taken_on and instance.received_on and instance.taken_on < instance.received_on:
        raise ValidationError({"taken_on": _("列为积案日期不能早于首次信访日期。")})
    if instance.resolved_on and instance.taken_on and instance.resolved_on < instance.taken_on:
        raise ValidationError({"resolved_on": _("化解日期不能早于列为积案日期。")})
    set_deadline(instance, "petition", instance.taken_on)
    if instance.deadline and instance.taken_on and instance.deadline < instance.taken_on:
        raise ValidationError({"deadline": _("化解时限不能早于列为积案日期。")})
    resolved = instance.status == PetitionCase.Status.RESOLVED
    if resolved and not instance.resolved_on:
        raise ValidationError({"resolved_on": _("已化解的积案请填写化解日期。")})
    if not resolved:
        instance.resolved_on = None
    return record_save(user=user, instance=instance)


# --- 五个到户, key persons, checkpoints ---------------------------------------------------------------------


def _same_village(instance, field, household):
    village = instance.unit.village or instance.unit
    if household is not None and not household.unit.path.startswith(village.path):
        raise ValidationError({field: _("所选农户不在该村（社区）。")})


def own_grid_worker(user):
    """A grid worker's own record, which signs what he writes; a 网格员 login not yet linked to one writes nothing."""
    worker = grid_worker_of(user)
    if worker is None:
        raise ValidationError(_("您的网格员账号尚未关联网格员信息，请联系村党组织书记或系统管理员。"))
    return worker


def visit_log_save(*, user, instance):
    """A visit is by a party member of the household's village or by a grid worker of it, exactly one; a grid
    worker's own login records his own visits, to his grid's households."""
    if is_grid_worker(user):
        instance.member, instance.grid_worker = None, own_grid_worker(user)
    if (instance.member is None) == (instance.grid_worker is None):
        raise ValidationError({"member": _("走访人须在党员和网格员中选择且只选一个。")})
    instance.unit = instance.household.unit
    village = instance.unit.village
    author = instance.member or instance.grid_worker
    if village is not None and not author.unit.path.startswith(village.path):
        field = "member" if instance.member is not None else "grid_worker"
        raise ValidationError({field: _("只能记录本村（社区）党员或网格员的走访。")})
    check_not_future(instance, "date")
    return record_save(user=user, instance=instance)


def people_issue_save(*, user, instance):
    check_unit_kind(instance, ANYWHERE_BELOW_TOWN)
    _same_village(instance, "household", instance.household)
    check_not_future(instance, "raised_on", "closed_on")
    if instance.status == PeopleIssue.Status.CLOSED and not instance.closed_on:
        raise ValidationError({"closed_on": _("销号时请填写销号日期。")})
    if instance.status == PeopleIssue.Status.OPEN:
        instance.closed_on = None
    return record_save(user=user, instance=instance)


def people_issue_receive(*, user, unit, reported_on, description, place="", household=None, reporter="", handler):
    """Something a household raised, reported from elsewhere (a grid worker's event), entered in the 民情台账 in the
    report's words, to be handled by the one accepting it named (the ledger leaves 办理人 blank; accepting may not)."""
    if not (handler or "").strip():
        raise ValidationError({"handler": _("请填写办理人。")})
    issue = PeopleIssue(unit=unit, household=household, raised_on=reported_on, content=description, handler=handler)
    return people_issue_save(user=user, instance=issue)


def key_person_save(*, user, instance):
    check_unit_kind(instance, ANYWHERE_BELOW_TOWN)
    check_not_future(instance, "since", "released_on")
    return record_save(user=user, instance=instance)


def keeper_save(*, user, instance):
    instance.unit = instance.person.unit
    return record_save(user=user, instance=instance)


def door_knock_save(*, user, instance):
    """A grid worker's own login knocks in his grid, signed with his record and name."""
    if is_grid_worker(user):
        worker = own_grid_worker(user)
        if instance.unit_id not in (None, worker.unit_id):
            raise ValidationError({"unit": _("网格员只能登记本网格的敲门行动。")})
        instance.grid_worker, instance.by, instance.unit = worker, worker.name, worker.unit
    if instance.unit_id is None:
        raise ValidationError({"unit": _("请选择所属单位。")})
    check_unit_kind(instance, ANYWHERE_BELOW_TOWN)
    village = instance.unit.village or instance.unit
    if instance.grid_worker is not None and not instance.grid_worker.unit.path.startswith(village.path):
        raise ValidationError({"grid_worker": _("所选网格员不在该村（社区）。")})
    _same_village(instance, "household", instance.household)
    for field in ("household", "person"):
        chosen = getattr(instance, field)
        if chosen is not None and not can_act_on_unit(user, chosen.unit, VIEW):
            raise ValidationError({field: _("所选对象不在您的管辖范围内。")})
    check_not_future(instance, "date")
    return record_save(user=user, instance=instance)


def checkpoint_save(*, user, instance):
    check_unit_kind(instance, TOWN_OR_VILLAGE)
    check_not_future(instance, "opened_on", "closed_on")
    if instance.closed_on and instance.closed_on < instance.opened_on:
        raise ValidationError({"closed_on": _("撤卡日期不能早于设卡日期。")})
    return record_save(user=user, instance=instance)


def checkpoint_staff_save(*, user, instance):
    instance.unit = instance.checkpoint.unit
    return record_save(user=user, instance=instance)


def pass_record_save(*, user, instance):
    instance.unit = instance.checkpoint.unit
    if instance.at and instance.at > timezone.now():
        raise ValidationError({"at": _("时间不能晚于现在。")})
    return record_save(user=user, instance=instance)
