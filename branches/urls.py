from django.urls import path

from . import views
from .ledgers import ledger_routes
from .registers import LEDGERS

app_name = "branches"


urlpatterns = [
    path("me/text-size/", views.text_size, name="text_size"),
    path("units/<int:pk>/grids/", views.unit_grids, name="unit_grids"),
    path("party-members/<int:pk>/links/add/", views.household_link_add, name="householdlink_add"),
    path("households/<int:pk>/contact/", views.household_contact, name="household_contact_edit"),
    path("households/<int:pk>/keeper/", views.household_keeper_assign, name="household_keeper"),
    path("photos/<int:pk>/", views.photo_file, name="photo"),
    path("photos/<int:pk>/thumb/", views.photo_file, {"size": "thumb"}, name="photo_thumb"),
    path("photos/<int:pk>/delete/", views.photo_delete, name="photo_delete"),
    path("photos/attach/<str:model>/<int:pk>/", views.photo_attach, name="photo_attach"),
    path("household-links/<int:pk>/remove/", views.household_link_remove, name="householdlink_remove"),
    path("personal-data-access/", views.personal_data_access_log, name="personal_data_access"),
    *ledger_routes(LEDGERS),
]
