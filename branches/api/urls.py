from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("units", views.UnitViewSet, basename="unit")
router.register("households", views.HouseholdViewSet, basename="household")
router.register("party-organisations", views.PartyOrganisationViewSet, basename="party-organisation")
router.register("party-members", views.PartyMemberViewSet, basename="party-member")
router.register("micro-grids", views.MicroGridViewSet, basename="micro-grid")
router.register("assignments", views.AssignmentViewSet, basename="assignment")

urlpatterns = router.urls
