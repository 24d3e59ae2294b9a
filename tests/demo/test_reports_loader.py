"""The demo files its two thousand monthly reports in bulk (demo/reports.py), not through the services one by one:
here one village's reports of every work line for two months are filed both ways and must end the same — statuses,
versions, who did what, every value, approved value and flag, the workflow events, the history rows and the roll-ups.

The months are the demo's last two, so the checks have a previous month and a year of approved history to look at.
"""

from decimal import Decimal

import pytest
from django.db import transaction

from branches.models import PartyOrganisation, Unit
from demo import reports as demo
from partylife.models import Meeting, MeetingKind
from reports import checks, periods, worklines
from reports.derive import count, figure, figures_by_month
from reports.models import MonthlyReport, ReportValue, Rollup
from reports.monthly import selectors, services
from reports.registry import DERIVED, FLOW, IndicatorSpec
from reports.rollup import build as rollup
from reports.rollup import services as rollup_services

pytestmark = pytest.mark.django_db  # tests/demo/ holds database tests only (see its conftest)

VILLAGE = "铜梁村"


def file_through_services(village, months, figures, people):
    """The reference: each report opened, filled and submitted by the secretary and approved by the leader, month by
    month, through the services a person's clicks call."""
    for month in months:
        for work_line, _label in worklines.choices():
            if not selectors.specs_for(village, work_line):
                continue
            report = services.report_open(unit=village, work_line=work_line, month=month)
            entered = figures.get((village.code, month), {})
            specs = [spec for spec in selectors.specs_for(village, work_line) if spec.is_entered]
            values = {spec.code: entered.get(spec.code, Decimal(0)) for spec in specs}
            entrant = people.entrants[village.pk]
            report = services.report_save_values(report=report, user=entrant, values=values)
            report = services.report_submit(report=report, user=entrant)
            services.report_approve(report=report, user=people.leader)


def file_through_the_loader(village, months, figures, people):
    cells = demo.missing_cells([village], months)
    filing = demo.Filing(approved=[], failed=[])
    demo.file_all(cells, figures, people, filing)
    assert filing.failed == []
    assert len(filing.approved) == len(cells)


def state(village, months):
    """What a person could see of the village's reports for those months, and the roll-ups above them."""
    reports = MonthlyReport.objects.filter(unit=village, month__in=months)
    ids = list(reports.values_list("pk", flat=True))
    described = {}
    for report in reports:
        described[report.work_line, report.month] = {
            "status": report.status,
            "version": report.version,
            "updated_by": report.updated_by_id,
            "approved_by": report.approved_by_id,
            "changed_since_approval": report.changed_since_approval,
            "values": sorted(report.values.values_list("indicator__code", "value", "approved_value", "flag")),
            "events": sorted(report.events.values_list("action", "user_id", "reason")),
            "history": sorted(MonthlyReport.history.filter(id=report.pk).values_list("history_type", "status")),
            "value_history": sorted(
                ReportValue.history.filter(report_id=report.pk).values_list(
                    "indicator__code", "history_type", "value", "history_user_id"
                )
            ),
        }
    keys = {period.key for month in months for period in periods.periods_containing(month)}
    above = {village.pk, *rollup.ancestors_of(village.pk)}
    rollups = Rollup.objects.filter(unit__in=above, period__in=keys)
    rollups = sorted(rollups.values_list("unit_id", "period", "indicator__code", "value"))
    return {"reports": described, "count": len(ids), "rollups": rollups}


def filed_and_rolled_up(file, village, months, figures, people):
    """`file` the village's months afresh (their demo reports taken away first), roll up, and describe the result;
    everything is rolled back afterwards."""
    with transaction.atomic():
        MonthlyReport.objects.filter(unit=village, month__in=months).delete()
        with rollup_services.rollups_deferred():
            file(village, months, figures, people)
        rollup.rebuild_all()
        described = state(village, months)
        transaction.set_rollback(True)
    return described


def test_the_bulk_loader_leaves_what_the_services_leave(printout):
    last = periods.last_complete_month()
    months = [periods.add_months(last, -1), last]
    village = Unit.objects.get(name=VILLAGE)
    town = Unit.objects.get(code=demo.TOWN_CODE)
    units = [*Unit.objects.under(town).villages(), town]
    figures, people = demo.plan(units, last), demo.demo_people(units)

    through_services = filed_and_rolled_up(file_through_services, village, months, figures, people)
    through_loader = filed_and_rolled_up(file_through_the_loader, village, months, figures, people)

    assert through_services["count"] == 2 * len(
        [line for line, _label in worklines.choices() if selectors.specs_for(village, line)]
    )
    assert through_loader["reports"].keys() == through_services["reports"].keys()
    for key, expected in through_services["reports"].items():
        assert through_loader["reports"][key] == expected, key
    assert through_loader["rollups"] == through_services["rollups"]
    # and both are what the demo itself holds
    assert through_loader["rollups"] == state(village, months)["rollups"]
    assert any(row["values"] for row in through_loader["reports"].values())


