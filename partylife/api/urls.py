from branches.ledgers import ledger_router

from ..ledgers import LEDGERS
from . import views

router = ledger_router(LEDGERS)
# --- meetings
# (end of meetings)
# --- dues, 民主评议, 发展党员, 换届
# (end of dues, 民主评议, 发展党员, 换届)
# --- 党员先锋积分
router.register("points", views.PointViewSet, basename="point")
# (end of points)

urlpatterns = router.urls
