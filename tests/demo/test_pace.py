"""The pace rule has one implementation (reports/targets.py): on the demo, for every village and every month M of the
demo's year, the dashboard (the clock just after M's deadline), the 通报 of M and the 消薄 board give the same colour
for collective income (issue 18).

The demo files every month on time and approved, so every village is green all year; a few months are taken back to
"submitted" first (not approved: they count nothing yet), so that reds and yellows are walked too — and so that a
page still counting submitted figures, as the 通报 once did, would disagree.

The demo is loaded once for the package (tests/demo/conftest.py); each test runs in a savepoint inside it.
"""

from collections import Counter
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from branches.models import Unit, User
from demo import reports as demo
from industry.selectors import xiaobo_board
from reports import periods
from reports.bulletin.services import bulletin_build
from reports.dashboard import selectors as dashboard
from reports.models import MonthlyReport
from reports.rollup import build as rollup

pytestmark = pytest.mark.django_db  # tests/demo/ holds database tests only (see its conftest)

CODE = "ind.collective_income"
COLOURS = {"green": 0, "yellow": 1, "red": 2}


def freeze(monkeypatch, day):
    """Every `timezone.now()` and `localdate()` (Beijing time) is `day`, 09:00."""
    moment = timezone.make_aware(datetime.combine(day, time(9)))
    monkeypatch.setattr(timezone, "now", lambda: moment)


def unapprove(village, months):
    """The village's industry reports of `months` back to submitted: approved no longer, so not in the roll-ups."""
    MonthlyReport.objects.filter(unit=village, work_line="industry", month__in=months).update(
        status=MonthlyReport.Status.SUBMITTED
    )


def on_dashboard(user, village, period):
    """The colour of the village's collective-income card on its dashboard."""
    sections = dashboard.dashboard(user, village, period)["sections"]
    return next(kpi.status for section in sections for kpi in section.kpis if kpi.spec.code == CODE)


def in_bulletin(row):
    """The colour the 通报 gives the village's collective income: the level of its reason, green without one."""
    assert "targets" in row.parts, row.unit
    return next((reason["level"] for reason in row.reasons if reason.get("code") == CODE), "green")


def test_the_dashboard_the_bulletin_and_the_board_give_one_colour_for_every_village_and_month(printout, monkeypatch):
    town = Unit.objects.get(code=demo.TOWN_CODE)
    leader = User.objects.get(username="leader")
    villages = list(Unit.objects.under(town).villages().order_by("path"))
    last = periods.last_complete_month()
    months = [last.replace(month=number) for number in range(1, last.month + 1)]
    unapprove(villages[0], months[:6])  # nothing approved for half the year: red, then catching up
    unapprove(villages[1], months[2:3])  # March not approved: behind the pace for a while
    unapprove(villages[2], months[-1:])  # the last month not approved
    rollup.rebuild_all()
    period = periods.Period(periods.YTD, last.year)
    seen = Counter()
    for month in months:
        day = periods.deadline_for(month) + timedelta(days=1)
        freeze(monkeypatch, day)
        rows = bulletin_build(town=town, month=month, today=day).rows.select_related("unit")
        bulletin = {row.unit_id: in_bulletin(row) for row in rows}
        board = {row.unit.pk: row.colour for row in xiaobo_board(leader, last.year)["rows"]}
        colours = {}
        for village in villages:
            colours[village.name] = on_dashboard(leader, village, period)
            assert colours[village.name] == bulletin[village.pk] == board[village.pk], (village.name, month)
        seen.update(colours.values())
        # The town's card is the worst of its villages', and the page says the month it is judged as of.
        town_page = dashboard.dashboard(leader, town, period)
        town_card = next(kpi for s in town_page["sections"] for kpi in s.kpis if kpi.spec.code == CODE)
        assert town_card.status == max(colours.values(), key=COLOURS.get), month
        assert f"截至{month.year}年{month.month}月" in town_page["pace_note"]
    assert set(seen) == set(COLOURS), seen
