"""支部建设's roll: 党费 (the arrears rule, the collection rate, the month's sheet), 民主评议 (once a year),
发展党员 (the statutory checks, through the page and the API alike), 换届 (the reminder) and the secretary's
handover; each scoped to the village, with people's numbers masked for a reader who may not change the row."""

from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from branches.models import PartyMember, User
from partylife import selectors
from partylife.models import Applicant, Appraisal, DuesPayment, Term
from reports import worklines
from reports.derive import figure
from reports.plugins import add_months
from reports.registry import registry
from reports.today import today_for

pytestmark = pytest.mark.django_db

APPLICANTS, APPLICANTS_API = "/party/applicants/", "/api/v1/party/applicants/"
DUES, DUES_API = "/party/dues/", "/api/v1/party/dues/"


def member(village, name, joined=date(2010, 7, 1), **extra):
    return PartyMember.objects.create(unit=village.unit, organisation=village.organisation, name=name,
                                      joined_date=joined, **extra)  # fmt: skip


def applicant_form(village, **dates):
    data = {"organisation": village.organisation.pk, "name": "李积极", "gender": "M", "birth_date": "1995-05-01",
            "id_number": "430123199505011234", "phone": "13812345678", "applied_on": "2024-01-10"}  # fmt: skip
    data.update(dates)
    return data


# --- 发展党员: the statutory checks ---------------------------------------------------------------------------------


@pytest.fixture
def tl(users, login):
    return login(users.tongliang)


def test_the_page_refuses_a_candidate_under_a_year_and_accepts_one_at_exactly_a_year(town, tl):
    early = tl.post(reverse("partylife:applicant_add"),
                    applicant_form(town.tongliang, activist_on="2025-03-01", candidate_on="2026-02-28"))  # fmt: skip
    assert early.status_code == 400
    text = early.content.decode()
    assert "确定为发展对象须在列为入党积极分子满一年后：积极分子日期 2025-03-01，最早 2026-03-01" in text
    assert not Applicant.objects.exists()
    exact = tl.post(reverse("partylife:applicant_add"),
                    applicant_form(town.tongliang, activist_on="2025-03-01", candidate_on="2026-03-01"))  # fmt: skip
    assert exact.status_code == 302
    saved = Applicant.objects.get()
    assert saved.stage == Applicant.Stage.CANDIDATE and saved.unit == town.tongliang.unit


