"""The governance line's event sinks (issue 22): an event a grid worker reported, once the village secretary accepts
it, becomes the row it is — a hazard in the 六定 register, a dispute, a 民情 issue — through the ledger's own service,
reached by `reports.plugins.deliver`; accepting asks what the register requires (the sink's form), bad input is
refused field by field, and another village's secretary cannot accept it."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from governance.models import DisputeCase, Hazard, PeopleIssue
from reports.plugins import deadline_for, deliver, event_sink

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
REPORTED_ON = TODAY - timedelta(days=2)


def reported(town, **more):
    """What every grid event hands on: where, when, what, where exactly, which household, who reported it."""
    return {"unit": town.tongliang.grid, "reported_on": REPORTED_ON, "description": "三组路口边坡有落石",
            "place": "三组路口", "household": town.tongliang.households[0], "reporter": "网格员小李",
            **more}  # fmt: skip


def accepted(kind, data):
    """The sink's form filled as the secretary would, cleaned: what `deliver` is given besides the report."""
    form = event_sink(kind).form(data=data)
    assert form.is_valid(), form.errors
    return form.cleaned_data


def field_error(kind, user, payload):
    with pytest.raises(ValidationError) as refused:
        deliver(kind, user=user, **payload)
    return refused.value.message_dict


def test_sinks_are_declared_with_what_accepting_asks():
    assert {kind: str(event_sink(kind).label) for kind in ("hazard", "dispute", "people")} == {
        "hazard": "安全隐患", "dispute": "矛盾纠纷", "people": "民情"}  # fmt: skip
    hazard_form = event_sink("hazard").form(data={})
    assert not hazard_form.is_valid()
    assert set(hazard_form.errors) == {"item", "responsible"}  # 定项目 and 定责任人; 定时限 falls back to the default
    assert set(event_sink("dispute").form(data={}).errors) == {"kind", "parties"}  # the summary falls back too
    assert set(event_sink("people").form(data={}).errors) == {"handler"}


def test_an_accepted_hazard_enters_the_six_fixed_register(town, users):
    asked = accepted("hazard", {"item": "村道边坡落石", "responsible": "刘组长", "measures": "设警示牌、清落石"})
    hazard = deliver("hazard", user=users.tongliang, **reported(town), **asked)
    stored = Hazard.objects.get(pk=hazard.pk)
    assert (stored.unit, stored.found_on, stored.location) == (town.tongliang.grid, REPORTED_ON, "三组路口")
    assert (stored.item, stored.responsible, stored.status) == ("村道边坡落石", "刘组长", Hazard.Status.FOUND)
    assert "网格员小李" in stored.note and "三组路口边坡有落石" in stored.note
    assert stored.deadline == deadline_for("hazard", stored.found_on)  # no 定时限 given: the default limit
    assert stored.history.first().history_user == users.tongliang
    assert hazard.get_absolute_url() == f"/governance/hazards/{hazard.pk}/"


def test_an_accepted_dispute_is_taken_on_for_mediation(town, users):
    asked = accepted("dispute", {"kind": "neighbour", "parties": "张三、李四", "mediator": "王主任",
                                 "deadline": (TODAY + timedelta(days=10)).isoformat()})  # fmt: skip
    case = deliver("dispute", user=users.tongliang, **reported(town, description="两户因排水沟堵塞争吵"), **asked)
    stored = DisputeCase.objects.get(pk=case.pk)
    assert (stored.received_on, stored.kind, stored.parties) == (REPORTED_ON, "neighbour", "张三、李四")
    assert stored.summary == "两户因排水沟堵塞争吵"  # none given when accepting: the report's own words
    assert stored.deadline == TODAY + timedelta(days=10) and stored.result == DisputeCase.Result.PENDING
    assert "网格员小李" in stored.steps
    assert stored.history.first().history_user == users.tongliang
    assert case.get_absolute_url() == f"/governance/disputes/{case.pk}/"
    named = deliver("dispute", user=users.tongliang, **reported(town), **{**asked, "summary": "排水沟纠纷"})
    assert named.summary == "排水沟纠纷"


def test_an_accepted_peoples_problem_enters_the_peoples_ledger(town, users):
    household = town.tongliang.households[1]
    issue = deliver("people", user=users.tongliang, **reported(town, household=household, description="自来水压力不足"),
                    **accepted("people", {"handler": "村主任"}))  # fmt: skip
    stored = PeopleIssue.objects.get(pk=issue.pk)
    assert (stored.content, stored.household, stored.handler) == ("自来水压力不足", household, "村主任")
    assert (stored.raised_on, stored.status) == (REPORTED_ON, PeopleIssue.Status.OPEN)
    assert stored.history.first().history_user == users.tongliang


def test_bad_input_is_refused_by_the_field_that_is_wrong(town, users):
    user = users.tongliang
    hazard = {"item": "落石", "responsible": "刘组长"}
    too_early = TODAY - timedelta(days=5)
    assert "deadline" in field_error("hazard", user, {**reported(town), **hazard, "deadline": too_early})
    assert "item" in field_error("hazard", user, {**reported(town), **hazard, "item": ""})
    assert "responsible" in field_error("hazard", user, {**reported(town), **hazard, "responsible": "长" * 51})
    dispute = {"kind": "neighbour", "parties": "张三"}
    assert "kind" in field_error("dispute", user, {**reported(town), **dispute, "kind": "feud"})
    assert "parties" in field_error("dispute", user, {**reported(town), **dispute, "parties": ""})
    assert "deadline" in field_error("dispute", user, {**reported(town), **dispute, "deadline": too_early})
    assert "handler" in field_error("people", user, {**reported(town), "handler": "  "})
    assert not (Hazard.objects.exists() or DisputeCase.objects.exists() or PeopleIssue.objects.exists())


def test_another_villages_secretary_cannot_accept(town, users):
    asks = {"hazard": {"item": "落石", "responsible": "刘组长"}, "dispute": {"kind": "land", "parties": "张三"},
            "people": {"handler": "村主任"}}  # fmt: skip
    for kind, asked in asks.items():
        with pytest.raises(PermissionDenied):
            deliver(kind, user=users.yangqiu, **reported(town), **asked)
    assert not (Hazard.objects.exists() or DisputeCase.objects.exists() or PeopleIssue.objects.exists())
