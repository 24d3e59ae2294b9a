"""Disputes and petitions: the monthly table comes out of the cases, and the parties' personal data is masked for a
role that may read the case but has no need for the people — on the page, in its history, in the export and API."""

from datetime import timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from branches.masking import mask_name, mask_number
from branches.models import PersonalDataAccess
from governance.models import DisputeCase, PetitionCase
from reports import periods
from reports.monthly import selectors, services

MONTH = periods.last_complete_month()
DAY = MONTH.replace(day=9)


@pytest.fixture
def case(town, users):
    return DisputeCase.objects.create(
        unit=town.yangqiu.unit, kind="land", summary="宅基地界址纠纷", parties="张德福、李桂英",
        party_phones="13812345678", party_ids="430321196501011234", received_on=DAY, deadline=DAY + timedelta(days=30),
        mediator="调解员",
    )  # fmt: skip


def test_masking_rules():
    assert mask_name("张德福、李桂英") == "张**、李**" and mask_name("欧阳修") == "欧**" and mask_name("") == ""
    assert mask_number("13812345678") == "138****5678" and mask_number("430321196501011234") == "430***********1234"
    assert mask_number("13812345678、13987654321") == "138****5678、139****4321"


def test_parties_are_masked_for_the_leader_but_whole_for_the_villages_secretary(login, town, users, case):
    leader = login(users.leader)
    listing = leader.get("/governance/disputes/").content.decode()
    assert "张**、李**" in listing and "张德福" not in listing
    detail = leader.get(f"/governance/disputes/{case.pk}/").content.decode()
    assert "张德福" not in detail and "13812345678" not in detail and "430321196501011234" not in detail
    assert "138****5678" in detail
    sheet = load_workbook(BytesIO(leader.get("/governance/disputes/?export=xlsx").content)).active
    exported = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "张**、李**" in exported and not any("张德福" in str(cell) for cell in exported)

    api = APIClient()
    api.force_authenticate(users.leader)
    row = api.get(f"/api/v1/governance/disputes/{case.pk}/").json()
    assert row["parties"] == "张**、李**" and row["party_phones"] == "138****5678"
    assert row["party_ids"] == "430***********1234"

    secretary = login(users.yangqiu)
    assert "张德福、李桂英" in secretary.get(f"/governance/disputes/{case.pk}/").content.decode()
    own_api = APIClient()
    own_api.force_authenticate(users.yangqiu)
    assert own_api.get(f"/api/v1/governance/disputes/{case.pk}/").json()["parties"] == "张德福、李桂英"


def test_history_does_not_reveal_a_masked_party(login, town, users, case):
    secretary = login(users.yangqiu)
    secretary.post(f"/governance/disputes/{case.pk}/edit/", {
        "unit": town.yangqiu.unit.pk, "kind": "land", "summary": case.summary, "parties": "张德福、李桂英、王五",
        "received_on": DAY.isoformat(), "result": "pending",
    })  # fmt: skip
    case.refresh_from_db()
    assert case.parties.endswith("王五")
    detail = login(users.leader).get(f"/governance/disputes/{case.pk}/").content.decode()
    history = detail[detail.index("修改记录") :]
    assert "王五" not in history and "张**、李**、王*" in history


def test_searching_by_a_partys_name_finds_nothing_for_a_masked_reader(login, town, users, case):
    assert "宅基地界址纠纷" not in login(users.leader).get("/governance/disputes/?q=张德福").content.decode()


def test_the_monthly_table_and_the_figures_come_out_of_the_cases(login, town, users, case):
    DisputeCase.objects.create(unit=town.yangqiu.unit, kind="neighbour", summary="噪音", parties="赵甲",
                               received_on=DAY, deadline=DAY, result="success",
                               closed_on=DAY + timedelta(days=2))  # fmt: skip
    DisputeCase.objects.create(unit=town.yangqiu.unit, kind="neighbour", summary="漏水", parties="钱乙",
                               received_on=DAY, deadline=DAY, result="transferred",
                               closed_on=DAY + timedelta(days=3))  # fmt: skip
    page = login(users.leader).get(f"/governance/disputes/monthly/?month={MONTH:%Y-%m}").content.decode()
    assert 'data-total="received">3<' in page and 'data-total="success">1<' in page
    PetitionCase.objects.create(unit=town.unit, title="老积案", petitioner="孙丙",
                                received_on=DAY - timedelta(days=400), taken_on=DAY, deadline=DAY,
                                status="resolved", resolved_on=DAY)  # fmt: skip
    report = services.report_open(unit=town.yangqiu.unit, work_line="governance", month=MONTH)
    values = {code: row.value for code, row in selectors.values_by_code(report).items()}
    assert values["gov.disputes_mediated"] == 2 and values["gov.disputes_resolved"] == 1
    town_report = services.report_open(unit=town.unit, work_line="governance", month=MONTH)
    assert selectors.values_by_code(town_report)["gov.petitions_resolved"].value == 1


