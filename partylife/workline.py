"""支部建设, declared once (reports/worklines.py): found at start-up; nothing else registers this line.

Its indicators and pages are listed in indicators.py, its hooks in hooks.py, one tuple each."""

from django.utils.translation import gettext_lazy as _

from reports.plugins import WorkLine, register_work_line

from . import hooks, indicators, scale

LINE = register_work_line(
    WorkLine(
        code="party",
        label=_("支部建设"),
        order=50,
        indicators=indicators.INDICATORS,
        headline=("party.attendance_rate", "party.dues_rate", "party.average_points", "party.members"),
        pages=indicators.PAGES,
        brief=hooks.BRIEF,
        panel=hooks.PANEL,
        panel_order=60,
        demo="demo.partylife",
        urls="partylife.urls",
        api_urls="partylife.api.urls",
        apps=("partylife",),
        alerts=hooks.ALERTS,
        score_parts=hooks.SCORE_PARTS,
        point_sources=hooks.POINT_SOURCES,
        today_items=hooks.TODAY_ITEMS,
        seed=scale.seed,
    )
)
