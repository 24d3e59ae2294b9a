"""/api/v1/: each app contributes its routes from `<app>/api/urls.py`."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("branches.api.urls")),
    path("", include("reports.api.urls")),
    path("industry/", include(("industry.api.urls", "industry-api"))),
    path("environment/", include(("environment.api.urls", "environment-api"))),
    path("governance/", include(("governance.api.urls", "governance-api"))),
    path("volunteers/", include(("volunteers.api.urls", "volunteers-api"))),
]
