"""支部+产业发展, declared once (reports/lines.py): found at start-up; nothing else registers this line."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reports.plugins import NotificationEvent, TodayItem, WorkLine, register_work_line

from . import alerts, brief, indicators, panels, scale, selectors


def problem_cadres(problem):
    return selectors.cadre_users_of(problem.enterprise)


def problem_overdue_message(problem):
    return _("企业问题逾期未办结：%(enterprise)s — %(problem)s（时限 %(deadline)s）") % {
        "enterprise": problem.enterprise, "problem": problem.description[:40], "deadline": problem.deadline,
    }  # fmt: skip


LINE = register_work_line(
    WorkLine(
        code="industry",
        label=_("支部+产业发展"),
        order=10,
        indicators=indicators.INDICATORS,
        headline=("ind.collective_income", "ind.enterprise_tax", "ind.enterprise_jobs", "ind.problems_open"),
        pages=indicators.PAGES,
        brief=brief.BRIEF,
        panel=panels.industry_panel,
        panel_order=20,
        seed=scale.seed,
        demo="demo.industry",
        urls="industry.urls",
        api_urls="industry.api.urls",
        alerts=alerts.ALERTS,
        timed_cases=brief.TIMED_CASES,
        today_items=(
            TodayItem("industry.open_problems", _("我包联企业的未办结问题"),
                      url=lambda user: reverse("industry:my_enterprises"), roles=("cadre",),
                      rows=selectors.my_open_problems, deadline="deadline"),
        ),  # fmt: skip
        notification_events=(
            NotificationEvent("industry.problem_overdue", _("企业问题逾期未办结"), problem_cadres,
                              problem_overdue_message, url=lambda problem: problem.get_absolute_url()),
        ),  # fmt: skip
    )
)
