"""Issuing (签发) the 工作简报 from its page: the issued brief takes the next 期号 of its unit in the register and
downloads with it in its masthead; the draft download takes none; only a leader or the admin issues."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from reports import worklines
from reports.documents.layout import DOCX_TYPE
from reports.models import IssuedDocument
from tests import gbt9704

pytestmark = pytest.mark.django_db


def brief_form(unit, title):
    form = {"unit": unit.pk, "period": "2025-YTD", "title": title, "opening": "开篇。", "closing": "结尾。"}
    for code, label in worklines.choices():
        form[f"heading_{code}"], form[f"body_{code}"] = f"“{label}”", f"{label}的正文。"
    return form


def test_issuing_the_brief_twice_gives_consecutive_numbers_and_a_draft_none(town, users, login):
    client = login(users.leader)
    draft = client.post("/reports/brief/", brief_form(town.unit, "井字镇工作简报"))
    gbt9704.check_head(gbt9704.read(draft.content), "工作简报", "第　　期")
    assert not IssuedDocument.objects.exists()  # a draft takes no number
    numbers = []
    for title in ("井字镇工作简报（一）", "井字镇工作简报（二）"):
        response = client.post("/reports/brief/", {**brief_form(town.unit, title), "issue": "1"})
        assert response.status_code == 200 and response["Content-Type"] == DOCX_TYPE
        document = gbt9704.read(response.content)
        gbt9704.check_layout(document)
        numbers.append(gbt9704.check_head(document, "工作简报", f"第{len(numbers) + 1}期").text)
    assert numbers == ["第1期", "第2期"]
    issued = list(IssuedDocument.objects.order_by("number").values_list("number", "reference", "title", "unit"))
    assert issued == [(1, "第1期", "井字镇工作简报（一）", town.unit.pk),
                      (2, "第2期", "井字镇工作简报（二）", town.unit.pk)]  # fmt: skip
    # The register lists both, searchable, exported, each downloadable as the file that went out.
    page = client.get("/reports/documents/").content.decode()
    assert "井字镇工作简报（一）" in page and "井字镇工作简报（二）" in page and "第2期" in page
    found = client.get("/reports/documents/", {"q": "（二）"}).content.decode()
    assert "井字镇工作简报（二）" in found and "井字镇工作简报（一）" not in found
    sheet = load_workbook(BytesIO(client.get("/reports/documents/", {"export": "xlsx"}).content)).active
    cells = {str(cell) for row in sheet.iter_rows(values_only=True) for cell in row}
    assert {"第1期", "第2期", "井字镇工作简报（一）", "井字镇工作简报（二）"} <= cells
    second = IssuedDocument.objects.get(number=2)
    download = client.get(f"/reports/documents/{second.pk}/")
    gbt9704.check_head(gbt9704.read(download.content), "工作简报", "第2期")


def test_a_secretary_or_a_cadre_cannot_issue(town, users, login):
    refused = login(users.tongliang).post("/reports/brief/", {**brief_form(town.tongliang.unit, "简报"), "issue": "1"})
    assert refused.status_code == 403 and not IssuedDocument.objects.exists()
    form = {**brief_form(town.tongliang.unit, "铜梁村简报（签发）"), "issue": "1"}
    assert login(users.cadre).post("/reports/brief/", form).status_code == 403
    assert not IssuedDocument.objects.exists()
    # The admin issues the village's brief: the village's secretary finds it in his register.
    issued = login(users.admin).post("/reports/brief/", form)
    gbt9704.check_head(gbt9704.read(issued.content), "工作简报", "第1期")
    assert "铜梁村简报（签发）" in login(users.tongliang).get("/reports/documents/").content.decode()


def test_the_print_view_has_the_word_files_parts_in_order(town, users, login):
    client = login(users.leader)
    form = brief_form(town.unit, "井字镇工作简报")
    html = client.post("/reports/brief/", {**form, "print": "1"}).content.decode()
    gbt9704.check_print_matches(html, gbt9704.read(client.post("/reports/brief/", form).content))
    assert not IssuedDocument.objects.exists()
