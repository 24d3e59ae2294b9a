from django.urls import path

from . import views

urlpatterns = [
    path("reports/excel/template/", views.excel_template, name="excel_template"),
    path("reports/excel/upload/", views.excel_upload, name="excel_upload"),
]
