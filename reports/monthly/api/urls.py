from django.urls import path

from . import views

REPORT = "reports/<int:unit_id>/<slug:work_line>/<str:month>/"

urlpatterns = [
    path("indicators/", views.IndicatorList.as_view(), name="api-indicators"),
    path(REPORT, views.ReportDetail.as_view(), name="api-report"),
    *[
        path(f"{REPORT}{action}/", views.ReportAction.as_view(action_name=action), name=f"api-report-{action}")
        for action in ("submit", "approve", "return", "unlock")
    ],
    path("rollups/", views.RollupDetail.as_view(), name="api-rollups"),
]
