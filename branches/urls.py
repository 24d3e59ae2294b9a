from django.urls import path

from . import views

app_name = "branches"


def ledger(prefix, name, list_view, detail_view, edit_view, delete_view=None):
    """The four routes every ledger has: list, add, detail, edit (and delete where allowed)."""
    routes = [
        path(f"{prefix}/", list_view.as_view(), name=f"{name}_list"),
        path(f"{prefix}/add/", edit_view.as_view(), name=f"{name}_add"),
        path(f"{prefix}/<int:pk>/", detail_view.as_view(), name=f"{name}_detail"),
        path(f"{prefix}/<int:pk>/edit/", edit_view.as_view(), name=f"{name}_edit"),
    ]
    if delete_view is not None:
        routes.append(path(f"{prefix}/<int:pk>/delete/", delete_view.as_view(), name=f"{name}_delete"))
    return routes


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
