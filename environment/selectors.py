"""Reads of the environment ledgers, scoped by the user."""

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.utils import timezone

from branches.models import GridWorker, Household, PartyMember, Unit
from branches.scoping import VIEW
from branches.selectors import counts_by_prefix, coverage_for_units
from reports.plugins import case_state, overdue_q

from .models import (
    Campaign,
    CleanupRecord,
    EnvironmentProblem,
    HollowHouse,
    InfrastructureProject,
    Pledge,
    ProjectProgress,
    ToiletRenovation,
    VillageRules,
    WorkMethod,
)


def rules_list(user, action=VIEW):
    return VillageRules.objects.restrict(user, action).select_related("unit").order_by("unit__path", "-version")


def rules_in_force(unit):
    """The latest adopted version of a village's rules (None if it has none)."""
    return VillageRules.objects.filter(unit=unit, adopted_on__lte=timezone.localdate()).order_by("-version").first()


def work_method_list(user, action=VIEW):
    return WorkMethod.objects.restrict(user, action).select_related("unit").order_by("-is_pilot", "unit__path")


def campaign_list(user, action=VIEW):
    return (
        Campaign.objects.restrict(user, action)
        .select_related("unit")
        .annotate(cleanup_count=Count("cleanups"), tons=Sum("cleanups__garbage_tons"))
        .order_by("-start", "name")
    )


def cleanup_list(user, action=VIEW):
    return (CleanupRecord.objects.restrict(user, action).select_related("unit", "campaign")
            .prefetch_related("problems").order_by("-date", "-id"))  # fmt: skip


# --- environment problems: a time limit each, closed by a cleanup record ----------------------------------------------

# One problem's state against its own deadline (red over, yellow near: reports.deadlines), as the list and page show it.
PROBLEM_DATES = {"start": "found_on", "closed": "cleaned_on"}


def problem_overdue_q(on):
    """A problem past its deadline and not yet cleaned on the day `on` (reports.deadlines)."""
    return overdue_q(on, open_q=Q(status=EnvironmentProblem.Status.OPEN), closed_field="cleaned_on")


def problems_overdue_on(problems, on):
    return problems.filter(problem_overdue_q(on))


def problem_list(user, action=VIEW):
    """Problems, overdue first, then by deadline."""
    overdue = Case(When(problem_overdue_q(timezone.localdate()), then=Value(0)), default=Value(1),
                   output_field=IntegerField())  # fmt: skip
    problems = EnvironmentProblem.objects.restrict(user, action).select_related("unit", "cleanup")
    return problems.annotate(overdue_rank=overdue).order_by("status", "overdue_rank", "deadline", "id")


def overdue_problems(user):
    return problems_overdue_on(problem_list(user), timezone.localdate())


def problem_state(problem):
    return case_state(problem, **PROBLEM_DATES)


def pledge_list(user, action=VIEW):
    return Pledge.objects.restrict(user, action).select_related("unit", "household").order_by("unit__path", "id")


def hollow_house_list(user, action=VIEW):
    return HollowHouse.objects.restrict(user, action).select_related("unit", "owner").order_by("status", "-id")


def toilet_list(user, action=VIEW):
    return (
        ToiletRenovation.objects.restrict(user, action)
        .select_related("unit", "household")
        .order_by("-completed_on", "-id")
    )


def project_list(user, action=VIEW):
    return InfrastructureProject.objects.restrict(user, action).select_related("unit").order_by("-start", "name")


def projects_late_on(projects, on):
    """Those of `projects` past their planned completion and not reported finished (100 %) by the day `on`."""
    finished = ProjectProgress.objects.filter(percent_done__gte=100, date__lte=on).values("project")
    return projects.filter(planned_end__lt=on).exclude(pk__in=finished)


def progress_list(user, action=VIEW):
    return ProjectProgress.objects.restrict(user, action).select_related("project").order_by("project", "date")


@dataclass
class ProjectState:
    project: InfrastructureProject
    invested: object
    pipe_km: object
    percent_done: int
    last_milestone: str


def project_states(projects):
    """Each project's money spent and pipe laid so far, and where it stands (two queries)."""
    projects = list(projects)
    sums = {
        row["project"]: row
        for row in ProjectProgress.objects.filter(project__in=projects)
        .values("project")
        .annotate(invested=Sum("investment"), pipe=Sum("pipe_km"))
    }
    latest = {}
    for step in ProjectProgress.objects.filter(project__in=projects).order_by("project", "date", "id"):
        latest[step.project_id] = step
    return [
        ProjectState(
            project=project,
            invested=sums.get(project.pk, {}).get("invested") or 0,
            pipe_km=sums.get(project.pk, {}).get("pipe") or 0,
            percent_done=latest[project.pk].percent_done if project.pk in latest else 0,
            last_milestone=latest[project.pk].milestone if project.pk in latest else "",
        )
        for project in projects
    ]


# --- per village -----------------------------------------------------------------------------------------------------


@dataclass
class PledgeCoverage:
    unit: Unit
    households: int
    pledged: int

    @property
    def rate(self):
        return round(100 * self.pledged / self.households, 1) if self.households else None


def pledge_coverage(units):
    """门前三包 coverage for each unit (households under it with a signed pledge): one grouped query per depth."""
    units = list(units)
    households = counts_by_prefix(Household.objects.all(), "unit__path", units)
    pledged = counts_by_prefix(Pledge.objects.filter(status=Pledge.Status.SIGNED), "unit__path", units)
    return [PledgeCoverage(unit, households.get(unit.pk, 0), pledged.get(unit.pk, 0)) for unit in units]


def engines(village):
    """The 131 method's three engines in a village: party cadres, grid workers, volunteers."""
    method = WorkMethod.objects.filter(unit=village).first()
    return {
        "party": PartyMember.objects.filter(unit=village, is_active=True).count(),
        "grid_workers": GridWorker.objects.filter(unit__path__startswith=village.path).count(),
        "volunteers": method.volunteers if method else 0,
        "method": method,
    }


def month_cleanup(unit, month_start, month_end):
    """The month's cleanup totals under a unit."""
    return CleanupRecord.objects.filter(
        unit__path__startswith=unit.path, date__gte=month_start, date__lt=month_end
    ).aggregate(
        records=Count("id"), tons=Sum("garbage_tons"), billboards=Sum("billboards"), road_km=Sum("road_km"),
        river_km=Sum("river_km"), participants=Sum("participants"),
    )  # fmt: skip


def village_overview(village, month_start, month_end):
    groups = list(Unit.objects.filter(path__startswith=village.path, kind=Unit.Kind.GROUP).order_by("path"))
    return {
        "rules": rules_in_force(village),
        "engines": engines(village),
        "pledges": pledge_coverage([village, *Unit.objects.filter(path__startswith=village.path,
                                                                   kind=Unit.Kind.GRID).order_by("path")]),
        "cleanup": month_cleanup(village, month_start, month_end),
        "groups": groups,
        "coverage": coverage_for_units([village])[0],
        "hollow_houses": HollowHouse.objects.filter(unit__path__startswith=village.path).values("status").annotate(
            n=Count("id")
        ),
        "toilets": ToiletRenovation.objects.filter(unit__path__startswith=village.path, accepted=True).count(),
    }  # fmt: skip
