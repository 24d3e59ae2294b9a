from django.urls import path

from branches.ledgers import ledger_routes

from . import views
from .ledgers import LEDGERS

app_name = "volunteers"

urlpatterns = [
    path("volunteers/station/<int:unit_id>/", views.station_home, name="station_home"),
    path("volunteers/calendar/", views.activity_calendar, name="calendar"),
    path("volunteers/hours/review/", views.hours_review, name="hours_review"),
    path("volunteers/hours/", views.ParticipationList.as_view(), name="participation_list"),
    path("volunteers/honour-roll/", views.honour_roll, name="honour_roll"),
    path("volunteers/activities/<int:pk>/held/", views.activity_held, name="activity_held"),
    path("volunteers/activities/<int:pk>/cancel/", views.activity_cancel, name="activity_cancel"),
    *ledger_routes(LEDGERS),
]
