from django.urls import path

from branches.generic_views import ledger_urls

from . import views

app_name = "environment"


def ledger(prefix, name, views_):
    return ledger_urls(f"environment/{prefix}", name, views_["list"], views_["detail"], views_["edit"],
                       views_.get("delete"))  # fmt: skip


urlpatterns = [
    path("environment/village/<int:unit_id>/", views.village, name="village"),
    path("environment/town/", views.town, name="town"),
    path("environment/gaps/", views.gaps, name="gaps"),
    *ledger("rules", "villagerules", views.RULES),
    *ledger("131", "workmethod", views.METHODS),
    *ledger("campaigns", "campaign", views.CAMPAIGNS),
    *ledger("cleanups", "cleanuprecord", views.CLEANUPS),
    *ledger("pledges", "pledge", views.PLEDGES),
    *ledger("hollow-houses", "hollowhouse", views.HOLLOW_HOUSES),
    *ledger("toilets", "toiletrenovation", views.TOILETS),
    *ledger("projects", "infrastructureproject", views.PROJECTS),
    *ledger("progress", "projectprogress", views.PROGRESS),
]
