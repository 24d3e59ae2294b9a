from django.urls import path

from . import views

urlpatterns = [
    path("lines/<slug:work_line>/", views.work_line, name="work_line"),
    path("reports/", views.summary, name="summary"),
    path("reports/review/", views.review_queue, name="review"),
    path("reports/completeness/", views.completeness, name="completeness"),
    path("reports/<int:unit_id>/<slug:work_line>/<month:month>/", views.entry, name="entry"),
    path("reports/<int:unit_id>/<slug:work_line>/<month:month>/<slug:action>/", views.review_action, name="action"),
]
