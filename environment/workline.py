"""支部+环境整治, declared once (reports/lines.py): found at start-up; nothing else registers this line."""

from django.utils.translation import gettext_lazy as _

from reports.plugins import EventSink, WorkLine, register_work_line

from . import alerts, brief, forms, indicators, panels, scale, services

LINE = register_work_line(
    WorkLine(
        code="environment",
        label=_("支部+环境整治"),
        order=20,
        indicators=indicators.INDICATORS,
        headline=("env.garbage_tons", "env.hollow_houses", "env.toilets", "env.participants"),
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
        # An environment problem a grid worker reports becomes, once accepted, a problem the village must clean,
        # through the ledger's own service; a cleanup record closes it.
        event_sinks=(EventSink("environment", _("环境问题"), services.problem_receive,
                               form=forms.EnvironmentProblemAcceptForm),),  # fmt: skip
    )
)
