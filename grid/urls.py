from django.urls import path

from . import views

app_name = "grid"

urlpatterns = [
    path("grid/events/", views.event_list, name="event_list"),
    path("grid/events/new/", views.event_new, name="event_new"),
    path("grid/events/<int:pk>/", views.event_detail, name="event_detail"),
]
