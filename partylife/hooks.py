"""What 支部建设 hands the plug-in surface (reports/worklines.py): each part of the branch's life adds its own."""

from django.utils.translation import gettext_lazy as _

from reports.plugins import PointSource

from . import selectors

# --- meetings (三会一课, 主题党日, 组织生活会) ------------------------------------------------------------------------
MEETING_ALERTS = ()
MEETING_SCORE_PARTS = ()
MEETING_POINT_SOURCES = ()
MEETING_TODAY_ITEMS = ()
# (end of meetings)

# --- dues, 民主评议, 发展党员, 换届 ----------------------------------------------------------------------------------
ROLL_ALERTS = ()
ROLL_TODAY_ITEMS = ()
# (end of dues, 民主评议, 发展党员, 换届)

# --- 党员先锋积分 ---------------------------------------------------------------------------------------------------
# A meeting attended and a 包户 household kept for a month earn the member points (the rules: PointRule).
POINT_SOURCES = (
    PointSource("party.meetings", _("参加组织生活"), selectors.meetings_attended, measure="次"),
    PointSource("party.households", _("党员联户（包户）"), selectors.households_kept, measure="户·月"),
)
# (end of points)

BRIEF = None
PANEL = None
ALERTS = (*MEETING_ALERTS, *ROLL_ALERTS)
SCORE_PARTS = MEETING_SCORE_PARTS
POINT_SOURCES = (*MEETING_POINT_SOURCES, *POINT_SOURCES)
TODAY_ITEMS = (*MEETING_TODAY_ITEMS, *ROLL_TODAY_ITEMS)
