"""Indicators of 支部+环境整治 (DESIGN §5, environment rows). The derived ones arrive with the cleanup ledgers."""

from decimal import Decimal

from reports.registry import ENTERED, FLOW, IndicatorSpec, register

register(
    IndicatorSpec(
        code="env.participants",
        name="发动干部群众志愿者",
        unit="人次",
        work_line="environment",
        kind=FLOW,
        source=ENTERED,
        max_value=Decimal(100_000),
        help_text="当月参加人居环境整治的干部、群众和志愿者人次。",
        order=10,
    ),
    IndicatorSpec(
        code="env.leaflets",
        name="发放人居环境倡议书",
        unit="份",
        work_line="environment",
        kind=FLOW,
        source=ENTERED,
        max_value=Decimal(1_000_000),
        order=20,
    ),
)
