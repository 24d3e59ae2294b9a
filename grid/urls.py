from django.urls import path

from . import views

app_name = "grid"

urlpatterns = [
    path("grid/events/", views.event_list, name="gridevent_list"),
    path("grid/events/new/", views.event_new, name="gridevent_add"),
    path("grid/events/<int:pk>/", views.event_detail, name="gridevent_detail"),
]
