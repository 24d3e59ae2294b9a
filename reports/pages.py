"""What the pages of every reports feature share: the unit, month and period a request asks for."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from branches.models import Unit
from branches.params import query_month
from branches.scoping import VIEW, can_act_on_unit, has_no_unit, no_unit_message

from . import periods


def visible_unit(user, unit_id, units=None):
    """The unit if the user may see it (among `units`, by default every unit he may see); otherwise a 404, whichever
    way the id was guessed (or mistyped)."""
    if not str(unit_id).isdigit():
        raise Http404(_("没有这个单位。"))
    return get_object_or_404(Unit.objects.restrict(user, VIEW) if units is None else units, pk=unit_id)


def chosen_unit(user, unit_id, units=None):
    """The unit a page was asked about (`visible_unit`); without one, the user's own unit — a leader's or cadre's
    town, a secretary's village — if it is among those he may see, else the highest of them."""
    if unit_id:
        return visible_unit(user, unit_id, units)
    if has_no_unit(user):
        raise PermissionDenied(no_unit_message())
    own = user.unit
    if own is not None and can_act_on_unit(user, own, VIEW):
        if units is None or units.filter(pk=own.pk).exists():
            return own  # the usual case: no look-up of the tree
    unit = (Unit.objects.restrict(user, VIEW) if units is None else units).order_by("depth", "path").first()
    if unit is None:
        raise Http404(_("您没有可以查看的单位。"))
    return unit


def requested_month(request, default=None):
    """`?month=YYYY-MM` (the last complete month when none): a month out of range or in the future is a 400 in
    Chinese (branches.params.BadQuery), never a page quietly showing another month."""
    return query_month(request, default or periods.last_complete_month(), parse=periods.parse_month)


def month_choices(count=24):
    current = periods.current_month()
    return [periods.add_months(current, -offset) for offset in range(count)]


def period_choices(selected):
    """The periods offered in the picker: this and last year's year-to-date, years, quarters and months."""
    year = periods.current_month().year
    keys = [f"{year}-YTD", str(year), f"{year - 1}", f"{year - 1}-YTD"]
    keys += [f"{y}-Q{q}" for y in (year, year - 1) for q in (4, 3, 2, 1)]
    keys += [periods.month_key(month) for month in month_choices(18)]
    if selected.key not in keys:
        keys.insert(0, selected.key)
    return [(key, periods.parse_period(key).label) for key in keys]
