from django.urls import path

from branches.generic_views import ledger_view_routes

from . import views

app_name = "environment"


urlpatterns = [
    path("environment/village/<int:unit_id>/", views.village, name="village"),
    path("environment/town/", views.town, name="town"),
    path("environment/gaps/", views.gaps, name="gaps"),
    *ledger_view_routes("environment/rules", "villagerules", views.RULES),
    *ledger_view_routes("environment/131", "workmethod", views.METHODS),
    *ledger_view_routes("environment/campaigns", "campaign", views.CAMPAIGNS),
    *ledger_view_routes("environment/cleanups", "cleanuprecord", views.CLEANUPS),
    *ledger_view_routes("environment/pledges", "pledge", views.PLEDGES),
    *ledger_view_routes("environment/hollow-houses", "hollowhouse", views.HOLLOW_HOUSES),
    *ledger_view_routes("environment/toilets", "toiletrenovation", views.TOILETS),
    *ledger_view_routes("environment/projects", "infrastructureproject", views.PROJECTS),
    *ledger_view_routes("environment/progress", "projectprogress", views.PROGRESS),
]
