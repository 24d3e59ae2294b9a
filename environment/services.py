"""Writes of the environment ledgers: each record in the user's change scope, in a unit of the right kind, never
dated in the future; households and projects belong to the record's own village or town. An environment problem
gets its kind's default time limit, and is closed by the cleanup record that cleaned it, in the same transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from branches.models import Unit
from branches.services import check_not_future, check_unit_kind, record_delete, record_save
from reports.plugins import deadline_change_check, deadline_for

from .models import EnvironmentProblem, HollowHouse, VillageRules

VILLAGE = Unit.VILLAGE_KINDS
TOWN_OR_VILLAGE = (Unit.Kind.TOWN, *Unit.VILLAGE_KINDS)
ANYWHERE_BELOW_TOWN = (Unit.Kind.TOWN, *Unit.VILLAGE_KINDS, Unit.Kind.GROUP, Unit.Kind.GRID)
IN_A_VILLAGE = (*Unit.VILLAGE_KINDS, Unit.Kind.GROUP, Unit.Kind.GRID)
PROBLEM_KIND = "environment_problem"  # its default time limit (brief.TIMED_CASES, reports.models.CaseLimit)


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


def cleanup_save(*, user, instance, closes=()):
    """A cleanup record, and the open environment problems of its village it cleaned (`closes`), closed by it in the
    same transaction: nothing is saved if one of them is refused. The problems it closed before follow its date."""
    check_unit_kind(instance, ANYWHERE_BELOW_TOWN)
    check_not_future(instance, "date")
    adding = instance.pk is None
    try:
        with transaction.atomic():
            record_save(user=user, instance=instance)
            closed_before = list(instance.problems.exclude(cleaned_on=instance.date))
            problems_close(user=user, cleanup=instance, problems=[*closed_before, *closes])
    except ValidationError:
        if adding:  # rolled back: the form shown again is still a new record's
            instance.pk, instance._state.adding = None, True
        raise
    return instance


def cleanup_delete(*, user, instance):
    """A cleanup record deleted (entered by mistake) leaves the problems it closed open again, in one transaction."""
    with transaction.atomic():
        for problem in instance.problems.all():
            problem.status = EnvironmentProblem.Status.OPEN
            problem_save(user=user, instance=problem)
        record_delete(user=user, instance=instance)


def problem_save(*, user, instance):
    """An environment problem lies in a village (or its group or grid); with no deadline it gets the default limit
    from the day it was found. A cleaned one says when; an open one has no cleaning date and no cleanup record."""
    problem = instance
    check_unit_kind(problem, IN_A_VILLAGE)
    check_not_future(problem, "found_on", "cleaned_on")
    if problem.deadline is None and problem.found_on is not None:
        problem.deadline = deadline_for(PROBLEM_KIND, problem.found_on)
    deadline_change_check(problem)
    if problem.deadline and problem.found_on and problem.deadline < problem.found_on:
        raise ValidationError({"deadline": _("清理时限不能早于发现日期。")})
    if problem.status == EnvironmentProblem.Status.OPEN:
        problem.cleaned_on, problem.cleanup = None, None
    elif not problem.cleaned_on:
        raise ValidationError({"cleaned_on": _("已清理的问题请填写清理日期。")})
    if problem.cleaned_on and problem.found_on and problem.cleaned_on < problem.found_on:
        raise ValidationError({"cleaned_on": _("清理日期不能早于发现日期。")})
    if problem.cleanup is not None:
        _in_village_of(problem.cleanup, problem, "cleanup", _("清理记录与该问题不在同一村（社区）。"))
    return record_save(user=user, instance=problem)


def problem_receive(*, user, unit, reported_on, description, place="", household=None, reporter="", deadline=None):
    """A problem reported from elsewhere (a grid worker's event) entered as found on the day it was reported; with no
    deadline it gets the default limit. The ledger keeps no household: the report's link keeps it."""
    note = _("%(reporter)s上报") % {"reporter": reporter} if reporter else ""
    problem = EnvironmentProblem(unit=unit, found_on=reported_on, place=place, description=description,
                                 deadline=deadline, note=note)  # fmt: skip
    return problem_save(user=user, instance=problem)


def problems_close(*, user, cleanup, problems):
    """The cleanup record closes each of `problems` (of its own village): cleaned on its date, pointing at it. A
    refusal names the problem, under the cleanup form's `closes`."""
    for problem in problems:
        elsewhere = _("“%(problem)s”不在该清理记录的村（社区）。") % {"problem": problem}
        _in_village_of(cleanup, problem, "closes", elsewhere)
        if problem.cleanup_id not in (None, cleanup.pk):
            raise ValidationError({"closes": _("“%(problem)s”已由其他清理记录销号。") % {"problem": problem}})
        problem.status, problem.cleaned_on, problem.cleanup = EnvironmentProblem.Status.CLEANED, cleanup.date, cleanup
        try:
            problem_save(user=user, instance=problem)
        except ValidationError as error:
            said = "；".join(error.messages)
            raise ValidationError({"closes": f"“{problem}”：{said}"}) from error


def _in_village_of(record, other, field, message):
    """`other` must lie in `record`'s village (a town's record: in the town)."""
    village = record.unit.village or record.unit
    if not other.unit.path.startswith(village.path):
        raise ValidationError({field: message})


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
