"""Panels other apps add to the home and unit pages, without `branches` importing them.

An app registers `panel(request, unit) -> (template_name, context) | None` in its AppConfig.ready(); pages render
the panels in `order` (lower first), so a reporting app can put "returned reports" at the very top of a
secretary's page.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    order: int
    render: Callable


_panels = []


def register_panel(render, order=100):
    _panels.append(Panel(order, render))
    _panels.sort(key=lambda panel: panel.order)


def panels_for(request, unit):
    """[(template_name, context)] of every registered panel that has something to show for `unit`."""
    shown = []
    for panel in _panels:
        result = panel.render(request, unit)
        if result is not None:
            shown.append(result)
    return shown
