"""What 支部建设 hands the plug-in surface (reports/worklines.py): its alerts, score part, today item and point
sources, one tuple each, after the functions they call."""

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from branches.models import PartyOrganisation
from reports.plugins import Alert, PointSource, ScorePart, TodayItem, add_months

from . import brief, panels, selectors

# --- meetings (三会一课, 主题党日, 组织生活会) ------------------------------------------------------------------------
#
# A branch behind the statutory rhythm (selectors.missed_meetings, the one rule) is flagged on the dashboard's
# exceptions and costs points in the 通报. The 组织生活 part weighs 10 beside the core's 40 (reports), 30 (targets)
# and 30 (overdue cases), so after scaling to 100 it is about a tenth of a village's score: a branch's own life
# counts, the four work lines' reports and cases count more. Each statutory meeting missed in its last complete
# month, quarter or year as of the bulletin's month costs 2 points (five missed take the part to nothing).

MISSED_COST = Decimal(2)
MEETING_WEIGHT = 10


def count_behind(user, unit):
    return selectors.missed_count(user, unit, timezone.localdate())


def behind_rows(user, unit):
    return selectors.behind(user, unit, timezone.localdate())


def behind_url(unit):
    return f"{reverse('partylife:rhythm')}?under={unit.pk}"


def judge_meetings(villages, month, as_of):
    """{village id: (earned, [reason])} for the villages with a party organisation: the statutory meetings missed as
    of the end of the bulletin's month (its last complete month, quarter and year). When the admin requires no kind
    of meeting (every rule 不作要求) there is nothing to judge, and the part drops out of the score."""
    if not selectors.rule_rows():
        return {}
    organisations = PartyOrganisation.objects.filter(unit__in=villages).order_by("name")
    missed = selectors.missed_meetings(organisations, add_months(month, 1))
    judged = {}
    for pk, unit_id, name in organisations.values_list("pk", "unit_id", "name"):
        earned, reasons = judged.setdefault(unit_id, (Decimal(MEETING_WEIGHT), []))
        for item in missed.get(pk, []):
            earned -= MISSED_COST
            reasons.append(_("%(organisation)s%(missed)s") % {"organisation": name, "missed": item})
        judged[unit_id] = (max(Decimal(0), earned), reasons)
    return judged


# --- dues and terms -------------------------------------------------------------------------------------------------


def _dues_red(user, unit):
    return selectors.red_arrears_count(user, unit)


def _dues_red_url(unit):
    return f"{reverse('partylife:dues_overview')}?under={unit.pk}"


def _terms_due_under(user, unit):
    return selectors.terms_due(user).filter(unit__path__startswith=unit.path)


def _terms_due_url(unit):
    return f"{reverse('partylife:term_list')}?due=true&under={unit.pk}"


# --- the declaration's tuples --------------------------------------------------------------------------------------


BRIEF = brief.BRIEF
PANEL = panels.party_panel
ALERTS = (
    Alert(_lazy("未按规定召开组织生活的党组织"), count_behind, behind_url, order=10, rows=behind_rows),
    Alert(_lazy("连续六个月未交纳党费的党员（按党章视为自行脱党，须及时处置）"), _dues_red, _dues_red_url, order=70),
    Alert(_lazy("任期六个月内届满或已届满、需换届的党组织"), url=_terms_due_url, order=75,
          rows=_terms_due_under),
)
SCORE_PARTS = (ScorePart("party.meetings", _lazy("组织生活"), MEETING_WEIGHT, judge_meetings),)
TODAY_ITEMS = (
    TodayItem("party.terms_due", _lazy("党组织任期将满，请做好换届准备"),
              url=lambda user: f"{reverse('partylife:term_list')}?due=true", roles=("secretary", "cadre"),
              rows=selectors.terms_due, deadline="ends_on"),
)  # fmt: skip
# A meeting attended and a 包户 household kept for a month earn the member points (the rules: PointRule).
POINT_SOURCES = (
    PointSource("party.meetings", _lazy("参加组织生活"), selectors.meetings_attended, measure=_lazy("次"),
                quantities=selectors.meetings_attended_quantities),
    PointSource("party.households", _lazy("党员联户（包户）"), selectors.households_kept, measure=_lazy("户·月"),
                quantities=selectors.households_kept_quantities),
)  # fmt: skip
