"""`manage.py load_demo` files the monthly reports: the town's year-to-date roll-up shows the article's entered
figures and those of 支部+文明实践 (DESIGN §5), every unit has its approved months, and the next load finishes a
report left half-way (the whole demo loading twice changing nothing is tests/demo/test_idempotent.py).

The demo is loaded once for the package (tests/demo/conftest.py) inside a transaction rolled back at the end; each test
runs in a savepoint inside it.
"""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from branches.models import Photo, Unit, User
from branches.photos import photos_of
from demo import reports as demo
from demo.partylife import NO_COMMITTEE
from reports import periods, worklines
from reports.models import MonthlyReport, ReportEvent, ReportValue, Rollup
from reports.monthly import selectors, services
from reports.rollup.selectors import rollup_values
from volunteers.models import Activity, Participation, Station

Status = MonthlyReport.Status

pytestmark = pytest.mark.django_db  # tests/demo/ holds database tests only (see its conftest)


def load():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()




def year_to_date(unit, year):
    return dict(Rollup.objects.filter(unit=unit, period=f"{year}-YTD").values_list("indicator__code", "value"))


def test_partition_is_exact_proportional_and_deterministic():
    shares = demo.partition(Decimal(7779), [3, 1, 1, 2, 5, 1, 1])
    assert sum(shares) == 7779
    assert all(share == share.to_integral_value() for share in shares)
    assert shares == demo.partition(Decimal(7779), [3, 1, 1, 2, 5, 1, 1])
    assert shares[4] > shares[0] > shares[3] > shares[1]
    assert max(shares[1], shares[2]) - min(shares[1], shares[2]) <= 1
    cents = demo.partition(Decimal("2136.45"), [7, 9, 11], decimals=2)
    assert sum(cents) == Decimal("2136.45")
    assert all(share == share.quantize(Decimal("0.01")) for share in cents)


@pytest.mark.django_db
def test_the_towns_year_to_date_shows_the_articles_figures(demo_town, last):
    ytd = year_to_date(demo_town, last.year)
    # Entered figures (DESIGN §5): exact where the article is exact, at least the figure where it says 余/多/以上.
    assert ytd["gov.booster_doses"] == 7779
    assert ytd["ind.enterprise_jobs"] == 60
    assert ytd["env.participants"] >= 500
    assert ytd["env.leaflets"] >= 10_000
    assert ytd["gov.leaflets"] >= 50_000
    assert ytd["ind.enterprise_tax"] >= 2000
    # Derived from the shared model, by themselves: stocks, each village's last month summed.
    assert ytd["org.grids"] == 122
    assert ytd["gov.covering_members"] == 1158
    assert ytd["gov.micro_grids"] == 116
    assert ytd["gov.household_coverage_rate"] == 100  # 五个到户 全覆盖


@pytest.mark.django_db
def test_the_towns_year_to_date_shows_the_articles_volunteer_figures(demo_town, last):
    """支部+文明实践, counted from its ledgers: 23个新时代文明实践所(站), 志愿服务团队22个, 其中专业志愿服务队2个,
    志愿者980名, 志愿活动100多场次, 服务群众1万余人次."""
    ytd = rollup_values(demo_town, f"{last.year}-YTD", "volunteers")
    assert ytd["vol.stations"] == 23
    assert ytd["vol.teams"] == 22
    assert ytd["vol.professional_teams"] == 2
    assert ytd["vol.volunteers"] == 980
    assert ytd["vol.activities"] >= 100
    assert ytd["vol.people_served"] >= 10_000
    assert ytd["vol.volunteer_hours"] > 0
    last_year = rollup_values(demo_town, f"{last.year - 1}", "volunteers")
    assert last_year["vol.volunteers"] < 980
    assert last_year["vol.people_served"] / 12 < ytd["vol.people_served"] / last.month  # last year ran lower


