from django.urls import path

from . import views
from .generic_views import ledger_urls as ledger

app_name = "branches"


urlpatterns = [
    path("units/", views.UnitListView.as_view(), name="unit_list"),
    path("units/add/", views.UnitCreateView.as_view(), name="unit_add"),
    path("units/<int:pk>/", views.UnitDetailView.as_view(), name="unit_detail"),
    path("units/<int:pk>/edit/", views.UnitEditView.as_view(), name="unit_edit"),
    *ledger(
        "households",
        "household",
        views.HouseholdListView,
        views.HouseholdDetailView,
        views.HouseholdEditView,
        views.HouseholdDeleteView,
    ),
    *ledger(
        "party-organisations",
        "partyorganisation",
        views.PartyOrganisationListView,
        views.PartyOrganisationDetailView,
        views.PartyOrganisationEditView,
    ),
    *ledger(
        "party-members",
        "partymember",
        views.PartyMemberListView,
        views.PartyMemberDetailView,
        views.PartyMemberEditView,
    ),
    path("party-members/<int:pk>/links/add/", views.household_link_add, name="householdlink_add"),
    path("households/<int:pk>/keeper/", views.household_keeper_assign, name="household_keeper"),
    path("photos/<int:pk>/", views.photo_file, name="photo"),
    path("photos/<int:pk>/thumb/", views.photo_file, {"size": "thumb"}, name="photo_thumb"),
    path("photos/<int:pk>/delete/", views.photo_delete, name="photo_delete"),
    path("photos/attach/<str:model>/<int:pk>/", views.photo_attach, name="photo_attach"),
    path("household-links/<int:pk>/remove/", views.household_link_remove, name="householdlink_remove"),
    *ledger("micro-grids", "microgrid", views.MicroGridListView, views.MicroGridDetailView, views.MicroGridEditView),
    *ledger("cadres", "cadre", views.CadreListView, views.CadreDetailView, views.CadreEditView),
    *ledger(
        "grid-workers", "gridworker", views.GridWorkerListView, views.GridWorkerDetailView, views.GridWorkerEditView
    ),
    *ledger(
        "assignments",
        "assignment",
        views.AssignmentListView,
        views.AssignmentDetailView,
        views.AssignmentEditView,
        views.AssignmentDeleteView,
    ),
]
