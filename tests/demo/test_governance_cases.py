"""`manage.py load_demo` fills the rest of 支部+基层治理: the town's year-to-date roll-up shows the article's figures
for 解决矛盾 and 设卡管控 (22 mediation rooms, 467 disputes mediated, 16 petition cases resolved, 24 checkpoints with
140-odd cadres on duty), and every village keeps a committee with its room (the whole demo loading twice changing
nothing is tests/demo/test_idempotent.py).

The demo is loaded once for the package (tests/demo/conftest.py); each test runs in a savepoint inside it.
"""

from datetime import date

import pytest

from branches.models import Unit
from governance.models import (
    Checkpoint,
    DisputeCase,
    KeyPerson,
    MediationCommittee,
    PassRecord,
    PeopleIssue,
    PetitionCase,
    VisitLog,
)
from reports import periods
from reports.models import ReportValue, Rollup

CODES = ("gov.mediation_rooms", "gov.disputes_mediated", "gov.petitions_resolved", "gov.checkpoints",
         "gov.checkpoint_cadres")  # fmt: skip

pytestmark = pytest.mark.django_db  # tests/demo/ holds database tests only (see its conftest)



def year_to_date(unit):
    period = f"{periods.last_complete_month().year}-YTD"
    rows = Rollup.objects.filter(unit=unit, period=period, indicator__code__in=CODES)
    return dict(rows.values_list("indicator__code", "value"))


@pytest.mark.django_db
def test_the_towns_year_to_date_shows_the_articles_figures(demo_town):
    figures = year_to_date(demo_town)
    assert figures["gov.mediation_rooms"] == 22  # 22个村(社区)均成立调解委员会、建立调解室
    assert figures["gov.disputes_mediated"] == 467  # 调处纠纷467起
    assert figures["gov.petitions_resolved"] == 16  # 推进16件信访积案化解
    assert figures["gov.checkpoints"] == 24  # 设立卡点24个
    assert figures["gov.checkpoint_cadres"] >= 140  # 动员140余名党员干部


@pytest.mark.django_db
def test_every_village_has_a_committee_with_a_room_and_the_town_none(demo_town):
    villages = list(Unit.objects.under(demo_town).villages())
    assert len(villages) == 22
    for village in villages:
        committee = MediationCommittee.objects.get(unit=village)
        assert committee.room and committee.director and committee.legal_adviser and committee.auxiliary_police
    assert not MediationCommittee.objects.filter(unit=demo_town).exists()
    assert MediationCommittee.objects.values("legal_adviser").distinct().count() == 1  # 配备了1名法律顾问


@pytest.mark.django_db
def test_the_ledgers_behind_the_figures(demo_town):
    last = periods.last_complete_month()
    under = {"unit__path__startswith": demo_town.path}
    cases = DisputeCase.objects.filter(**under)
    assert cases.filter(result=DisputeCase.Result.PENDING, closed_on=None).exists()
    settled = cases.exclude(closed_on=None)
    assert settled.filter(result=DisputeCase.Result.SUCCESS).count() > 0.9 * settled.count()
    assert settled.exclude(result=DisputeCase.Result.SUCCESS).exists()
    assert all(
        date(2025, 1, 1) <= day < periods.add_months(last, 1) for day in settled.values_list("closed_on", flat=True)
    )
    for case in cases[:50]:
        assert case.parties and all(len(n) == 18 for n in case.party_ids.split("、"))
    petitions = PetitionCase.objects.filter(**under)
    assert petitions.exclude(status=PetitionCase.Status.RESOLVED).count() in (2, 3)
    assert not petitions.filter(leader=None).exists() and all(p.leader.is_leader for p in petitions)
    standing = Checkpoint.objects.filter(closed_on=None, **under)
    assert set(standing.filter(unit=demo_town).values_list("kind", flat=True)) == {Checkpoint.Kind.BORDER}
    assert set(standing.exclude(unit=demo_town).values_list("kind", flat=True)) == {Checkpoint.Kind.VILLAGE_ROAD}
    assert PassRecord.objects.filter(at__year=2026, at__month=2).values("checkpoint").distinct().count() == 2
    assert VisitLog.objects.filter(**under).exists()
    issues = PeopleIssue.objects.filter(**under)
    assert issues.filter(status=PeopleIssue.Status.OPEN).count() < issues.filter(status="closed").count()
    for person in KeyPerson.objects.filter(**under):
        assert person.keepers.count() == 5 and person.knocks.exists()


@pytest.mark.django_db
def test_the_months_are_clean_for_the_outlier_check(demo_town):
    values = ReportValue.objects.filter(indicator__code__in=CODES + ("gov.disputes_resolved",))
    assert values.exists()
    assert list(values.exclude(flag="").values_list("report__unit__name", "report__month", "indicator__code")) == []