@pytest.mark.django_db
def test_the_volunteer_stations_are_run_by_their_managers(demo_town, last):
    """The town's 实践所 is the leader's; 铜梁村's and 杨球村's 站 have their own logins; each station's manager
    approved its hours, and none of the reported months' hours is still pending."""
    assert Station.objects.get(unit=demo_town).manager.username == "leader"
    for username, village in (("tongliang_zhan", "铜梁村"), ("yangqiu_zhan", "杨球村")):
        user = authenticate(username=username, password=settings.DEMO_PASSWORD)
        assert user is not None and (user.role, user.unit.name) == (User.Role.SECRETARY, village)
        assert Station.objects.get(unit=user.unit).manager == user
    assert not Station.objects.filter(manager=None).exists()
    approved = Participation.objects.filter(status=Participation.Status.APPROVED).select_related("activity__station")
    assert approved.exists()
    assert all(row.reviewed_by_id == row.activity.station.manager_id and row.reviewed_at for row in approved)
    reported = Participation.objects.filter(activity__starts_at__date__lt=periods.add_months(last, 1))
    assert not reported.filter(status=Participation.Status.PENDING).exists()
    assert Activity.objects.filter(status=Activity.Status.PLANNED, starts_at__gt=timezone.now()).exists()
    assert Activity.objects.filter(status=Activity.Status.CANCELLED, participations__isnull=True).exists()


@pytest.mark.django_db
def test_the_years_largest_activities_carry_a_photo_of_the_scene(demo_town, last):
    held = Activity.objects.filter(status=Activity.Status.HELD, starts_at__year=last.year)
    largest = list(held.order_by("-people_served", "starts_at", "id")[:3])
    for activity in largest:
        photos = list(photos_of(activity))
        assert len(photos) == 1 and photos[0].caption == f"{activity.title}活动现场"
        assert photos[0].thumbnail.size < photos[0].image.size
    pictured = Photo.objects.filter(record_type__app_label="volunteers", **{"unit__path__startswith": demo_town.path})
    assert pictured.count() == 3


@pytest.mark.django_db
def test_the_figures_are_spread_over_units_and_months(demo_town, last):
    """Flows vary by village and month; tax and jobs are the town's own; last year runs a little lower."""
    values = ReportValue.objects.filter(report__month__year=last.year)
    for code in ("env.participants", "env.leaflets", "gov.leaflets", "gov.booster_doses"):
        figures = list(values.filter(indicator__code=code).values_list("value", flat=True))
        assert len(figures) == 23 * last.month
        assert min(figures) > 0 and len(set(figures)) > 3, code
        per_village = {
            unit: sum(values.filter(indicator__code=code, report__unit=unit).values_list("value", flat=True))
            for unit in Unit.objects.under(demo_town).villages()
        }
        assert len(set(per_village.values())) > 5, code
    town_only = values.filter(indicator__code__in=["ind.enterprise_tax", "ind.enterprise_jobs"])
    assert set(town_only.values_list("report__unit", flat=True)) == {demo_town.pk}
    jobs = list(
        values.filter(indicator__code="ind.enterprise_jobs").order_by("report__month").values_list("value", flat=True)
    )
    assert jobs == sorted(jobs) and jobs[-1] == 60 and jobs[0] < 60
    this_year, last_year = year_to_date(demo_town, last.year), year_to_date(demo_town, last.year - 1)
    for code in ("env.participants", "env.leaflets", "gov.leaflets", "gov.booster_doses", "ind.enterprise_tax"):
        level = (last_year[code] / 12) / (this_year[code] / last.month)
        assert Decimal("0.8") < level < Decimal("0.9"), code


@pytest.mark.django_db
def test_every_unit_has_approved_reports_for_every_month_and_work_line(demo_town, last):
    units = [demo_town, *Unit.objects.under(demo_town).villages()]
    assert len(units) == 23
    months = [date(last.year - 1, month, 1) for month in range(1, 13)]
    months += [date(last.year, month, 1) for month in range(1, last.month + 1)]
    approved = set(MonthlyReport.objects.filter(status=Status.APPROVED).values_list("unit_id", "work_line", "month"))
    expected = 0
    for unit in units:
        lines = [line for line, _label in worklines.choices() if selectors.specs_for(unit, line)]
        assert {"environment", "governance"} <= set(lines), unit
        for line in lines:
            for month in months:
                assert (unit.pk, line, month) in approved, (unit.name, line, month)
                expected += 1
    assert MonthlyReport.objects.filter(month__gte=months[0], month__lte=last).count() == expected
    assert not MonthlyReport.objects.exclude(status=Status.APPROVED).filter(month__lte=last).exists()
    assert not MonthlyReport.objects.filter(month__gt=last).exists()


