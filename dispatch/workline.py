"""任务督办, declared once (reports/worklines.py) as a plug-in without monthly reports of its own: found at
start-up; nothing else registers it, and no other app imports it."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reports.plugins import WorkLine, register_work_line

from . import hooks, notices, panels, selectors


def issue_page(user):
    """下达任务 is linked for those who may issue only."""
    return reverse("dispatch:task_new") if selectors.can_issue(user) else None


PAGES = (
    (_("我的任务"), "dispatch:task_list"),
    (_("下达任务"), issue_page),
)

LINE = register_work_line(
    WorkLine(
        code="dispatch",
        label=_("任务督办"),
        order=70,
        reports=False,
        pages=PAGES,
        panel=panels.dispatch_panel,
        panel_order=15,
        urls="dispatch.urls",
        api_urls="dispatch.api.urls",
        notification_events=hooks.NOTIFICATION_EVENTS,
        alerts=hooks.ALERTS,
        timed_cases=hooks.TIMED_CASES,
        score_parts=hooks.SCORE_PARTS,
        today_items=hooks.TODAY_ITEMS,
        point_sources=hooks.POINT_SOURCES,
        schedules=hooks.SCHEDULES,
        documents=(notices.NOTICE,),
        demo="demo.dispatch",
    )
)
