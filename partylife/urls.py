from django.urls import path  # noqa: F401

from branches.ledgers import ledger_routes

from . import views
from .ledgers import LEDGERS

app_name = "partylife"

urlpatterns = [
    # --- meetings
    # (end of meetings)
    # --- dues, 民主评议, 发展党员, 换届
    # (end of dues, 民主评议, 发展党员, 换届)
    # --- 党员先锋积分
    path("party/points/", views.point_ranking, name="point_ranking"),
    path("party/points/members/<int:pk>/", views.point_member, name="point_member"),
    path("party/points/rules/", views.point_rules, name="point_rules"),
    # (end of points)
    *ledger_routes(LEDGERS),
]
