from django.urls import path

from . import views

urlpatterns = [
    path("reports/documents/", views.IssuedDocumentList.as_view(), name="issueddocument_list"),
    path("reports/documents/<int:pk>/", views.issued_file, name="issueddocument_file"),
]
