from django.urls import path

from . import views

app_name = "dispatch"

urlpatterns = [
    path("dispatch/", views.task_list, name="task_list"),
    path("dispatch/new/", views.task_new, name="task_new"),
    path("dispatch/tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("dispatch/tasks/<int:pk>/export/", views.task_export, name="task_export"),
    path("dispatch/tasks/<int:pk>/notice/", views.task_notice, name="task_notice"),
    path("dispatch/items/<int:pk>/", views.item_detail, name="item_detail"),
    path("dispatch/attachments/<int:pk>/", views.attachment_file, name="attachment"),
]
