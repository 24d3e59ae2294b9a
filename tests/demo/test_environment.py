"""`manage.py load_demo` fills 支部+环境整治: the town's year-to-date roll-up shows the article's environment figures
(DESIGN §5), every village has its rules and its 131 method (pilots 长湾村 and 杨球村), the registers hold what the
figures are counted from, a few records carry photos, households nobody answers for are listed as gaps, and the
environment generator alone creates nothing the second time (the whole demo loading twice changing nothing is
tests/demo/test_idempotent.py).

The demo is loaded once for the package (tests/demo/conftest.py) inside a transaction rolled back at the end; each test
runs in a savepoint inside it; photos go to a temporary MEDIA_ROOT for the package.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from branches.models import Household, Photo, Unit, User
from branches.photos import photos_of
from branches.selectors import households_without_keeper
from demo import environment as demo
from environment import selectors
from environment.models import (
    Campaign,
    CleanupRecord,
    HollowHouse,
    InfrastructureProject,
    Pledge,
    ToiletRenovation,
    VillageRules,
    WorkMethod,
)
from reports import periods
from reports.models import ReportValue, Rollup

pytestmark = pytest.mark.django_db  # tests/demo/ holds database tests only (see its conftest)




@pytest.fixture
def last_end(last):
    return periods.add_months(last, 1) - timedelta(days=1)



def rollup(unit, period, code):
    row = Rollup.objects.filter(unit=unit, period=period, indicator__code=code).first()
    return row.value if row else None


def under(unit):
    return {"unit__path__startswith": unit.path}


# ── the roll-ups ────────────────────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.django_db
def test_the_towns_year_to_date_shows_the_articles_environment_figures(demo_town, last):
    ytd = f"{last.year}-YTD"
    figures = {
        row.indicator.code: row.value
        for row in Rollup.objects.filter(unit=demo_town, period=ytd, indicator__work_line="environment")
    }
    assert figures["env.garbage_tons"] == 427  # 清除陈旧垃圾427吨
    assert figures["env.billboards_removed"] >= 200  # 破旧落地广告牌200余块
    assert figures["env.road_km"] == 12  # 12公里S331井字段沿路环境
    assert figures["env.river_km"] == 3  # 3公里观瑞河道
    assert figures["env.hollow_houses"] == 541  # 拆除541栋空心房
    assert figures["env.toilets"] == 53  # 高标准改厕53座
    assert figures["env.sewage_investment"] == 1020  # 投入1020万元
    assert figures["env.pipe_km"] == Decimal("3.88")  # 雨污分离管网3.88千米
    assert figures["env.sewage_capacity"] == 18  # 每年可处理污水18万吨
    assert figures["env.participants"] >= 500  # 500余名干部群众和志愿者
    assert figures["env.leaflets"] >= 10_000  # 1万余份人居环境倡议书


@pytest.mark.django_db
def test_the_town_reports_its_own_road_river_and_plant_and_the_villages_the_rest(demo_town, villages, last):
    ytd = f"{last.year}-YTD"
    for code in ("env.garbage_tons", "env.billboards_removed", "env.hollow_houses", "env.toilets"):
        assert rollup(demo_town, ytd, code) >= sum(rollup(village, ytd, code) for village in villages.values())
    for code in ("env.road_km", "env.river_km", "env.sewage_investment", "env.pipe_km", "env.sewage_capacity"):
        assert all(not rollup(village, ytd, code) for village in villages.values()), code
    town_only = {"unit": demo_town, "period": f"{last.year}-{last.month:02d}"}
    assert Rollup.objects.filter(indicator__code="env.sewage_capacity", value=18, **town_only).exists()


@pytest.mark.django_db
def test_the_environment_months_are_clean_for_the_outlier_check(last):
    values = ReportValue.objects.filter(indicator__work_line="environment", report__month__lte=last)
    assert values.exists()
    assert list(values.exclude(flag="").values_list("report__unit__name", "report__month", "indicator__code")) == []
    garbage = values.filter(indicator__code="env.garbage_tons", report__unit__kind__in=Unit.VILLAGE_KINDS)
    assert garbage.count() == 22 * (12 + last.month) and not garbage.filter(value__lte=0).exists()


# ── rules and the 131 method ──────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.django_db
def test_every_village_has_rules_in_force_and_a_few_revised_them_this_year(villages, last, last_end):
    for village in villages.values():
        rules = selectors.rules_in_force(village)
        assert rules is not None and "门前三包" in rules.text, village
    first = VillageRules.objects.filter(version=1, unit__in=villages.values())
    assert first.count() == 22
    assert {rules.adopted_on.year for rules in first} <= {last.year - 2, last.year - 1}
    revised = VillageRules.objects.filter(version=2)
    assert 3 <= revised.count() <= 6
    assert all(date(last.year, 1, 1) <= rules.adopted_on <= last_end for rules in revised)
    assert all("三边三清" in rules.text for rules in revised)
    assert {"长湾村", "杨球村"} <= set(revised.values_list("unit__name", flat=True))


@pytest.mark.django_db
def test_the_131_method_in_every_village_with_changwan_and_yangqiu_as_pilots(villages, last):
    methods = WorkMethod.objects.filter(unit__in=villages.values())
    assert methods.count() == 22
    pilots = methods.filter(is_pilot=True)
    assert set(pilots.values_list("unit__name", flat=True)) == {"长湾村", "杨球村"}
    assert all(method.started_on.year == last.year - 1 for method in pilots)
    assert all(method.volunteers > 0 and method.mechanism and method.started_on for method in methods)
    assert min(m.started_on for m in methods.filter(is_pilot=False)) > max(m.started_on for m in pilots)
    engines = selectors.engines(villages["杨球村"])
    assert engines["party"] > 0 and engines["grid_workers"] == 6 and engines["volunteers"] > 0


# ── campaigns and cleanups ────────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.django_db
def test_sanbian_sanqing_and_its_cleanups(demo_town, villages, last, last_end):
    campaign = Campaign.objects.get(name="三边三清", unit=demo_town)
    assert campaign.start.year == last.year and campaign.end is None
    assert Campaign.objects.filter(start__year=last.year - 1, unit=demo_town).count() == 1
    records = CleanupRecord.objects.filter(**under(demo_town))
    assert set(records.values_list("side", flat=True)) == set(CleanupRecord.Side.values)
    kinds = set(records.values_list("unit__kind", flat=True))
    assert kinds == {Unit.Kind.TOWN, Unit.Kind.VILLAGE, Unit.Kind.COMMUNITY, Unit.Kind.GRID}
    dates = records.values_list("date", flat=True)
    assert min(dates) >= date(last.year - 1, 1, 1) and max(dates) <= min(last_end, timezone.localdate())
    this_year = records.filter(date__year=last.year)
    assert not this_year.exclude(campaign=campaign).exists()
    assert not records.filter(date__year=last.year - 1, campaign=campaign).exists()
    # The road and river kilometres are the town's own works on S331 and 观瑞河.
    assert not records.exclude(unit=demo_town).filter(road_km__gt=0).exists()
    assert not records.exclude(unit=demo_town).filter(river_km__gt=0).exists()
    town = this_year.filter(unit=demo_town)
    assert town.filter(place__startswith="S331").aggregate(km=Sum("road_km"))["km"] == 12
    assert town.filter(place__startswith="观瑞河").aggregate(km=Sum("river_km"))["km"] == 3
    assert this_year.aggregate(tons=Sum("garbage_tons"))["tons"] == 427
    # 杨球村 cleans around 蔡和森蔡畅故居光甲堂.
    assert this_year.filter(place__contains="光甲堂", **under(villages["杨球村"])).exists()
    # Every village clears garbage every month.
    months = this_year.filter(unit__path__startswith=villages["坪石村"].path).dates("date", "month")
    assert len(months) == last.month


# ── 门前三包 ─────────────────────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.django_db
def test_most_households_signed_the_three_guarantees_last_year(demo_town, villages, last):
    households = Household.objects.filter(**under(demo_town)).count()
    pledges = Pledge.objects.filter(**under(demo_town))
    signed = pledges.filter(status=Pledge.Status.SIGNED)
    assert 0.92 <= signed.count() / households <= 0.98
    assert pledges.filter(status=Pledge.Status.WITHDRAWN).exists()
    assert pledges.count() < households  # a few never signed
    assert set(pledges.values_list("signed_on__year", flat=True)) == {last.year - 1}
    assert all(pledge.unit_id == pledge.household.unit_id for pledge in pledges.select_related("household")[:200])
    coverage = selectors.pledge_coverage(villages.values())
    assert all(85 <= row.rate < 100 for row in coverage), [(row.unit.name, row.rate) for row in coverage]


# ── hollow houses and toilets ────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.django_db
def test_hollow_houses_demolished_planned_and_owned_by_the_villages_households(demo_town, villages, last, last_end):
    houses = HollowHouse.objects.filter(**under(demo_town)).select_related("owner", "unit")
    demolished = houses.filter(status=HollowHouse.Status.DEMOLISHED)
    this_year = demolished.filter(demolished_on__year=last.year)
    assert this_year.count() == 541
    assert demolished.filter(demolished_on__year=last.year - 1).exists()
    assert demolished.filter(demolished_on__isnull=True).count() == 0
    assert max(demolished.values_list("demolished_on", flat=True)) <= last_end
    planned = houses.filter(status=HollowHouse.Status.PLANNED)
    assert planned.exists() and not planned.filter(demolished_on__isnull=False).exists()
    assert this_year.values("demolished_on__month").distinct().count() == last.month
    per_village = {v.name: this_year.filter(**under(v)).count() for v in villages.values()}
    assert min(per_village.values()) > 0
    for house in houses:
        assert house.owner is not None and house.owner.unit_id == house.unit_id
        assert house.area_m2 > 0 and house.location
    locations = houses.values("location", "unit__path").annotate(n=Count("id")).filter(n__gt=1)
    assert not locations.exists()


@pytest.mark.django_db
def test_toilets_accepted_this_year_and_some_awaiting_acceptance(demo_town, last, last_end):
    toilets = ToiletRenovation.objects.filter(**under(demo_town))
    accepted = toilets.filter(accepted=True)
    assert accepted.filter(accepted_on__gte=date(last.year, 1, 1), accepted_on__lte=last_end).count() == 53
    assert accepted.filter(accepted_on__year=last.year - 1).exists()
    waiting = toilets.filter(accepted=False)
    assert 0 < waiting.count() <= 10 and not waiting.filter(accepted_on__isnull=False).exists()
    for toilet in toilets.select_related("household"):
        assert toilet.unit_id == toilet.household.unit_id
        assert toilet.completed_on <= last_end
        assert toilet.accepted_on is None or toilet.completed_on <= toilet.accepted_on <= last_end
    assert toilets.values("household").distinct().count() == toilets.count()


# ── the sewage plant ───────────────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.django_db
def test_the_sewage_plant_and_its_progress(demo_town, last, last_end):
    plant = InfrastructureProject.objects.get(unit=demo_town, name="井字镇污水处理厂")
    assert (plant.planned_investment, plant.planned_pipe_km, plant.yearly_capacity) == (1020, Decimal("3.88"), 18)
    assert plant.start == date(last.year, 1, 8)
    steps = list(plant.progress.order_by("date"))
    assert len(steps) == last.month and all(step.unit_id == demo_town.pk for step in steps)
    assert sum(step.investment for step in steps) == 1020
    assert sum(step.pipe_km for step in steps) == Decimal("3.88")
    assert all(step.milestone and step.investment > 0 and step.pipe_km > 0 for step in steps)
    percents = [step.percent_done for step in steps]
    assert percents == sorted(percents) and 0 < percents[0] and percents[-1] < 100
    assert steps[0].date >= plant.start and steps[-1].date <= last_end
    state = selectors.project_states([plant])[0]
    assert state.invested == 1020 and state.pipe_km == Decimal("3.88") and state.last_milestone


# ── photos and gaps ─────────────────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.django_db
def test_a_few_records_carry_photos_with_smaller_thumbnails(demo_town):
    photos = Photo.objects.filter(**under(demo_town), record_type__app_label="environment")
    assert 0 < photos.count() <= 10
    assert set(photos.values_list("record_type__model", flat=True)) == {"cleanuprecord", "hollowhouse"}
    assert set(photos.values_list("stage", flat=True)) == {Photo.Stage.BEFORE, Photo.Stage.AFTER}
    for photo in photos:
        assert "jingzi-demo-media-" in photo.image.path  # the demo's temporary media, never the repository
        assert photo.thumbnail.size < photo.image.size
        assert photo.width == 640 and photo.height == 480 and photo.uploaded_by.username == "admin"
        assert photo in photos_of(photo.record)
    assert photos.filter(caption__startswith="光甲堂").exists()


@pytest.mark.django_db
def test_some_households_have_no_one_answering_for_them(demo_town):
    leader = User.objects.get(username="leader")
    gaps = households_without_keeper(leader)
    assert gaps.exists()
    assert gaps.count() < Household.objects.filter(**under(demo_town)).count()


# ── the loader itself ──────────────────────────────────────────────────────────────────────────────────────────────


def test_the_partition_is_exact_and_deterministic():
    weights = [1.3, 0.7, 2.2, 1.0]
    shares = demo.split(Decimal("3.88"), weights, Decimal("0.01"))
    assert sum(shares) == Decimal("3.88") and shares == demo.split(Decimal("3.88"), weights, Decimal("0.01"))
    assert sum(demo.split(541, [1] * 7)) == 541


@pytest.mark.django_db
def test_the_printout(printout):
    lines = [line for line in printout.splitlines() if line.startswith(("人居环境：", "环境台账"))]
    assert len(lines) == 2
    assert "“131”试点 长湾村、杨球村" in lines[0]
    assert "清除陈旧垃圾 427 吨" in lines[1] and "拆除空心房 541 栋" in lines[1] and "改厕 53 座" in lines[1]
    assert "污水处理投入 1020 万元、管网 3.88 千米、年处理能力 18 万吨" in lines[1]


@pytest.mark.django_db
def test_the_environment_load_alone_is_fast_and_creates_nothing_the_second_time(demo_town):
    # A second load reads what exists, a few queries per model, and writes nothing: 40 queries measured on
    # SQLite. One query per ledger row would be hundreds. (Counted, not timed: a busy machine's clock says nothing.)
    with CaptureQueriesContext(connection) as queries:
        text = demo.load(password="unused")
    assert len(queries.captured_queries) <= 50, len(queries.captured_queries)
    assert "本次新建 0 条" in text
