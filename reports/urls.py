from django.urls import path, register_converter

from .brief import views as views_brief
from .bulletin import views as views_bulletin
from .dashboard import views as views_dashboard
from .monthly import views
from .monthly.excel import views as views_excel
from .notifications import views as notification_views


class MonthConverter:
    regex = r"\d{4}-\d{2}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(MonthConverter, "month")

app_name = "reports"

urlpatterns = [
    path("lines/<slug:work_line>/", views.work_line, name="work_line"),
    path("reports/", views.summary, name="summary"),
    path("dashboard/", views_dashboard.dashboard, name="dashboard"),
    path("dashboard/indicator/<str:code>/", views_dashboard.dashboard_indicator, name="dashboard_indicator"),
    path("reports/review/", views.review_queue, name="review"),
    path("reports/completeness/", views.completeness, name="completeness"),
    path("reports/notifications/read/", notification_views.notifications_read, name="notifications_read"),
    path("reports/bulletin/", views_bulletin.bulletin_list, name="bulletin"),
    path("reports/bulletin/<int:unit_id>/<month:month>/", views_bulletin.bulletin_detail, name="bulletin_detail"),
    path("reports/brief/", views_brief.brief, name="brief"),
    path("reports/excel/template/", views_excel.excel_template, name="excel_template"),
    path("reports/excel/upload/", views_excel.excel_upload, name="excel_upload"),
    path("reports/<int:unit_id>/<slug:work_line>/<month:month>/", views.entry, name="entry"),
    path("reports/<int:unit_id>/<slug:work_line>/<month:month>/<slug:action>/", views.review_action, name="action"),
]