def test_the_api_refuses_a_candidate_under_a_year_with_the_field_error_and_accepts_one_at_a_year(town, tl):
    payload = {**applicant_form(town.tongliang), "activist_on": "2025-03-01", "candidate_on": "2025-12-31"}
    refused = tl.post(APPLICANTS_API, payload, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["candidate_on"] == [
        "确定为发展对象须在列为入党积极分子满一年后：积极分子日期 2025-03-01，最早 2026-03-01。"
    ]
    assert not Applicant.objects.exists()
    accepted = tl.post(APPLICANTS_API, {**payload, "candidate_on": "2026-03-01"}, content_type="application/json")
    assert accepted.status_code == 201, accepted.content
    assert accepted.json()["stage"] == "candidate"
    changed = tl.patch(f"{APPLICANTS_API}{accepted.json()['id']}/", {"candidate_on": "2026-02-01"},
                       content_type="application/json")  # fmt: skip
    assert changed.status_code == 400 and "candidate_on" in changed.json()
    assert Applicant.objects.get().candidate_on == date(2026, 3, 1)


def test_an_applicant_must_be_eighteen_when_applying(town, tl):
    young = tl.post(APPLICANTS_API, {**applicant_form(town.tongliang), "birth_date": "2006-05-02",
                                     "applied_on": "2024-05-01"}, content_type="application/json")  # fmt: skip
    assert young.status_code == 400
    assert young.json()["applied_on"] == ["递交入党申请须年满十八周岁：出生日期 2006-05-02，最早 2024-05-02 可递交。"]
    of_age = tl.post(APPLICANTS_API, {**applicant_form(town.tongliang), "birth_date": "2006-05-01",
                                      "applied_on": "2024-05-01"}, content_type="application/json")  # fmt: skip
    assert of_age.status_code == 201, of_age.content


def test_steps_are_dated_in_order_and_none_skipped(town, tl):
    skipped = tl.post(APPLICANTS_API, {**applicant_form(town.tongliang), "candidate_on": "2025-03-01"},
                      content_type="application/json")  # fmt: skip
    assert skipped.status_code == 400 and "请先填写“列为入党积极分子”的日期" in skipped.json()["candidate_on"][0]
    backwards = tl.post(APPLICANTS_API, {**applicant_form(town.tongliang), "activist_on": "2023-12-01"},
                        content_type="application/json")  # fmt: skip
    assert backwards.status_code == 400 and "不能早于“递交入党申请”" in backwards.json()["activist_on"][0]


def probationary(village, **dates):
    return {**applicant_form(village), "activist_on": "2024-03-01", "candidate_on": "2025-03-01",
            "probationary_on": "2025-06-01", **dates}  # fmt: skip


def test_a_probationary_member_needs_two_full_members_as_introducers(town, tl):
    old_a, old_b = member(town.tongliang, "老党员甲"), member(town.tongliang, "老党员乙")
    recent = member(town.tongliang, "新党员", joined=date(2024, 12, 1))  # joined under a year before 2025-06-01
    one = tl.post(APPLICANTS_API, {**probationary(town.tongliang), "introducers": [old_a.pk]},
                  content_type="application/json")  # fmt: skip
    assert one.status_code == 400
    assert one.json()["introducers"] == ["接收为预备党员须有两名正式党员作入党介绍人（现为 1 名）。"]
    with_recent = tl.post(APPLICANTS_API, {**probationary(town.tongliang), "introducers": [old_a.pk, recent.pk]},
                          content_type="application/json")  # fmt: skip
    assert with_recent.status_code == 400 and "新党员" in with_recent.json()["introducers"][0]
    assert "预备党员不能作入党介绍人" in with_recent.json()["introducers"][0]
    page = tl.post(reverse("partylife:applicant_add"), {**probationary(town.tongliang), "introducers": [old_a.pk]})
    assert page.status_code == 400 and "须有两名正式党员作入党介绍人" in page.content.decode()
    two = tl.post(APPLICANTS_API, {**probationary(town.tongliang), "introducers": [old_a.pk, old_b.pk]},
                  content_type="application/json")  # fmt: skip
    assert two.status_code == 201, two.content
    saved = Applicant.objects.get()
    assert saved.stage == Applicant.Stage.PROBATIONARY
    assert set(saved.introducers.all()) == {old_a, old_b}


def test_the_probation_lasts_a_year(town, tl):
    a, b = member(town.tongliang, "甲"), member(town.tongliang, "乙")
    payload = {**probationary(town.tongliang), "introducers": [a.pk, b.pk]}
    early = tl.post(APPLICANTS_API, {**payload, "full_on": "2026-05-31"}, content_type="application/json")
    assert early.status_code == 400
    assert early.json()["full_on"] == ["预备期为一年：接收为预备党员日期 2025-06-01，最早 2026-06-01 可转为正式党员。"]
    done = tl.post(APPLICANTS_API, {**payload, "full_on": "2026-06-01"}, content_type="application/json")
    assert done.status_code == 201 and done.json()["stage"] == "full"


def test_applicants_are_scoped_and_their_numbers_masked_for_the_leader(town, users, login):
    row = Applicant.objects.create(unit=town.tongliang.unit, organisation=town.tongliang.organisation,
                                   name="铜梁申请人",
                                   birth_date=date(1990, 1, 1), applied_on=date(2024, 1, 1), phone="13812345678",
                                   id_number="430123199001011234")  # fmt: skip
    yq = login(users.yangqiu)
    assert "铜梁申请人" not in yq.get(APPLICANTS).content.decode()
    assert yq.get(f"{APPLICANTS}{row.pk}/").status_code == 404
    assert yq.get(APPLICANTS_API).json()["count"] == 0
    assert yq.get(f"{APPLICANTS_API}{row.pk}/").status_code == 404
    sheet = load_workbook(BytesIO(yq.get(f"{APPLICANTS}?export=xlsx").content)).active
    assert "铜梁申请人" not in str([cell.value for line in sheet.iter_rows() for cell in line])
    refused = yq.post(APPLICANTS_API, {**applicant_form(town.tongliang)}, content_type="application/json")
    assert refused.status_code == 400 and "organisation" in refused.json()
    leader = login(users.leader)
    listed = leader.get(APPLICANTS).content.decode()
    assert "铜梁申请人" in listed and "13812345678" not in listed and "138****5678" in listed
    assert "430123199001011234" not in listed
    api = leader.get(f"{APPLICANTS_API}{row.pk}/").json()
    assert api["phone"] == "138****5678" and api["id_number"] == "430***********1234"
    detail = leader.get(f"{APPLICANTS}{row.pk}/").content.decode()
    assert "13812345678" not in detail and "430123199001011234" not in detail
    cells = [cell.value for line in load_workbook(BytesIO(leader.get(f"{APPLICANTS}?export=xlsx").content)).active
             .iter_rows() for cell in line]  # fmt: skip
    assert "铜梁申请人" in cells and "13812345678" not in cells and "138****5678" in cells
    mine = login(users.tongliang).get(f"{APPLICANTS_API}{row.pk}/").json()
    assert mine["phone"] == "13812345678"


def test_applicants_per_stage_per_branch(town, users, login):
    for name, stage in (("甲", "applicant"), ("乙", "activist"), ("丙", "activist")):
        Applicant.objects.create(unit=town.tongliang.unit, organisation=town.tongliang.organisation, name=name,
                                 birth_date=date(1990, 1, 1), applied_on=date(2024, 1, 1), stage=stage)  # fmt: skip
    Applicant.objects.create(unit=town.yangqiu.unit, organisation=town.yangqiu.organisation, name="丁",
                             birth_date=date(1990, 1, 1), applied_on=date(2024, 1, 1), stage="activist")  # fmt: skip
    rows, total = selectors.applicant_counts(users.leader)
    assert [(unit.name, counts["activist"]) for unit, counts in rows] == [("铜梁村", 2), ("杨球村", 1)]
    assert total["activist"] == 3 and total["applicant"] == 1
    # the stock at a month's end follows the dates, not today's stage
    dated = Applicant.objects.create(unit=town.tongliang.unit, organisation=town.tongliang.organisation, name="戊",
                                     birth_date=date(1990, 1, 1), applied_on=date(2024, 1, 10),
                                     activist_on=date(2024, 4, 1), candidate_on=date(2025, 4, 1))  # fmt: skip
    village = town.tongliang.unit
    assert figure(registry.get("party.activists"), village, date(2024, 3, 1)) == 0  # 戊 still an applicant
    assert figure(registry.get("party.activists"), village, date(2024, 4, 1)) == 1
    assert figure(registry.get("party.candidates"), village, date(2025, 4, 1)) == 1
    assert figure(registry.get("party.activists"), village, date(2025, 4, 1)) == 0
    assert registry.get("party.candidates").rows_url(village, date(2025, 4, 1)).endswith(
        f"?under={village.pk}&stage=candidate")
    dated.delete()
    page = login(users.yangqiu).get(reverse("partylife:applicant_summary")).content.decode()
    assert "杨球村" in page and "铜梁村" not in page


# --- 党费 -------------------------------------------------------------------------------------------------------------


def pay(person, month, due="10", paid="10", on=None):
    return DuesPayment.objects.create(unit=person.unit, member=person, month=month, due=Decimal(due),
                                      paid=Decimal(paid), paid_on=on or month)  # fmt: skip


def test_three_months_unpaid_flag_a_member_and_six_running_turn_red(town):
    june = date(2026, 6, 1)
    months = [add_months(june, -offset) for offset in range(12)]  # July 2025 … June 2026
    careful, lapsed, behind, new = (member(town.tongliang, name) for name in ("按时", "连欠", "累欠", "新党员"))
    for month in months:
        pay(careful, month)
    for month in months[6:]:  # paid up to December 2025, nothing since: six months running
        pay(lapsed, month)
    for month in months:
        if month not in (months[1], months[4], months[7]):  # three months missing, never two running
            pay(behind, month)
    new.joined_date = date(2026, 4, 15)  # owes May and June only
    new.save()
    pay(new, date(2026, 5, 1), paid="5")  # part paid is unpaid
    found = {a.member.name: a for a in selectors.dues_arrears(PartyMember.objects.all(), june)}
    assert "按时" not in found
    assert found["连欠"].running == 6 and found["连欠"].red and found["连欠"].colour == "danger"
    assert "连续六个月不交纳党费" in found["连欠"].message and "自行脱党" in found["连欠"].message
    assert found["累欠"].flagged and not found["累欠"].red and len(found["累欠"].unpaid) == 3
    assert found["新党员"].unpaid == [date(2026, 5, 1), date(2026, 6, 1)] and not found["新党员"].flagged
    # 铜梁村党员 (no date of joining recorded, no rows): twelve months running
    assert found["铜梁村党员"].running == 12
    assert set(list(found)[:3]) == {"连欠", "铜梁村党员", "杨球村党员"}  # the red first
    # the dashboard's one-query form of the red rule finds the same members
    red = {a.member for a in found.values() if a.red}
    assert set(selectors.six_months_running_unpaid(PartyMember.objects.all(), june)) == red


def test_the_collection_rate_per_branch_and_the_indicators_agree(town, users):
    month = date(2026, 3, 1)
    a, b, c = (member(town.tongliang, name) for name in ("甲", "乙", "丙"))
    member(town.tongliang, "下月入党", joined=date(2026, 3, 10))  # owes nothing for March
    member(town.tongliang, "已出党", is_active=False)
    pay(a, month)
    pay(b, month, paid="4")
    pay(c, date(2026, 2, 1), due="10", paid="10", on=date(2026, 1, 20))
    pay(c, month, due="10", paid="10", on=date(2026, 1, 20))  # paid ahead in January
    overview = {branch.unit.name: branch for branch in selectors.dues_overview(users.leader, month)}
    tongliang = overview["铜梁村"]
    assert (tongliang.owed, tongliang.paid) == (4, 2)  # 甲 乙 丙 and 铜梁村党员 owe; 甲 and 丙 paid in full
    assert tongliang.rate == Decimal("50.0")
    due, paid = registry.get("party.dues_due"), registry.get("party.dues_paid")
    assert figure(due, town.tongliang.unit, month) == 4 and figure(paid, town.tongliang.unit, month) == 2
    assert registry.get("party.dues_rate").numerator == "party.dues_paid"
    assert "month_after=2026-03-01" in paid.rows_url(town.tongliang.unit, month)


def test_the_dues_sheet_records_a_month_for_the_branch_and_months_paid_ahead(town, users, login):
    a = member(town.tongliang, "甲")
    tl = login(users.tongliang)
    url = reverse("partylife:dues_entry")
    page = tl.get(f"{url}?organisation={town.tongliang.organisation.pk}&month=2026-09")
    assert page.status_code == 200 and "甲" in page.content.decode() and "铜梁村党员" in page.content.decode()
    first = town.tongliang.member
    saved = tl.post(url, {"organisation": town.tongliang.organisation.pk, "month": "2026-09",
                          f"due_{a.pk}": "20", f"paid_{a.pk}": "20", f"paid_on_{a.pk}": "2026-09-05",
                          f"months_{a.pk}": "3", f"due_{first.pk}": "10", f"paid_{first.pk}": "0"})  # fmt: skip
    assert saved.status_code == 302
    rows = list(DuesPayment.objects.filter(member=a).values_list("month", "paid", "paid_on").order_by("month"))
    assert rows == [(date(2026, m, 1), Decimal("20.00"), date(2026, 9, 5)) for m in (9, 10, 11)]
    assert DuesPayment.objects.get(member=first).paid == 0
    bad = tl.post(url, {"organisation": town.tongliang.organisation.pk, "month": "2026-09",
                        f"due_{a.pk}": "20", f"paid_{a.pk}": "20", f"paid_on_{a.pk}": ""})  # fmt: skip
    assert bad.status_code == 400 and "请填写缴纳日期" in bad.content.decode()
    other = tl.get(f"{url}?organisation={town.yangqiu.organisation.pk}")
    assert other.status_code == 404


def test_dues_are_scoped_page_export_and_api(town, users, login):
    row = pay(town.tongliang.member, date(2026, 3, 1))
    yq = login(users.yangqiu)
    assert "铜梁村党员" not in yq.get(DUES).content.decode()
    assert yq.get(f"{DUES}{row.pk}/").status_code == 404
    assert yq.get(DUES_API).json()["count"] == 0
    cells = [cell.value for line in load_workbook(BytesIO(yq.get(f"{DUES}?export=xlsx").content)).active
             .iter_rows() for cell in line]  # fmt: skip
    assert "铜梁村党员" not in cells
    refused = yq.post(DUES_API, {"member": town.tongliang.member.pk, "month": "2026-04-01", "due": "10"},
                      content_type="application/json")  # fmt: skip
    assert refused.status_code == 400 and "member" in refused.json()
    assert "铜梁村" not in yq.get(reverse("partylife:dues_overview")).content.decode()
    tl = login(users.tongliang)
    cells = [cell.value for line in load_workbook(BytesIO(tl.get(f"{DUES}?export=xlsx&unpaid=false").content)).active
             .iter_rows() for cell in line]  # fmt: skip
    assert "铜梁村党员" in cells
    twice = tl.post(DUES_API, {"member": town.tongliang.member.pk, "month": "2026-03-01", "due": "10"},
                    content_type="application/json")  # fmt: skip
    assert twice.status_code == 400 and "已有记录" in twice.json()["month"][0]


def test_the_dashboard_alert_counts_members_six_months_running_unpaid(town, users):
    last = selectors.arrears_month()
    lapsed = member(town.tongliang, "连欠")
    for offset in range(6, 12):
        pay(lapsed, add_months(last, -offset))
    keeping = member(town.tongliang, "按时")
    for offset in range(12):
        pay(keeping, add_months(last, -offset))
    for offset in range(12):
        pay(town.tongliang.member, add_months(last, -offset))
    alert = next(a for a in worklines.hooks("alerts") if "连续六个月未交纳党费" in str(a.label))
    assert alert.count(users.leader, town.tongliang.unit) == 1  # 连欠: paid nothing the last six months
    assert alert.count(users.leader, town.unit) == 2  # and 杨球村党员, who paid nothing at all
    assert alert.count(users.yangqiu, town.unit) == 1  # the other village's secretary counts only his own
    assert f"under={town.unit.pk}" in alert.url(town.unit)


# --- 民主评议 ---------------------------------------------------------------------------------------------------------


def test_one_appraisal_a_year_per_member_page_and_api(town, users, login):
    tl = login(users.tongliang)
    data = {"member": town.tongliang.member.pk, "year": 2025, "result": "excellent", "decided_on": "2026-01-15"}
    assert tl.post(reverse("partylife:appraisal_add"), data).status_code == 302
    again = tl.post(reverse("partylife:appraisal_add"), {**data, "result": "qualified"})
    assert again.status_code == 400
    assert "铜梁村党员 2025 年度已有民主评议结果，每名党员每年只评议一次。" in again.content.decode()
    api = tl.post("/api/v1/party/appraisals/", data, content_type="application/json")
    assert api.status_code == 400 and "每名党员每年只评议一次" in api.json()["year"][0]
    assert Appraisal.objects.count() == 1
    early = tl.post("/api/v1/party/appraisals/", {**data, "year": 2026, "decided_on": "2025-12-01"},
                    content_type="application/json")  # fmt: skip
    assert early.status_code == 400 and "decided_on" in early.json()


def test_appraisal_counts_per_branch_and_town(town, users, login):
    results_of = ((town.tongliang, ("excellent", "qualified", "qualified")), (town.yangqiu, ("unqualified",)))
    for village, results in results_of:
        for index, result in enumerate(results):
            person = member(village, f"{village.unit.name}{index}")
            Appraisal.objects.create(unit=village.unit, member=person, year=2025, result=result,
                                     decided_on=date(2026, 1, 10))  # fmt: skip
    rows, total = selectors.appraisal_counts(users.leader, 2025)
    assert [(u.name, c["qualified"], c["unqualified"]) for u, c in rows] == [("铜梁村", 2, 0), ("杨球村", 0, 1)]
    assert total == {"excellent": 1, "qualified": 2, "basic": 0, "unqualified": 1}
    page = login(users.leader).get(reverse("partylife:appraisal_summary") + "?year=2025")
    assert page.status_code == 200 and "杨球村" in page.content.decode()
    excellent = registry.get("party.appraised_excellent")
    assert figure(excellent, town.tongliang.unit, date(2026, 1, 1)) == 1
    assert figure(registry.get("party.appraised"), town.tongliang.unit, date(2026, 1, 1)) == 3
    bad_year = login(users.leader).get(reverse("partylife:appraisal_summary") + "?year=99999")
    assert bad_year.status_code == 200 and "评议年度应在" in bad_year.content.decode()


# --- 换届 and the secretary's handover -------------------------------------------------------------------------------


def test_a_term_ends_five_years_on_and_is_reminded_six_months_before(town, users, login):
    tl = login(users.tongliang)
    made = tl.post("/api/v1/party/terms/", {"organisation": town.tongliang.organisation.pk, "starts_on": "2021-10-20"},
                   content_type="application/json")  # fmt: skip
    assert made.status_code == 201 and made.json()["ends_on"] == "2026-10-20"
    page = tl.post("/party/terms/add/", {"organisation": town.tongliang.organisation.pk, "starts_on": "2016-10-20"})
    assert page.status_code == 302 and Term.objects.get(starts_on=date(2016, 10, 20)).ends_on == date(2021, 10, 20)
    backwards = tl.post("/party/terms/add/", {"organisation": town.tongliang.organisation.pk,
                                              "starts_on": "2016-10-20", "ends_on": "2016-01-01"})  # fmt: skip
    assert backwards.status_code == 400 and "届满日期须晚于起始日期" in backwards.content.decode()
    today = timezone.localdate()
    Term.objects.create(unit=town.yangqiu.unit, organisation=town.yangqiu.organisation,
                        starts_on=today - timedelta(days=1500), ends_on=today + timedelta(days=300))  # fmt: skip
    assert [t.organisation for t in selectors.terms_due(users.leader)] == [town.tongliang.organisation]
    found = {item.code: (n, due) for item, n, due in today_for(users.tongliang)}
    assert found.get("party.terms_due") == (1, date(2026, 10, 20))  # the latest term's end (2021 → 2026)
    assert "party.terms_due" not in {item.code for item, _n, _due in today_for(users.yangqiu)}
    Term.objects.create(unit=town.tongliang.unit, organisation=town.tongliang.organisation,
                        starts_on=date(2026, 10, 20), ends_on=date(2031, 10, 20))  # fmt: skip
    assert not selectors.terms_due(users.leader).exists()


def test_only_the_admin_hands_a_village_over_and_the_history_keeps_the_reason(town, users, login):
    url = reverse("partylife:handover")
    for who in (users.leader, users.tongliang, users.cadre):
        assert login(who).get(url).status_code == 403
        assert login(who).post(url, {"village": town.tongliang.unit.pk}).status_code == 403
    admin = login(users.admin)
    assert admin.get(url).status_code == 200
    missing = admin.post(url, {"village": town.tongliang.unit.pk, "on": timezone.localdate().isoformat(),
                               "reason": "换届"})  # fmt: skip
    assert missing.status_code == 400 and "请选择新书记的账号" in missing.content.decode()
    done = admin.post(url, {"village": town.tongliang.unit.pk, "username": "tongliang2", "full_name": "王新书记",
                            "password": "a-new-pass-2026", "on": timezone.localdate().isoformat(),
                            "reason": "村党组织换届选举产生新书记"})  # fmt: skip
    assert done.status_code == 302
    old, new = User.objects.get(username="tongliang"), User.objects.get(username="tongliang2")
    assert not old.is_active
    assert new.is_active and new.role == User.Role.SECRETARY and new.unit == town.tongliang.unit
    assert User.objects.get(username="yangqiu").is_active
    for login_ in (old, new):
        latest = login_.history.latest()
        assert "村党组织换届选举产生新书记" in latest.history_change_reason
        assert latest.history_user == users.admin
    admin.logout()
    assert admin.login(username="tongliang2", password="a-new-pass-2026")
    assert admin.get(reverse("partylife:dues_entry")).status_code == 200  # the new secretary keeps the books now
    assert not admin.login(username="tongliang", password="test-pass-2026")  # the old login is switched off


def test_the_handover_to_an_existing_login_and_its_refusals(town, users):
    from django.core.exceptions import PermissionDenied, ValidationError

    from partylife.services import secretary_handover

    spare = User.objects.create_user(username="spare", password="x", role=User.Role.CADRE, unit=town.unit)
    with pytest.raises(PermissionDenied):
        secretary_handover(user=users.leader, village=town.yangqiu.unit, new_user=spare, on=timezone.localdate(),
                           reason="换届")  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        secretary_handover(user=users.admin, village=town.yangqiu.unit, new_user=spare,
                           on=timezone.localdate() + timedelta(days=3), reason="换届")  # fmt: skip
    assert "on" in refused.value.message_dict
    new, leaving = secretary_handover(user=users.admin, village=town.yangqiu.unit, new_user=spare,
                                      on=timezone.localdate(), reason="原书记调任")  # fmt: skip
    assert [user.username for user in leaving] == ["yangqiu"]
    spare.refresh_from_db()
    assert spare.role == "secretary" and spare.unit == town.yangqiu.unit


def test_the_party_line_lists_the_rolls_pages(users):
    labels = [str(label) for label, _url in worklines.pages_for("party", users.admin)]
    assert {"党费收缴", "民主评议", "发展党员", "换届", "书记交接"} <= set(labels)
    assert "书记交接" not in [str(label) for label, _url in worklines.pages_for("party", users.tongliang)]


# --- every page renders for those who use it ------------------------------------------------------------------------


def test_the_pages_render_for_the_secretary_and_the_leader(town, users, login):
    a, b = member(town.tongliang, "甲"), member(town.tongliang, "乙")
    applicant = Applicant.objects.create(unit=town.tongliang.unit, organisation=town.tongliang.organisation,
                                         name="王预备", birth_date=date(1990, 1, 1), applied_on=date(2023, 1, 1),
                                         activist_on=date(2023, 3, 1), candidate_on=date(2024, 3, 1),
                                         probationary_on=date(2024, 6, 1), stage="probationary")  # fmt: skip
    applicant.introducers.set([a, b])
    dues = pay(a, date(2026, 3, 1))
    appraisal = Appraisal.objects.create(unit=town.tongliang.unit, member=a, year=2025, result="excellent",
                                         decided_on=date(2026, 1, 10))  # fmt: skip
    term = Term.objects.create(unit=town.tongliang.unit, organisation=town.tongliang.organisation,
                               starts_on=date(2021, 10, 20), ends_on=date(2026, 10, 20), secretary=a)  # fmt: skip
    month = timezone.localdate().replace(day=1).strftime("%Y-%m")
    pages = [reverse("partylife:dues_overview"), reverse("partylife:dues_overview") + "?month=2026-03",
             reverse("partylife:appraisal_summary"), reverse("partylife:applicant_summary"), DUES, APPLICANTS,
             "/party/appraisals/", "/party/terms/", "/party/terms/?due=true", f"{DUES}{dues.pk}/",
             f"{APPLICANTS}{applicant.pk}/", f"/party/appraisals/{appraisal.pk}/", f"/party/terms/{term.pk}/",
             "/lines/party/", reverse("reports:dashboard"), "/"]  # fmt: skip
    for who in (users.tongliang, users.leader):
        client = login(who)
        for url in pages:
            assert client.get(url, follow=True).status_code == 200, (who, url)
    tl = login(users.tongliang)
    for url in (reverse("partylife:dues_entry"), f"{DUES}add/", f"{APPLICANTS}add/", "/party/appraisals/add/",
                "/party/terms/add/", f"{APPLICANTS}{applicant.pk}/edit/",
                reverse("reports:entry", args=[town.tongliang.unit.pk, "party", month])):  # fmt: skip
        assert tl.get(url).status_code == 200, url
    detail = tl.get(f"{APPLICANTS}{applicant.pk}/").content.decode()
    assert "入党介绍人" in detail and "乙、甲" in detail  # by name, as members are listed
    assert login(users.leader).get(reverse("partylife:dues_entry")).status_code == 403
    bad = tl.get(f"{DUES}?month_after=99999-01-01")
    assert bad.status_code == 400
