"""The three kinds of 500 a county auditor's fuzzing found (issue 19), each checked the way a caller meets it: an
out-of-range year, date or id in a list's query string (API, page, Excel export); an action POST whose JSON body is
not an object; a JSON body nested thousands deep, sent to the token endpoint without any login. Each is a 400 with a
Chinese message. Then what was saved although nonsense (dates in year 1 and 1800, a phone that is no phone, a note
no person writes), refused by the ranges declared on the model fields; and uploaded files not served under /media/.

Each test loops over its cases inside one town (the fixtures are the costly part)."""

import importlib
import json

import pytest
from django.test import override_settings
from django.urls import clear_url_caches, reverse
from rest_framework.test import APIClient

from reports.monthly.services import report_open
from reports.periods import last_complete_month, month_key

pytestmark = pytest.mark.django_db


def has_chinese(text):
    return any("\u4e00" <= char <= "\u9fff" for char in text)


@pytest.fixture
def api(users):
    client = APIClient()
    client.force_authenticate(users.tongliang)
    return client


OUT_OF_RANGE = ["year=99999", "year=0", "year=-5", "date_after=0001-01-01", "date_before=9999-12-31",
                "village=99999999999999999999", "under=1e400", "under=99999999999999999999"]  # fmt: skip


def test_an_out_of_range_filter_is_a_chinese_400_in_the_api(api):
    for query in OUT_OF_RANGE:
        response = api.get(f"/api/v1/industry/incomes/?{query}")
        assert response.status_code == 400, (query, response.content[:300])
        assert has_chinese(json.dumps(response.json(), ensure_ascii=False)), query
    assert api.get("/api/v1/industry/incomes/?year=2025&date_after=2025-01-01").status_code == 200


def test_an_out_of_range_filter_is_a_chinese_400_on_the_page_and_its_export(login, users):
    client = login(users.tongliang)
    for query in ("year=99999", "date_after=0001-01-01", "under=99999999999999999999"):
        for export in ("", "&export=xlsx"):
            response = client.get(reverse("industry:incomeentry_list") + "?" + query + export)
            assert response.status_code == 400, (query, export)
            assert response["Content-Type"].startswith("text/html")
            assert "筛选条件有误" in response.content.decode()
    export = client.get(reverse("industry:incomeentry_list") + "?year=2025&export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_page_reading_its_year_by_hand_refuses_an_out_of_range_one(login, users, town):
    client = login(users.tongliang)
    response = client.get(reverse("industry:economy", args=[town.tongliang.unit.pk]) + "?year=99999")
    assert response.status_code == 400
    assert "年份“99999”不正确" in response.content.decode()


def test_an_action_post_whose_body_is_not_an_object_is_a_chinese_400(api, town):
    """The submit action read `request.data.get("version")`: a list was an AttributeError."""
    report_open(unit=town.tongliang.unit, work_line="industry", month=last_complete_month())
    url = f"/api/v1/reports/{town.tongliang.unit.pk}/industry/{month_key(last_complete_month())}/submit/"
    for body in ("[1, 2]", '"text"', "3", "null"):
        response = api.post(url, body, content_type="application/json")
        assert response.status_code == 400, (body, response.content[:300])
        assert "JSON 对象" in response.json()["detail"]


def test_a_deeply_nested_body_to_the_token_endpoint_is_a_chinese_400(users):
    for opening, closing in (("[", "]"), ('{"a":', "}")):
        body = opening * 100_000 + "1" + closing * 100_000
        response = APIClient().post("/api/v1/auth/token/", body, content_type="application/json")
        assert response.status_code == 400
        assert "嵌套过深" in response.json()["detail"]
    sane = {"username": "tongliang", "password": "test-pass-2026", "nested": {"a": [[["a", "[[[[{{{{"]]]}}
    assert APIClient().post("/api/v1/auth/token/", sane, format="json").json()["token"]


# --- saved although nonsense: the ranges declared on the model fields hold in the API and on the page -----------------


def income(unit, **changes):
    return {"unit": unit.pk, "date": "2025-03-01", "source": "business", "amount": "1000.00", "note": "", **changes}


def test_a_nonsense_ledger_entry_is_refused_by_the_api(api, town):
    unit = town.tongliang.unit
    for changes in ({"date": "0001-01-01"}, {"date": "1800-06-01"}, {"date": "2999-01-01"}, {"note": "字" * 201}):
        response = api.post("/api/v1/industry/incomes/", income(unit, **changes), format="json")
        assert response.status_code == 400, changes
        [field] = changes
        assert has_chinese(" ".join(response.json()[field])), changes
    response = api.post("/api/v1/industry/incomes/", income(unit, date="2000-01-01", note="字" * 200), format="json")
    assert response.status_code == 201, response.content[:300]


def test_a_note_has_a_limit_nobody_reaches(api, town):
    url = f"/api/v1/households/{town.tongliang.households[0].pk}/"
    assert api.patch(url, {"note": "字" * 10_001}, format="json").status_code == 400
    assert api.patch(url, {"note": "字" * 10_000}, format="json").status_code == 200


def test_a_phone_that_is_no_phone_is_refused(api, town):
    url = f"/api/v1/households/{town.tongliang.households[0].pk}/"
    for phone in ("13812345678", "0738-6812345", "+86 138 1234 5678", "0738-6812345-801"):
        assert api.patch(url, {"phone": phone}, format="json").status_code == 200, phone
    for phone in ("12345", "电话号码", "1381234567890", "<script>"):
        response = api.patch(url, {"phone": phone}, format="json")
        assert response.status_code == 400, phone
        assert "不是有效的电话号码" in " ".join(response.json()["phone"])


def test_a_member_born_or_joined_before_its_time_is_refused_on_the_page(login, users, town):
    member = town.tongliang.member
    client = login(users.tongliang)
    for birth_date, joined_date in (("1899-12-31", ""), ("1960-01-01", "1920-07-01")):
        response = client.post(reverse("branches:partymember_edit", args=[member.pk]), {
            "organisation": town.tongliang.organisation.pk, "name": member.name, "gender": "",
            "birth_date": birth_date, "joined_date": joined_date, "phone": "",
        })  # fmt: skip
        assert response.status_code == 400
        assert "日期不能早于" in response.content.decode()


@pytest.mark.parametrize("debug", [False, True])
def test_uploaded_files_are_not_served_under_media(client, settings, tmp_path, debug):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "secret.jpg").write_bytes(b"\xff\xd8\xff")
    import jingzi.urls

    with override_settings(DEBUG=debug):
        clear_url_caches()
        importlib.reload(jingzi.urls)  # the URL conf reads DEBUG when it is imported
        try:
            response = client.get("/media/photos/secret.jpg")
        finally:
            clear_url_caches()
            importlib.reload(jingzi.urls)
    assert response.status_code == 404
