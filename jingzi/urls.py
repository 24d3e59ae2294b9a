from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static as static_url
from django.urls import include, path

from branches.views import home, service_worker, web_manifest
from reports.worklines import plugins

urlpatterns = [
    # Looked up per request: at import time the production manifest may not exist yet (migrate runs before
    # collectstatic), and every management command imports the URL conf through the system checks.
    path("favicon.ico", lambda request: HttpResponsePermanentRedirect(static_url("favicon.svg"))),
    # The installable portal (branches/offline.py): the service worker must be at the root to control every page.
    path("sw.js", service_worker, name="service_worker"),
    path("manifest.webmanifest", web_manifest, name="web_manifest"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include("jingzi.api_urls")),
    path("", home, name="home"),
    path("", include("reports.urls")),
    # Each work line's pages, as its WorkLine declares them (reports/lines.py).
    *[path("", include(line.urls)) for line in plugins() if line.urls],
    path("", include(("branches.urls", "branches"))),
]
# No /media/ route, with DEBUG on or off: an uploaded photo is served only by branches.views.photo_file, which checks
# that the reader may see its record.

handler400 = "jingzi.errors.bad_request"
handler500 = "jingzi.errors.server_error"
