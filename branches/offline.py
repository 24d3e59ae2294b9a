"""Offline entry: which pages the service worker may keep for use with no network, and what it keeps besides.

Only a page marked by `offline_page` (a form a secretary or grid worker fills in the field) is stored by the
service worker (templates/offline/sw.js), and only for the user who loaded it: its caches are cleared at logout and
when another user logs in on the phone (static/js/offline.js). API answers and every other page are never stored —
personal data on a shared phone. What a user enters offline waits in the phone's IndexedDB and is sent with an
`Idempotency-Key` (branches/idempotency.py).
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.templatetags.static import PrefixNode, static
from django.utils.translation import gettext as _

OFFLINE_PAGE_HEADER = "X-Offline-Page"
PAGES_CACHE = "jingzi-pages-v1"
STATIC_CACHE_PREFIX = "jingzi-static-"
THEME_COLOUR = "#b71c1c"  # the navbar's red (static/css/portal.css)

# What an offline page needs to show and work: fetched into the static cache when the service worker installs.
OFFLINE_ASSETS = (
    "vendor/bootstrap/css/bootstrap.min.css",
    "vendor/bootstrap/js/bootstrap.bundle.min.js",
    "vendor/bootstrap-icons/bootstrap-icons.min.css",
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff",
    "vendor/htmx/htmx.min.js",
    "vendor/idb/umd.js",
    "css/portal.css",
    "js/portal.js",
    "js/offline.js",
    "favicon.svg",
    "icons/icon-192.png",
)


def offline_page(view):
    """Mark a page the service worker keeps for use offline (the latest copy, refreshed on every visit online)."""

    @wraps(view)
    def marked(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method == "GET" and response.status_code == 200:
            response[OFFLINE_PAGE_HEADER] = "1"
        return response

    return marked


def service_worker_context():
    """What templates/offline/sw.js is rendered with: local URLs only (the production ones carry content hashes,
    so a new deployment changes sw.js and the browser installs the new worker)."""
    prefix = PrefixNode.handle_simple("STATIC_URL")
    assets = [static(path) for path in OFFLINE_ASSETS]
    # Hashed (production) URLs never change content: cache first. Plain ones (development) are refreshed behind.
    hashed = assets[0] != prefix + OFFLINE_ASSETS[0]
    # The static cache is named after what it holds: a deployment with new files starts a new one, the old goes.
    version = hashlib.sha256("\n".join(assets).encode()).hexdigest()[:10]
    return {
        "workboxScripts": [static(f"vendor/workbox/workbox-{name}.prod.js") for name in settings.WORKBOX_MODULES],
        "assets": assets,
        "hashedStatic": hashed,
        "staticPrefix": prefix,
        "pagesCache": PAGES_CACHE,
        "staticCache": f"{STATIC_CACHE_PREFIX}{version}",
        "offlineHeader": OFFLINE_PAGE_HEADER,
    }


def web_manifest():
    """The web app manifest: the portal installs on a phone's home screen as 井字镇."""
    icon = static("icons/icon-192.png")
    large = static("icons/icon-512.png")
    maskable = static("icons/icon-maskable-512.png")
    return {
        "name": _("井字镇支部工作平台"),
        "short_name": _("井字镇"),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "lang": "zh-CN",
        "theme_color": THEME_COLOUR,
        "background_color": "#ffffff",
        "icons": [
            {"src": icon, "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": large, "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": maskable, "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
        ],
    }
