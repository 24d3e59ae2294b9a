"""支部+环境整治, declared once (reports/lines.py): found at start-up; nothing else registers this line."""

from django.utils.translation import gettext_lazy as _

from reports.plugins import WorkLine, register_work_line

from . import alerts, brief, indicators, panels, scale

LINE = register_work_line(
    WorkLine(
        code="environment",
        label=_("支部+环境整治"),
        order=20,
        indicators=indicators.INDICATORS,
        pages=indicators.PAGES,
        brief=brief.BRIEF,
        panel=panels.environment_panel,
        panel_order=30,
        seed=scale.seed,
        demo="demo.environment",
        urls="environment.urls",
        api_urls="environment.api.urls",
        alerts=alerts.ALERTS,
        timed_cases=brief.TIMED_CASES,
    )
)
