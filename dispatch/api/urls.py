from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("tasks", views.TaskViewSet, basename="task")
router.register("items", views.ItemViewSet, basename="item")

urlpatterns = router.urls
