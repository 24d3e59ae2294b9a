"""The 工作简报: a draft from the stored roll-ups in the article's style, one section per work line declared by the work
line itself, edited on the page and downloaded as Word; scoped like every page (a secretary writes his own village's
brief only). On the demo, the town's year-to-date brief names every figure of DESIGN §5 with the article's values:
tests/demo/test_brief.py.
"""

import dataclasses
from decimal import Decimal
from io import BytesIO

from django.utils import timezone
from docx import Document

from reports import periods, worklines
from reports.brief import selectors as briefing
from reports.brief import word
from reports.models import Indicator, Rollup
from tests import gbt9704

PERIOD = "2025-YTD"


def roll(unit, values, period=PERIOD):
    indicators = dict(Indicator.objects.filter(code__in=list(values)).values_list("code", "pk"))
    Rollup.objects.bulk_create(
        Rollup(period=period, period_type=periods.parse_period(period).type, unit=unit, indicator_id=indicators[code],
               value=Decimal(value))  # fmt: skip
        for code, value in values.items()
    )


def draft(unit, period=PERIOD):
    return briefing.brief_draft(unit, periods.parse_period(period))


def test_a_section_per_work_line_with_the_figures_in_sentences(town):
    roll(town.unit, {"env.garbage_tons": "427.00", "org.grids": 122, "env.pipe_km": "3.88", "gov.booster_doses": 7779,
                     "env.road_km": 0, "party.assemblies": 12, "party.attended": 180})  # fmt: skip
    brief = draft(town.unit)
    assert brief.title == "井字镇“一切工作到支部”工作简报（2025年1—12月）"
    assert [section.heading for section in brief.sections] == [
        "“支部+产业发展”，激发经济活力", "“支部+环境整治”，建设美丽乡村", "“支部+基层治理”，贴心服务群众",
        "“支部+文明实践”，弘扬文明新风", "“支部建设”，夯实战斗堡垒",
    ]  # fmt: skip
    environment = brief.sections[1].text
    assert "目前，全镇122个网格" in environment and "清除陈旧垃圾427吨" in environment
    assert "雨污分离管网3.88千米" in environment
    assert "0公里" not in brief.text  # a zero is not news
    assert "累计接种新冠疫苗加强针7779剂次" in brief.sections[2].text
    assert brief.sections[0].paragraphs == ["本期暂无已审核的数据。"]
    assert "全镇各党组织召开支部党员大会12次，党员参会180人次。" in brief.sections[4].text


def test_a_work_line_without_a_brief_module_still_gets_its_section(town, monkeypatch):
    """A work line landing later needs no change in reports: its figures are named one by one until it writes its
    own sentences."""
    line = worklines.work_line("volunteers")
    monkeypatch.setitem(worklines._LINES, "volunteers", dataclasses.replace(line, brief=None))
    roll(town.unit, {"vol.volunteers": 980, "vol.activities": 120})
    section = draft(town.unit).sections[3]
    assert section.heading == "“支部+文明实践”"
    assert section.paragraphs == ["此外，注册志愿者980名，志愿服务活动120场次。"]


def test_the_income_sentences_say_how_the_villages_stand_against_the_pace(town):
    """The 消薄 pace as the dashboard and the 通报 judge it (reports/targets.py): for 2025 as of December, from the
    approved monthly roll-ups."""
    income = "ind.collective_income"
    roll(town.unit, {income: 40000})
    roll(town.tongliang.unit, {income: 30000})
    roll(town.yangqiu.unit, {income: 10000})
    for number in range(1, 13):
        roll(town.tongliang.unit, {income: 2500}, period=f"2025-{number:02d}")
    for number in range(1, 11):
        roll(town.yangqiu.unit, {income: 1000}, period=f"2025-{number:02d}")
    village = draft(town.tongliang.unit).sections[0].text
    assert "距50000元的消薄目标尚差20000元，截至12月未达序时进度（已审核30000元，应达50000元）" in village
    whole = draft(town.unit).sections[0].text
    assert "按截至12月已审核数，2个村（社区）未达序时进度，其中1个不足一半" in whole


def test_figures_are_written_as_people_write_them():
    assert briefing.figure(Decimal("427.0000")) == "427"
    assert briefing.figure(Decimal("3.8800"), 2) == "3.88"
    assert briefing.figure(Decimal("97.6445"), 1) == "97.6"
    assert briefing.figure(Decimal("10650")) == "10650"
    assert briefing.wan(Decimal("1528052")) == "152.81万"


# --- the page --------------------------------------------------------------------------------------------------------


def test_leaders_and_cadres_pick_any_unit_they_see(town, users, login):
    roll(town.tongliang.unit, {"env.garbage_tons": 12})
    for user in (users.leader, users.cadre, users.admin):
        client = login(user)
        page = client.get("/reports/brief/")
        assert page.status_code == 200 and "井字镇“一切工作到支部”工作简报" in page.content.decode()
        page = client.get(f"/reports/brief/?unit={town.tongliang.unit.pk}&period={PERIOD}")
        assert "清除陈旧垃圾12吨" in page.content.decode()


