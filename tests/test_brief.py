"""The 工作简报: a draft from the stored roll-ups in the article's style, one section per work line declared by the work
line itself, edited on the page and downloaded as Word; scoped like every page (a secretary writes his own village's
brief only); and, on the demo, the town's year-to-date brief names every figure of DESIGN §5 with the article's values.
"""

import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.conf import settings
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from branches.models import Unit
from reports import briefing, demo, periods
from reports.models import Indicator, Rollup
from reports.registry import registry
from tests.conftest import demo_loaded

PERIOD = "2025-YTD"


def roll(unit, values, period=PERIOD):
    indicators = dict(Indicator.objects.filter(code__in=list(values)).values_list("code", "pk"))
    Rollup.objects.bulk_create(
        Rollup(period=period, period_type="ytd", unit=unit, indicator_id=indicators[code], value=Decimal(value))
        for code, value in values.items()
    )


def draft(unit, period=PERIOD):
    return briefing.brief_draft(unit, periods.parse_period(period))


def test_a_section_per_work_line_with_the_figures_in_sentences(town):
    roll(town.unit, {"env.garbage_tons": "427.00", "org.grids": 122, "env.pipe_km": "3.88", "gov.booster_doses": 7779,
                     "env.road_km": 0})  # fmt: skip
    brief = draft(town.unit)
    assert brief.title == "井字镇“一切工作到支部”工作简报（2025年1—12月）"
    assert [section.heading for section in brief.sections] == [
        "“支部+产业发展”，激发经济活力", "“支部+环境整治”，建设美丽乡村", "“支部+基层治理”，贴心服务群众",
        "“支部+文明实践”，弘扬文明新风",
    ]  # fmt: skip
    environment = brief.sections[1].text
    assert "目前，全镇122个网格" in environment and "清除陈旧垃圾427吨" in environment
    assert "雨污分离管网3.88千米" in environment
    assert "0公里" not in brief.text  # a zero is not news
    assert "累计接种新冠疫苗加强针7779剂次" in brief.sections[2].text
    assert brief.sections[0].paragraphs == ["本期暂无已审核的数据。"]


def test_a_work_line_without_a_brief_module_still_gets_its_section(town, monkeypatch):
    """A work line landing later needs no change in reports: its figures are named one by one until it writes its
    own sentences."""
    monkeypatch.delitem(briefing.SECTIONS, "volunteers")
    roll(town.unit, {"vol.volunteers": 980, "vol.activities": 120})
    section = draft(town.unit).sections[3]
    assert section.heading == "“支部+文明实践”"
    assert section.paragraphs == ["此外，注册志愿者980名，志愿服务活动120场次。"]


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
    for code, label in settings.WORK_LINES:
        form[f"heading_{code}"] = f"“{label}”，改过的小标题"
        form[f"body_{code}"] = f"{label}的正文，由镇干部改写。"
    response = client.post("/reports/brief/", form)
    assert response.status_code == 200
    assert response["Content-Type"] == briefing.DOCX_TYPE
    assert "attachment" in response["Content-Disposition"] and ".docx" in response["Content-Disposition"]
    document = Document(BytesIO(response.content))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert texts[0] == "井字镇工作简报（修改稿）"
    assert document.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    fonts = document.paragraphs[0].runs[0].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "宋体"
    assert "开篇第一段。" in texts and "开篇第二段。" in texts and "结尾一段。" in texts
    for _code, label in settings.WORK_LINES:
        assert f"“{label}”，改过的小标题" in texts and f"{label}的正文，由镇干部改写。" in texts
    heading = next(p for p in document.paragraphs if p.text.startswith("“支部+产业发展”"))
    assert heading.runs[0].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体"


def test_a_secretary_downloads_his_own_village_brief(town, users, login):
    form = {"unit": town.tongliang.unit.pk, "period": PERIOD, "title": "铜梁村简报", "body_industry": "铜梁四宝"}
    response = login(users.tongliang).post("/reports/brief/", form)
    assert response.status_code == 200
    assert [p.text for p in Document(BytesIO(response.content)).paragraphs if p.text][-1] == "铜梁四宝"


# --- the must-show: the demo town's year-to-date brief -----------------------------------------------------------