def test_a_settled_case_needs_its_closing_date(town, users):
    api = APIClient()
    api.force_authenticate(users.tongliang)
    response = api.post("/api/v1/governance/disputes/", {
        "unit": town.tongliang.unit.pk, "kind": "family", "summary": "x", "parties": "y",
        "received_on": DAY.isoformat(), "result": "success",
    })  # fmt: skip
    assert response.status_code == 400 and "办结日期" in response.json()["closed_on"][0]


def test_each_party_phone_is_checked_and_several_are_masked_one_by_one(login, town, users, case):
    api = APIClient()
    api.force_authenticate(users.yangqiu)
    url = f"/api/v1/governance/disputes/{case.pk}/"
    refused = api.patch(url, {"party_phones": "13812345678、12345"}, format="json")
    assert refused.status_code == 400 and "“12345”不是有效的电话号码" in refused.json()["party_phones"][0]
    refused = api.patch(url, {"party_phones": "13812345678，phone"}, format="json")
    assert refused.status_code == 400 and "“phone”不是有效的电话号码" in refused.json()["party_phones"][0]
    page = login(users.yangqiu).post(f"/governance/disputes/{case.pk}/edit/", {
        "unit": case.unit_id, "kind": case.kind, "summary": case.summary, "parties": case.parties,
        "party_phones": "13812345678; 0738-1234567; 999", "party_ids": case.party_ids,
        "received_on": case.received_on.isoformat(), "deadline": case.deadline.isoformat(), "mediator": case.mediator,
        "steps": "", "result": case.result, "closed_on": ""})  # fmt: skip
    assert page.status_code == 400 and "“999”不是有效的电话号码" in page.content.decode()
    assert DisputeCase.objects.get(pk=case.pk).party_phones == "13812345678"

    several = "13812345678、0738-1234567，+8613987654321"
    assert api.patch(url, {"party_phones": several}, format="json").status_code == 200
    assert DisputeCase.objects.get(pk=case.pk).party_phones == several
    leader = APIClient()
    leader.force_authenticate(users.leader)
    assert leader.get(url).json()["party_phones"] == "138****5678、073*****4567，+86*******4321"


def test_the_api_unmasks_with_a_reason_and_records_the_look_as_the_page_does(town, users, case):
    leader = APIClient()
    leader.force_authenticate(users.leader)
    url = f"/api/v1/governance/disputes/{case.pk}/unmask/"
    refused = leader.post(url, {}, format="json")
    assert refused.status_code == 400 and refused.json()["reason"] == ["请说明查看完整信息的事由。"]
    assert leader.post(url, {"reason": "  "}, format="json").status_code == 400
    assert not PersonalDataAccess.objects.exists()

    shown = leader.post(url, {"reason": "包案领导需电话联系当事人"}, format="json")
    assert shown.status_code == 200
    row = shown.json()
    assert row["parties"] == "张德福、李桂英" and row["party_phones"] == "13812345678"
    assert row["party_ids"] == "430321196501011234"
    access = PersonalDataAccess.objects.get()
    assert (access.user, access.record_id, access.reason) == (users.leader, case.pk, "包案领导需电话联系当事人")
    assert "当事人电话" in access.fields
    assert leader.get(f"/api/v1/governance/disputes/{case.pk}/").json()["party_phones"] == "138****5678"  # once

    outsider = APIClient()
    outsider.force_authenticate(users.tongliang)  # 铜梁村's secretary: 杨球村's case is not his to see
    assert outsider.post(url, {"reason": "想看看"}, format="json").status_code == 404
    assert PersonalDataAccess.objects.count() == 1
