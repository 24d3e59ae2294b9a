"""What 支部+产业发展 says in the town's written reports: its section of the 工作简报 (sentences modelled on the
article's: “派驻16名干部专企专抓，为66家大中小企业送政策、解难题……”), and the overdue enterprise problems counted in
the monthly 通报."""

from django.db.models import Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.models import PartyOrganisation, Unit
from reports.plugins import (
    BriefSection,
    TimedCase,
    child_values,
    clauses,
    figure,
    listing,
    marks,
    paragraphs,
    period_phrase,
    period_range,
    periods,
    registry,
    scope_word,
    targets,
    wan,
)

from .alerts import overdue_problems_url
from .models import Enterprise, FeaturedProject, IncomeEntry, Problem, SalesRecord
from .selectors import problems_overdue_on, strong_line

YEARLY = (periods.YEAR, periods.YTD)


def town_paragraph(unit, period, values):
    leading = list(Enterprise.objects.filter(unit__path__startswith=unit.path, is_leading=True).order_by("name")[:4])
    chains = sorted({enterprise.chain for enterprise in leading if enterprise.chain})
    strengthen = None
    if leading:
        names = listing(enterprise.name for enterprise in leading)
        chain = listing(f"“{chain}”" for chain in chains)
        strengthen = (_("突出农业优势，引进做强%(names)s等%(chain)s产业链") % {"names": names, "chain": chain}
                      if chain else _("突出农业优势，引进做强%(names)s等龙头企业") % {"names": names})  # fmt: skip
    service = clauses(
        values.say(_("派驻{0}名干部专企专抓"), "ind.enterprise_cadres"),
        values.say(_("为{0}家大中小企业送政策、解难题"), "ind.enterprises_assigned"),
        end="",
    )
    results = clauses(
        values.say(_("{when}，镇域规模以上企业实现财税{0}万元"), "ind.enterprise_tax", when=period_phrase(period)),
        values.say(_("带动{0}个岗位就业"), "ind.enterprise_jobs"),
        end="",
    )
    if not (service or results or strengthen):
        return ""
    keep_up = _("持续做好政府服务保障工作") if service else ""
    first = clauses(_("由党政领导班子牵头，营造良好营商环境"), service, keep_up)
    return (_("镇级层面，") if unit.kind == Unit.Kind.TOWN else "") + first + clauses(strengthen) + clauses(results)


def pace_clause(standing):
    """The village's standing against the 消薄 pace (reports/targets.py), as a clause of the income sentence."""
    values = {"m": standing.month.month, "figure": figure(standing.figure, 2), "pace": figure(standing.pace, 2)}
    if standing.colour == targets.GREEN:
        return _("，截至%(m)s月已达到序时进度") % values
    if standing.colour == targets.YELLOW:
        return _("，截至%(m)s月未达序时进度（已审核%(figure)s元，应达%(pace)s元）") % values
    return _("，截至%(m)s月不足序时进度的一半（已审核%(figure)s元，应达%(pace)s元）") % values


def villages_pace(standings):
    """How the villages stand against the 消薄 pace, as one clause ('' when none is behind)."""
    behind = [standing for standing in standings if standing.behind]
    if not behind:
        return ""
    red = sum(standing.colour == targets.RED for standing in behind)
    text = _("按截至%(m)s月已审核数，%(n)s个村（社区）未达序时进度") % {"m": behind[0].month.month, "n": len(behind)}
    return text + (_("，其中%(red)s个不足一半") % {"red": red} if red else "")


