"""支部+文明实践, declared once (reports/lines.py): found at start-up; nothing else registers this line."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reports.plugins import PointSource, TodayItem, WorkLine, register_work_line

from . import brief, indicators, panels, scale, selectors

LINE = register_work_line(
    WorkLine(
        code="volunteers",
        label=_("支部+文明实践"),
        order=40,
        indicators=indicators.INDICATORS,
        headline=("vol.volunteers", "vol.activities", "vol.volunteer_hours", "vol.people_served"),
        pages=indicators.PAGES,
        brief=brief.BRIEF,
        panel=panels.volunteers_panel,
        panel_order=50,
        seed=scale.seed,
        demo="demo.volunteers",
        urls="volunteers.urls",
        api_urls="volunteers.api.urls",
        # A party member's approved volunteer hours earn him points in the branch's 积分.
        point_sources=(
            PointSource("volunteers.hours", _("志愿服务时长（已审核）"), selectors.party_member_hours,
                        measure=_("小时")),
        ),
        today_items=(
            TodayItem("volunteers.pending_hours", _("待审核的志愿服务时长"),
                      url=lambda user: reverse("volunteers:hours_review"), rows=selectors.pending_hours),
        ),  # fmt: skip
    )
)
