from django.urls import path, re_path

from branches.ledgers import ledger_routes

from . import views
from .ledgers import LEDGERS

app_name = "governance"


urlpatterns = [
    # Only the two steps: a bare <slug:step> also caught /governance/hazards/<pk>/edit/ (the edit form answered 405,
    # and saving it advanced the hazard instead).
    re_path(r"^governance/hazards/(?P<pk>[0-9]+)/(?P<step>advance|return)/$", views.hazard_step, name="hazard_step"),
    path("governance/village/<int:unit_id>/", views.village, name="village"),
    path("governance/disputes/monthly/", views.dispute_table, name="dispute_table"),
    *ledger_routes(LEDGERS),
]
