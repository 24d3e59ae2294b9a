from django.urls import path

from . import views

urlpatterns = [
    path("reports/brief/", views.brief, name="brief"),
]
