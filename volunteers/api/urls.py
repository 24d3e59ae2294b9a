from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("stations", views.StationViewSet, basename="station")
router.register("teams", views.TeamViewSet, basename="team")
router.register("volunteers", views.VolunteerViewSet, basename="volunteer")
router.register("activity-types", views.ActivityTypeViewSet, basename="activity-type")
router.register("activities", views.ActivityViewSet, basename="activity")
router.register("participations", views.ParticipationViewSet, basename="participation")

urlpatterns = router.urls
