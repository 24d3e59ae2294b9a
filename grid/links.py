"""The link back from a ledger row to the grid event it came from (branches.links), shown on the row's page."""

from django.utils.translation import gettext as _

from branches.links import register_link_source
from branches.scoping import VIEW
from reports.plugins import hooks, work_line

from . import selectors
from .models import GridEvent


def accepting_apps():
    """The apps whose rows an event may become: those of the lines that declare an event sink."""
    return {label for sink in hooks("event_sinks") for label in work_line(sink.work_line).app_labels}


def event_links(user, record):
    if getattr(record, "pk", None) is None or record._meta.app_label not in accepting_apps():
        return []
    events = selectors.events_linked_to(record) & GridEvent.objects.restrict(user, VIEW)
    return [(_("来自网格事件"), str(event), event.get_absolute_url()) for event in events.order_by("pk")]


def register():
    register_link_source(event_links)
