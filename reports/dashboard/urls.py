from django.urls import path

from . import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/indicator/<str:code>/", views.dashboard_indicator, name="dashboard_indicator"),
]
