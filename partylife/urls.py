from django.urls import path

from branches.ledgers import ledger_routes

from . import views
from .ledgers import LEDGERS

app_name = "partylife"

urlpatterns = [
    path("party/meetings/calendar/", views.meeting_calendar, name="meeting_calendar"),
    path("party/meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting_attendance_edit"),
    path("party/absences/", views.absences, name="absences"),
    path("party/rhythm/", views.rhythm, name="rhythm"),
    path("party/dues/overview/", views.dues_overview, name="dues_overview"),
    path("party/dues/entry/", views.dues_entry, name="dues_entry"),
    path("party/appraisals/summary/", views.appraisal_summary, name="appraisal_summary"),
    path("party/applicants/summary/", views.applicant_summary, name="applicant_summary"),
    path("party/handover/", views.handover, name="handover"),
    path("party/points/", views.point_ranking, name="point_ranking"),
    path("party/points/members/<int:pk>/", views.point_member, name="point_member"),
    path("party/points/rules/", views.point_rules, name="point_rules"),
    *ledger_routes(LEDGERS),
]
