from django.urls import path, register_converter

from . import views, views_excel


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
    path("reports/review/", views.review_queue, name="review"),
    path("reports/completeness/", views.completeness, name="completeness"),
    path("reports/notifications/read/", views.notifications_read, name="notifications_read"),
    path("reports/excel/template/", views_excel.excel_template, name="excel_template"),
    path("reports/excel/upload/", views_excel.excel_upload, name="excel_upload"),
    path("reports/<int:unit_id>/<slug:work_line>/<month:month>/", views.entry, name="entry"),
    path("reports/<int:unit_id>/<slug:work_line>/<month:month>/<slug:action>/", views.review_action, name="action"),
]
