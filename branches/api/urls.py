from ..ledgers import ledger_router
from ..registers import LEDGERS

urlpatterns = ledger_router(LEDGERS).urls
