from django.urls import path

from branches.ledgers import ledger_routes

from . import views
from .ledgers import LEDGERS

app_name = "industry"

urlpatterns = [
    path("industry/my-enterprises/", views.my_enterprises, name="my_enterprises"),
    path("industry/economy/<int:unit_id>/", views.economy, name="economy"),
    path("industry/xiaobo/", views.xiaobo, name="xiaobo"),
    path("industry/enterprises/<int:pk>/assign/", views.enterprise_assign, name="enterprise_assign"),
    path("industry/problems/<int:pk>/status/", views.problem_status, name="problem_status"),
    *ledger_routes(LEDGERS),
]
