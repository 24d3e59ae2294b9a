from django.urls import path

from . import views

urlpatterns = [
    path("reports/notifications/read/", views.notifications_read, name="notifications_read"),
]
