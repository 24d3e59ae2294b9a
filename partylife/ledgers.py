"""The ledgers of 支部建设, each one declarative `Ledger` (branches/ledgers.py): its pages, API and routes."""

from branches.ledgers import Ledger
from branches.services import record_delete

from . import filtersets, forms, selectors, services, tables, views
from .api import serializers
from .api.views import AttendanceThroughService
from .models import Attendance, Meeting, MonthlyTheme

# --- meetings (三会一课, 主题党日, 组织生活会) ------------------------------------------------------------------------


class MeetingLedger(Ledger):
    """组织生活: recorded with its attendance in one go (on a phone: party/meetings/add/), photos as evidence."""

    model = Meeting
    dated_by = ("held_on",)
    prefix = "party/meetings"
    selector = selectors.meeting_list
    table = tables.MeetingTable
    filterset = filtersets.MeetingFilterSet
    form = forms.MeetingForm
    save = services.meeting_save
    delete = record_delete
    fields = ("organisation", "kind", "held_on", "place", "host", "topic", "theme", "minutes", "resolutions")
    detail_template = "partylife/meeting_detail.html"
    serializer = serializers.MeetingSerializer
    api_name = "meetings"
    api_mixins = (AttendanceThroughService,)
    add_view = views.meeting_record

    @classmethod
    def detail_context(cls, request, obj, context):
        return selectors.meeting_page(obj)


class AttendanceLedger(Ledger):
    """Each member at each meeting; the meeting's page records them all at once."""

    model = Attendance
    dated_by = ("held_on",)  # the meeting's date (a property of the row)
    prefix = "party/attendance"
    selector = selectors.attendance_list
    table = tables.AttendanceTable
    filterset = filtersets.AttendanceFilterSet
    tab_filter = "status"
    form = forms.AttendanceForm
    save = services.attendance_save
    delete = services.attendance_delete
    fields = ("meeting", "member", "status", "reason", "away_at")
    serializer = serializers.AttendanceSerializer
    api_name, api_basename = "attendance", "attendance"


class MonthlyThemeLedger(Ledger):
    """The town's 主题党日 theme of each month (branches see their town's and record against it)."""

    model = MonthlyTheme
    prefix = "party/themes"
    selector = selectors.theme_list
    table = tables.MonthlyThemeTable
    filterset = filtersets.MonthlyThemeFilterSet
    form = forms.MonthlyThemeForm
    save = services.monthly_theme_save
    fields = ("month", "title", "unit", "content")
    serializer = serializers.MonthlyThemeSerializer
    api_name, api_basename = "themes", "monthlytheme"

    @classmethod
    def can_add(cls, user):
        return selectors.may_set_themes(user)


MEETING_LEDGERS = (MeetingLedger, AttendanceLedger, MonthlyThemeLedger)
# (end of meetings)

# --- dues, 民主评议, 发展党员, 换届 ----------------------------------------------------------------------------------
ROLL_LEDGERS = ()
# (end of dues, 民主评议, 发展党员, 换届)

# --- 党员先锋积分 ---------------------------------------------------------------------------------------------------
POINT_LEDGERS = ()
# (end of points)

LEDGERS = (*MEETING_LEDGERS, *ROLL_LEDGERS, *POINT_LEDGERS)
