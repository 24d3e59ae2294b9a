"""Writes of the industry ledgers. Village ledgers (income, projects, sales) follow the user's unit scope; visits and
problems follow 包企: only the cadre who answers for an enterprise (or an admin) writes them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Assignment, Cadre, Unit
from branches.scoping import is_admin
from branches.services import assignment_save, check_not_future, record_save
from reports.plugins import deadline_change_check, deadline_for

from .models import Problem
from .selectors import answers_for, enterprise_assignments

VILLAGE_LEDGER_MESSAGE = _("只能记在村（社区）名下。")


def _same_village(instance, related, field):
    if related is not None and related.unit_id != instance.unit_id:
        raise ValidationError({field: _("所选项目不属于该村（社区）。")})


def village_ledger_save(*, user, instance):
    """Income entries, featured projects and sales: a village's own ledgers, in the user's change scope."""
    if instance.unit.kind not in Unit.VILLAGE_KINDS:
        raise ValidationError({"unit": VILLAGE_LEDGER_MESSAGE})
    if hasattr(instance, "date"):
        check_not_future(instance, "date")
    _same_village(instance, getattr(instance, "project", None), "project")
    return record_save(user=user, instance=instance)


@transaction.atomic
def featured_project_save(*, user, instance, households=None):
    village_ledger_save(user=user, instance=instance)
    if households is not None:
        outside = [h for h in households if not h.unit.path.startswith(instance.unit.path)]
        if outside:
            raise ValidationError({"households": _("参与农户必须是本村（社区）的农户。")})
        instance.households.set(households)
    return instance


def enterprise_save(*, user, instance):
    return record_save(user=user, instance=instance)


def enterprise_assign(*, user, enterprise, cadre, start_date=None):
    """包企: a cadre answers for an enterprise (an admin's decision)."""
    if not is_admin(user):
        raise PermissionDenied(_("只有系统管理员可以分配包企干部。"))
    if enterprise_assignments().filter(target_id=enterprise.pk, cadre=cadre).exists():
        raise ValidationError({"cadre": _("%(cadre)s 已经包联该企业。") % {"cadre": cadre}})
    assignment = Assignment(
        kind=Assignment.Kind.ENTERPRISE, cadre=cadre, unit=enterprise.unit, target=enterprise,
        start_date=start_date or timezone.localdate(), role_title=_("专企专抓"),
    )  # fmt: skip
    return assignment_save(user=user, instance=assignment)


def ensure_answers_for(user, enterprise):
    if not answers_for(user, enterprise):
        raise PermissionDenied(_("您不是“%(name)s”的包企干部，不能为它记录走访和问题。") % {"name": enterprise})


def _save_as(user, instance):
    instance.full_clean()
    instance._history_user = user
    instance.save()
    return instance


def cadre_of(user):
    cadre = Cadre.objects.filter(user=user).first()
    if cadre is None:
        raise ValidationError({"cadre": _("您的账号没有对应的镇干部档案，不能记录走访。")})
    return cadre


@transaction.atomic
def visit_log(*, user, visit, problems=()):
    """Record a visit (送政策、解难题) and the problems raised in it, each a case with a responsible person and a
    deadline. `problems` are dicts with description, responsible and deadline."""
    ensure_answers_for(user, visit.enterprise)
    if visit.cadre_id is None:
        visit.cadre = cadre_of(user)
    visit.unit = visit.enterprise.unit
    check_not_future(visit, "date")
    _save_as(user, visit)
    for data in problems:
        data = {"raised_on": visit.date, **data}  # raised on the visit's day
        problem = Problem(visit=visit, enterprise=visit.enterprise, unit=visit.unit, **data)
        set_problem_deadline(problem)
        _save_as(user, problem)
    return visit


def visit_save(*, user, instance):
    """Edit a visit (its problems are followed on their own)."""
    return visit_log(user=user, visit=instance)


TRANSITIONS = {
    Problem.Status.OPEN: (Problem.Status.IN_PROGRESS, Problem.Status.SOLVED, Problem.Status.CLOSED),
    Problem.Status.IN_PROGRESS: (Problem.Status.SOLVED, Problem.Status.CLOSED, Problem.Status.OPEN),
    Problem.Status.SOLVED: (Problem.Status.IN_PROGRESS,),
    Problem.Status.CLOSED: (Problem.Status.IN_PROGRESS,),
}


def problem_set_status(*, user, problem, status, resolution=""):
    """Move a problem along: open → in progress → solved, or closed unsolved with a reason; reopen if needed."""
    ensure_answers_for(user, problem.enterprise)
    if status not in TRANSITIONS.get(problem.status, ()):
        raise ValidationError(
            {"status": _("不能从“%(old)s”改为“%(new)s”。") % {"old": problem.get_status_display(),
                                                          "new": Problem.Status(status).label}}
        )  # fmt: skip
    resolution = (resolution or "").strip()
    if status == Problem.Status.CLOSED and not resolution:
        raise ValidationError({"resolution": _("未解决办结时必须写明原因。")})
    problem.status = status
    problem.resolution = resolution or problem.resolution
    problem.resolved_on = timezone.localdate() if status in (Problem.Status.SOLVED, Problem.Status.CLOSED) else None
    return _save_as(user, problem)


def set_problem_deadline(problem):
    """A problem with no deadline of its own gets the default limit from the day it was raised (its visit) or
    entered; changing a stored one's deadline needs a reason (reports.deadlines)."""
    if problem.deadline is None:
        raised = problem.visit.date if problem.visit_id and problem.visit.date else timezone.localdate()
        problem.deadline = deadline_for("problem", raised)
    deadline_change_check(problem)


def problem_save(*, user, instance):
    ensure_answers_for(user, instance.enterprise)
    set_problem_deadline(instance)
    if instance.visit_id is not None and instance.visit.enterprise_id != instance.enterprise_id:
        raise ValidationError({"visit": _("该走访记录不是对这家企业的走访。")})
    instance.unit = instance.enterprise.unit
    if instance.pk is None and instance.visit_id is not None:
        instance.raised_on = instance.visit.date  # raised on a visit: on the visit's day (else today, the default)
    return _save_as(user, instance)
