"""Hostile input (DESIGN §7): stored XSS in every free-text field shown back, CSRF on every form, spreadsheet formula
injection in every Excel download, uploads judged by their content, oversize bodies and odd query strings.

The records of 铜梁村 (one of every scoped model, tests/security/world.py) carry in every free-text field a value that
is both a script (`<script>alert(1)</script><img src=x onerror=alert(1)>`) and a spreadsheet formula (`=HYPERLINK(…)`,
`+1+1`, `-1`, `@SUM(1)`, one per model in turn); every page of the URL conf is then read and every Excel it offers
downloaded. Routes come from the URL conf, so a new page or export is checked without anyone remembering it.
"""

import io
import re
import zipfile

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from branches.exports import XLSX_TYPE
from branches.models import Unit

from .html_forms import forms_of
from .matrix import ask, client_for
from .routes import api_operations, api_url, list_name, month_key, page_routes, page_url
from .world import png_upload, scoped_models

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script><img src=x onerror=alert(1)>"
FORMULAS = ('=HYPERLINK("http://x","点我")', "+1+1", "-1", "@SUM(1)")
# Unescaped, these would run: the portal's own pages have no bare <script> (only <script src=…> and json_script).
RAW = re.compile(r"<script>|<img src=x|<svg onload", re.IGNORECASE)


def hostile_text(model):
    labels = sorted(m._meta.label for m in scoped_models())
    prefix = FORMULAS[labels.index(model._meta.label) % len(FORMULAS)] if model._meta.label in labels else FORMULAS[0]
    return prefix + SCRIPT


WORLD_TEXT = hostile_text  # read by tests/security/conftest.py


@pytest.fixture(scope="module")
def hostile(world, django_db_blocker):
    """The world, with the names of 铜梁村, its group and grid hostile too (they label charts and Excel rows)."""
    with django_db_blocker.unblock():
        village = world.town.tongliang
        for index, unit in enumerate((village.unit, village.group, village.grid)):
            Unit.objects.filter(pk=unit.pk).update(name=FORMULAS[index] + SCRIPT)
    return world


def raw_payloads(html):
    return sorted(set(RAW.findall(html)))


# --- stored XSS -------------------------------------------------------------------------------------------------------


def test_every_page_shows_hostile_text_escaped(hostile, django_db_blocker):
    """Every page of the URL conf (lists, details, forms, dashboards, charts' json_script), as the admin and as the
    village's secretary: the text is on the page, escaped."""
    found, shown = [], 0
    for role in ("admin", "tongliang"):
        client = client_for(hostile, role)
        for route in page_routes():
            answer = ask(client, "get", page_url(route, hostile))
            if answer.status >= 500:
                found.append(f"{role} {route.name}: {answer.status} {answer.error}")
            if "html" not in answer.content_type:
                continue
            html = answer.text()
            shown += "&lt;script&gt;alert(1)&lt;/script&gt;" in html
            if raw_payloads(html):
                found.append(f"{role} {route.name}: {raw_payloads(html)}")
    assert not found, "\n".join(found)
    assert shown > 60  # the payload did reach the pages (escaped)


def test_text_saved_through_every_edit_form_comes_back_escaped(hostile):
    """Each generic edit form of 铜梁村's records, filled in by the admin with a script in every text box, saves and
    shows it escaped on the record's page and in its list."""
    client = client_for(hostile, "admin")
    saved, found = 0, []
    for route in page_routes():
        if not (route.is_form and route.name.endswith("_edit") and route.params == ("pk",)):
            continue
        url = page_url(route, hostile)
        page = client.get(url)
        assert page.status_code == 200, (route.name, page.status_code)
        form = next(f for f in forms_of(page.content.decode()) if f.method == "post" and f.action in ("", url))
        # A phone box takes a phone number only (a script there is refused, tested in test_server_errors.py).
        data = form.data(text_for=lambda name, value: SCRIPT if value and not name.endswith("phone") else value)
        with transaction.atomic():
            response = client.post(url, data)
            if response.status_code == 302:
                saved += 1
                for target in (response["Location"], reverse(list_name(route))):
                    html = client.get(target).content.decode()
                    if raw_payloads(html):
                        found.append(f"{route.name} → {target}: {raw_payloads(html)}")
            elif response.status_code >= 500:
                found.append(f"{route.name}: {response.status_code}")
            transaction.set_rollback(True)
    assert not found, "\n".join(found)
    assert saved > 30


