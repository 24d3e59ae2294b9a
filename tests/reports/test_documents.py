"""The documents the office sends (reports/documents/): one layout after GB/T 9704-2012, read back from the file as
Word would read it (tests/gbt9704.py); the 文号 register — a number given when a document is issued, never on a
draft, per unit, year and kind, never twice — and its page (search, filters, Excel export, downloads), scoped."""

from datetime import date
from io import BytesIO

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from openpyxl import load_workbook

from reports.documents import services
from reports.documents.layout import DOCX_TYPE, OfficialDocument
from reports.models import IssuedDocument
from tests import gbt9704

pytestmark = pytest.mark.django_db

Kind = IssuedDocument.Kind


def a_document(reference="井发〔2026〕12号"):
    document = OfficialDocument()
    document.head(mark="中共双峰县井字镇委员会文件", number=reference)
    document.title("关于开展人居环境整治的通知")
    document.addressee("各村（社区）党组织")
    document.heading("一、总体要求", level=1)
    document.heading("（一）工作目标", level=2)
    document.paragraph("屋边清整、路边清洁、水边清爽。")
    document.table(["村（社区）", "得分"], [["铜梁村", "95"], ["杨球村", "88"]], fills=["E8F5E9", None])
    document.signature("中共双峰县井字镇委员会", date(2026, 12, 6))
    return gbt9704.read(document.save())


def test_a_document_is_laid_out_as_the_standard_says():
    document = a_document()
    gbt9704.check_layout(document)
    gbt9704.check_head(document, "中共双峰县井字镇委员会文件", "井发〔2026〕12号")
    texts = [paragraph.text for paragraph in document.paragraphs]
    gbt9704.check_title(document.paragraphs[texts.index("关于开展人居环境整治的通知")], "关于开展人居环境整治的通知")
    assert "各村（社区）党组织：" in texts
    first, second = (document.paragraphs[texts.index(text)] for text in ("一、总体要求", "（一）工作目标"))
    assert gbt9704.east_asian_font(first.runs[0]) == "黑体" and gbt9704.east_asian_font(second.runs[0]) == "楷体_GB2312"
    # 落款: the body two characters in from the right; the date (Arabic figures) below it, shifted right two.
    name, day = (document.paragraphs[texts.index(text)] for text in ("中共双峰县井字镇委员会", "2026年12月6日"))
    assert name.paragraph_format.right_indent.pt == 32 and day.paragraph_format.right_indent.pt == 16 * 4.5
    table = document.tables[0]
    assert [cell.text for cell in table.rows[1].cells] == ["铜梁村", "95"]


def test_a_long_name_is_set_smaller_to_fit_the_width_in_red():
    document = OfficialDocument()
    document.head(mark="中共双峰县井字镇委员会办公室文件", number="井办〔2026〕1号")
    top = gbt9704.read(document.save()).paragraphs[0]
    assert 15 * top.runs[0].font.size.pt <= 156 / 25.4 * 72  # 15 characters within the 156 mm 版心
    assert str(top.runs[0].font.color.rgb) == gbt9704.RED


# --- the register --------------------------------------------------------------------------------------------------


def issue(unit, user, kind=Kind.FA, title="通知"):
    return services.document_issue(unit=unit, kind=kind, title=title, filename=title, user=user,
                                   build=lambda reference, number, day: reference.encode())  # fmt: skip


def test_numbers_are_per_unit_year_and_kind_and_printed_with_the_units_code(town, users):
    town.unit.doc_prefix = "井"
    town.unit.save()
    first, second = issue(town.unit, users.leader), issue(town.unit, users.admin)
    office = issue(town.unit, users.leader, kind=Kind.BAN)
    year = timezone.localdate().year
    assert (first.number, second.number, office.number) == (1, 2, 1)
    assert [first.reference, second.reference, office.reference] == [f"井发〔{year}〕1号", f"井发〔{year}〕2号",
                                                                     f"井办〔{year}〕1号"]  # fmt: skip
    assert bytes(second.content) == second.reference.encode()  # the file is written with its own number
    assert issue(town.tongliang.unit, users.admin, kind=Kind.JIANBAO).reference == "第1期"


