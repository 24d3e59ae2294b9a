from django.urls import path

from branches.ledgers import ledger_routes

from . import views
from .ledgers import LEDGERS

app_name = "partylife"

urlpatterns = [
    # --- meetings
    path("party/meetings/calendar/", views.meeting_calendar, name="meeting_calendar"),
    path("party/meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting_attendance_edit"),
    path("party/absences/", views.absences, name="absences"),
    path("party/rhythm/", views.rhythm, name="rhythm"),
    # (end of meetings)
    # --- dues, 民主评议, 发展党员, 换届
    # (end of dues, 民主评议, 发展党员, 换届)
    # --- 党员先锋积分
    # (end of points)
    *ledger_routes(LEDGERS),
]
