from django.urls import path

from . import views

urlpatterns = [
    path("reports/close/", views.year_close, name="year_close"),
]
