"""/api/v1/: each app contributes its routes from `<app>/api/urls.py`; a work line's are found through its WorkLine
declaration and served under /api/v1/<work line>/."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.settings import api_settings

from reports.worklines import plugins


class TokenView(ObtainAuthToken):
    """POST {"username", "password"} → {"token"}. Django's own request goes to authenticate(), so django-axes counts a
    wrong password here as on the login page, and a locked-out login gets its 429 (jingzi.middleware). Its body is
    parsed like every other (DRF's view names its own parsers, which would skip the depth check)."""

    parser_classes = api_settings.DEFAULT_PARSER_CLASSES

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "request": self.request._request}


urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("branches.api.urls")),
    path("", include("reports.monthly.api.urls")),
    *[path(f"{line.code}/", include((line.api_urls, f"{line.code}-api"))) for line in plugins() if line.api_urls],
]
