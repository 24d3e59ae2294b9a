from branches.ledgers import ledger_routes

from .ledgers import LEDGERS

app_name = "fifth_line"

urlpatterns = ledger_routes(LEDGERS)
