from django.urls import reverse

from reports.plugins import TodayItem, WorkLine, register_work_line

from . import indicators, selectors

LINE = register_work_line(
    WorkLine(
        code="talent",
        label="支部+人才回引",
        order=60,  # after the project's five (支部建设 is 50)
        indicators=indicators.INDICATORS,
        pages=indicators.PAGES,
        demo="tests.fifth_line.demo",
        urls="tests.fifth_line.urls",
        api_urls="tests.fifth_line.api.urls",
        today_items=(
            TodayItem("talent.returned", "本月返乡人才", selectors.returned_this_month_count,
                      lambda user: reverse("fifth_line:returnee_list")),
        ),  # fmt: skip
    )
)
