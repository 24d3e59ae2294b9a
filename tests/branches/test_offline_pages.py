"""The installable portal: its manifest, its service worker (local files only, never a CDN) and the pages it may
keep for use offline (branches/offline.py)."""

import json
import re
from pathlib import Path

from django.contrib.staticfiles import finders
from PIL import Image

from reports import periods

KEY = periods.month_key(periods.last_complete_month())
URL = re.compile(r"https?://", re.IGNORECASE)


def service_worker_config(client):
    response = client.get("/sw.js")
    text = response.content.decode()
    return response, text, json.loads(re.search(r"const CONFIG = (\{.*?\});", text).group(1))


def static_file(url):
    return Path(finders.find(url.removeprefix("/static/")))


def test_the_manifest_makes_the_portal_installable(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200 and response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert (manifest["name"], manifest["short_name"]) == ("井字镇支部工作平台", "井字镇")
    assert (manifest["start_url"], manifest["display"]) == ("/", "standalone")
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        width, height = Image.open(static_file(icon["src"])).size
        assert f"{width}x{height}" == icon["sizes"]


def test_the_service_worker_is_served_at_the_root_never_cached(client):
    response, _text, _config = service_worker_config(client)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "no-cache" in response["Cache-Control"]


def test_the_service_worker_and_the_workbox_files_it_loads_name_no_other_host(client):
    _response, text, config = service_worker_config(client)
    assert not URL.search(text), "sw.js names a URL"
    scripts = config["workboxScripts"]
    assert scripts and all(url.startswith("/static/vendor/workbox/workbox-") for url in scripts)
    for url in [*scripts, *config["assets"]]:
        assert url.startswith("/static/"), url
        path = static_file(url)
        assert path.is_file(), url
        if path.suffix == ".js" and "workbox" in url:
            assert not URL.search(path.read_text()), f"{url} names a URL"


def test_the_monthly_form_is_kept_for_offline_use_and_other_pages_are_not(login, town, users):
    client = login(users.tongliang)
    entry = client.get(f"/reports/{town.tongliang.unit.pk}/governance/{KEY}/")
    assert entry.status_code == 200 and entry["X-Offline-Page"] == "1"
    page = entry.content.decode()
    assert f'data-offline-endpoint="/api/v1/reports/{town.tongliang.unit.pk}/governance/{KEY}/"' in page
    assert 'rel="manifest"' in page and 'data-user="tongliang"' in page and "data-offline-queue" in page
    village = client.get(f"/units/{town.tongliang.unit.pk}/")
    assert village.status_code == 200 and "X-Offline-Page" not in village.headers
