from django.urls import path

from branches.generic_views import ledger_urls

from . import views

app_name = "governance"


def ledger(prefix, name, views_):
    return ledger_urls(f"governance/{prefix}", name, views_["list"], views_["detail"], views_["edit"],
                       views_.get("delete"))  # fmt: skip


urlpatterns = [
    path("governance/hazards/<int:pk>/<slug:step>/", views.hazard_step, name="hazard_step"),
    path("governance/village/<int:unit_id>/", views.village, name="village"),
    *ledger("teams", "patrolteam", views.TEAMS),
    *ledger("team-members", "patrolmember", views.MEMBERS),
    *ledger("actions", "safetyaction", views.ACTIONS),
    *ledger("hazards", "hazard", views.HAZARDS),
    path("governance/disputes/monthly/", views.dispute_table, name="dispute_table"),
    *ledger("committees", "mediationcommittee", views.COMMITTEES),
    *ledger("disputes", "disputecase", views.DISPUTES),
    *ledger("petitions", "petitioncase", views.PETITIONS),
    *ledger("visits", "visitlog", views.VISITS),
    *ledger("issues", "peopleissue", views.ISSUES),
    *ledger("key-persons", "keyperson", views.KEY_PERSONS),
    *ledger("keepers", "keypersonkeeper", views.KEEPERS),
    *ledger("door-knocks", "doorknock", views.KNOCKS),
    *ledger("checkpoints", "checkpoint", views.CHECKPOINTS),
    *ledger("checkpoint-staff", "checkpointstaff", views.STAFF),
    *ledger("passes", "passrecord", views.PASSES),
]