def test_text_saved_through_the_api_comes_back_escaped(hostile, django_db_blocker):
    """Every create of the API, given a copy of 铜梁村's record (its text a script), stores it; the record's page and
    list show it escaped."""
    admin = client_for(hostile, "admin")
    operations = api_operations(admin.get("/api/v1/schema/", {"format": "json"}).json())
    paths = {op.path for op in operations}
    saved, found = 0, []
    for op in operations:
        detail = f"{op.path}{{id}}/"
        if op.method != "post" or op.has_object or detail not in paths:
            continue
        model = op.model(detail.replace("{id}", "1"))
        record = hostile.records.get(model)
        if record is None:
            continue
        body = admin.get(detail.replace("{id}", str(record.pk))).json()
        with transaction.atomic():
            response = admin.post(op.path, body, content_type="application/json")
            if response.status_code == 201:
                saved += 1
                meta = model._meta
                for name, args in ((f"{meta.app_label}:{meta.model_name}_detail", [response.json()["id"]]),
                                   (f"{meta.app_label}:{meta.model_name}_list", [])):  # fmt: skip
                    html = admin.get(reverse(name, args=args)).content.decode()
                    if raw_payloads(html):
                        found.append(f"{op.path} → {name}: {raw_payloads(html)}")
            elif response.status_code >= 500:
                found.append(f"{op.path}: {response.status_code}")
            transaction.set_rollback(True)
    assert not found, "\n".join(found)
    assert saved > 25


# --- spreadsheet formula injection ------------------------------------------------------------------------------------


def formula_cells(content):
    """Cells of a downloaded workbook that a spreadsheet would run: formulas, or text starting = + - @."""
    workbook = load_workbook(io.BytesIO(content))
    bad = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value[:1] in "=+-@\t\r"
                                             and cell.value.strip("'")):  # fmt: skip
                    bad.append(f"{sheet.title}!{cell.coordinate}={cell.value!r}")
    return bad


def xlsx_downloads(world):
    """Every Excel the pages offer: each page of the URL conf asked with ?export=xlsx (lists, the summary, the
    honour roll, the bulletin — for 铜梁村 and for the town), and the monthly template."""
    month = month_key()
    template = reverse("reports:excel_template")
    yield "reports:excel_template", f"{template}?unit={world.village.pk}&month={month}"
    yield "reports:excel_template (town)", f"{template}?unit={world.town.unit.pk}&month={month}"
    year = month[:4]
    for route in page_routes():
        if route.is_form:
            continue
        url = page_url(route, world)
        yield route.name, f"{url}?export=xlsx&year={year}"
        if "unit_id" in route.params:
            town_url = url.replace(f"/{world.village.pk}/", f"/{world.town.unit.pk}/", 1)
            yield f"{route.name} (town)", f"{town_url}?export=xlsx&year={year}"


def test_every_excel_download_neutralises_formulas(hostile):
    from volunteers.models import Participation

    Participation.objects.update(status=Participation.Status.APPROVED)  # so the honour roll has a row
    found, workbooks = [], 0
    client = client_for(hostile, "admin")
    for name, url in xlsx_downloads(hostile):
        answer = ask(client, "get", url)
        if answer.status >= 500:
            found.append(f"{name} {url}: {answer.status} {answer.error}")
        if answer.status == 200 and answer.content_type.startswith(XLSX_TYPE):
            workbooks += 1
            found += [f"{name}: {cell}" for cell in formula_cells(answer.body)]
    assert not found, "\n".join(found)
    assert workbooks > 40


# --- CSRF -------------------------------------------------------------------------------------------------------------


