"""Indicators of 支部+产业发展 (DESIGN §5, industry rows). The derived ones arrive with the industry ledgers."""

from decimal import Decimal

from reports.registry import ENTERED, FLOW, STOCK, TOWN, IndicatorSpec, register

register(
    IndicatorSpec(
        code="ind.enterprise_tax",
        name="规上企业财税",
        unit="万元",
        work_line="industry",
        kind=FLOW,
        source=ENTERED,
        decimals=2,
        max_value=Decimal(100_000),
        reported_by=(TOWN,),
        help_text="镇域规模以上企业当月实现的财税收入。",
        order=30,
    ),
    IndicatorSpec(
        code="ind.enterprise_jobs",
        name="带动就业岗位",
        unit="个",
        work_line="industry",
        kind=STOCK,
        source=ENTERED,
        max_value=Decimal(100_000),
        reported_by=(TOWN,),
        help_text="月末企业带动的就业岗位数。",
        order=40,
    ),
)
