"""/api/v1/: each app contributes its routes from `<app>/api/urls.py`."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import ObtainAuthToken


class TokenView(ObtainAuthToken):
    """POST {"username", "password"} → {"token"}. Django's own request goes to authenticate(), so django-axes counts a
    wrong password here as on the login page, and a locked-out login gets its 429 (jingzi.middleware)."""

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "request": self.request._request}


urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("branches.api.urls")),
    path("", include("reports.monthly.api.urls")),
    path("industry/", include(("industry.api.urls", "industry-api"))),
    path("environment/", include(("environment.api.urls", "environment-api"))),
    path("governance/", include(("governance.api.urls", "governance-api"))),
    path("volunteers/", include(("volunteers.api.urls", "volunteers-api"))),
]
