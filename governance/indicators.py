"""Indicators of 支部+基层治理 (DESIGN §5, governance rows).

The entered ones are typed monthly; grids, 五个到户 members, micro-grids and household coverage are counted from the
shared model, so they need no ledger of their own. Cases, patrols and hazards arrive with the governance ledgers.
"""

from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.urls import reverse

from branches.models import Household, HouseholdLink, MicroGrid, Unit
from reports.periods import add_months
from reports.registry import DERIVED, ENTERED, FLOW, RATIO, STOCK, VILLAGE, IndicatorSpec, register


def month_end(month):
    return add_months(month, 1)


def count_grids(unit, month):
    return Unit.objects.filter(path__startswith=unit.path, kind=Unit.Kind.GRID).count()


def units_under(unit):
    """Ids of the units under `unit` as a subquery: cheaper to join on than a path prefix per row."""
    return Unit.objects.filter(path__startswith=unit.path).values("pk")


def count_covering_members(unit, month):
    links = HouseholdLink.objects.filter(unit__in=units_under(unit), member__is_active=True)
    links = links.exclude(since__gte=month_end(month))
    return links.values("member").distinct().count()


def count_micro_grids(unit, month):
    return MicroGrid.objects.filter(unit__path__startswith=unit.path).count()


def count_households(unit, month):
    return Household.objects.filter(unit__path__startswith=unit.path).count()


def count_covered_households(unit, month):
    links = HouseholdLink.objects.filter(household=OuterRef("pk")).exclude(since__gte=month_end(month))
    return Household.objects.filter(unit__in=units_under(unit)).filter(Exists(links)).count()


def listing(url_name, **query):
    def rows_url(unit, month):
        params = "&".join(f"{key}={value}" for key, value in {**query, "under": unit.pk}.items())
        return f"{reverse(url_name)}?{params}"

    return rows_url


def counted(code, name, unit, derive, rows_url, order, **extra):
    """A village-month stock counted from the shared model (the town's figure is its villages' roll-up)."""
    return IndicatorSpec(
        code=code, name=name, unit=unit, work_line="governance", kind=STOCK, source=DERIVED,
        reported_by=(VILLAGE,), derive=derive, rows_url=rows_url, order=order, **extra,
    )  # fmt: skip


def entered(code, name, unit, max_value, order):
    return IndicatorSpec(
        code=code, name=name, unit=unit, work_line="governance", kind=FLOW, source=ENTERED,
        max_value=Decimal(max_value), order=order,
    )  # fmt: skip


register(
    counted("org.grids", "网格", "个", count_grids, listing("branches:unit_list", kind="grid"), 5),
    counted("gov.covering_members", "“五个到户”党员", "人", count_covering_members,
            listing("branches:partymember_list"), 10),
    counted("gov.micro_grids", "党员服务微网格", "个", count_micro_grids, listing("branches:microgrid_list"), 20),
    counted("gov.households", "农户", "户", count_households, listing("branches:household_list"), 21),
    counted("gov.households_covered", "党员联系农户", "户", count_covered_households,
            listing("branches:household_list", covered="true"), 22, ceiling="gov.households"),
    IndicatorSpec(
        code="gov.household_coverage_rate",
        name="农户联系覆盖率",
        unit="%",
        work_line="governance",
        kind=RATIO,
        source=DERIVED,
        numerator="gov.households_covered",
        denominator="gov.households",
        decimals=1,
        order=23,
    ),
    entered("gov.leaflets", "疫情防控倡议书", "份", 1_000_000, 30),
    entered("gov.booster_doses", "新冠疫苗加强针", "剂次", 100_000, 40),
)  # fmt: skip
