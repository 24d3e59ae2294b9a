"""One rule per ledger for "overdue on a day", shared by the leaders' dashboard (today) and the monthly bulletin (the
day it is built): a case settled after that day still counts as overdue on it, and not today."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from environment.models import InfrastructureProject, ProjectProgress
from environment.selectors import projects_late_on
from governance.models import DisputeCase, Hazard
from governance.selectors import disputes_overdue_on, hazards_overdue_on
from industry.models import Enterprise, Problem
from industry.selectors import problems_overdue_on

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 6, 6)  # the day a bulletin was built
LATER = date(2026, 6, 20)  # settled after it


def on_both_days(rule, rows):
    return rule(rows, AS_OF).count(), rule(rows, timezone.localdate()).count()


def test_a_hazard_rectified_after_the_day_was_overdue_on_it(town):
    village = town.yangqiu.unit
    Hazard.objects.create(unit=village, found_on=date(2026, 5, 1), item="危桥", responsible="x",
                          deadline=date(2026, 6, 1), status=Hazard.Status.RECTIFIED, rectified_on=LATER)  # fmt: skip
    Hazard.objects.create(unit=village, found_on=date(2026, 5, 1), item="电线", responsible="x",
                          deadline=date(2026, 6, 30))  # fmt: skip
    assert on_both_days(hazards_overdue_on, Hazard.objects.all()) == (1, 1)  # the second is overdue today only


def test_an_enterprise_problem_resolved_after_the_day_was_overdue_on_it(town):
    mill = Enterprise.objects.create(unit=town.unit, name="湖南角山米业有限公司")
    Problem.objects.create(unit=town.unit, enterprise=mill, description="用地手续", responsible="x",
                           deadline=date(2026, 6, 1), status=Problem.Status.SOLVED, resolved_on=LATER)  # fmt: skip
    assert on_both_days(problems_overdue_on, Problem.objects.all()) == (1, 0)


def test_a_dispute_settled_after_the_day_was_overdue_on_it(town):
    received = AS_OF - timedelta(days=31)
    DisputeCase.objects.create(unit=town.yangqiu.unit, kind="land", summary="宅基地界址", parties="甲、乙",
                               received_on=received, deadline=AS_OF - timedelta(days=1),
                               result=DisputeCase.Result.SUCCESS, closed_on=LATER)  # fmt: skip
    DisputeCase.objects.create(unit=town.yangqiu.unit, kind="land", summary="新收", parties="丙",
                               received_on=received, deadline=AS_OF)  # fmt: skip
    assert on_both_days(disputes_overdue_on, DisputeCase.objects.all()) == (1, 1)


def test_a_project_finished_after_the_day_was_late_on_it(town):
    plant = InfrastructureProject.objects.create(
        unit=town.unit, name="井字镇污水处理厂", start=date(2025, 3, 1), planned_end=date(2026, 5, 31),
        planned_investment=1020, planned_pipe_km=Decimal("3.88"), yearly_capacity=18,
    )  # fmt: skip
    ProjectProgress.objects.create(unit=town.unit, project=plant, date=LATER, percent_done=100, milestone="竣工")
    assert on_both_days(projects_late_on, InfrastructureProject.objects.all()) == (1, 0)
