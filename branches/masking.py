"""Masking of personal data (names of parties, phone and ID numbers) for users who may see a record but have no need
for the people in it: only those who may change the record's unit (its village's secretary, the cadre assigned to
it, an admin) see them whole — on pages, in exports and in the API alike."""

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


def masked(user, unit, value, kind="name"):
    """The value as this user may see it."""
    if needs_personal_data(user, unit):
        return value
    return mask_name(value) if kind == "name" else mask_number(value)


def mask_fields(user, record, values):
    """values: {field: value} of `record`; the personal ones (record.personal_fields) masked if the user has no need."""
    personal = getattr(record, "personal_fields", {})
    if not personal or needs_personal_data(user, record.unit):
        return values
    return {
        name: (mask_name(value) if personal[name] == "name" else mask_number(value)) if name in personal else value
        for name, value in values.items()
    }


def hidden_fields(user, record):
    """The personal fields of `record` this user must not see whole."""
    personal = getattr(record, "personal_fields", {})
    if not personal or needs_personal_data(user, record.unit):
        return {}
    return personal
