"""`{% personal record "phone" %}`: a personal field of a related record on a page (a key person's keepers' phones),
masked as everywhere else (branches.masking) for a reader who may not change that record."""

from django import template

from ..masking import mask_fields, mask_value, personal_fields_of

register = template.Library()


@register.simple_tag(takes_context=True)
def personal(context, record, field):
    value = getattr(record, field)
    request = context.get("request")
    if request is None:
        kind = personal_fields_of(record).get(field)
        return mask_value(kind, value) if kind else value
    return mask_fields(request.user, record, {field: value})[field]
