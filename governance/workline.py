"""支部+基层治理, declared once (reports/lines.py): found at start-up; nothing else registers this line."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reports.plugins import EventSink, PointSource, TodayItem, WorkLine, register_work_line

from . import alerts, brief, forms, indicators, panels, scale, selectors, services

LINE = register_work_line(
    WorkLine(
        code="governance",
        label=_("支部+基层治理"),
        order=30,
        indicators=indicators.INDICATORS,
        headline=(
            "gov.household_coverage_rate", "gov.hazard_rectification_rate", "gov.dispute_success_rate",
            "gov.hazards_open",
        ),  # fmt: skip
        pages=indicators.PAGES,
        brief=brief.BRIEF,
        panel=panels.governance_panel,
        panel_order=40,
        seed=scale.seed,
        demo="demo.governance",
        urls="governance.urls",
        api_urls="governance.api.urls",
        alerts=alerts.ALERTS,
        timed_cases=brief.TIMED_CASES,
        # An event a grid worker reports becomes, once accepted, the row it is — a hazard in the 六定 register, a
        # dispute, a 民情 issue — through that ledger's own service; each form asks what its register requires.
        event_sinks=(
            EventSink("hazard", _("安全隐患"), services.hazard_receive, form=forms.HazardAcceptForm),
            EventSink("dispute", _("矛盾纠纷"), services.dispute_receive, form=forms.DisputeAcceptForm),
            EventSink("people", _("民情"), services.people_issue_receive, form=forms.PeopleIssueAcceptForm),
        ),
        # Each 五个到户 visit earns the member who went points in the branch's 积分.
        point_sources=(PointSource("governance.visits", _("五个到户走访"), selectors.member_visits, measure=_("次")),),
        today_items=(
            # Its deadline is the oldest overdue hazard's: how long the worst has waited.
            TodayItem("governance.overdue_hazards", _("逾期未整改的安全隐患"),
                      url=lambda user: f"{reverse('governance:hazard_list')}?overdue=true",
                      roles=("secretary", "cadre"), rows=selectors.overdue_hazards, deadline="deadline"),
        ),  # fmt: skip
    )
)
