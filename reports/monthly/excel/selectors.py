"""What a user may download as a monthly-report Excel template: the reporting units he may change, the choices
the upload page offers, the units one template holds. Reads only."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from branches.models import Unit
from branches.scoping import CHANGE

from ..selectors import reporting_units


def changeable_units(user):
    """Reporting units (villages, communities, towns) the user may change, in tree order."""
    return list(reporting_units().restrict(user, CHANGE))


def template_choices(user):
    """(unit, label) a user may ask a template for: each town holding a unit he may change, then those units."""
    units = changeable_units(user)
    if not units:
        return []
    towns = [
        town
        for town in Unit.objects.filter(kind=Unit.Kind.TOWN)
        if any(unit.is_under(town) for unit in units)
    ]
    choices = [(town, _("%(town)s（整镇，全部可填报单位）") % {"town": town.name}) for town in towns]
    choices += [(unit, unit.name) for unit in units if unit.kind != Unit.Kind.TOWN]
    return choices


def template_units(user, unit):
    """The reporting units under `unit` (itself included) the user may change; refuses when there are none."""
    units = list(reporting_units().under(unit).restrict(user, CHANGE))
    if not units:
        raise PermissionDenied(_("您无权填报“%(unit)s”。") % {"unit": unit.name})
    return units
