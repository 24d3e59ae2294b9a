from branches.ledgers import ledger_router

from ..ledgers import LEDGERS
from . import views

router = ledger_router(LEDGERS)
router.register("points", views.PointViewSet, basename="point")

urlpatterns = router.urls
