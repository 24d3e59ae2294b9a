"""The 工作简报 on the demo: the town's year-to-date brief names every figure of DESIGN §5 with the article's values,
and every other registered figure too, in Chinese and in English; the brief's own tests are tests/test_brief.py.

The demo is loaded once for the package (tests/demo/conftest.py); each test runs in a savepoint inside it.
"""

import re
from decimal import Decimal

import pytest

from branches.models import Unit
from demo import reports as demo
from reports import periods
from reports.brief import selectors as briefing
from reports.registry import registry
from tests.test_brief import draft

pytestmark = pytest.mark.django_db  # tests/demo/ holds database tests only (see its conftest)

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
def demo_brief(printout, django_db_blocker):
    """The demo town's year-to-date draft, written once for the module (it only reads)."""
    with django_db_blocker.unblock():
        town = Unit.objects.get(code=demo.TOWN_CODE)
        return draft(town, f"{periods.last_complete_month().year}-YTD")


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


@pytest.mark.django_db
def test_the_brief_and_so_its_word_export_carries_no_ones_phone_or_id_number(demo_brief):
    """The brief (which its Word export writes out) speaks in figures: no mobile or ID number of anyone in it."""
    import re

    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", demo_brief.text)
    assert not re.search(r"(?<!\d)\d{17}[\dXx](?!\d)", demo_brief.text)
