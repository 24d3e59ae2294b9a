"""Query parameters a page reads by hand (`?year=`, `?month=`, `?date=`, an id): parsed and range-checked in one place.

A value out of range is no reason for a 500 nor for a silently different page: it is a `BadQuery` (Django's
BadRequest), which the portal answers with a 400 that says in Chinese what was wrong (jingzi/errors.py `bad_request`).
The filter sets (branches/filtersets.py) hold their parameters to the same bounds.
"""

import datetime

from django.core.exceptions import BadRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

# The years any page, filter or ledger speaks of: the party's founding is the earliest date a field takes (1921), a
# person's birth the earliest a filter needs (1900); nothing is planned past 2100.
YEAR_MIN = 1900
YEAR_MAX = 2100
DATE_MIN = datetime.date(YEAR_MIN, 1, 1)
DATE_MAX = datetime.date(YEAR_MAX, 12, 31)
ID_MAX = 2**31 - 1  # the largest id a column holds on every database the portal runs on


class BadQuery(BadRequest):
    """A query parameter that cannot be answered; its message is shown to the user."""


def query_text(request, name):
    return (request.GET.get(name) or "").strip()


def parse_year(text, *, low=YEAR_MIN, high=YEAR_MAX):
    if not text.isdigit() or not low <= int(text) <= high:
        raise BadQuery(_("年份“%(value)s”不正确，应为 %(low)s 至 %(high)s 之间的年份。") % {
            "value": text[:20], "low": low, "high": high})  # fmt: skip
    return int(text)


def parse_month(text):
    """`YYYY-MM` (or `YYYY-M`) as the month's first day."""
    year, _sep, month = text.partition("-")
    if not (year.isdigit() and month.isdigit() and YEAR_MIN <= int(year) <= YEAR_MAX and 1 <= int(month) <= 12):
        raise BadQuery(_("月份“%(value)s”不正确，应为 YYYY-MM，年份在 %(low)s 至 %(high)s 之间。") % {
            "value": text[:20], "low": YEAR_MIN, "high": YEAR_MAX})  # fmt: skip
    return datetime.date(int(year), int(month), 1)


def parse_date(text):
    try:
        value = datetime.date.fromisoformat(text)
    except ValueError:
        value = None
    if value is None or not DATE_MIN <= value <= DATE_MAX:
        raise BadQuery(_("日期“%(value)s”不正确，应为 YYYY-MM-DD，在 %(low)s 至 %(high)s 之间。") % {
            "value": text[:20], "low": DATE_MIN, "high": DATE_MAX})  # fmt: skip
    return value


def parse_id(text):
    if not text.isdigit() or not 1 <= int(text) <= ID_MAX:
        raise BadQuery(_("编号“%(value)s”不正确。") % {"value": text[:20]})
    return int(text)


def query_year(request, default, *, name="year", low=YEAR_MIN, high=YEAR_MAX):
    """`?year=`: the year asked for, `default` when none is; a year outside [low, high] is a BadQuery."""
    text = query_text(request, name)
    return parse_year(text, low=low, high=high) if text else default


def query_month(request, default, *, name="month", parse=None):
    """`?month=YYYY-MM`: the month asked for, `default` when none is. `parse` is a caller's stricter rule (the
    reports' months: from 2000, none in the future) raising a ValueError with a Chinese message: either way a month
    out of range is a BadQuery, a 400 that says why, never a page quietly showing another month."""
    text = query_text(request, name)
    if not text:
        return default
    if parse is None:
        return parse_month(text)
    try:
        return parse(text)
    except ValueError as error:
        raise BadQuery(str(error)) from error


def query_date(request, default, *, name="date"):
    text = query_text(request, name)
    return parse_date(text) if text else default


def query_id(request, default=None, *, name="id"):
    text = query_text(request, name)
    return parse_id(text) if text else default


def next_url(request, default):
    """Where to go back after a POST: the form's `next` when it is a page of this site, else `default` (a `next`
    pointing elsewhere, "//elsewhere" included, would make the portal an open redirect)."""
    wanted = request.POST.get("next") or ""
    safe = url_has_allowed_host_and_scheme(wanted, {request.get_host()}, require_https=request.is_secure())
    return wanted if wanted and safe else default
