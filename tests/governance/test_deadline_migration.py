"""The migration that gives disputes and petitions their own deadline keeps every existing case and fills it: a
dispute 30 days after it was received, a petition 60 days after it was taken on (the day it was entered in the
ledger, for lack of a better record), never from its first petition.

A fresh database is made by governance's squashed migration, which replaces 0001…0007 and carries no copy of 0006's
data step (it has no cases to fill). The test runs the old chain itself — the graph without the replacements, as a
database that applied those migrations one by one has it — back to 0005 and forward through 0006. As before the
squash it stopped at 0006; it now goes on afterwards to governance's last migration (0007 and 0008, validators only,
recorded without being run), since later ones add columns (a visit's grid worker) that the tests after it use."""

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("governance", "0005_history_of_keepers_staff_passes")]
AFTER = [("governance", "0006_case_deadlines")]
# 0007 and 0008 change validators only, no column: recorded on the way forward, not run (0007's 78 AlterFields would
# cost the suite ~12 s); what follows them is run.
VALIDATORS_ONLY = [("governance", "0008_dispute_party_phones_checked")]


def migrate(targets, fake=False):
    """Migrate along the original migrations: the graph with every squashed migration taken out (its dependants
    pointed at the last migration it replaces), as Django builds it for a squash that is only partly applied."""
    executor = MigrationExecutor(connection)
    loader = executor.loader = MigrationLoader(connection, replace_migrations=False)
    for key, squashed in loader.replacements.items():
        loader.graph.remove_replacement_node(key, squashed.replaces)
        loader.applied_migrations.pop(key, None)
    executor.migrate(targets, fake=fake)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def governance_at_its_last_migration_afterwards():
    """The tests after this one need governance's later columns (a visit's grid worker): forward to its last
    migration along the same chain."""
    yield
    migrate(VALIDATORS_ONLY, fake=True)
    loader = MigrationLoader(connection, replace_migrations=False)
    migrate([node for node in loader.graph.leaf_nodes("governance") if node not in loader.replacements])


def test_existing_disputes_and_petitions_get_their_deadlines(town):
    apps = migrate(BEFORE)
    try:
        Dispute = apps.get_model("governance", "DisputeCase")
        Petition = apps.get_model("governance", "PetitionCase")
        HistoricalPetition = apps.get_model("governance", "HistoricalPetitionCase")
        dispute = Dispute.objects.create(unit_id=town.yangqiu.unit.pk, kind="land", summary="宅基地", parties="甲",
                                         received_on=date(2026, 3, 1))  # fmt: skip
        petition = Petition.objects.create(unit_id=town.unit.pk, title="老积案", petitioner="乙",
                                           received_on=date(2024, 5, 1))  # fmt: skip
        entered = timezone.make_aware(datetime(2026, 2, 10, 9))
        HistoricalPetition.objects.create(id=petition.pk, unit_id=town.unit.pk, title="老积案", petitioner="乙",
                                          received_on=date(2024, 5, 1), status="open", history_date=entered,
                                          history_type="+")  # fmt: skip
    finally:
        apps = migrate(AFTER)
    dispute = apps.get_model("governance", "DisputeCase").objects.get(pk=dispute.pk)
    petition = apps.get_model("governance", "PetitionCase").objects.get(pk=petition.pk)
    assert dispute.deadline == date(2026, 3, 1) + timedelta(days=30)
    assert (petition.taken_on, petition.deadline) == (date(2026, 2, 10), date(2026, 2, 10) + timedelta(days=60))
    history = apps.get_model("governance", "HistoricalPetitionCase").objects.get(id=petition.pk)
    assert history.deadline == petition.deadline
