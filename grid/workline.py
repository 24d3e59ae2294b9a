"""网格事件, declared once (reports/worklines.py) as a plug-in without monthly reports of its own: its events become
the work lines' ledger rows through their event sinks, so their figures count there. Nothing imports this app."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reports.plugins import WorkLine, register_work_line

from . import hooks, links, panels, selectors

links.register()


def report_page(user):
    return reverse("grid:gridevent_add") if selectors.may_report(user) else None


PAGES = (
    (_("网格事件"), "grid:gridevent_list"),
    (_("事件上报"), report_page),
)

LINE = register_work_line(
    WorkLine(
        code="grid",
        label=_("网格事件"),
        order=80,
        reports=False,
        pages=PAGES,
        panel=panels.grid_panel,
        panel_order=18,
        urls="grid.urls",
        api_urls="grid.api.urls",
        notification_events=hooks.NOTIFICATION_EVENTS,
        alerts=hooks.ALERTS,
        timed_cases=hooks.TIMED_CASES,
        today_items=hooks.TODAY_ITEMS,
        demo="demo.grid",
    )
)
