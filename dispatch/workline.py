"""任务督办, declared once (reports/worklines.py) as a plug-in without monthly reports of its own: found at
start-up; nothing else registers it, and no other app imports it."""

from django.utils.translation import gettext_lazy as _

from reports.plugins import WorkLine, register_work_line

from . import hooks

LINE = register_work_line(
    WorkLine(
        code="dispatch",
        label=_("任务督办"),
        order=70,
        reports=False,
        urls="dispatch.urls",
        api_urls="dispatch.api.urls",
        notification_events=hooks.NOTIFICATION_EVENTS,
    )
)
