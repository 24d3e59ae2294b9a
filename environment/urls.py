from django.urls import path

from branches.ledgers import ledger_routes

from . import views
from .ledgers import LEDGERS

app_name = "environment"


urlpatterns = [
    path("environment/village/<int:unit_id>/", views.village, name="village"),
    path("environment/town/", views.town, name="town"),
    path("environment/gaps/", views.gaps, name="gaps"),
    *ledger_routes(LEDGERS),
]
