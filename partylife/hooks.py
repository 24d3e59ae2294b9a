"""What 支部建设 hands the plug-in surface (reports/worklines.py): each part of the branch's life adds its own."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reports.plugins import Alert, PointSource, TodayItem

from . import selectors

# --- meetings (三会一课, 主题党日, 组织生活会) ------------------------------------------------------------------------
MEETING_ALERTS = ()
MEETING_SCORE_PARTS = ()
MEETING_POINT_SOURCES = ()
MEETING_TODAY_ITEMS = ()
# (end of meetings)

# --- dues, 民主评议, 发展党员, 换届 ----------------------------------------------------------------------------------
def _dues_red(user, unit):
    return selectors.red_arrears_count(user, unit)


def _dues_red_url(unit):
    return f"{reverse('partylife:dues_overview')}?under={unit.pk}"


def _terms_due_count(user, unit):
    return selectors.terms_due(user).filter(unit__path__startswith=unit.path).count()


def _terms_due_url(unit):
    return f"{reverse('partylife:term_list')}?due=true&under={unit.pk}"


ROLL_ALERTS = (
    Alert(_("连续六个月未交纳党费的党员（按党章视为自行脱党，须及时处置）"), _dues_red, _dues_red_url, order=70),
    Alert(_("任期六个月内届满或已届满、需换届的党组织"), _terms_due_count, _terms_due_url, order=75),
)
ROLL_TODAY_ITEMS = (
    TodayItem("party.terms_due", _("党组织任期将满，请做好换届准备"), lambda user: selectors.terms_due(user).count(),
              lambda user: f"{reverse('partylife:term_list')}?due=true", roles=("secretary", "cadre")),
)  # fmt: skip
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
