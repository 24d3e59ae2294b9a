"""The pages of the reporting core, under the one namespace `reports:`. Each feature sub-package lists its own routes
in its urls.py (no namespace of its own, so every name stays `reports:<name>`); the `month` converter they share is
registered here, before they are included."""

from django.urls import include, path, register_converter


class MonthConverter:
    regex = r"\d{4}-\d{2}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(MonthConverter, "month")

app_name = "reports"

urlpatterns = [
    path("", include("reports.dashboard.urls")),
    path("", include("reports.notifications.urls")),
    path("", include("reports.bulletin.urls")),
    path("", include("reports.brief.urls")),
    path("", include("reports.documents.urls")),
    path("", include("reports.close.urls")),
    path("", include("reports.monthly.excel.urls")),
    path("", include("reports.monthly.urls")),  # last: its reports/<unit>/<line>/<month>/ routes catch the rest
]
