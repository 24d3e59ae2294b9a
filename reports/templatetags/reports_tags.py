from django import template

from reports.checks import display

register = template.Library()


@register.filter
def get(mapping, key):
    """mapping[key] in a template (None when absent)."""
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def figure(value):
    """A figure as a person writes it (no trailing zeros); an empty cell for no value."""
    return "" if value is None else display(value)


@register.filter
def dash(value):
    return "—" if value is None else display(value)


@register.filter
def sub(value, other):
    """value − other (for gaps such as "still short of the line by …")."""
    return value - other
