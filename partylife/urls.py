from django.urls import path  # noqa: F401

from branches.ledgers import ledger_routes

from .ledgers import LEDGERS

app_name = "partylife"

urlpatterns = [
    # --- meetings
    # (end of meetings)
    # --- dues, 民主评议, 发展党员, 换届
    # (end of dues, 民主评议, 发展党员, 换届)
    # --- 党员先锋积分
    # (end of points)
    *ledger_routes(LEDGERS),
]
