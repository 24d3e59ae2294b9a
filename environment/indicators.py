"""Indicators of 支部+环境整治 (DESIGN §5, environment rows), and the work line's pages.

Entered: people mobilised and leaflets. Derived from the ledgers: the cleanup figures, demolished hollow houses,
accepted toilets, the sewage plant's investment, pipe and capacity, and households under 门前三包. A town reports its
own records only (its roads and rivers, its plant); its figure is then its own plus its villages' in the roll-up.
"""

from decimal import Decimal

from django.urls import reverse

from reports.plugins import (
    DERIVED,
    ENTERED,
    FLOW,
    STOCK,
    TOWN,
    VILLAGE,
    IndicatorSpec,
    add_months,
    count,
    in_month,
    month_rows,
    own,
    total,
)

from .models import CleanupRecord, HollowHouse, InfrastructureProject, Pledge, ProjectProgress, ToiletRenovation


def cleanup_sum(field):
    def derive(unit, month):
        return total(in_month(CleanupRecord.objects, unit, month), field)

    return derive


def demolished_houses(unit, month):
    houses = HollowHouse.objects.filter(status=HollowHouse.Status.DEMOLISHED)
    return count(in_month(houses, unit, month, "demolished_on"))


def accepted_toilets(unit, month):
    return count(in_month(ToiletRenovation.objects.filter(accepted=True), unit, month, "accepted_on"))


def progress_sum(field):
    def derive(unit, month):
        steps = ProjectProgress.objects.filter(date__gte=month, date__lt=add_months(month, 1))
        return total(own(steps, unit), field)

    return derive


def sewage_capacity(unit, month):
    started = InfrastructureProject.objects.filter(start__lt=add_months(month, 1))
    return total(own(started, unit), "yearly_capacity")


def pledged_households(unit, month):
    pledges = Pledge.objects.filter(status=Pledge.Status.SIGNED, signed_on__lt=add_months(month, 1))
    return count(own(pledges, unit))


def derived(code, name, unit, kind, derive, rows_url, order, reported_by=(VILLAGE, TOWN), **extra):
    return IndicatorSpec(
        code=code, name=name, unit=unit, work_line="environment", kind=kind, source=DERIVED, derive=derive,
        rows_url=rows_url, order=order, reported_by=reported_by, **extra,
    )  # fmt: skip


def entered(code, name, unit, max_value, order, help_text=""):
    return IndicatorSpec(
        code=code, name=name, unit=unit, work_line="environment", kind=FLOW, source=ENTERED,
        max_value=Decimal(max_value), order=order, help_text=help_text,
    )  # fmt: skip


CLEANUPS = month_rows("environment:cleanuprecord_list")
PROGRESS = month_rows("environment:projectprogress_list")

INDICATORS = (
    entered("env.participants", "发动干部群众志愿者", "人次", 100_000, 10,
            "当月参加人居环境整治的干部、群众和志愿者人次。"),
    entered("env.leaflets", "发放人居环境倡议书", "份", 1_000_000, 20),
    derived("env.garbage_tons", "清除陈旧垃圾", "吨", FLOW, cleanup_sum("garbage_tons"), CLEANUPS, 30, decimals=2),
    derived("env.billboards_removed", "清除破旧广告牌", "块", FLOW, cleanup_sum("billboards"), CLEANUPS, 40),
    derived("env.road_km", "清理沿路环境", "公里", FLOW, cleanup_sum("road_km"), CLEANUPS, 50, decimals=2),
    derived("env.river_km", "疏通硬化河道", "公里", FLOW, cleanup_sum("river_km"), CLEANUPS, 60, decimals=2),
    derived("env.hollow_houses", "拆除空心房", "栋", FLOW, demolished_houses,
            month_rows("environment:hollowhouse_list", "demolished_after", "demolished_before", status="demolished"),
            70, reported_by=(VILLAGE,)),
    derived("env.toilets", "高标准改厕", "座", FLOW, accepted_toilets,
            month_rows("environment:toiletrenovation_list", "accepted_after", "accepted_before", accepted="true"),
            80, reported_by=(VILLAGE,)),
    derived("env.sewage_investment", "污水处理投入", "万元", FLOW, progress_sum("investment"), PROGRESS, 90,
            decimals=2),
    derived("env.pipe_km", "雨污分离管网", "千米", FLOW, progress_sum("pipe_km"), PROGRESS, 100, decimals=2),
    derived("env.sewage_capacity", "污水年处理能力", "万吨", STOCK, sewage_capacity,
            lambda unit, month: f"{reverse('environment:infrastructureproject_list')}?under={unit.pk}", 110,
            decimals=2),
    derived("env.pledged_households", "签订门前三包农户", "户", STOCK, pledged_households,
            lambda unit, month: f"{reverse('environment:pledge_list')}?under={unit.pk}", 120,
            reported_by=(VILLAGE,)),
)  # fmt: skip


def own_village_environment(user):
    unit = user.unit
    return reverse("environment:village", args=[unit.pk]) if unit is not None and unit.is_village else None


PAGES = (
    ("本村人居环境", own_village_environment),
    ("整治活动与项目", "environment:town"),
    ("清理记录", "environment:cleanuprecord_list"),
    ("环境问题", "environment:environmentproblem_list"),
    ("门前三包", "environment:pledge_list"),
    ("空心房", "environment:hollowhouse_list"),
    ("改厕", "environment:toiletrenovation_list"),
    ("村规民约", "environment:villagerules_list"),
    ("“131”工作法", "environment:workmethod_list"),
    ("包户缺口", "environment:gaps"),
)
