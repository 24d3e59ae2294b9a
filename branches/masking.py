"""Masking of personal data (names of parties, phone and ID numbers, health and case narratives) for users who may see
a record but have no need for the people in it: only those who may change the record's unit (its village's secretary,
the cadre assigned to it, an admin) see them whole — on pages, in exports, in history and in the API alike.

A model declares its personal data once, as `personal_fields = {field name: kind}` with kind "name", "number" (a
phone: 138****1234, an ID number) or "text" (a narrative naming people: hidden whole). Everything that shows a record
asks this module, never the model's fields directly. Anyone else who may see the record (a leader answering for a
case, a town cadre) may see it whole for one page by a deliberate, logged act (branches.services.personal_data_reveal).
"""

from django.utils.translation import gettext as _

from .scoping import CHANGE, can_act_on_unit


def needs_personal_data(user, unit):
    return can_act_on_unit(user, unit, CHANGE)


SEPARATORS = ("、", "；", ";", ",", "，", " ")


def _each(value, mask):
    """Several values in one field (names, phones) are masked one by one."""
    for separator in SEPARATORS:
        if separator in value:
            return separator.join(_each(part.strip(), mask) for part in value.split(separator))
    return mask(value)


def mask_name(name):
    """张三丰 → 张**; 欧阳修 → 欧**; several names separated by 、 or ； are masked one by one."""
    if not name or name == "—":
        return name
    return _each(name, lambda one: one[:1] + "*" * max(len(one) - 1, 1) if one else one)


def mask_number(number, keep_start=3, keep_end=4):
    """13812345678 → 138****5678; 430123199001011234 → 430***********1234; several numbers one by one."""
    if not number or number == "—":
        return number

    def mask(digits):
        if len(digits) <= keep_start + keep_end:
            return "*" * len(digits)
        return digits[:keep_start] + "*" * (len(digits) - keep_start - keep_end) + digits[-keep_end:]

    return _each(str(number), mask)


def mask_text(text):
    """A narrative naming people (a case's course, a key person's health) is hidden whole."""
    if not text or text == "—":
        return text
    return _("（已隐藏）")


MASKS = {"name": mask_name, "number": mask_number, "text": mask_text}


def mask_value(kind, value):
    """`value` masked as a personal field of `kind` ("name", "number" or "text")."""
    return MASKS[kind](value)


def personal_fields_of(model_or_record):
    """{field name: kind} of the personal data a model declares (empty if it holds none)."""
    return getattr(model_or_record, "personal_fields", None) or {}


def masked(user, unit, value, kind="name"):
    """The value as this user may see it."""
    if needs_personal_data(user, unit):
        return value
    return mask_value(kind, value)


def hidden_fields(user, record, revealed=False):
    """The personal fields of `record` this user must not see whole ({} once he has revealed them for this page)."""
    personal = personal_fields_of(record)
    if not personal or revealed or needs_personal_data(user, record.unit):
        return {}
    return personal


def mask_fields(user, record, values, revealed=False):
    """values: {field: value} of `record`; the personal ones (record.personal_fields) masked if the user has no need."""
    hidden = hidden_fields(user, record, revealed)
    if not hidden:
        return values
    return {name: mask_value(hidden[name], value) if name in hidden else value for name, value in values.items()}
