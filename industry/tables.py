"""List tables of the industry ledgers (the same columns feed each page and its Excel export)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from reports.plugins import DeadlineColumn

from .models import Enterprise, FeaturedProject, IncomeEntry, Problem, SalesRecord, ServiceVisit
from .selectors import PROBLEM_DATES, problem_state


class EnterpriseTable(tables.Table):
    name = tables.Column(linkify=("industry:enterprise_detail", [tables.A("pk")]))
    open_problems = tables.Column(verbose_name=_("未办结问题"), orderable=False)

    class Meta:
        model = Enterprise
        fields = ("name", "kind", "sector", "chain", "is_leading", "unit", "yearly_tax", "jobs", "open_problems")

    def render_open_problems(self, value, record):
        return f"{value}（逾期）" if record.has_overdue else value


class ServiceVisitTable(tables.Table):
    date = tables.Column(linkify=("industry:servicevisit_detail", [tables.A("pk")]))

    class Meta:
        model = ServiceVisit
        fields = ("date", "enterprise", "cadre", "policies", "unit")


class ProblemTable(tables.Table):
    description = tables.Column(linkify=("industry:problem_detail", [tables.A("pk")]))
    deadline = DeadlineColumn(**PROBLEM_DATES, verbose_name=_("办结时限"))

    class Meta:
        model = Problem
        fields = ("description", "enterprise", "status", "responsible", "deadline", "resolved_on")
        row_attrs = {"class": lambda record: "table-danger" if is_overdue(record) else ""}


def is_overdue(problem):
    return problem_state(problem).is_over


class IncomeEntryTable(tables.Table):
    date = tables.Column(linkify=("industry:incomeentry_detail", [tables.A("pk")]))

    class Meta:
        model = IncomeEntry
        fields = ("date", "unit", "source", "amount", "project", "note")


class FeaturedProjectTable(tables.Table):
    name = tables.Column(linkify=("industry:featuredproject_detail", [tables.A("pk")]))
    household_count = tables.Column(verbose_name=_("参与农户"), orderable=False)
    income_total = tables.Column(verbose_name=_("集体增收（元）"), orderable=False, default=0)

    class Meta:
        model = FeaturedProject
        fields = ("name", "unit", "cooperative", "brand", "products", "household_count", "income_total")


class SalesRecordTable(tables.Table):
    date = tables.Column(linkify=("industry:salesrecord_detail", [tables.A("pk")]))

    class Meta:
        model = SalesRecord
        fields = ("date", "unit", "project", "product", "channel", "platform", "kg", "amount")
