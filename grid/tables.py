"""The event list's table. Its rows are a page already cut by the view."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import GridEvent

STATUS_COLOURS = {"reported": "warning", "accepted": "primary", "escalated": "info", "closed": "success"}


def status_badge(event):
    return format_html('<span class="badge text-bg-{}">{}</span>', STATUS_COLOURS[event.status],
                       event.get_status_display())  # fmt: skip


class EventTable(tables.Table):
    reported_at = tables.DateTimeColumn(verbose_name=_("上报时间"), format="Y-m-d H:i",
                                       linkify=("grid:gridevent_detail", [tables.A("pk")]))  # fmt: skip
    kind = tables.Column(verbose_name=_("类型"))
    description = tables.Column(verbose_name=_("事件描述"))
    unit = tables.Column(verbose_name=_("网格"))
    status = tables.Column(verbose_name=_("状态"))
    limit = tables.Column(verbose_name=_("时限"), empty_values=())

    class Meta:
        model = GridEvent
        fields = ("reported_at", "kind", "description", "unit", "status", "limit")
        orderable = False
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("暂无网格事件")

    def render_description(self, value):
        return value[:40]

    def render_status(self, record):
        return status_badge(record)

    def render_limit(self, record):
        return selectors.time_state(record).badge() if record.is_open else "—"
