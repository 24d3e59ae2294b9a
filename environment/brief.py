"""What 支部+环境整治 says in the 工作简报, in the article's words: “目前，全镇122个网格，发动500余名干部群众和志愿者，
扎实有效开展“三边三清”工作……清除陈旧垃圾427吨”, then the sewage works, hollow houses and toilets."""

from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.plugins import (
    BriefSection,
    TimedCase,
    child_values,
    clauses,
    figure_of,
    listing,
    marks,
    paragraphs,
    period_range,
    scope_word,
)

from .alerts import overdue_problems_url, projects_url
from .models import Campaign, EnvironmentProblem, InfrastructureProject, ProjectProgress, WorkMethod
from .selectors import problems_overdue_on, projects_late_on
from .services import PROBLEM_KIND


def under(queryset, unit):
    return queryset.filter(unit__path__startswith=unit.path)


def mechanism_paragraph(unit, period):
    pilots = list(under(WorkMethod.objects.filter(is_pilot=True), unit).select_related("unit").order_by("unit__path"))
    if not pilots:
        return ""
    names = listing(method.unit.name for method in pilots)
    return _(
        "通过织密组织体系，层层压实责任，形成“党政领导班子包片、联村干部包村、村支两委包组、党员组长包户”的四级联动组织体系；"
        "探索建立“131”工作法，即“一个村规民约、三大引擎、一套新机制”，以%(names)s为试点全面推动“131”新机制普及运行。"
    ) % {"names": names}


def campaigns(unit, period):
    span = period_range(period)
    if span is None:
        return []
    start, end = span
    running = Campaign.objects.filter(start__lt=end).filter(Q(end__isnull=True) | Q(end__gte=start))
    return list(under(running, unit).order_by("start").values_list("name", flat=True).distinct())


def cleanup_paragraph(unit, period, values):
    names = campaigns(unit, period)
    campaign = listing(f"“{name}”" for name in names)
    return clauses(
        values.say(_("目前，{where}{0}个网格"), "org.grids", where=scope_word(unit)),
        values.say(_("发动{0}人次干部群众和志愿者"), "env.participants"),
        _("扎实有效开展%(c)s工作") % {"c": campaign} if campaign else "",
        values.say(_("发放{0}份人居环境倡议书"), "env.leaflets"),
        values.say(_("入组入户落实农户“门前三包”{0}户"), "env.pledged_households"),
        values.say(_("清除陈旧垃圾{0}吨"), "env.garbage_tons"),
        values.say(_("清除破旧广告牌{0}块"), "env.billboards_removed"),
        values.say(_("清理沿路环境{0}公里"), "env.road_km"),
        values.say(_("疏通、硬化河道{0}公里"), "env.river_km"),
    )


def infrastructure_paragraph(unit, period, values):
    span = period_range(period)
    projects = []
    if span is not None:
        # each project's last step before the period's end, in the same query (not one query per project)
        last_step = ProjectProgress.objects.filter(project=OuterRef("pk"), date__lt=span[1]).order_by("-date", "-id")
        projects = list(
            under(InfrastructureProject.objects.filter(start__lt=span[1]), unit)
            .annotate(percent_done=Subquery(last_step.values("percent_done")[:1]))
            .order_by("start")
        )
    names = listing(project.name for project in projects) or _("污水处理设施")
    works = clauses(
        values.say(_("投入{0}万元推进{names}建设"), "env.sewage_investment", names=names),
        values.say(_("铺设雨污分离管网{0}千米"), "env.pipe_km"),
        values.say(_("预计每年可处理污水{0}万吨"), "env.sewage_capacity"),
    )
    if not works:
        return ""
    progress = []
    for project in projects:
        if project.percent_done:
            progress.append(_("%(name)s总体进度达%(p)s%%") % {"name": project.name, "p": project.percent_done})
    opening = _("同时，通过夯实基础设施，推动人居环境整治既有“面子”又有“里子”。")
    return opening + works + clauses(*progress, sep=marks().semicolon)


def top_villages(unit, period, code, measure, count=3):
    """“其中，甲村12栋、乙村9栋”: the villages with the most, from the roll-ups (notable records)."""
    if unit.is_village:
        return ""
    best = sorted(((value, village) for village, value in child_values(unit, period, code).items() if value),
                  key=lambda item: (-item[0], item[1].path))[:count]  # fmt: skip
    if not best:
        return ""
    listed = listing(f"{village.name}{figure_of(code, value)}{measure}" for value, village in best)
    return _("其中，%(listed)s位居前列。") % {"listed": listed}


def houses_paragraph(unit, period, values):
    works = clauses(
        values.say(_("有序拆除{0}栋空心房"), "env.hollow_houses"),
        values.say(_("高标准改厕{0}座"), "env.toilets"),
        end="",
    )
    if not works:
        return ""
    lead = _("由各村党组织牵头，") if not unit.is_village else _("由村党组织牵头，")
    return lead + works + _("，村容村貌焕然一新。") + top_villages(unit, period, "env.hollow_houses", _("栋"))


def build(unit, period, values):
    return paragraphs(
        mechanism_paragraph(unit, period),
        cleanup_paragraph(unit, period, values),
        infrastructure_paragraph(unit, period, values),
        houses_paragraph(unit, period, values),
    )


BRIEF = BriefSection(build, subtitle=gettext_lazy("建设美丽乡村"))


def late_projects_under(unit, on):
    return projects_late_on(under(InfrastructureProject.objects, unit), on)


def overdue_problems_under(unit, on):
    return problems_overdue_on(under(EnvironmentProblem.objects, unit), on)


TIMED_CASES = (
    TimedCase(gettext_lazy("项目超过计划完工仍未完成"), late_projects_under, measure=gettext_lazy("个"),
              url=projects_url),
    TimedCase(gettext_lazy("环境问题逾期未清理"), overdue_problems_under, measure=gettext_lazy("处"),
              url=overdue_problems_url, kind=PROBLEM_KIND, kind_label=gettext_lazy("环境问题（自发现之日起清理）"),
              default_days=15),
)  # fmt: skip

# The kind of case with a default time limit (the admin edits the days: reports.models.CaseLimit): an environment
# problem — a rubbish heap, a blocked ditch a grid worker found — is cleaned within 15 days of being found, half a
# hazard's month: it is a village's own work, and 三边三清 campaigns run in weeks.
