"""List tables of 任务督办: the tasks (with each one's progress and cards) and the villages' items (with their card).
The rows are a page already cut by the view, so the progress and cards are read for that page only."""

import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from reports.plugins import work_line_choices

from . import selectors
from .models import Item, Task


def card_badge(card):
    """红牌 / 黄牌 for an item's card (nothing on time or reported), with the days over or left."""
    return render_to_string("dispatch/_card.html", {"card": card})


def work_line_label(code):
    return dict(work_line_choices()).get(code, code) if code else _("综合")


class TaskTable(tables.Table):
    # The rows are a list (a page cut by the view): the headers are named here, not read from the model.
    title = tables.Column(verbose_name=_("任务名称"), linkify=("dispatch:task_detail", [tables.A("pk")]))
    work_line = tables.Column(verbose_name=_("工作条线"), empty_values=())
    issued_on = tables.DateColumn(verbose_name=_("下达日期"), format="Y-m-d")
    deadline = tables.DateColumn(verbose_name=_("办结时限"), format="Y-m-d")
    progress = tables.Column(verbose_name=_("办理进度"), empty_values=())
    cards = tables.Column(verbose_name=_("牌"), empty_values=())

    class Meta:
        model = Task
        fields = ("title", "work_line", "issued_on", "deadline", "progress", "cards")
        orderable = False
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("暂无任务")

    def __init__(self, data, *, progress, **kwargs):
        super().__init__(data, **kwargs)
        self.progress = progress

    def render_title(self, record, value):
        cancelled = format_html(' <span class="badge text-bg-secondary">{}</span>', _("已撤销"))
        return format_html("{}{}", value, cancelled if record.is_cancelled else "")

    def render_work_line(self, value):
        return work_line_label(value)

    def render_progress(self, record):
        counts = self.progress.get(record.pk, {})
        total = sum(counts.get(status, 0) for status in Item.Status.values)
        return format_html(
            '<span data-testid="progress">{} {}/{}</span> <span class="text-muted small">{} {} · {} {}</span>',
            Item.Status.DONE.label, counts.get(Item.Status.DONE, 0), total,
            Item.Status.REPORTED.label, counts.get(Item.Status.REPORTED, 0),
            Item.Status.PENDING.label, counts.get(Item.Status.PENDING, 0),
        )  # fmt: skip

    def render_cards(self, record):
        counts = self.progress.get(record.pk, {})
        return render_to_string("dispatch/_card_counts.html", {"red": counts.get("red", 0),
                                                                "yellow": counts.get("yellow", 0)})  # fmt: skip


class ItemTable(tables.Table):
    task = tables.Column(verbose_name=_("任务"), linkify=("dispatch:item_detail", [tables.A("pk")]))
    unit = tables.Column(verbose_name=_("村（社区）"))
    status = tables.Column(verbose_name=_("办理状态"))
    deadline = tables.DateColumn(verbose_name=_("办结时限"), format="Y-m-d")
    card = tables.Column(verbose_name=_("牌"), empty_values=())

    class Meta:
        model = Item
        fields = ("task", "unit", "status", "deadline", "card")
        orderable = False
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("暂无任务")

    def render_unit(self, value):
        return value.name

    def render_status(self, record):
        return record.get_status_display()

    def render_card(self, record):
        return card_badge(selectors.item_card(record))
