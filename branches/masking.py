"""Masking of personal data (names of parties, phone and ID numbers) for users who may see a record but have no need
for the people in it: only those who may change the record's unit (its village's secretary, the cadre assigned to
it, an admin) see them whole — on pages, in exports and in the API alike."""

from .scoping import CHANGE, can_act_on_unit


def needs_personal_data(user, unit):
    return can_act_on_unit(user, unit, CHANGE)


def mask_name(name):
    """张三丰 → 张**; 欧阳修 → 欧**; several names separated by 、 or ； are masked one by one."""
    if not name or name == "—":
        return name
    for separator in ("、", "；", ";", ",", "，"):
        if separator in name:
            return separator.join(mask_name(part.strip()) for part in name.split(separator))
    return name[0] + "*" * max(len(name) - 1, 1)


def mask_number(number, keep_start=3, keep_end=4):
    """13812345678 → 138****5678; 430123199001011234 → 430***********1234."""
    if not number or number == "—":
        return number
    digits = str(number)
    if len(digits) <= keep_start + keep_end:
        return "*" * len(digits)
    return digits[:keep_start] + "*" * (len(digits) - keep_start - keep_end) + digits[-keep_end:]


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
