from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("enterprises", views.EnterpriseViewSet, basename="enterprise")
router.register("visits", views.ServiceVisitViewSet, basename="visit")
router.register("problems", views.ProblemViewSet, basename="problem")
router.register("incomes", views.IncomeEntryViewSet, basename="income")
router.register("projects", views.FeaturedProjectViewSet, basename="project")
router.register("sales", views.SalesRecordViewSet, basename="sale")

urlpatterns = router.urls