def test_a_number_is_never_given_twice(town, users):
    town.unit.doc_prefix = "井"
    town.unit.save()
    issued = issue(town.unit, users.leader)
    with pytest.raises(IntegrityError), transaction.atomic():
        IssuedDocument.objects.create(
            unit=town.unit, kind=Kind.FA, year=issued.year, number=issued.number, reference="x", title="x",
            issued_on=issued.issued_on, filename="x.docx",
        )  # fmt: skip


def test_a_unit_without_its_code_or_a_secretary_issues_nothing(town, users):
    with pytest.raises(ValidationError, match="发文机关代字"):
        issue(town.unit, users.admin)
    with pytest.raises(PermissionDenied):
        issue(town.tongliang.unit, users.tongliang, kind=Kind.JIANBAO)
    with pytest.raises(PermissionDenied):  # a cadre reviews his villages' reports but signs nothing off
        issue(town.tongliang.unit, users.cadre, kind=Kind.JIANBAO)
    assert not IssuedDocument.objects.exists()


def test_the_register_lists_searches_exports_and_downloads(town, users, login):
    town.unit.doc_prefix = "井"
    town.unit.save()
    first = issue(town.unit, users.leader, title="关于春耕的通知")
    second = issue(town.unit, users.leader, kind=Kind.TONGBAO, title="关于11月工作的通报")
    client = login(users.leader)
    page = client.get("/reports/documents/").content.decode()
    assert first.reference in page and "关于春耕的通知" in page and second.reference in page
    found = client.get("/reports/documents/", {"q": "通报"}).content.decode()
    assert "关于11月工作的通报" in found and "关于春耕的通知" not in found
    by_kind = client.get("/reports/documents/", {"kind": Kind.FA}).content.decode()
    assert "关于春耕的通知" in by_kind and "关于11月工作的通报" not in by_kind
    sheet = load_workbook(BytesIO(client.get("/reports/documents/", {"export": "xlsx"}).content)).active
    cells = {str(cell) for row in sheet.iter_rows(values_only=True) for cell in row}
    assert {first.reference, second.reference, "关于春耕的通知", "关于11月工作的通报"} <= cells
    download = client.get(f"/reports/documents/{second.pk}/")
    assert download["Content-Type"] == DOCX_TYPE and download.content == second.reference.encode()


def test_a_secretary_sees_only_his_villages_documents(town, users, login):
    own = issue(town.tongliang.unit, users.admin, kind=Kind.JIANBAO, title="铜梁村简报")
    other = issue(town.yangqiu.unit, users.admin, kind=Kind.JIANBAO, title="杨球村简报")
    client = login(users.tongliang)
    page = client.get("/reports/documents/").content.decode()
    assert "铜梁村简报" in page and "杨球村简报" not in page
    exported = load_workbook(BytesIO(client.get("/reports/documents/", {"export": "xlsx"}).content)).active
    cells = {str(cell) for row in exported.iter_rows(values_only=True) for cell in row}
    assert "铜梁村简报" in cells and "杨球村简报" not in cells
    assert client.get(f"/reports/documents/{own.pk}/").status_code == 200
    assert client.get(f"/reports/documents/{other.pk}/").status_code == 404


def test_the_print_stylesheet_has_the_page_of_the_standard():
    css = (settings.BASE_DIR / "static" / "css" / "official_print.css").read_text()
    assert "size: A4" in css and "margin: 37mm 26mm 35mm 28mm" in css
    assert '@bottom-right { content: "— " counter(page) " —"' in css and "@bottom-left" in css
    assert "line-height: 28.95pt" in css and "font-size: 16pt" in css


def test_the_admin_sets_the_units_issuing_name_and_code_on_its_page(town, users, login):
    """The 版头's body and the 文号's 代字 are the unit's data, edited on the unit's page (or the Django admin)."""
    client = login(users.admin)
    assert "发文机关代字" in client.get(f"/units/{town.unit.pk}/edit/").content.decode()
    form = {"name": "井字镇", "code": town.unit.code, "note": "", "issuing_name": "中共双峰县井字镇委员会",
            "doc_prefix": "井"}  # fmt: skip
    assert client.post(f"/units/{town.unit.pk}/edit/", form).status_code == 302
    town.unit.refresh_from_db()
    assert (town.unit.issuing_name, town.unit.doc_prefix) == ("中共双峰县井字镇委员会", "井")
    assert issue(town.unit, users.leader).reference == f"井发〔{timezone.localdate().year}〕1号"
