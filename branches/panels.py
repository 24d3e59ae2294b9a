"""Panels other apps add to the home and unit pages, without `branches` importing them.

An app registers `panel(request, unit) -> (template_name, context) | None` in its AppConfig.ready(); pages render
the panels in `order` (lower first), so a reporting app can put "returned reports" at the very top of a
secretary's page. Panels of order `LEADING` or lower (what needs the user today) lead even the page's own cards: a
village page puts its 名录 (links to its reference lists) right after them, within a phone's second screen, whatever
the height of the panels that follow.
"""

from collections.abc import Callable
from dataclasses import dataclass

LEADING = 0


@dataclass(frozen=True)
class Panel:
    order: int
    render: Callable


_panels = []


def register_panel(render, order=100):
    _panels.append(Panel(order, render))
    _panels.sort(key=lambda panel: panel.order)


def _shown(request, unit):
    """(panel, (template_name, context)) of every registered panel that has something to show for `unit`."""
    for panel in _panels:
        result = panel.render(request, unit)
        if result is not None:
            yield panel, result


def panels_for(request, unit):
    """[(template_name, context)] of every registered panel that has something to show for `unit`."""
    return [result for _panel, result in _shown(request, unit)]


def leading_and_other_panels(request, unit):
    """{"leading_panels": …, "panels": …}: the panels to show for `unit`, split at `LEADING`."""
    leading, others = [], []
    for panel, result in _shown(request, unit):
        (leading if panel.order <= LEADING else others).append(result)
    return {"leading_panels": leading, "panels": others}