@pytest.mark.django_db
def test_the_reports_went_through_the_workflow_cleanly(demo_town, last):
    """Saved and submitted by the village's secretary (admin for the town), approved by the leader, no outlier flags
    but the one the demo plants (花桥村 held no 支委会 last month, a monthly meeting: the reviewer is asked to look at
    its 0), every entered figure filled, and dated as a punctual town would have filed them."""
    leader = User.objects.get(username="leader")
    flagged = ReportValue.objects.exclude(flag="").values_list("report__unit__name", "report__month", "indicator__code")
    assert set(flagged) == {(name, last, "party.committee_meetings") for name in NO_COMMITTEE}
    assert not ReportValue.objects.filter(approved_value__isnull=True, indicator__source="entered").exists()
    assert not MonthlyReport.objects.filter(changed_since_approval=True).exists()
    submits = ReportEvent.objects.filter(action=ReportEvent.Action.SUBMIT).select_related("user", "report__unit")
    assert submits.count() == MonthlyReport.objects.count()
    for event in submits:
        if event.report.unit_id == demo_town.pk:
            assert event.user.username == "admin"
        else:
            assert (event.user.role, event.user.unit_id) == (User.Role.SECRETARY, event.report.unit_id)
    approvals = ReportEvent.objects.filter(action=ReportEvent.Action.APPROVE)
    assert set(approvals.values_list("user", flat=True)) == {leader.pk}
    assert set(MonthlyReport.objects.values_list("approved_by", flat=True)) == {leader.pk}
    for report in MonthlyReport.objects.all():
        assert timezone.localtime(report.submitted_at).date() <= periods.deadline_for(report.month)
        assert report.submitted_at <= report.approved_at


@pytest.mark.django_db
def test_the_printout(printout, last):
    lines = [line for line in printout.splitlines() if line.startswith(("月报：", f"全镇 {last.year} 年"))]
    assert len(lines) == 2
    assert f"已审核共 {MonthlyReport.objects.filter(status=Status.APPROVED).count()} 份" in lines[0]
    for figure in ("新冠疫苗加强针 7779 剂次", "带动就业岗位 60 个", "网格 122 个", "“五个到户”党员 1158 人",
                   "党员服务微网格 116 个"):  # fmt: skip
        assert figure in lines[1]
    assert "注册志愿者 980 名" in printout and "tongliang_zhan" in printout and "yangqiu_zhan" in printout
    assert "注意" not in printout


@pytest.mark.django_db
def test_a_report_left_half_way_is_finished_by_the_next_load(demo_town, last):
    """A returned report (say, unlocked by an admin) is filled, resubmitted and approved again on the next load."""
    village = Unit.objects.get(name="铜梁村")
    report = MonthlyReport.objects.get(unit=village, work_line="environment", month=last)
    services.report_unlock(report=report, user=User.objects.get(username="admin"), reason="演示：重新核对")
    assert MonthlyReport.objects.get(pk=report.pk).status == Status.RETURNED
    before = year_to_date(demo_town, last.year)
    output = load()
    report.refresh_from_db()
    assert report.status == Status.APPROVED
    assert "本次审核 1 份" in output
    assert year_to_date(demo_town, last.year) == before


@pytest.mark.django_db
def test_a_report_that_cannot_be_submitted_is_named_not_fatal(demo_town, last, monkeypatch):
    report = MonthlyReport.objects.get(unit__name="杨球村", work_line="governance", month=last)
    services.report_unlock(report=report, user=User.objects.get(username="admin"), reason="演示：重新核对")

    def refuse(**kwargs):
        raise ValidationError({"gov.leaflets": "演示：无法提交"})

    monkeypatch.setattr(services, "report_submit", refuse)
    output = load()
    assert "注意：1 份月报未能提交或审核" in output and "演示：无法提交" in output
    assert MonthlyReport.objects.get(pk=report.pk).status == Status.RETURNED