def income_paragraph(unit, period, values):
    spec = registry.get("ind.collective_income") if "ind.collective_income" in registry else None
    target = spec.target if spec is not None else None
    yearly = period.type in YEARLY and target
    month = targets.judged_month(period) if yearly else None
    if unit.is_village:
        said = values.say(_("{when}，本村集体经济收入{0}元"), "ind.collective_income", when=period_phrase(period))
        if said and yearly:
            met = values["ind.collective_income"] >= target
            said += (_("，已达到%(t)s元的消薄目标") if met else _("，距%(t)s元的消薄目标尚差%(gap)s元")) % {
                "t": figure(target), "gap": figure(target - values["ind.collective_income"], 2),
            }  # fmt: skip
            if month is not None:
                standing = targets.standings([unit], [spec], month)[(unit.pk, spec.code)]
                said += "" if met else pace_clause(standing)
        return clauses(said)
    total = values.say(_("{where}村集体经济收入合计{0}元（约{approx}元）"), "ind.collective_income",
                       where=scope_word(unit), approx=wan(values.get("ind.collective_income") or 0))  # fmt: skip
    if not total:
        return ""
    parts = [_("村级层面，大力发展村级集体经济"), total]
    if yearly:
        incomes = child_values(unit, period, "ind.collective_income")
        villages = list(Unit.objects.under(unit).villages())
        met = sum(value >= target for value in incomes.values())
        strong = sum(value >= strong_line() for value in incomes.values())
        last_year = child_values(unit, periods.Period(periods.YEAR, period.year - 1), "ind.collective_income")
        weak = [village for village, value in last_year.items() if value < target]
        if weak:
            lifted = sum(incomes.get(village, 0) >= target for village in weak)
            if lifted == len(weak):
                parts.append(_("%(weak)s个集体经济薄弱村全部消薄") % {"weak": len(weak)})
            else:
                parts.append(_("%(weak)s个集体经济薄弱村中%(lifted)s个已消薄") % {"weak": len(weak), "lifted": lifted})
        if villages and met == len(villages):
            parts.append(_("所有村集体经济均达到%(t)s万元以上") % {"t": figure(target / 10000, 2)})
        else:
            parts.append(_("%(met)s个村（社区）达到%(t)s万元以上") % {"met": met, "t": figure(target / 10000, 2)})
        if strong:
            parts.append(_("%(n)s个村达%(t)s万元以上") % {"n": strong, "t": figure(strong_line() / 10000, 2)})
        if month is not None:
            parts.append(villages_pace(targets.standings(villages, [spec], month).values()))
    return clauses(*parts)


def project_sentences(unit, period):
    """Each featured project under the unit with what it brought the collective in the period (notable records)."""
    span = period_range(period)
    if span is None:
        return []
    start, end = span
    projects = FeaturedProject.objects.filter(unit__path__startswith=unit.path).select_related("unit")
    projects = projects.filter(Q(started__isnull=True) | Q(started__lt=end)).order_by("unit__path", "name")
    organisations = dict(
        PartyOrganisation.objects.filter(unit__in=[project.unit for project in projects])
        .order_by("-id").values_list("unit_id", "name")
    )  # fmt: skip
    # Two grouped queries for every project at once, not two per project.
    dated = {"project__in": projects, "date__gte": start, "date__lt": end}
    incomes = dict(IncomeEntry.objects.filter(**dated).values("project").annotate(s=Sum("amount"))
                   .order_by().values_list("project", "s"))  # fmt: skip
    sales = dict(SalesRecord.objects.filter(**dated, channel=SalesRecord.Channel.ECOMMERCE).values("project")
                 .annotate(s=Sum("kg")).order_by().values_list("project", "s"))  # fmt: skip
    sentences = []
    for project in projects:
        income, online = incomes.get(project.pk), sales.get(project.pk)
        if not income and not online:
            continue
        who = organisations.get(project.unit_id) or _("%(village)s党支部") % {"village": project.unit.name}
        what = f"“{project.brand}”特色品牌" if project.brand else project.name
        products = f"（{project.products}）" if project.products else ""
        new = _("新建") if project.started and project.started >= start else ""
        sentence = _("%(who)s以“党支部+合作社+农户”模式%(new)s打造%(what)s%(products)s") % {
            "who": who, "new": new, "what": what, "products": products,
        }  # fmt: skip
        if online:
            sentence += _("，利用电商平台销售%(kg)s公斤") % {"kg": figure(online, 2)}
        if income:
            sentence += _("，为集体增收%(income)s元") % {"income": figure(income, 2)}
        sentences.append(sentence)
    return sentences


def featured_paragraph(unit, period, values):
    projects = project_sentences(unit, period)
    totals = clauses(
        values.say(_("{where}特色产业为集体增收{0}元"), "ind.featured_income", where=scope_word(unit)),
        values.say(_("通过电商平台销售农产品{0}公斤"), "ind.ecommerce_kg"),
        end="",
    )
    if not (projects or totals):
        return ""
    text = _("创新了一批“党支部+合作社+农户”的农业特色项目。") if projects else ""
    if projects:
        text += _("其中，") + marks().semicolon.join(projects) + marks().stop
    return text + clauses(totals)


def build(unit, period, values):
    return paragraphs(
        town_paragraph(unit, period, values),
        income_paragraph(unit, period, values),
        featured_paragraph(unit, period, values),
    )


BRIEF = BriefSection(build, subtitle=gettext_lazy("激发经济活力"))


def overdue_problems_under(unit, on):
    return problems_overdue_on(Problem.objects.filter(unit__path__startswith=unit.path), on)


TIMED_CASES = (
    # 包企: a problem an enterprise raises is answered within 15 days of being raised, unless given its own deadline
    TimedCase(gettext_lazy("企业问题逾期未办结"), overdue_problems_under, measure=gettext_lazy("件"),
              url=overdue_problems_url, kind="problem", kind_label=gettext_lazy("包企问题（自反映之日起办结）"),
              default_days=15),
)  # fmt: skip
