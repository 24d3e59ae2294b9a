from django.urls import path

from . import views

app_name = "dispatch"

urlpatterns = [
    path("dispatch/items/<int:pk>/", views.item_detail, name="item_detail"),
    path("dispatch/attachments/<int:pk>/", views.attachment_file, name="attachment"),
]
