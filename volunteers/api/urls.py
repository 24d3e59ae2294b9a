from branches.ledgers import ledger_router

from ..ledgers import LEDGERS
from . import views

router = ledger_router(LEDGERS)
# Not ledgers (nothing is added or edited through them): read-only lists with viewsets of their own.
router.register("activity-types", views.ActivityTypeViewSet, basename="activity-type")
router.register("participations", views.ParticipationViewSet, basename="participation")

urlpatterns = router.urls
