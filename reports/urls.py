from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("lines/<slug:work_line>/", views.work_line, name="work_line"),
]
