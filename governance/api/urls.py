from branches.ledgers import ledger_router

from ..ledgers import LEDGERS

urlpatterns = ledger_router(LEDGERS).urls
