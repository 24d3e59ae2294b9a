"""`?month=` is read by one validated rule (branches.params.query_month): a month out of range, malformed or (for a
report) in the future is a 400 that says in Chinese what was wrong — never a page quietly showing another month."""

import pytest

from reports import periods

PAGES = ["/reports/completeness/", "/reports/review/", "/governance/disputes/monthly/", "/volunteers/calendar/",
         "/reports/excel/template/"]  # fmt: skip


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("bad", ["2026-13", "0-1", "abc"])
def test_a_month_out_of_range_is_a_400_in_chinese(login, users, page, bad):
    response = login(users.tongliang).get(page, {"month": bad})
    assert response.status_code == 400
    assert "月份" in response.content.decode()


def test_a_report_month_in_the_future_is_a_400_but_the_calendar_plans_ahead(login, users):
    client = login(users.tongliang)
    ahead = periods.month_key(periods.add_months(periods.current_month(), 2))
    refused = client.get("/reports/completeness/", {"month": ahead})
    assert refused.status_code == 400 and "不能填报未来的月份" in refused.content.decode()
    assert client.get("/volunteers/calendar/", {"month": ahead}).status_code == 200


def test_a_good_month_is_shown(login, users):
    month = periods.add_months(periods.current_month(), -2)
    page = login(users.tongliang).get("/reports/completeness/", {"month": periods.month_key(month)})
    assert page.status_code == 200 and f"{month.year}年{month.month}月" in page.content.decode()
