"""The 支部建设 panel on a village's (or the town's) page: its branch's statutory meetings missed (三会一课), with the
way to record one."""

from django.utils import timezone

from branches.models import PartyOrganisation
from branches.scoping import VIEW

from . import selectors


def party_panel(request, unit):
    today = timezone.localdate()
    if not unit.is_village:
        behind = selectors.missed_count(request.user, unit, today)
        return ("partylife/_panel.html", {"unit": unit, "behind": behind}) if behind else None
    organisations = PartyOrganisation.objects.restrict(request.user, VIEW).filter(unit=unit).order_by("name")
    missed = selectors.missed_meetings(organisations, today)
    rows = [(organisation, missed.get(organisation.pk, [])) for organisation in organisations]
    if not rows:
        return None
    return "partylife/_panel.html", {"unit": unit, "rows": rows}