def test_a_secretary_writes_his_own_villages_brief_only(town, users, login):
    client = login(users.tongliang)
    page = client.get("/reports/brief/").content.decode()
    assert "铜梁村“一切工作到支部”工作简报" in page and "杨球村" not in page
    other = town.yangqiu.unit.pk
    assert client.get(f"/reports/brief/?unit={other}").status_code == 404
    assert client.get(f"/reports/brief/?unit={town.unit.pk}").status_code == 404
    posted = client.post("/reports/brief/", {"unit": other, "period": PERIOD, "title": "杨球村简报"})
    assert posted.status_code == 404
    assert client.get("/reports/brief/?unit=abc").status_code == 404
    assert client.get("/reports/brief/?unit=99999999999999999999999").status_code == 404


def test_an_unknown_period_is_refused_in_chinese(town, users, login):
    client = login(users.leader)
    page = client.get("/reports/brief/?period=2025-Q7")
    assert page.status_code == 400 and "期间格式不正确" in page.content.decode()
    posted = client.post("/reports/brief/", {"unit": town.unit.pk, "period": "last year", "title": "简报"})
    assert posted.status_code == 400 and "期间格式不正确" in posted.content.decode()


def test_bad_text_is_refused_with_the_reason(town, users, login):
    client = login(users.leader)
    page = client.post("/reports/brief/", {"unit": town.unit.pk, "period": PERIOD, "title": "",
                                           "body_industry": "x" * 20_001})  # fmt: skip
    html = page.content.decode()
    assert page.status_code == 400 and "简报内容有误" in html
    assert "该字段是必填项" in html and "不超过 20000 字符" in html


def test_the_edited_brief_downloads_as_word(town, users, login):
    client = login(users.leader)
    form = {"unit": town.unit.pk, "period": PERIOD, "title": "井字镇工作简报（修改稿）",
            "opening": "开篇第一段。\r\n\r\n开篇第二段。", "closing": "结尾一段。"}  # fmt: skip
    for code, label in worklines.choices():
        form[f"heading_{code}"] = f"“{label}”，改过的小标题"
        form[f"body_{code}"] = f"{label}的正文，由镇干部改写。"
    response = client.post("/reports/brief/", form)
    assert response.status_code == 200
    assert response["Content-Type"] == word.DOCX_TYPE
    assert "attachment" in response["Content-Disposition"] and ".docx" in response["Content-Disposition"]
    document = gbt9704.read(response.content)
    gbt9704.check_layout(document)
    issue = gbt9704.check_head(document, "工作简报", "第　　期")  # a draft: no number given
    texts = [paragraph.text for paragraph in document.paragraphs]
    today = timezone.localdate()
    assert texts[texts.index(issue.text) + 1] == f"井字镇\t{today.year}年{today.month}月{today.day}日"
    title = next(paragraph for paragraph in document.paragraphs if paragraph.text == "井字镇工作简报（修改稿）")
    gbt9704.check_title(title, "井字镇工作简报（修改稿）")
    assert "开篇第一段。" in texts and "开篇第二段。" in texts and "结尾一段。" in texts
    for _code, label in worklines.choices():
        assert f"“{label}”，改过的小标题" in texts and f"{label}的正文，由镇干部改写。" in texts
    heading = next(p for p in document.paragraphs if p.text.startswith("“支部+产业发展”"))
    assert gbt9704.east_asian_font(heading.runs[0]) == "黑体"
    body = document.paragraphs[texts.index("开篇第一段。")]
    assert body.paragraph_format.first_line_indent.pt == 32  # two characters of 三号


def test_the_brief_goes_out_under_the_name_the_unit_issues_as(town, users, login):
    """The masthead's 编发单位 is the unit's data (the admin's 发文机关名称), not a name in the code."""
    town.unit.issuing_name = "中共双峰县井字镇委员会"
    town.unit.save()
    form = {"unit": town.unit.pk, "period": PERIOD, "title": "简报"}
    document = gbt9704.read(login(users.leader).post("/reports/brief/", form).content)
    assert any(p.text.startswith("中共双峰县井字镇委员会\t") for p in document.paragraphs)


def test_a_secretary_downloads_his_own_village_brief(town, users, login):
    form = {"unit": town.tongliang.unit.pk, "period": PERIOD, "title": "铜梁村简报", "body_industry": "铜梁四宝"}
    response = login(users.tongliang).post("/reports/brief/", form)
    assert response.status_code == 200
    assert [p.text for p in Document(BytesIO(response.content)).paragraphs if p.text][-1] == "铜梁四宝"
