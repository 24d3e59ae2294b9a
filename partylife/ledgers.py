"""The ledgers of 支部建设, each one declarative `Ledger` (branches/ledgers.py): its pages, API and routes."""

from django.utils.translation import gettext_lazy as _

from branches.ledgers import Ledger
from branches.services import record_delete

from . import filtersets, forms, selectors, services, tables, views
from .api import serializers
from .api.views import ApplicantWrites, AttendanceThroughService
from .models import Applicant, Appraisal, Attendance, DuesPayment, Meeting, MonthlyTheme, Term

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


# --- dues, 民主评议, 发展党员, 换届 ----------------------------------------------------------------------------------


class DuesPaymentLedger(Ledger):
    """党费: one row per member and month (a month paid ahead is its own row, paid on the day of payment)."""

    model = DuesPayment
    dated_by = ("month",)
    prefix = "party/dues"
    selector = selectors.dues_list
    table = tables.DuesPaymentTable
    filterset = filtersets.DuesPaymentFilterSet
    form = forms.DuesPaymentForm
    save = services.dues_save
    delete = record_delete
    fields = ("member", "unit", "month", "due", "paid", "paid_on")
    serializer = serializers.DuesPaymentSerializer
    api_name = "dues"


class AppraisalLedger(Ledger):
    """民主评议党员: one result a year per member."""

    model = Appraisal
    dated_by = ("decided_on",)
    prefix = "party/appraisals"
    selector = selectors.appraisal_list
    table = tables.AppraisalTable
    filterset = filtersets.AppraisalFilterSet
    tab_filter = "result"
    form = forms.AppraisalForm
    save = services.appraisal_save
    delete = record_delete
    fields = ("member", "unit", "year", "result", "decided_on", "decision")
    serializer = serializers.AppraisalSerializer
    api_name = "appraisals"


class ApplicantLedger(Ledger):
    """发展党员: each step dated; the statutory checks are services.applicant_check, the stage follows the dates."""

    model = Applicant
    prefix = "party/applicants"
    selector = selectors.applicant_list
    table = tables.ApplicantTable
    filterset = filtersets.ApplicantFilterSet
    tab_filter = "stage"
    form = forms.ApplicantForm
    fields = ("name", "organisation", "gender", "birth_date", "id_number", "phone", "stage", "applied_on",
              "activist_on", "candidate_on", "probationary_on", "full_on", "note")  # fmt: skip
    serializer = serializers.ApplicantSerializer
    api_name = "applicants"
    api_mixins = (ApplicantWrites,)

    save = services.applicant_save

    @classmethod
    def save_form(cls, request, form):
        instance = form.save(commit=False)
        return services.applicant_save(user=request.user, instance=instance,
                                       introducers=form.cleaned_data.get("introducers") or [])  # fmt: skip

    @classmethod
    def detail_context(cls, request, obj, context):
        names = "、".join(member.name for member in obj.introducers.all()) or "—"
        return {"field_rows": [*context["field_rows"], (_("入党介绍人"), names)]}


class TermLedger(Ledger):
    """换届: each party organisation's terms (five years); reminded six months before one ends."""

    model = Term
    prefix = "party/terms"
    selector = selectors.term_list
    table = tables.TermTable
    filterset = filtersets.TermFilterSet
    form = forms.TermForm
    save = services.term_save
    fields = ("organisation", "unit", "starts_on", "ends_on", "secretary", "note")
    serializer = serializers.TermSerializer
    api_name = "terms"


LEDGERS = (
    MeetingLedger, AttendanceLedger, MonthlyThemeLedger, DuesPaymentLedger, AppraisalLedger, ApplicantLedger,
    TermLedger,
)
