from django.urls import path

from . import views

urlpatterns = [
    path("reports/notifications/read/", views.notifications_read, name="notifications_read"),
    path("notifications/channels/", views.notification_channels, name="notification_channels"),
    path("notifications/channels/test/", views.notification_channel_test, name="notification_channel_test"),
    path("notifications/channels/change/", views.notification_channel_change, name="notification_channel_change"),
]
