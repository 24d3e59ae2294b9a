from django.urls import path

from . import views

urlpatterns = [
    path("reports/bulletin/", views.bulletin_list, name="bulletin"),
    path("reports/bulletin/<int:unit_id>/<month:month>/", views.bulletin_detail, name="bulletin_detail"),
]
