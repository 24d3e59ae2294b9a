"""今日待办: the first panel of a user's home page — what needs him today, each with its count, its nearest deadline
and one tap to act. The items are the core's own on the monthly reports (below: reports to submit or to correct,
reports to review, a leader's overdue cases) and every app's `today_items` hook (reports/worklines.py: town tasks,
grid events, hazards, terms due …). Shown on his own unit's page only (his home), not on every unit page he opens.

The items that give their rows (the normal way) are counted, with their nearest deadlines, in one statement
together; the others cost one query each. So the home page's queries do not grow with the data."""

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from branches.models import User

from . import cache, periods, worklines
from .deadlines import NEAR, OVER, DeadlineState, deadline_state
from .derive import count as count_rows
from .derive import earliest, figures, measured
from .monthly import selectors as monthly
from .worklines import TodayItem

# A row is marked when its deadline has passed or falls today or tomorrow: what must be done now, not this week.
MARK_DAYS = 1
REVIEWERS = ("cadre", "leader", "admin")


class Waiting(NamedTuple):
    item: TodayItem
    count: int
    deadline: date | None  # the nearest deadline among the waiting things


# --- the core's own items: the monthly reports ----------------------------------------------------------------------


def reporting_month():
    """The month whose reports are due now (by REPORT_DEADLINE_DAY of this month, or overdue since) — not the
    dashboard's `due_month`, the last month whose deadline has already passed."""
    return periods.last_complete_month()


def reports_to_submit(user):
    """(how many, deadline) of the user's unit's reports of the month due that are still to submit."""
    month = reporting_month()
    found = monthly.unsubmitted(user.unit, month) if user.unit_id else []
    return len(found), periods.deadline_for(month)


def to_submit_url(user):
    return f"{reverse('reports:completeness')}?month={periods.month_key(reporting_month())}"


def reports_returned(user):
    """(how many, deadline) of the reports returned to the user's unit to correct: the deadline of the earliest
    month among them, which they were due by."""
    found = monthly.returned_reports(user).aggregate(n=Count("pk"), first=Min("month"))
    return found["n"], (periods.deadline_for(found["first"]) if found["first"] else None)


def returned_url(user):
    # His home page lists the returned reports with the reviewer's reasons, each linking to its entry form.
    return reverse("branches:unit_detail", args=[user.unit_id]) + "#returned-reports"


def review_url(state):
    return lambda user: f"{reverse('reports:review')}?state={state}"


def overdue_cases(user):
    """How many cases of every line's kinds with a time limit (the 通报's `timed_cases`) are overdue today under the
    user's unit; one statement for all the kinds."""
    unit = user.unit
    if unit is None:
        return 0
    on = timezone.localdate()
    kinds = worklines.hooks("timed_cases")
    counted = figures(unit, {index: count_rows(kind.rows(unit, on)) for index, kind in enumerate(kinds)})
    return int(sum(counted.values()))


def overdue_cases_url(user):
    # The dashboard's exceptions panel lists each line's overdue cases, each linking to its own list.
    return reverse("reports:dashboard") + "#exceptions"


REPORT_ITEMS = (
    TodayItem("reports.to_submit", _lazy("本月待报送的月报"), reports_to_submit, to_submit_url, roles=("secretary",)),
    TodayItem("reports.returned", _lazy("被退回的月报（请修改后重新提交）"), reports_returned, returned_url,
              roles=("secretary",)),
    TodayItem("reports.to_review", _lazy("待审核的月报"), url=review_url("submitted"), roles=REVIEWERS,
              rows=lambda user: monthly.to_review(user, "submitted")),
    TodayItem("reports.changed", _lazy("台账有变动、待重新审核的月报"), url=review_url("changed"), roles=REVIEWERS,
              rows=lambda user: monthly.to_review(user, "changed")),
)  # fmt: skip
LAST_ITEMS = (
    TodayItem("reports.overdue_cases", _lazy("逾期未办结的事项"), overdue_cases, overdue_cases_url, roles=("leader",)),
)


def items():
    """Every today item, in the order the list shows them: reports first, then each line's, then overdue cases."""
    return (*REPORT_ITEMS, *worklines.hooks("today_items"), *LAST_ITEMS)


# --- reading them ---------------------------------------------------------------------------------------------------


def today_for(user):
    """[Waiting] of every today item for the user's role that has something waiting."""
    mine = [item for item in items() if not item.roles or getattr(user, "role", None) in item.roles]
    together = read_together(user, [item for item in mine if item.rows is not None])
    found = []
    for item in mine:
        count, deadline = together[item.code] if item.rows is not None else own_count(item, user)
        if count:
            found.append(Waiting(item, int(count), deadline))
    return found


def own_count(item, user):
    """(count, nearest deadline) of an item that counts by itself: its count, or the pair it gives."""
    counted = item.count(user)
    return counted if isinstance(counted, tuple) else (counted, None)


def read_together(user, row_items):
    """{code: (count, nearest deadline)} of the items that give their rows, read in one statement (a scalar subquery
    each, as the dashboard counts its alerts)."""
    if not row_items:
        return {}
    measures = {}
    for item in row_items:
        rows = item.rows(user)
        if rows.query.group_by is not None:
            raise worklines.WorkLineError(f"today item {item.code!r}: its rows must be a plain queryset")
        measures[(item.code, "count")] = count_rows(rows)
        if item.deadline is not None:
            measures[(item.code, "deadline")] = earliest(rows, item.deadline)
    read = measured(User.objects.filter(pk=user.pk), measures)
    return {item.code: (read[(item.code, "count")] or 0, read.get((item.code, "deadline"))) for item in row_items}


# --- the panel ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """A row's deadline as the list shows it: “12月5日截止”, marked in words and colour when past or near."""

    on: date
    state: DeadlineState

    @property
    def text(self):
        if self.on.year != timezone.localdate().year:
            return _("%(year)s年%(month)s月%(day)s日截止") % {"year": self.on.year, "month": self.on.month,
                                                             "day": self.on.day}  # fmt: skip
        return _("%(month)s月%(day)s日截止") % {"month": self.on.month, "day": self.on.day}

    @property
    def marked(self):
        return self.state.code in (OVER, NEAR)


def due(deadline):
    return Due(deadline, deadline_state(deadline, near_days=MARK_DAYS)) if deadline else None


def today_panel(request, unit, keys=None):
    """The panel on the user's own unit's page, through the cache (`keys`: the page's cache.PageKeys, if read)."""
    user = request.user
    if not user.is_authenticated or unit.pk != getattr(user, "unit_id", None):
        return None
    key = (keys or cache.keys_for(unit)).live_key("today", user)
    return "reports/_today.html", {"rows": cache.cached(key, lambda: today_rows(user))}


def today_rows(user):
    """[(label, count, url, Due or None)] of what waits for `user`, as the panel lists it."""
    return [(str(row.item.label), row.count, row.item.url(user), due(row.deadline)) for row in today_for(user)]
