"""Who approves a station's hours is declared once, on the stations' queryset (volunteers/models.py): its manager,
and the reviewers above it. The review queue, the activity page and the approval service give that one answer —
an admin's queue included, which used to hold only the stations he managed (`Q(manager=…) | Q()` drops the Q())."""

from datetime import date

from django.utils import timezone

from branches.models import User
from branches.scoping import REVIEW
from tests.conftest import make_user
from volunteers import selectors, services
from volunteers.models import Activity, ActivityType, Participation, Station, Volunteer


def test_the_stations_review_rule_is_one_answer(town, users, login):
    manager = make_user("zhan", User.Role.SECRETARY, town.tongliang.unit)
    ours = Station.objects.create(unit=town.tongliang.unit, name="铜梁村站", manager=manager,
                                  established_on=date(2021, 5, 1))  # fmt: skip
    theirs = Station.objects.create(unit=town.yangqiu.unit, name="杨球村站", established_on=date(2021, 5, 1))
    expected = {users.admin: {ours, theirs}, users.leader: {ours, theirs}, users.cadre: {ours}, manager: {ours},
                users.tongliang: set(), users.yangqiu: set()}  # fmt: skip
    for user, stations in expected.items():
        assert set(Station.objects.restrict(user, REVIEW)) == stations, user
        assert set(selectors.reviewable_stations(user)) == stations, user
        assert {s for s in (ours, theirs) if services.may_review_hours(user, s)} == stations, user

    kind = ActivityType.objects.get(name="反电信诈骗宣传")
    activity = Activity.objects.create(unit=theirs.unit, station=theirs, title="反诈宣传", type=kind,
                                       starts_at=timezone.now(), ends_at=timezone.now(), status="held")  # fmt: skip
    volunteer = Volunteer.objects.create(unit=theirs.unit, name="志愿者", joined_on=date(2022, 1, 1))
    hours = Participation.objects.create(unit=theirs.unit, activity=activity, volunteer=volunteer, hours=2)
    assert set(selectors.pending_hours(users.admin)) == {hours}  # no station of his, and the queue holds it
    assert set(selectors.pending_hours(manager)) == set()
    client = login(users.admin)
    client.post("/volunteers/hours/review/", {"ids": [hours.pk], "decision": "approve"})
    hours.refresh_from_db()
    assert hours.status == "approved"