def test_every_post_needs_the_csrf_token(world):
    """With the checks a browser gets (enforce_csrf_checks), a POST without the token is a 403 on every route of
    the URL conf — pages, the login, the language switch — and on the API under a session (DRF enforces CSRF for
    session authentication; a token-authenticated client needs none)."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users.admin)
    urls = [page_url(route, world) for route in page_routes()]
    urls += [reverse("login"), reverse("logout"), reverse("password_change"), reverse("set_language")]
    operations = api_operations(client.get("/api/v1/schema/", {"format": "json"}).json())
    urls += [api_url(op, world) for op in operations if op.method == "post" and op.path != "/api/v1/auth/token/"]
    refused = {url: client.post(url, {"x": "1"}).status_code for url in urls}
    assert {url: status for url, status in refused.items() if status != 403} == {}
    assert len(refused) > 250


def test_the_csrf_refusal_is_in_chinese(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users.tongliang)
    page = client.post(reverse("branches:household_add"), {"head_name": "x"})
    assert page.status_code == 403
    assert "请刷新页面" in page.content.decode()


# --- uploads judged by content ----------------------------------------------------------------------------------------


def _file(name, content, content_type="application/octet-stream"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


def _zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _png_bytes(size=(8, 8)):
    return png_upload(size=size).read()


def decompression_bomb_png():
    """A small PNG that claims 20000 × 20000 pixels (400 M): Pillow must refuse to decode it."""
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 20000, 20000, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (1 + 20000 * 3) * 4)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


BAD_PHOTOS = {
    "text named .jpg": lambda: _file("scene.jpg", b"just some text, not an image" * 10, "image/jpeg"),
    "zip named .png": lambda: _file("scene.png", _zip({"a.txt": "x" * 1000}), "image/png"),
    "html named .jpg": lambda: _file("scene.jpg", f"<html>{SCRIPT}</html>".encode(), "image/jpeg"),
    "decompression bomb": lambda: _file("bomb.png", decompression_bomb_png(), "image/png"),
    "truncated png": lambda: _file("cut.png", _png_bytes((64, 64))[:60], "image/png"),
}


@pytest.mark.parametrize("kind", BAD_PHOTOS)
def test_a_photo_is_judged_by_its_content_in_the_api(world, media_root, kind):
    from branches.models import Photo

    record = world.records[next(m for m in world.records if m._meta.label == "environment.CleanupRecord")]
    client = client_for(world, "tongliang")
    before = Photo.objects.count()
    response = client.post(f"/api/v1/environment/cleanups/{record.pk}/photos/", {"photos": [BAD_PHOTOS[kind]()]})
    assert response.status_code == 400, (kind, response.status_code)
    assert re.search(r"[\u4e00-\u9fff]", str(response.json())), response.json()  # a reason in Chinese
    assert Photo.objects.count() == before


def test_a_photo_is_judged_by_its_content_on_the_page(world, media_root):
    from branches.models import Photo

    record = world.records[next(m for m in world.records if m._meta.label == "environment.CleanupRecord")]
    client = client_for(world, "tongliang")
    before = Photo.objects.count()
    url = reverse("branches:photo_attach", args=["environment.cleanuprecord", record.pk])
    response = client.post(url, {"photos": [BAD_PHOTOS["zip named .png"]()]}, follow=True)
    assert response.status_code == 200
    assert "不是可识别的图片" in response.content.decode()
    assert Photo.objects.count() == before
    good = client.post(url, {"photos": [png_upload()]}, follow=True)
    assert Photo.objects.count() == before + 1 and good.status_code == 200


def _workbook_bytes():
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


BAD_WORKBOOKS = {
    "a png renamed .xlsx": lambda: _png_bytes(),
    "text renamed .xlsx": lambda: b"month,value\n2026-01,=1+1\n",
    "a zip that is no workbook": lambda: _zip({"readme.txt": "hello"}),
    "a zip bomb": lambda: _zip({"xl/workbook.xml": "<x/>", "xl/worksheets/sheet1.xml": b"0" * (100 * 1024 * 1024)}),
    "a truncated workbook": lambda: _workbook_bytes()[:500],
    "an empty workbook": _workbook_bytes,
}


@pytest.mark.parametrize("kind", BAD_WORKBOOKS)
def test_a_bad_excel_upload_is_a_clear_chinese_400(world, kind):
    from reports.models import ReportValue

    client = client_for(world, "tongliang")
    before = list(ReportValue.objects.values_list("pk", "value"))
    month = month_key()
    upload = _file("月报.xlsx", BAD_WORKBOOKS[kind](), XLSX_TYPE)
    response = client.post(reverse("reports:excel_upload"), {"month": month, "file": upload})
    assert response.status_code == 400, (kind, response.status_code)
    html = response.content.decode()
    assert re.search(r"不是有效的 Excel|不是本系统的填报模板|无法读取|内容过大|模板", html), kind
    assert list(ReportValue.objects.values_list("pk", "value")) == before


# --- oversize bodies --------------------------------------------------------------------------------------------------


def test_an_oversize_form_post_is_a_chinese_400_or_413(world, settings):
    client = client_for(world, "tongliang")
    big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post(reverse("branches:household_add"), {"head_name": big})
    assert response.status_code in (400, 413)
    assert re.search(r"[\u4e00-\u9fff]", response.content.decode())


def test_too_many_form_fields_is_a_chinese_400(world, settings):
    client = client_for(world, "tongliang")
    data = {f"f{i}": "1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 10)}
    response = client.post(reverse("branches:household_add"), data)
    assert response.status_code == 400
    assert re.search(r"[\u4e00-\u9fff]", response.content.decode())


def test_an_oversize_json_body_is_a_chinese_413(world, settings):
    client = client_for(world, "tongliang")
    body = '{"values": {"x": "' + "9" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + '"}}'
    url = f"/api/v1/reports/{world.village.pk}/industry/{month_key()}/"
    response = client.put(url, body, content_type="application/json")
    assert response.status_code == 413
    assert re.search(r"[\u4e00-\u9fff]", response.json()["detail"])


def test_an_oversize_upload_is_refused_before_it_is_read(world, settings):
    client = client_for(world, "tongliang")
    record = world.records[next(m for m in world.records if m._meta.label == "environment.CleanupRecord")]
    huge = _file("big.jpg", b"\xff" * (settings.JINGZI_MAX_UPLOAD_BYTES + 1), "image/jpeg")
    response = client.post(f"/api/v1/environment/cleanups/{record.pk}/photos/", {"photos": [huge]})
    assert response.status_code == 413
    assert re.search(r"[\u4e00-\u9fff]", response.json()["detail"])


# --- odd query strings ------------------------------------------------------------------------------------------------

ODD_QUERIES = [
    "unit=abc&period=2026-13&month=2026-00&year=abc&page=-1&work_line=nope&parent=abc&town=abc&station=1e9&under=x"
    "&status=%3Cscript%3E&q=%27%22%3C%3E&sort=abc&ordering=-nope&kind=nope&date_from=2026-02-31&village=abc",
    "unit=99999999999999999999&period=%00&month=%E2%80%AE&year=99999&page=99999&parent=-1&under=1.5&village=-1"
    "&station=99999999999999999999&export=xlsx",
]


def test_odd_query_strings_never_break_a_page(world):
    """Every page of the URL conf, with nonsense in the query parameters the views and filters read."""
    found = []
    for role in ("tongliang",):
        client = client_for(world, role)
        for route in page_routes():
            url = page_url(route, world)
            for query in ODD_QUERIES:
                answer = ask(client, "get", f"{url}?{query}")
                if answer.status >= 500:
                    found.append(f"{role} {route.name}?{query}: {answer.status} {answer.error}")
    assert not found, "\n".join(found)


# --- where a form sends the browser back ------------------------------------------------------------------------------


@pytest.mark.parametrize("elsewhere", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_a_next_pointing_elsewhere_stays_on_the_site(world, elsewhere):
    """Forms that go back to `next` after saving: a `next` off the site is ignored (no open redirect)."""
    client = client_for(world, "admin")
    problem = world.records[next(m for m in world.records if m._meta.label == "industry.Problem")]
    report = world.records[next(m for m in world.records if m._meta.label == "reports.MonthlyReport")]
    posts = [
        (reverse("reports:notifications_read"), {"next": elsewhere}),
        (reverse("industry:problem_status", args=[problem.pk]), {"status": "in_progress", "next": elsewhere}),
        (reverse("reports:action", args=[report.unit_id, report.work_line, report.month_key, "approve"]),
         {"next": elsewhere}),
    ]  # fmt: skip
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/") and not response["Location"].startswith("//"), url