def test_figures_by_month_counts_what_derive_counts(printout):
    """The loader counts a unit's months in a few statements (derive.figures_by_month); each figure must be the one
    the indicator's own derive() gives for that month, for a village and for the town, every derived indicator."""
    last = periods.last_complete_month()
    months = demo.months_between(periods.add_months(last, -23), last)
    town = Unit.objects.get(code=demo.TOWN_CODE)
    # The demo's town holds no party life of its own (its 党委's members are not on the demo's roll: demo/partylife.py),
    # so its own 支部建设 figures would all be 0, equal whatever the counting; its 党委 meets once here, so the town's
    # own count of the line is checked on a figure that is there.
    committee = PartyOrganisation.objects.get(unit=town, level=PartyOrganisation.Level.COMMITTEE)
    Meeting.objects.create(unit=town, organisation=committee, kind=MeetingKind.COMMITTEE,
                           held_on=months[-2].replace(day=9), topic="镇党委会议：研究部署党建工作")  # fmt: skip
    # Counted as the loader counts them, one statement compiled for a village serving the next: another village
    # first, so the village under test gets the statements compiled for it (its own parameters probed in).
    statements = {}
    for unit in (Unit.objects.villages().exclude(name=VILLAGE).first(), Unit.objects.get(name=VILLAGE), town):
        for work_line, _label in worklines.choices():
            specs = [spec for spec in selectors.specs_for(unit, work_line) if not spec.is_entered]
            counted = figures_by_month(unit, specs, months, statements)
            expected = {(spec.code, month): figure(spec, unit, month) for spec in specs for month in months}
            assert counted == expected, (unit, work_line)
            assert any(counted.values()), (unit, work_line)


def test_figures_by_month_asks_month_by_month_when_the_month_is_no_plain_parameter(printout):
    """A derive() whose statement takes the month some other way (here: its number) is still counted right."""
    unit = Unit.objects.get(name=VILLAGE)
    spec = IndicatorSpec(code="test.odd", name="按月份号计数", unit="个", work_line="governance", kind=FLOW,
                         source=DERIVED, derive=lambda unit, month: count(Unit.objects.filter(depth__lt=month.month)))
    last = periods.last_complete_month()
    months = demo.months_between(periods.add_months(last, -5), last)
    counted = figures_by_month(unit, [spec], months)
    assert counted == {("test.odd", month): figure(spec, unit, month) for month in months}
    assert len(set(counted.values())) > 1


def test_a_month_whose_figures_fail_the_checks_stays_a_saved_draft(printout, monkeypatch):
    """As report_submit leaves a report it refuses: the figures saved, the draft at its second version, one save
    event, no submit or approval; the printout names it with the reason."""
    last = periods.last_complete_month()
    village = Unit.objects.get(name=VILLAGE)
    town = Unit.objects.get(code=demo.TOWN_CODE)
    units = [*Unit.objects.under(town).villages(), town]
    passing = checks.problems

    def refuse_governance(specs, values, previous, history):
        errors, flags = passing(specs, values, previous, history)
        if any(spec.work_line == "governance" for spec in specs):
            errors.append(checks.Problem("gov.leaflets", "演示：数字对不上"))
        return errors, flags

    monkeypatch.setattr(checks, "problems", refuse_governance)
    MonthlyReport.objects.filter(unit=village, month=last).delete()
    filing = demo.Filing(approved=[], failed=[])
    demo.file_all(demo.missing_cells([village], [last]), demo.plan(units, last), demo.demo_people(units), filing)

    report = MonthlyReport.objects.get(unit=village, work_line="governance", month=last)
    assert (report.status, report.version, report.submitted_at) == (MonthlyReport.Status.DRAFT, 2, None)
    assert list(report.events.values_list("action", flat=True)) == ["save"]
    assert report.values.filter(value__isnull=True).count() == 0
    assert filing.failed == [(str(report), "演示：数字对不上")]
    others = MonthlyReport.objects.filter(unit=village, month=last).exclude(work_line="governance")
    assert others.exists() and set(others.values_list("status", flat=True)) == {MonthlyReport.Status.APPROVED}
