"""The work lines' one store (reports/worklines.py) and each hook it offers, one test per hook: alerts and cases with
time limits (also in tests/test_dashboard.py and tests/test_bulletin.py), 通报 score parts, event sinks, point
sources, notification events and today items."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from governance.models import Hazard
from industry.models import Enterprise, Problem, ServiceVisit
from reports import periods, worklines
from reports.bulletin.services import bulletin_build
from reports.registry import registry
from reports.today import today_for
from volunteers.models import Activity, ActivityType, Participation, Station, Volunteer

from ..conftest import make_user

pytestmark = pytest.mark.django_db


def test_the_five_lines_are_declared_once_in_order_with_their_indicators_and_routes():
    assert worklines.choices() == [("industry", "支部+产业发展"), ("environment", "支部+环境整治"),
                                   ("governance", "支部+基层治理"), ("volunteers", "支部+文明实践"),
                                   ("party", "支部建设")]  # fmt: skip
    for line in worklines.work_lines():
        app = line.app_labels[0]
        assert line.indicators and all(spec.work_line == line.code for spec in line.indicators)
        assert {spec.code for spec in line.indicators} == {spec.code for spec in registry.for_work_line(line.code)}
        assert reverse("api-root") and line.urls == f"{app}.urls" and line.demo == f"demo.{app}"
    industry = worklines.work_line("industry")
    with pytest.raises(worklines.WorkLineError):
        worklines.register_work_line(worklines.WorkLine("industry", "别的产业", 10))
    assert worklines.register_work_line(industry) == industry  # declaring the same again changes nothing
    with pytest.raises(worklines.WorkLineError, match="no hook"):
        worklines.hooks("nothing")


def test_timed_cases_know_their_line_and_are_counted_by_the_bulletin():
    kinds = {(kind.work_line, str(kind.label)) for kind in worklines.hooks("timed_cases")}
    assert kinds == {("industry", "企业问题逾期未办结"), ("environment", "项目超过计划完工仍未完成"),
                     ("environment", "环境问题逾期未清理"), ("governance", "安全隐患逾期未整改"),
                     ("governance", "矛盾纠纷调解超期未结"), ("governance", "信访积案超期未化解"),
                     ("dispatch", "督办任务逾期未上报"), ("grid", "网格事件逾期未受理"),
                     ("grid", "上报的网格事件逾期未办结")}  # fmt: skip


@pytest.fixture
def test_line():
    """A line the test declares and takes out again."""
    declared = []

    def declare(**hooks):
        declared.append(worklines.register_work_line(worklines.WorkLine("testline", "支部+测试", 90, **hooks)))
        return declared[-1]

    yield declare
    for line in declared:
        worklines.unregister_work_line(line.code)
    assert "testline" not in worklines.codes()


def test_a_score_part_joins_the_bulletins_score(town, test_line):
    def judge(villages, month, as_of):
        return {town.tongliang.unit.pk: (Decimal(4), ["测试项扣 6 分"])}

    test_line(score_parts=(worklines.ScorePart("testline.part", "测试项", 10, judge),))
    month = periods.add_months(periods.current_month(), -1)
    rows = {row.unit_id: row for row in bulletin_build(town=town.unit, month=month).rows.all()}
    ours, theirs = rows[town.tongliang.unit.pk], rows[town.yangqiu.unit.pk]
    assert ours.parts["testline.part"] == {"label": "测试项", "score": 4.0, "max": 10}
    assert "测试项扣 6 分" in [reason["text"] for reason in ours.reasons]
    assert "testline.part" not in theirs.parts  # nothing to judge 杨球村 on in this part: it drops out
    assert sum(part["max"] for part in ours.parts.values()) == sum(part["max"] for part in theirs.parts.values()) + 10


def test_an_event_sink_makes_the_row_through_the_lines_own_service(town, users):
    today = timezone.localdate()
    report = {"unit": town.tongliang.grid, "reported_on": today, "description": "村道边坡有落石", "place": "三组路口",
              "reporter": "网格员小李", "item": "村道边坡落石", "deadline": today + timedelta(days=7),
              "responsible": "刘组长"}  # fmt: skip
    assert worklines.event_sink("hazard").form is not None  # accepting asks what the 六定 register requires
    hazard = worklines.deliver("hazard", user=users.tongliang, **report)
    stored = Hazard.objects.get(pk=hazard.pk)
    assert (stored.status, stored.found_on, stored.location) == (Hazard.Status.FOUND, today, "三组路口")
    assert "网格员小李" in stored.note and "村道边坡有落石" in stored.note
    assert hazard.history.first().history_user == users.tongliang
    with pytest.raises(ValidationError):  # the service's own rule: a deadline before the day it was found
        worklines.deliver("hazard", user=users.tongliang, **{**report, "deadline": today - timedelta(days=1)})
    with pytest.raises(PermissionDenied):  # another village's grid is out of the secretary's reach
        worklines.deliver("hazard", user=users.yangqiu, **report)
    assert Hazard.objects.count() == 1
    with pytest.raises(worklines.WorkLineError):
        worklines.deliver("nothing", user=users.tongliang)


def test_a_point_source_counts_a_party_members_approved_hours(town):
    station = Station.objects.create(unit=town.tongliang.unit, name="铜梁村站", established_on=date(2021, 5, 1))
    kind = ActivityType.objects.get(name="反电信诈骗宣传")
    member = town.tongliang.member
    volunteer = Volunteer.objects.create(unit=station.unit, name=member.name, joined_on=date(2022, 1, 1),
                                         party_member=member)  # fmt: skip
    plain = Volunteer.objects.create(unit=station.unit, name="群众志愿者", joined_on=date(2022, 1, 1))
    for day, hours, status in ((date(2026, 3, 2), "2.5", "approved"), (date(2026, 3, 20), "3", "approved"),
                               (date(2026, 3, 21), "4", "pending"), (date(2026, 4, 1), "5", "approved")):
        start = timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time())) + timedelta(hours=9)
        activity = Activity.objects.create(unit=station.unit, station=station, title="宣传", type=kind,
                                           starts_at=start, status="held")  # fmt: skip
        for person in (volunteer, plain):
            Participation.objects.create(unit=station.unit, activity=activity, volunteer=person, hours=hours,
                                         status=status)  # fmt: skip
    records = worklines.point_records([town.tongliang.unit], date(2026, 3, 1), date(2026, 3, 31))
    hours = [(record.member_id, record.quantity, record.on) for source, record in records
             if source.code == "volunteers.hours"]  # fmt: skip
    assert hours == [(member.pk, Decimal("2.5"), date(2026, 3, 2)), (member.pk, Decimal("3"), date(2026, 3, 20))]
    assert all(record.url.startswith("/volunteers/activities/") for _source, record in records)
    assert worklines.point_records([town.yangqiu.unit], date(2026, 3, 1), date(2026, 3, 31)) == []


def test_a_notification_event_names_whom_to_tell_and_what(town, users):
    mill = Enterprise.objects.create(unit=town.unit, name="湖南角山米业有限公司", kind="above_scale")
    from branches.models import Assignment, Cadre

    Assignment.objects.create(kind="enterprise", cadre=Cadre.objects.get(user=users.cadre), unit=mill.unit,
                              target=mill, start_date=date(2025, 1, 1))  # fmt: skip
    visit = ServiceVisit.objects.create(unit=mill.unit, enterprise=mill, cadre=Cadre.objects.get(user=users.cadre),
                                        date=date(2026, 1, 5))  # fmt: skip
    problem = Problem.objects.create(unit=mill.unit, enterprise=mill, visit=visit, description="用电增容",
                                     responsible="王", deadline=date(2026, 2, 1))  # fmt: skip
    event = worklines.notification_event("industry.problem_overdue")
    assert event.work_line == "industry"
    assert event.recipients(problem) == [users.cadre]
    assert "湖南角山米业有限公司" in str(event.message(problem)) and "2026-02-01" in str(event.message(problem))
    assert event.url(problem) == reverse("industry:problem_detail", args=[problem.pk])


def test_today_items_go_to_the_roles_named_and_count_what_waits(town, users):
    secretary = make_user("zhan", "secretary", town.tongliang.unit)
    overdue = {"item": "危桥", "found_on": date(2026, 1, 5), "deadline": date(2026, 1, 20), "responsible": "刘"}
    Hazard.objects.create(unit=town.tongliang.grid, **overdue)
    Hazard.objects.create(unit=town.yangqiu.grid, **overdue)
    mine = {item.code: count for item, count, _due in today_for(secretary) if item.work_line}
    assert mine == {"governance.overdue_hazards": 1}
    assert {item.code for item, _n, _due in today_for(users.leader) if item.work_line} == set()  # not a role it names
    assert {item.code for item, _n, _due in today_for(users.cadre) if item.work_line} == {"governance.overdue_hazards"}
