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


register(
    IndicatorSpec(
        code="org.grids",
        name="网格",
        unit="个",
        work_line="governance",
        kind=STOCK,
        source=DERIVED,
        reported_by=(VILLAGE,),
        derive=count_grids,
        rows_url=listing("branches:unit_list", kind="grid"),
        order=5,
    ),
    IndicatorSpec(
        code="gov.covering_members",
        name="“五个到户”党员",
        unit="人",
        work_line="governance",
        kind=STOCK,
        source=DERIVED,
        reported_by=(VILLAGE,),
        derive=count_covering_members,
        rows_url=listing("branches:partymember_list"),
        order=10,
    ),
    IndicatorSpec(
        code="gov.micro_grids",
        name="党员服务微网格",
        unit="个",
        work_line="governance",
        kind=STOCK,
        source=DERIVED,
        reported_by=(VILLAGE,),
        derive=count_micro_grids,
        rows_url=listing("branches:microgrid_list"),
        order=20,
    ),
    IndicatorSpec(
        code="gov.households",
        name="农户",
        unit="户",
        work_line="governance",
        kind=STOCK,
        source=DERIVED,
        reported_by=(VILLAGE,),
        derive=count_households,
        rows_url=listing("branches:household_list"),
        order=21,
    ),
    IndicatorSpec(
        code="gov.households_covered",
        name="党员联系农户",
        unit="户",
        work_line="governance",
        kind=STOCK,
        source=DERIVED,
        ceiling="gov.households",
        reported_by=(VILLAGE,),
        derive=count_covered_households,
        rows_url=listing("branches:household_list", covered="true"),
        order=22,
    ),
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
    IndicatorSpec(
        code="gov.leaflets",
        name="疫情防控倡议书",
        unit="份",
        work_line="governance",
        kind=FLOW,
        source=ENTERED,
        max_value=Decimal(1_000_000),
        order=30,
    ),
    IndicatorSpec(
        code="gov.booster_doses",
        name="新冠疫苗加强针",
        unit="剂次",
        work_line="governance",
        kind=FLOW,
        source=ENTERED,
        max_value=Decimal(100_000),
        order=40,
    ),
)
