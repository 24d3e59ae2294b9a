from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("rules", views.RulesViewSet, basename="rules")
router.register("work-methods", views.WorkMethodViewSet, basename="work-method")
router.register("campaigns", views.CampaignViewSet, basename="campaign")
router.register("cleanups", views.CleanupViewSet, basename="cleanup")
router.register("pledges", views.PledgeViewSet, basename="pledge")
router.register("hollow-houses", views.HollowHouseViewSet, basename="hollow-house")
router.register("toilets", views.ToiletViewSet, basename="toilet")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("progress", views.ProgressViewSet, basename="progress")

urlpatterns = router.urls
