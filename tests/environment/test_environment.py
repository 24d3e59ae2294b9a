"""The environment work line as its users meet it: a cleanup logged with photos flows into the month's report,
gaps in the four-level chain are listed and closed, uploads are checked, and other villages stay out of reach."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from PIL import Image
from rest_framework.test import APIClient

from branches.models import Assignment, Photo
from branches.selectors import households_without_keeper
from environment.models import CleanupRecord, VillageRules
from reports import periods
from reports.monthly import selectors, services

MONTH = periods.last_complete_month()
DAY = MONTH.replace(day=8)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def picture(name="现场.png", size=(640, 480), color=(30, 120, 60)):
    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def not_a_picture():
    return SimpleUploadedFile("照片.jpg", b"this is not a picture", content_type="image/jpeg")


def test_a_cleanup_with_photos_reaches_the_months_report(login, town, users):
    village = town.tongliang.unit
    client = login(users.tongliang)
    response = client.post("/environment/cleanups/add/", {
        "unit": town.tongliang.grid.pk, "date": DAY.isoformat(), "side": "water", "place": "观瑞河铜梁段",
        "garbage_tons": "3.5", "billboards": 2, "road_km": "0", "river_km": "0.8", "participants": 40,
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    record = CleanupRecord.objects.get()
    upload = client.post(f"/photos/attach/environment.cleanuprecord/{record.pk}/",
                         {"photos": [picture("before.png"), picture("after.jpg", color=(200, 200, 0))],
                          "stage": "after", "caption": "清淤后"})  # fmt: skip
    assert upload.status_code == 302
    photos = Photo.objects.filter(record_id=record.pk)
    assert photos.count() == 2 and all(p.thumbnail.size < p.image.size for p in photos)
    detail = client.get(f"/environment/cleanups/{record.pk}/").content.decode()
    assert detail.count("/thumb/") == 2 and "清淤后" in detail
    assert client.get(f"/photos/{photos[0].pk}/").status_code == 200

    entry = client.get(f"/reports/{village.pk}/environment/{MONTH:%Y-%m}/").content.decode()
    report = services.report_open(unit=village, work_line="environment", month=MONTH)
    values = {code: row.value for code, row in selectors.values_by_code(report).items()}
    assert values["env.garbage_tons"] == Decimal("3.5") and values["env.river_km"] == Decimal("0.8")
    assert values["env.billboards_removed"] == 2
    link = f"/environment/cleanups/?under={village.pk}&amp;date_after={MONTH.isoformat()}"
    assert link in entry
    rows = client.get(link.replace("&amp;", "&")).content.decode()
    assert f"/environment/cleanups/{record.pk}/" in rows


def test_uploads_refuse_non_images_and_oversize_files(login, town, users, settings):
    record = CleanupRecord.objects.create(unit=town.tongliang.unit, date=DAY, side="house", garbage_tons=1)
    client = login(users.tongliang)
    response = client.post(f"/photos/attach/environment.cleanuprecord/{record.pk}/", {"photos": [not_a_picture()]},
                           follow=True)  # fmt: skip
    assert "不是可识别的图片" in response.content.decode()
    from branches import photos as photo_service

    big = SimpleUploadedFile("大.png", b"0" * (photo_service.MAX_BYTES + 1), content_type="image/png")
    response = client.post(f"/photos/attach/environment.cleanuprecord/{record.pk}/", {"photos": [big]}, follow=True)
    assert "太大" in response.content.decode()
    mixed = [picture(), SimpleUploadedFile("a.gif", b"GIF89a-broken", content_type="image/gif")]
    client.post(f"/photos/attach/environment.cleanuprecord/{record.pk}/", {"photos": mixed})
    assert not Photo.objects.exists()  # one bad file: none saved

    api = APIClient()
    api.force_authenticate(users.tongliang)
    response = api.post(f"/api/v1/environment/cleanups/{record.pk}/photos/", {"photos": [not_a_picture()]},
                        format="multipart")  # fmt: skip
    assert response.status_code == 400 and "不是可识别的图片" in response.json()["photos"][0]
    ok = api.post(f"/api/v1/environment/cleanups/{record.pk}/photos/", {"photos": [picture()], "stage": "before"},
                  format="multipart")  # fmt: skip
    assert ok.status_code == 201 and ok.json()[0]["stage"] == "before"


def test_another_villages_records_and_photos_are_out_of_reach(login, town, users):
    theirs = CleanupRecord.objects.create(unit=town.yangqiu.unit, date=DAY, side="road", garbage_tons=9)
    from branches.photos import photos_attach

    photo = photos_attach(user=users.yangqiu, record=theirs, uploads=[picture()])[0]
    client = login(users.tongliang)
    assert client.get(f"/environment/cleanups/{theirs.pk}/").status_code == 404
    assert client.get(f"/photos/{photo.pk}/").status_code == 404
    assert client.get(f"/photos/{photo.pk}/thumb/").status_code == 404
    assert (
        client.post(f"/photos/attach/environment.cleanuprecord/{theirs.pk}/", {"photos": [picture()]}).status_code
        == 404
    )
    assert client.get(f"/environment/village/{town.yangqiu.unit.pk}/").status_code == 404
    sheet = load_workbook(BytesIO(client.get("/environment/cleanups/?export=xlsx").content)).active
    assert sheet.max_row == 1  # the header alone: nothing of 杨球村
    api = APIClient()
    api.force_authenticate(users.tongliang)
    assert api.get("/api/v1/environment/cleanups/").json()["count"] == 0
    assert api.get(f"/api/v1/environment/cleanups/{theirs.pk}/photos/").status_code == 404
    created = api.post("/api/v1/environment/cleanups/", {"unit": town.yangqiu.unit.pk, "date": DAY.isoformat(),
                                                         "side": "road", "garbage_tons": 1})  # fmt: skip
    assert created.status_code == 400 and "unit" in created.json()


def test_a_household_nobody_answers_for_is_a_gap_until_a_member_takes_it(login, town, users):
    household = town.tongliang.households[0]
    assert household in households_without_keeper(users.tongliang)
    client = login(users.tongliang)
    gaps = client.get(f"/environment/gaps/?under={town.tongliang.unit.pk}").content.decode()
    assert household.head_name in gaps
    village_page = client.get(f"/environment/village/{town.tongliang.unit.pk}/").content.decode()
    assert 'data-stat="gaps">3<' in village_page

    detail = client.get(f"/households/{household.pk}/").content.decode()
    assert "四级联动责任链" in detail and "未落实" in detail
    client.post(f"/households/{household.pk}/keeper/", {"member": town.tongliang.member.pk})
    assert Assignment.objects.filter(kind="household", household=household, member=town.tongliang.member).exists()
    assert household not in households_without_keeper(users.tongliang)
    gaps = client.get(f"/environment/gaps/?under={town.tongliang.unit.pk}").content.decode()
    assert household.head_name not in gaps
    detail = client.get(f"/households/{household.pk}/").content.decode()
    assert town.tongliang.member.name in detail[detail.index("四级联动责任链") :]
    other = town.yangqiu.households[0]
    assert client.post(f"/households/{other.pk}/keeper/", {"member": town.tongliang.member.pk}).status_code == 404


def test_the_chain_names_every_level(login, town, users):
    from branches.models import Cadre
    from branches.selectors import responsibility_chain

    leader = Cadre.objects.create(unit=town.unit, name="片区领导", is_leader=True)
    Assignment.objects.create(kind="area", unit=town.area, cadre=leader)
    Assignment.objects.create(kind="group", unit=town.tongliang.group, member=town.tongliang.member)
    household = town.tongliang.households[1]
    Assignment.objects.create(kind="household", unit=household.unit, household=household, member=town.tongliang.member)
    chain = {level.label: [str(p) for p in level.people] for level in responsibility_chain(household=household)}
    assert chain == {"包片": ["片区领导"], "包村": ["联村干部"], "包组": ["铜梁村党员"], "包户": ["铜梁村党员"]}


def test_village_rules_keep_every_version(login, town, users):
    client = login(users.tongliang)
    base = {
        "unit": town.tongliang.unit.pk,
        "title": "铜梁村村规民约",
        "adopted_on": (DAY - timedelta(days=300)).isoformat(),
    }
    client.post("/environment/rules/add/", {**base, "text": "第一条 门前三包。"})
    first = VillageRules.objects.get()
    client.post(f"/environment/rules/{first.pk}/edit/", {**base, "text": "第一条 门前三包。第二条 垃圾分类。",
                                                          "adopted_on": DAY.isoformat()})  # fmt: skip
    versions = list(VillageRules.objects.order_by("version").values_list("version", "text"))
    assert versions == [(1, "第一条 门前三包。"), (2, "第一条 门前三包。第二条 垃圾分类。")]
    page = client.get(f"/environment/village/{town.tongliang.unit.pk}/").content.decode()
    assert "第 2 版" in page and "垃圾分类" in page


def test_a_future_date_and_a_negative_ton_are_refused(town, users):
    api = APIClient()
    api.force_authenticate(users.tongliang)
    base = {"unit": town.tongliang.unit.pk, "date": DAY.isoformat(), "side": "road", "garbage_tons": "1"}
    for change, field in (({"garbage_tons": "-1"}, "garbage_tons"), ({"side": "sky"}, "side"),
                          ({"date": (periods.current_month() + timedelta(days=40)).isoformat()}, "date")):  # fmt: skip
        response = api.post("/api/v1/environment/cleanups/", {**base, **change})
        assert response.status_code == 400 and field in response.json(), change
    assert not CleanupRecord.objects.exists()
