"""What a value may be, declared once on the model field so that forms, serializers and services all obey it
(DESIGN §7): dates within a sane range per field, phones that are phones, text with a limit nobody reaches. Every
app declares its fields with these helpers:

    born_on = models.DateField(_("出生日期"), null=True, blank=True, validators=happened_since(1900))
    phone = models.CharField(_("电话"), max_length=20, blank=True, validators=[phone_number])

Lengths a person would not reach are the fields' `max_length`s: NAME_LENGTH, PLACE_LENGTH, NOTE_LENGTH.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from .params import DATE_MAX

NAME_LENGTH = 50  # a person's or a thing's name
PLACE_LENGTH = 200  # an address, a place, a title
NOTE_LENGTH = 10_000  # a note, a narrative, a resolution


def _as_date(value):
    return value.date() if isinstance(value, datetime.datetime) else value


@deconstructible
class EarliestDate:
    """No date before `earliest` (a birth before 1900, a ledger event before 2000 is a typing error)."""

    def __init__(self, earliest):
        self.earliest = earliest

    def __call__(self, value):
        if value is not None and _as_date(value) < self.earliest:
            raise ValidationError(
                _("日期不能早于 %(earliest)s。"), code="too_early", params={"earliest": self.earliest.isoformat()}
            )

    def __eq__(self, other):
        return isinstance(other, EarliestDate) and other.earliest == self.earliest


@deconstructible
class LatestDate:
    """No date after `latest` (a deadline in 2200 is a typing error too)."""

    def __init__(self, latest=DATE_MAX):
        self.latest = latest

    def __call__(self, value):
        if value is not None and _as_date(value) > self.latest:
            raise ValidationError(
                _("日期不能晚于 %(latest)s。"), code="too_late", params={"latest": self.latest.isoformat()}
            )

    def __eq__(self, other):
        return isinstance(other, LatestDate) and other.latest == self.latest


@deconstructible
class NotInFuture:
    """A date that says something happened: not after today (branches/services.py `check_not_future` says the same
    for the services' own cross-field checks)."""

    def __call__(self, value):
        if value is not None and _as_date(value) > timezone.localdate():
            raise ValidationError(_("日期不能晚于今天。"), code="future")

    def __eq__(self, other):
        return isinstance(other, NotInFuture)


def happened_since(year):
    """A date on which something happened: from 1 January `year` up to today."""
    return [EarliestDate(datetime.date(year, 1, 1)), NotInFuture()]


def dated_since(year):
    """A date that may lie ahead (a deadline, a planned day): from 1 January `year` up to the end of 2100."""
    return [EarliestDate(datetime.date(year, 1, 1)), LatestDate()]


MOBILE = re.compile(r"1[3-9]\d{9}")
LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}(-\d{1,6})?")


@deconstructible
class PhoneNumber:
    """A mainland mobile (13812345678, +86 allowed) or landline number (0738-1234567, an extension after a dash)."""

    def __call__(self, value):
        if not value:
            return
        number = re.sub(r"[\s()]", "", str(value))
        if number.startswith("+86"):
            number = number[3:]
        if not (MOBILE.fullmatch(number) or LANDLINE.fullmatch(number)):
            raise ValidationError(
                _("“%(value)s”不是有效的电话号码：应为 11 位手机号或带区号的固定电话（如 0738-1234567）。"),
                code="phone",
                params={"value": str(value)[:30]},
            )

    def __eq__(self, other):
        return isinstance(other, PhoneNumber)


phone_number = PhoneNumber()

PHONE_SEPARATORS = re.compile(r"[、；;,，/\s]+")


@deconstructible
class PhoneNumbers:
    """Several phones in one field (a dispute's parties), separated as people write them (、；;,，/ or spaces): each
    must be a phone (`phone_number`); the message names the one that is not."""

    def __call__(self, value):
        if not value:
            return
        for number in PHONE_SEPARATORS.split(str(value).strip()):
            if number:
                phone_number(number)

    def __eq__(self, other):
        return isinstance(other, PhoneNumbers)


phone_numbers = PhoneNumbers()


def text_limit(length=NOTE_LENGTH):
    """A TextField's limit, enforced by forms (through `full_clean`), serializers (DRF turns the validator into the
    field's `max_length`) and services alike: `models.TextField(_("备注"), blank=True, **text_limit())`. A validator,
    not the field's `max_length`: a TextField's column has no length, and on SQLite a changed `max_length` rebuilds
    the whole table in its migration, where a changed validator costs nothing."""
    return {"validators": [MaxLengthValidator(length)]}
