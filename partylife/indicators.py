"""Indicators of 支部建设 (party.*), all derived from the ledgers, and the work line's pages."""

from django.db.models import Q
from django.urls import reverse

from branches.models import PartyMember
from branches.scoping import is_admin
from reports.plugins import DERIVED, FLOW, RATIO, STOCK, IndicatorSpec, add_months, count, month_key, own

from . import selectors

# --- meetings (三会一课, 主题党日, 组织生活会) ------------------------------------------------------------------------
MEETING_INDICATORS = ()
MEETING_PAGES = ()
# (end of meetings)

# --- dues, 民主评议, 发展党员, 换届 ----------------------------------------------------------------------------------
ROLL_INDICATORS = ()
ROLL_PAGES = ()
# (end of dues, 民主评议, 发展党员, 换届)

# --- 党员先锋积分 ---------------------------------------------------------------------------------------------------
def points_earned(unit, month):
    """The points the unit's members earned in the month, by the one rule (selectors.month_points): a plain number."""
    return sum((row.total for row in selectors.unit_month_points(unit, month)), 0)


def members_on_roll(unit, month):
    """Members on the roll at the month's end: in the register (在册) and joined by then (or joining date unknown);
    the town counts those attached to the town itself (its roll-up adds its villages')."""
    members = PartyMember.objects.filter(is_active=True)
    return count(own(members, unit).filter(Q(joined_date__isnull=True) | Q(joined_date__lt=add_months(month, 1))))


def ranking_of(unit, month):
    return f"{reverse('partylife:point_ranking')}?month={month_key(month)}&under={unit.pk}"


def member_list(unit, month):
    return f"{reverse('branches:partymember_list')}?under={unit.pk}&is_active=true"


POINT_INDICATORS = (
    IndicatorSpec(code="party.points", name="党员先锋积分", unit="分", work_line="party", kind=FLOW, source=DERIVED,
                  derive=points_earned, rows_url=ranking_of, decimals=2, judged_by_last_year=False, order=80,
                  help_text="本单位党员当月按积分规则（每项积分、每月上限）获得的积分合计"),
    IndicatorSpec(code="party.members", name="在册党员", unit="名", work_line="party", kind=STOCK, source=DERIVED,
                  derive=members_on_roll, rows_url=member_list, judged_by_last_year=False, order=81),
    # Points per member on the roll: a quotient, not a percentage (scale 1), recomputed from the summed parts in
    # every roll-up — over a quarter, the quarter's points per member at its end.
    IndicatorSpec(code="party.average_points", name="党员人均积分", unit="分", work_line="party", kind=RATIO,
                  source=DERIVED, numerator="party.points", denominator="party.members", scale=1, decimals=1,
                  order=82),
)


def point_rules_page(user):
    return reverse("partylife:point_rules") if is_admin(user) else None


POINT_PAGES = (
    ("先锋积分排行", "partylife:point_ranking"),
    ("积分规则", point_rules_page),
)
# (end of points)

INDICATORS = (*MEETING_INDICATORS, *ROLL_INDICATORS, *POINT_INDICATORS)
PAGES = (*MEETING_PAGES, *ROLL_PAGES, *POINT_PAGES)