# DESIGN §5: code → (the article's figure, exact?, how the brief says it). Not exact: the article says 余/多/以上, so
# any figure at or above it. The collective-income rows are the villages' (22 × 50,000; 铜梁 + 增峰 + 黄巢 projects).
ARTICLE = {
    "ind.enterprise_cadres": (16, True, "派驻{v}名干部专企专抓"),
    "ind.enterprises_assigned": (66, True, "为{v}家大中小企业送政策、解难题"),
    "ind.enterprise_tax": (2000, False, "镇域规模以上企业实现财税{v}万元"),
    "ind.enterprise_jobs": (60, True, "带动{v}个岗位就业"),
    "ind.collective_income": (1_100_000, False, "村集体经济收入合计{v}元"),
    "ind.featured_income": (150_000, False, "特色产业为集体增收{v}元"),
    "ind.ecommerce_kg": (10_000, False, "通过电商平台销售农产品{v}公斤"),
    "env.participants": (500, False, "发动{v}人次干部群众和志愿者"),
    "env.leaflets": (10_000, False, "发放{v}份人居环境倡议书"),
    "env.garbage_tons": (427, True, "清除陈旧垃圾{v}吨"),
    "env.billboards_removed": (200, False, "清除破旧广告牌{v}块"),
    "env.road_km": (12, True, "清理沿路环境{v}公里"),
    "env.river_km": (3, True, "疏通、硬化河道{v}公里"),
    "env.sewage_investment": (1020, True, "投入{v}万元"),
    "env.pipe_km": (Decimal("3.88"), True, "铺设雨污分离管网{v}千米"),
    "env.sewage_capacity": (18, True, "每年可处理污水{v}万吨"),
    "env.hollow_houses": (541, True, "有序拆除{v}栋空心房"),
    "env.toilets": (53, True, "高标准改厕{v}座"),
    "org.grids": (122, True, "全镇{v}个网格"),
    "gov.covering_members": (1158, True, "深入推进{v}名党员实现“五个到户”"),
    "gov.micro_grids": (116, True, "共建有{v}个党员服务群众微网格"),
    "gov.leaflets": (50_000, False, "累计发放张贴倡议书{v}份"),
    "gov.booster_doses": (7779, True, "累计接种新冠疫苗加强针{v}剂次"),
    "gov.checkpoints": (24, True, "设立卡点{v}个"),
    "gov.checkpoint_cadres": (140, False, "动员{v}名党员干部设卡管控"),
    "gov.patrol_teams": (6, True, "组建{v}支巡查队伍"),
    "gov.patrol_cadres": (78, True, "集合党员干部{v}人"),
    "gov.road_safety_actions": (37, True, "开展道路安全整治活动{v}次"),
    "gov.umbrellas_removed": (186, True, "拆除摩托车遮阳伞{v}把"),
    "gov.helmet_persuasions": (695, True, "劝导戴帽{v}人次"),
    "gov.illegal_crackdowns": (26, True, "开展打非治违活动{v}次"),
    "gov.hazard_inspections": (50, True, "集中排查安全隐患活动{v}次"),
    "gov.hazards_found": (170, False, "检查发现安全隐患{v}处"),
    "gov.hazards_rectified": (170, False, "整改到位{v}处"),
    "gov.mediation_rooms": (22, True, "建成调解委员会、调解室{v}个"),
    "gov.disputes_mediated": (467, True, "调处纠纷{v}起"),
    "gov.petitions_resolved": (16, True, "扎实推进{v}件信访积案化解"),
    "vol.stations": (23, True, "完成{v}个新时代文明实践所（站）的建设"),
    "vol.teams": (22, True, "登记志愿服务团队{v}个"),
    "vol.professional_teams": (2, True, "其中专业志愿服务队{v}个"),
    "vol.volunteers": (980, True, "共有志愿者{v}名"),
    "vol.activities": (100, False, "志愿活动{v}场次"),
    "vol.people_served": (10_000, False, "服务群众{v}人次"),
}


@pytest.fixture(scope="module")
def demo_brief(django_db_setup, django_db_blocker):
    with demo_loaded(django_db_blocker):
        town = Unit.objects.get(code=demo.TOWN_CODE)
        yield draft(town, f"{periods.last_complete_month().year}-YTD")


def test_the_catalogue_above_is_design_section_5():
    assert len(ARTICLE) == 43 and set(ARTICLE) <= {spec.code for spec in registry.all()}


@pytest.mark.django_db
def test_the_demo_towns_year_to_date_brief_names_every_figure_of_the_article(demo_brief):
    text, values = demo_brief.text, demo_brief.figures
    missing = [code for code in ARTICLE if values.get(code) is None]
    assert not missing, f"no year-to-date roll-up for {missing}"
    for code, (article, exact, phrase) in ARTICLE.items():
        value = values[code]
        assert value == article if exact else value >= article, (code, value, article)
        said = phrase.format(v=briefing.figure_of(code, value))
        assert said in text, (code, said)
    assert values["gov.hazards_rectified"] == values["gov.hazards_found"]
    # The article's other claims, from the villages' own roll-ups.
    assert "9个集体经济薄弱村全部消薄" in text and "所有村集体经济均达到5万元以上" in text
    assert "2个村达10万元以上" in text
    for name in ("铜梁四宝", "增峰村", "黄巢村", "湖南角山米业", "长湾村、杨球村", "和森故里红色宣讲队"):
        assert name in text, name


@pytest.mark.django_db
def test_every_registered_figure_of_the_demo_town_is_in_its_brief(demo_brief):
    """Not only §5: any indicator a work line declares appears with its value (a new one without a sentence of its
    own is named by the section's closing sentence)."""
    for spec in registry.all():
        value = demo_brief.figures.get(spec.code)
        if not value:
            continue
        assert spec.code in demo_brief.named, spec.code
        figure = re.escape(briefing.figure_of(spec.code, value))
        assert re.search(rf"(?<![\d.]){figure}(?![\d.])", demo_brief.text), (spec.code, value)


@pytest.mark.django_db
def test_the_english_brief_is_written_in_english_punctuation_and_words(demo_brief):
    """For a user who chose English the same draft reads as English: no Chinese commas or full stops joining its
    clauses, the scope in words (“the township”), large sums in millions — only names stay in Chinese."""
    from django.utils import translation

    town = demo_brief.unit
    with translation.override("en"):
        english = draft(town, f"{periods.last_complete_month().year}-YTD").text
    assert "the township has 122 grids" in english
    assert "(about 1.53 million yuan)" in english
    assert "volunteer activities (理论宣讲, " in english
    names = r"“[^”]*”|（[^）]*）|[\u4e00-\u9fff]+"  # names (of places, companies, projects) keep their own marks
    bare = re.sub(names, "", english)
    chinese_marks = [bare[max(0, m.start() - 60) : m.end() + 20] for m in re.finditer(r"[，。、；]", bare)]
    assert chinese_marks == []
    assert "全镇" not in english and "万" not in bare
