from decimal import Decimal

from django import template
from django.utils.translation import get_language

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
def rate(value, spec):
    """A card's figure: a ratio (stored to four places) to the places the indicator declares, at least one — 98.4 %
    rather than 98.4144 %; any other figure as `dash` shows it."""
    if value is None or not spec.is_ratio:
        return dash(value)
    places = Decimal(1).scaleb(-max(spec.decimals, 1))
    return display(Decimal(value).quantize(places))


@register.filter
def sub(value, other):
    """value − other (for gaps such as "still short of the line by …")."""
    return value - other


@register.filter
def money_line(value):
    """A money threshold as the page's language says it: “5 万元” in Chinese, “50,000 yuan” in English (the 消薄
    line and its double are declared once, on their indicator; pages say them through this)."""
    if (get_language() or "zh-hans").startswith("zh"):
        return f"{display(Decimal(value) / 10_000)} 万元"
    return f"{Decimal(value):,.0f} yuan"
