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
router.register("visits", views.VisitViewSet, basename="visit")
router.register("issues", views.IssueViewSet, basename="issue")
router.register("key-persons", views.KeyPersonViewSet, basename="key-person")
router.register("key-person-keepers", views.KeeperViewSet, basename="key-person-keeper")
router.register("door-knocks", views.KnockViewSet, basename="door-knock")
router.register("checkpoints", views.CheckpointViewSet, basename="checkpoint")
router.register("checkpoint-staff", views.StaffViewSet, basename="checkpoint-staff")
router.register("passes", views.PassViewSet, basename="pass")

urlpatterns = router.urls
