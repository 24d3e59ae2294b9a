"""Indicators of 支部+产业发展 (DESIGN §5, industry rows), and the work line's pages.

Entered: the town's above-scale enterprise tax and jobs. Derived from the ledgers: the cadres and enterprises of
包企 (the town reports them), and each village's collective income, featured-project income and e-commerce sales.
"""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse

from reports.plugins import (
    DERIVED,
    ENTERED,
    FLOW,
    STOCK,
    TOWN,
    VILLAGE,
    Balance,
    IndicatorSpec,
    add_months,
    count,
    count_distinct,
    in_month,
    month_rows,
    total,
)

from .models import IncomeEntry, Problem, SalesRecord
from .selectors import enterprise_assignments, problems_open_before


def month_end(month):
    return add_months(month, 1)


def assignments_under(unit, month):
    """包企 in force at the month's end (on the first day of the next month)."""
    return enterprise_assignments(on=month_end(month)).filter(unit__path__startswith=unit.path)


def count_enterprise_cadres(unit, month):
    return count_distinct(assignments_under(unit, month), "cadre")


def count_enterprises_assigned(unit, month):
    return count_distinct(assignments_under(unit, month), "target_id")


def collective_income(unit, month):
    return total(in_month(IncomeEntry.objects, unit, month), "amount")


def featured_income(unit, month):
    incomes = in_month(IncomeEntry.objects, unit, month).filter(project__isnull=False)
    return total(incomes, "amount")


def ecommerce_kg(unit, month):
    sales = in_month(SalesRecord.objects, unit, month).filter(channel=SalesRecord.Channel.ECOMMERCE)
    return total(sales, "kg")


def problems_under(unit):
    """The 包企 problems of the enterprises under `unit` (the town reports them, as it reports its enterprises)."""
    return Problem.objects.filter(unit__path__startswith=unit.path)


def problems_in_month(field, queryset=None):
    def derive(unit, month):
        rows = problems_under(unit) if queryset is None else queryset(problems_under(unit))
        return count(rows.filter(**{f"{field}__gte": month, f"{field}__lt": month_end(month)}))

    return derive


def problems_open(unit, month):
    return count(problems_open_before(problems_under(unit), month_end(month)))


def problem_rows(after, before, **query):
    def rows_url(unit, month):
        last_day = month_end(month) - timedelta(days=1)
        params = {**query, "under": unit.pk, after: month.isoformat(), before: last_day.isoformat()}
        return f"{reverse('industry:problem_list')}?" + "&".join(f"{key}={value}" for key, value in params.items())

    return rows_url


def open_problem_rows(unit, month):
    last_day = month_end(month) - timedelta(days=1)
    return f"{reverse('industry:problem_list')}?under={unit.pk}&open_on={last_day.isoformat()}"


def enterprise_rows(unit, month):
    return f"{reverse('industry:enterprise_list')}?under={unit.pk}"


def derived(code, name, unit, kind, derive, rows_url, order, reported_by=(VILLAGE,), **extra):
    return IndicatorSpec(
        code=code, name=name, unit=unit, work_line="industry", kind=kind, source=DERIVED, derive=derive,
        rows_url=rows_url, order=order, reported_by=reported_by, **extra,
    )  # fmt: skip


INDICATORS = (
    derived("ind.enterprise_cadres", "专企专抓派驻干部", "人", STOCK, count_enterprise_cadres,
            enterprise_rows, 10, reported_by=(TOWN,)),
    derived("ind.enterprises_assigned", "包联服务企业", "家", STOCK, count_enterprises_assigned,
            enterprise_rows, 20, reported_by=(TOWN,)),
    IndicatorSpec(
        code="ind.enterprise_tax", name="规上企业财税", unit="万元", work_line="industry", kind=FLOW, source=ENTERED,
        decimals=2, max_value=Decimal(100_000), reported_by=(TOWN,), help_text="镇域规模以上企业当月实现的财税收入。",
        order=30,
    ),
    IndicatorSpec(
        code="ind.enterprise_jobs", name="带动就业岗位", unit="个", work_line="industry", kind=STOCK, source=ENTERED,
        max_value=Decimal(100_000), reported_by=(TOWN,), help_text="月末企业带动的就业岗位数。", order=40,
    ),
    derived("ind.collective_income", "村集体经济收入", "元", FLOW, collective_income,
            month_rows("industry:incomeentry_list"), 50, decimals=2, target=Decimal(50_000),
            target_note="消薄：每村每年不少于 5 万元"),
    derived("ind.featured_income", "特色产业集体增收", "元", FLOW, featured_income,
            month_rows("industry:incomeentry_list"), 60, decimals=2),
    derived("ind.ecommerce_kg", "电商销售农产品", "公斤", FLOW, ecommerce_kg,
            month_rows("industry:salesrecord_list", channel="ecommerce"), 70, decimals=2),
    # The 包企 problems' backlog: open at month end = last month's approved open + raised − settled (reports.checks).
    derived("ind.problems_raised", "企业反映问题", "个", FLOW, problems_in_month("raised_on"),
            problem_rows("raised_after", "raised_before"), 80, reported_by=(TOWN,), judged_by_last_year=False),
    derived("ind.problems_settled", "企业问题办结", "个", FLOW,
            problems_in_month("resolved_on", lambda rows: rows.filter(status__in=Problem.DONE_STATUSES)),
            problem_rows("resolved_after", "resolved_before", open="false"), 81, reported_by=(TOWN,),
            judged_by_last_year=False),
    derived("ind.problems_open", "企业问题在办数", "个", STOCK, problems_open, open_problem_rows, 82,
            reported_by=(TOWN,), judged_by_last_year=False,
            balance=Balance(plus=("ind.problems_raised",), minus=("ind.problems_settled",))),
)  # fmt: skip


def own_village_economy(user):
    unit = user.unit
    return reverse("industry:economy", args=[unit.pk]) if unit is not None and unit.is_village else None


PAGES = (
    ("本村集体经济", own_village_economy),
    ("我包联的企业", "industry:my_enterprises"),
    ("企业", "industry:enterprise_list"),
    ("走访服务", "industry:servicevisit_list"),
    ("企业问题", "industry:problem_list"),
    ("集体经济收入", "industry:incomeentry_list"),
    ("消薄进度", "industry:xiaobo"),
    ("特色产业项目", "industry:featuredproject_list"),
    ("销售记录", "industry:salesrecord_list"),
)
