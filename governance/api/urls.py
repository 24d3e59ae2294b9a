from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("patrol-teams", views.TeamViewSet, basename="patrol-team")
router.register("patrol-members", views.MemberViewSet, basename="patrol-member")
router.register("safety-actions", views.ActionViewSet, basename="safety-action")
router.register("hazards", views.HazardViewSet, basename="hazard")
router.register("mediation-committees", views.CommitteeViewSet, basename="mediation-committee")
router.register("disputes", views.DisputeViewSet, basename="dispute")
router.register("petitions", views.PetitionViewSet, basename="petition")

urlpatterns = router.urls
