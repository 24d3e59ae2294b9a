"""The link back from a ledger row to the grid event it came from (branches.links), shown on the row's page."""

from django.utils.translation import gettext as _

from branches.links import register_link_source
from branches.scoping import VIEW

from . import selectors
from .models import GridEvent


def event_links(user, record):
    if isinstance(record, GridEvent) or getattr(record, "pk", None) is None:
        return []
    events = selectors.events_linked_to(record) & GridEvent.objects.restrict(user, VIEW)
    return [(_("来自网格事件"), str(event), event.get_absolute_url()) for event in events.order_by("pk")]


def register():
    register_link_source(event_links)
