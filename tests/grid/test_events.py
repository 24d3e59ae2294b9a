"""网格事件 through the pages: a grid worker reports, the village accepts it into the work line's register (or settles
or escalates it), the reporter is told; time limits count overdue; another grid's events are out of reach."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from branches.photos import photos_of
from governance.models import Hazard
from grid import hooks, selectors, services
from grid.models import GridEvent
from reports.models import Notification
from tests.grid.conftest import jpeg

pytestmark = pytest.mark.django_db


def notified(user):
    return list(Notification.objects.filter(user=user).values_list("message", flat=True))


def test_a_grid_worker_reports_from_the_form_with_a_photo_and_the_secretary_is_told(
        grids, users, login, django_capture_on_commit_callbacks):  # fmt: skip
    client = login(grids.worker)
    page = client.get(reverse("grid:gridevent_add"))
    assert page.status_code == 200 and page["X-Offline-Page"] == "1"
    assert "data-offline-endpoint" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("grid:gridevent_add"), {
            "unit": grids.first.pk, "kind": "hazard", "description": "村道边坡有落石", "place": "一组",
            "household": "", "latitude": "27.456789", "longitude": "112.123456", "photos": [jpeg()],
        })  # fmt: skip
    event = GridEvent.objects.get()
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    assert (event.reporter, event.unit, event.status) == (grids.worker, grids.first, GridEvent.Status.REPORTED)
    assert event.answer_deadline == timezone.localdate() + timedelta(days=1)
    assert any("上报安全隐患" in message for message in notified(users.tongliang))
    detail = client.get(event.get_absolute_url()).content.decode()
    photo = photos_of(event).get()
    assert "村道边坡有落石" in detail and "待受理" in detail
    assert reverse("branches:photo_thumb", args=[photo.pk]) in detail


def test_a_report_with_bad_input_is_refused_in_chinese_and_nothing_is_saved(grids, login):
    client = login(grids.worker)
    response = client.post(reverse("grid:gridevent_add"), {"unit": grids.first.pk, "kind": "flood", "description": ""})
    assert response.status_code == 400
    assert "必填" in response.content.decode()
    assert not GridEvent.objects.exists()


def test_a_grid_worker_sees_only_his_grids_events_pages_export_and_guessed_ids(grids, users, login, report):
    mine, theirs = report(), report(worker=grids.worker2, description="二网格的事件")
    other_village = report(worker=grids.yq_worker, description="杨球村的事件")
    client = login(grids.worker)
    listing = client.get(reverse("grid:gridevent_list") + "?tab=all").content.decode()
    assert "山塘坝体" in listing and "二网格的事件" not in listing and "杨球村的事件" not in listing
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.get(other_village.get_absolute_url()).status_code == 404
    assert client.get(mine.get_absolute_url()).status_code == 200
    sheet = load_workbook(BytesIO(client.get(reverse("grid:gridevent_list") + "?tab=all&export=xlsx").content)).active
    described = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert described == ["山塘坝体渗水"]
    # Nor may he answer events, even his own: that is his village's.
    response = client.post(mine.get_absolute_url(), {"action": "close", "result": "自己办结"})
    assert response.status_code == 403 and GridEvent.objects.get(pk=mine.pk).status == GridEvent.Status.REPORTED
    # The secretary sees both of his village's grids, not 杨球村's.
    secretary = login(users.tongliang).get(reverse("grid:gridevent_list") + "?tab=all").content.decode()
    assert "山塘坝体" in secretary and "二网格的事件" in secretary and "杨球村的事件" not in secretary


def test_a_grid_worker_cannot_report_into_another_grid(grids, report):
    with pytest.raises(PermissionDenied):
        report(unit=grids.second)


def test_accepting_makes_the_hazard_in_the_register_with_a_link_both_ways(
        grids, users, login, report, django_capture_on_commit_callbacks):  # fmt: skip
    event = report()
    client = login(users.tongliang)
    deadline = timezone.localdate() + timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(event.get_absolute_url(), {
            "action": "accept", "register": "hazard", "hazard-item": "山塘坝体渗水", "hazard-responsible": "李组长",
            "hazard-deadline": deadline.isoformat(),
        })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    event.refresh_from_db()
    hazard = Hazard.objects.get()
    assert (event.status, event.record) == (GridEvent.Status.ACCEPTED, hazard)
    assert (hazard.unit, hazard.responsible, hazard.deadline, hazard.status) == (
        grids.first, "李组长", deadline, Hazard.Status.FOUND)
    assert hazard.history.first().history_user == users.tongliang
    assert any("已受理" in message for message in notified(grids.worker))
    hazard_page = client.get(hazard.get_absolute_url()).content.decode()
    assert "来自网格事件" in hazard_page and event.get_absolute_url() in hazard_page
    assert hazard.get_absolute_url() in client.get(event.get_absolute_url()).content.decode()
    # The reporter sees it move.
    mine = login(grids.worker).get(event.get_absolute_url()).content.decode()
    assert "已受理" in mine


def test_accepting_without_what_the_register_requires_saves_nothing(grids, users, login, report):
    event = report()
    response = login(users.tongliang).post(event.get_absolute_url(), {"action": "accept", "register": "hazard",
                                                                        "hazard-item": "渗水"})  # fmt: skip
    assert response.status_code == 400
    assert not Hazard.objects.exists()
    assert GridEvent.objects.get(pk=event.pk).status == GridEvent.Status.REPORTED


def test_another_villages_secretary_cannot_reach_the_event(grids, users, login, report):
    event = report()
    assert login(users.yangqiu).post(event.get_absolute_url(), {"action": "close", "result": "x"}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.event_close(user=users.yangqiu, event=event, result="越权办结")


def test_escalation_goes_to_the_cadre_then_the_centre_who_closes_it_and_the_reporter_is_told(
        grids, users, login, report, django_capture_on_commit_callbacks):  # fmt: skip
    event = report(kind="other", description="跨村道路积水")
    with django_capture_on_commit_callbacks(execute=True):
        services.event_escalate(user=users.tongliang, event=event, to="cadre", note="需镇里协调")
    assert any("已上报包村干部" in message for message in notified(users.cadre))
    assert event in selectors.waiting_for(users.cadre)
    assert event not in selectors.waiting_for(grids.centre)  # not the centre's until it is sent there
    with pytest.raises(ValidationError):  # the village cannot send it on while it is the cadre's
        services.event_escalate(user=users.tongliang, event=event, to="cadre", note="again")
    with django_capture_on_commit_callbacks(execute=True):
        services.event_escalate(user=users.cadre, event=event, to="centre", note="涉及多部门")
    assert any("镇综治中心" in message for message in notified(grids.centre))
    client = login(grids.centre)
    assert "跨村道路积水" in client.get(event.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(event.get_absolute_url(), {"action": "close", "result": "已协调交通部门疏通"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == GridEvent.Status.CLOSED and event.closed_on == timezone.localdate()
    assert any("已办结" in message for message in notified(grids.worker))


def test_an_escalation_needs_a_reason(grids, users, report):
    with pytest.raises(ValidationError) as refused:
        services.event_escalate(user=users.tongliang, event=report(), to="cadre", note=" ")
    assert "note" in refused.value.message_dict


def test_an_unanswered_event_is_overdue_after_its_day_on_the_dashboard_and_in_the_bulletin(grids, users, report):
    event = report()
    today = timezone.localdate()
    assert not selectors.time_state(event, on=today).is_over
    later = today + timedelta(days=2)
    assert selectors.time_state(event, on=later).is_over
    assert list(hooks.unanswered_under(grids.first.village, later)) == [event]
    services.event_close(user=users.tongliang, event=event, result="已现场处置")
    assert not hooks.unanswered_under(grids.first.village, later).exists()
    assert hooks.overdue_seen(users.leader, grids.first.village).count() == 0


def test_today_lists_what_waits_for_the_secretary_and_the_workers_own_events(grids, users, report):
    from reports.today import today_for

    event = report()
    assert ("grid.waiting", 1) in [(item.code, count) for item, count, _due in today_for(users.tongliang)]
    assert ("grid.mine", 1) in [(item.code, count) for item, count, _due in today_for(grids.worker)]
    assert "grid.waiting" not in [item.code for item, _, _due in today_for(grids.worker)]
    # The deadline shown is the one running: the time to answer, then, once escalated, the time to settle.
    deadlines = {item.code: due for item, _n, due in today_for(users.tongliang)}
    assert deadlines["grid.waiting"] == event.answer_deadline
    services.event_escalate(user=users.tongliang, event=event, to="cadre", note="需镇里协调")
    event.refresh_from_db()
    assert event.escalation_deadline != event.answer_deadline
    cadres = [(item.code, n, due) for item, n, due in today_for(users.cadre)]
    assert ("grid.waiting", 1, event.escalation_deadline) in cadres


def test_the_village_page_lists_what_waits_and_the_town_page_what_is_overdue(grids, users, login, report, town):
    report(description="山塘渗水待受理")
    village_page = login(users.tongliang).get(town.tongliang.unit.get_absolute_url()).content.decode()
    assert 'data-testid="grid-panel"' in village_page and "山塘渗水待受理" in village_page
    GridEvent.objects.update(answer_deadline=timezone.localdate() - timedelta(days=2))
    town_page = login(users.leader).get(town.unit.get_absolute_url()).content.decode()
    assert "逾期未受理/未办结 1 件" in town_page
