"""One rule for "an assignment in force" (`Assignment.objects.active()`), on the portal's date (Asia/Shanghai), for
scoping and pages alike — whatever the time zone of the server's clock."""

import datetime
import os
import time
from contextlib import contextmanager
from unittest import mock

from branches.models import Assignment, Cadre, Household, User
from branches.scoping import CHANGE, REVIEW, can_act_on_unit
from branches.selectors import responsibility_chain
from reports import periods
from reports.models import MonthlyReport
from reports.monthly import services as report_services
from tests.conftest import make_user

UTC = datetime.UTC
BEIJING_DAY = datetime.date(2026, 3, 15)
# 00:30 in Beijing on BEIJING_DAY: still the day before on a clock that keeps UTC.
HALF_PAST_MIDNIGHT = datetime.datetime(2026, 3, 14, 16, 30, tzinfo=UTC)
HALF_AN_HOUR_BEFORE = datetime.datetime(2026, 3, 14, 15, 30, tzinfo=UTC)


@contextmanager
def utc_server_at(moment):
    """The clocks of a server that keeps UTC, stopped at `moment`: Django's `timezone.now()` and the process clock
    that `date.today()` reads. Django points the process at TIME_ZONE, but the C library falls back to UTC where the
    system has no tzdata (a slim container) while Python's zoneinfo still knows Asia/Shanghai — that server is this
    one."""
    previous = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    try:
        with (
            mock.patch("django.utils.timezone.now", return_value=moment),
            mock.patch("time.time", return_value=moment.timestamp()),
        ):
            assert datetime.date.today() == moment.date()  # the server's day, not Beijing's
            yield
    finally:
        if previous is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = previous
        time.tzset()


def fresh(user):
    """The user as a new request has him: scope roots are cached on the instance."""
    return User.objects.get(pk=user.pk)


def village_cadre(town, **dates):
    """A cadre of the town with one 包村 of 杨球村 (dated as asked), and his login."""
    user = make_user("wang", User.Role.CADRE, town.unit)
    cadre = Cadre.objects.create(unit=town.unit, name="王包村", user=user)
    Assignment.objects.create(kind=Assignment.Kind.VILLAGE, unit=town.yangqiu.unit, cadre=cadre, **dates)
    return user


def test_active_keeps_the_open_ended_and_the_dated_rules(town, users):
    cadre = Cadre.objects.get(user=users.cadre)
    day = datetime.date(2026, 5, 10)
    rows = {
        "open": dict(),
        "starts_that_day": dict(start_date=day),
        "ends_that_day": dict(end_date=day),
        "starts_the_next_day": dict(start_date=day + datetime.timedelta(days=1)),
        "ended_the_day_before": dict(end_date=day - datetime.timedelta(days=1)),
    }
    for title, dates in rows.items():
        Assignment.objects.create(kind=Assignment.Kind.GROUP, unit=town.yangqiu.group, cadre=cadre, role_title=title,
                                  **dates)  # fmt: skip
    active = set(Assignment.objects.active(day).filter(kind=Assignment.Kind.GROUP).values_list("role_title", flat=True))
    assert active == {"open", "starts_that_day", "ends_that_day"}


def test_a_village_assignment_starting_today_is_in_force_at_half_past_midnight_in_beijing(town, users, client):
    wang = village_cadre(town, start_date=BEIJING_DAY)
    yangqiu = town.yangqiu
    with utc_server_at(HALF_AN_HOUR_BEFORE):
        assert not can_act_on_unit(fresh(wang), yangqiu.unit, CHANGE)
        assert "王包村" not in str(responsibility_chain(unit=yangqiu.unit))
    with utc_server_at(HALF_PAST_MIDNIGHT):
        month = periods.last_complete_month()
        report = report_services.report_open(unit=yangqiu.unit, work_line="industry", month=month)
        MonthlyReport.objects.filter(pk=report.pk).update(status=MonthlyReport.Status.SUBMITTED)

        # Scoping: he may change the village's rows and review its reports from Beijing's midnight on.
        assert can_act_on_unit(fresh(wang), yangqiu.unit, CHANGE)
        assert can_act_on_unit(fresh(wang), yangqiu.grid, REVIEW)
        assert set(Household.objects.restrict(fresh(wang), CHANGE)) == set(yangqiu.households)
        client.force_login(wang)
        household = yangqiu.households[0]
        assert client.get(f"/households/{household.pk}/edit/").status_code == 200
        response = client.post(f"/households/{household.pk}/edit/",
                               {"head_name": "杨球村新户主", "unit": yangqiu.grid.pk, "population": 3})  # fmt: skip
        assert response.status_code == 302, response.content.decode()
        assert Household.objects.get(pk=household.pk).head_name == "杨球村新户主"
        assert "杨球村" in client.get("/reports/review/").content.decode()

        # The pages: the chain of responsibility names him for the village, and its households.
        levels = {level.kind: [str(p) for p in level.people] for level in responsibility_chain(unit=yangqiu.unit)}
        assert levels[Assignment.Kind.VILLAGE] == ["王包村"]
        client.force_login(users.leader)
        assert "王包村" in client.get(f"/households/{household.pk}/").content.decode()


def test_a_village_assignment_that_ended_yesterday_is_over_at_half_past_midnight_in_beijing(town, users):
    """The server's UTC day is still the last day of the assignment; Beijing's is the day after."""
    wang = village_cadre(town, end_date=BEIJING_DAY - datetime.timedelta(days=1))
    with utc_server_at(HALF_PAST_MIDNIGHT):
        assert not can_act_on_unit(fresh(wang), town.yangqiu.unit, CHANGE)
        assert not Household.objects.restrict(fresh(wang), CHANGE).exists()
        assert "王包村" not in str(responsibility_chain(unit=town.yangqiu.unit))
