"""The 任务督办 panel on a unit's page. A secretary's home page is his village's page: there it lists the village's
open items (待签收/已签收/已退回) with their cards and the count done this month; on a town's (or an area's) page it
gives the red and yellow cards of the villages under it. A fixed number of queries whatever the number of items."""

from django.db.models import Count, Q
from django.utils import timezone

from . import selectors
from .models import Item

PANEL_ITEMS = 10  # the open items listed; the rest are one click away on 我的任务


def dispatch_panel(request, unit):
    today = timezone.localdate()
    items = selectors.item_list(request.user).filter(task__is_cancelled=False)
    if unit.is_village:
        return _village_panel(items.filter(unit=unit), unit, today)
    counts = items.filter(unit__path__startswith=unit.path).aggregate(
        red=Count("id", filter=selectors.red_q(today)), yellow=Count("id", filter=selectors.yellow_q(today))
    )
    if not (counts["red"] or counts["yellow"]):
        return None
    return "dispatch/_panel.html", {"unit": unit, "red": counts["red"], "yellow": counts["yellow"]}


def _village_panel(items, unit, today):
    """One query: the open items and those done this month (a month's tasks of one village are a handful)."""
    month_start = today.replace(day=1)
    found = list(items.filter(Q(status__in=Item.OPEN) | Q(status=Item.Status.DONE, done_on__gte=month_start))
                 .order_by("deadline", "pk"))  # fmt: skip
    open_items = [item for item in found if item.is_open]
    done = len(found) - len(open_items)
    if not found:
        return None
    rows = [(item, selectors.item_card(item, today)) for item in open_items[:PANEL_ITEMS]]
    return "dispatch/_panel.html", {"unit": unit, "village": True, "rows": rows, "more": len(open_items) > PANEL_ITEMS,
                                    "done": done}  # fmt: skip
