from django.urls import path, re_path

from branches.generic_views import ledger_view_routes

from . import views

app_name = "governance"


urlpatterns = [
    # Only the two steps: a bare <slug:step> also caught /governance/hazards/<pk>/edit/ (the edit form answered 405,
    # and saving it advanced the hazard instead).
    re_path(r"^governance/hazards/(?P<pk>[0-9]+)/(?P<step>advance|return)/$", views.hazard_step, name="hazard_step"),
    path("governance/village/<int:unit_id>/", views.village, name="village"),
    *ledger_view_routes("governance/teams", "patrolteam", views.TEAMS),
    *ledger_view_routes("governance/team-members", "patrolmember", views.MEMBERS),
    *ledger_view_routes("governance/actions", "safetyaction", views.ACTIONS),
    *ledger_view_routes("governance/hazards", "hazard", views.HAZARDS),
    path("governance/disputes/monthly/", views.dispute_table, name="dispute_table"),
    *ledger_view_routes("governance/committees", "mediationcommittee", views.COMMITTEES),
    *ledger_view_routes("governance/disputes", "disputecase", views.DISPUTES),
    *ledger_view_routes("governance/petitions", "petitioncase", views.PETITIONS),
    *ledger_view_routes("governance/visits", "visitlog", views.VISITS),
    *ledger_view_routes("governance/issues", "peopleissue", views.ISSUES),
    *ledger_view_routes("governance/key-persons", "keyperson", views.KEY_PERSONS),
    *ledger_view_routes("governance/keepers", "keypersonkeeper", views.KEEPERS),
    *ledger_view_routes("governance/door-knocks", "doorknock", views.KNOCKS),
    *ledger_view_routes("governance/checkpoints", "checkpoint", views.CHECKPOINTS),
    *ledger_view_routes("governance/checkpoint-staff", "checkpointstaff", views.STAFF),
    *ledger_view_routes("governance/passes", "passrecord", views.PASSES),
]
