"""`manage.py seed_scale` (reports/scale.py): synthetic county data, fast, reproducible, and true to the ledgers —
every derived figure it stores is what the indicator's own derive() counts from the rows it wrote. Small scale, so
it runs on SQLite and on PostgreSQL alike."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from branches.models import Household, HouseholdLink, Unit
from reports import scale, worklines
from reports.derive import figure
from reports.models import MonthlyReport, ReportValue, Rollup
from reports.monthly import selectors
from reports.registry import registry

pytestmark = pytest.mark.django_db


def fingerprint():
    """The seeded figures by natural keys (ids may differ between databases)."""
    rows = ReportValue.objects.values_list("report__unit__code", "report__work_line", "report__month",
                                           "indicator__code", "value")  # fmt: skip
    return sorted((unit, line, month.isoformat(), code, str(value.normalize()))
                  for unit, line, month, code, value in rows)  # fmt: skip


def seed_once(**options):
    with transaction.atomic():
        seeded = scale.seed_county(scale="small", log=lambda text: None, **options)
        result = (fingerprint(), Household.objects.count(), seeded.written.copy())
        transaction.set_rollback(True)
    return result


def test_the_command_seeds_a_small_county_with_every_report_approved():
    out = StringIO()
    call_command("seed_scale", "--scale", "small", stdout=out)
    text = out.getvalue()
    assert "压测数据：2 个镇、6 个村，12 个月" in text and "汇总行" in text
    county = Unit.objects.get(code=scale.COUNTY_CODE)
    villages = list(Unit.objects.under(county).villages())
    towns = list(Unit.objects.under(county).filter(kind=Unit.Kind.TOWN))
    assert (len(towns), len(villages)) == (2, 6)
    expected = sum(
        12 for unit in [*towns, *villages] for line in worklines.codes() if selectors.specs_for(unit, line)
    )  # fmt: skip
    reports = MonthlyReport.objects.filter(unit__path__startswith=county.path)
    assert reports.count() == expected
    assert set(reports.values_list("status", flat=True)) == {"approved"}
    for report in reports.filter(month=reports.order_by("-month").first().month):
        stored = set(report.values.values_list("indicator__code", flat=True))
        assert stored == {spec.code for spec in selectors.specs_for(report.unit, report.work_line)}, report
    assert not ReportValue.objects.filter(report__in=reports, approved_value__isnull=True).exists()
    assert Rollup.objects.filter(unit=county).exists()
    assert Household.objects.filter(unit__path__startswith=county.path).count() > 6 * 2 * 3
    assert HouseholdLink.objects.count() == Household.objects.filter(unit__path__startswith=county.path).count()


@pytest.mark.parametrize("towns_per_pass", [scale.TOWNS_PER_PASS, 1], ids=["one pass", "a pass per town"])
def test_every_derived_figure_is_what_its_ledger_counts(towns_per_pass, monkeypatch):
    """The derived figures are computed in bulk as the rows are written; derive() must agree for every unit of the
    last town and two months (all their derived figures) — also when the towns are seeded in passes (--towns 100),
    the last town then being the second pass's."""
    monkeypatch.setattr(scale, "TOWNS_PER_PASS", towns_per_pass)
    seeded = scale.seed_county(scale="small", log=lambda text: None)
    town = seeded.towns[-1]
    months = [seeded.months[0], seeded.months[-1]]
    values = ReportValue.objects.filter(
        report__unit__in=[town.unit, *[village.unit for village in town.villages]], report__month__in=months
    ).select_related("report__unit", "indicator")
    checked, wrong = 0, []
    for value in values:
        spec = registry.get(value.indicator.code)
        if spec.is_entered:
            continue
        fresh = figure(spec, value.report.unit, value.report.month)
        checked += 1
        if fresh != value.value:
            wrong.append((spec.code, value.report.unit.name, value.report.month, value.value, fresh))
    assert checked > 100 and wrong == []


def test_the_same_seed_gives_the_same_figures_and_another_seed_others():
    first, households, written = seed_once(seed=7)
    again, households_again, written_again = seed_once(seed=7)
    other, _households, _written = seed_once(seed=8)
    assert first == again and households == households_again and written == written_again
    assert first != other


def test_a_second_seed_into_the_same_database_is_refused():
    call_command("seed_scale", "--scale", "small", "--no-rollup", stdout=StringIO())
    with pytest.raises(CommandError, match="已存在"):
        call_command("seed_scale", "--scale", "small", stdout=StringIO())


def test_sizes_are_chosen_by_options():
    seeded = scale.seed_county(scale="small", towns=1, villages=2, years=2, log=lambda text: None)
    assert len(seeded.towns) == 1 and len(seeded.villages) == 2 and len(seeded.months) == 24
    assert seeded.months[-1] == max(MonthlyReport.objects.values_list("month", flat=True))
