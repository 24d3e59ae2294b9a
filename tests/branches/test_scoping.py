"""The scoping rule itself: which units each role may read and write."""

from django.db.models import Q

from branches.models import Household, Unit
from branches.scoping import CHANGE, VIEW, ScopedQuerySet, any_of, can_act_on_unit


def names(queryset):
    return set(queryset.values_list("name", flat=True))


def test_secretary_reads_and_writes_only_his_village(town, users):
    visible = Unit.objects.restrict(users.tongliang, VIEW)
    assert names(visible) == {"铜梁村", "铜梁村一组", "铜梁村第1网格"}
    assert names(Unit.objects.restrict(users.tongliang, CHANGE)) == names(visible)
    assert set(Household.objects.restrict(users.tongliang)) == set(town.tongliang.households)
    assert not can_act_on_unit(users.tongliang, town.yangqiu.grid, VIEW)


def test_leader_reads_the_whole_town_and_writes_nothing(town, users):
    assert "杨球村第1网格" in names(Unit.objects.restrict(users.leader, VIEW))
    assert Household.objects.restrict(users.leader).count() == 6
    assert not Unit.objects.restrict(users.leader, CHANGE).exists()


def test_cadre_reads_the_town_and_writes_where_assigned(town, users):
    assert Household.objects.restrict(users.cadre, VIEW).count() == 6
    writable = Household.objects.restrict(users.cadre, CHANGE)
    assert set(writable) == set(town.tongliang.households)
    assert can_act_on_unit(users.cadre, town.tongliang.grid, CHANGE)
    assert not can_act_on_unit(users.cadre, town.yangqiu.grid, CHANGE)


def test_admin_sees_everything_and_anonymous_nothing(town, users, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert Unit.objects.restrict(users.admin).count() == Unit.objects.count()
    assert not Unit.objects.restrict(AnonymousUser()).exists()


def test_inactive_user_sees_nothing(town, users):
    users.tongliang.is_active = False
    assert not Household.objects.restrict(users.tongliang).exists()


def test_a_user_without_unit_sees_nothing(town, django_user_model):
    loose = django_user_model.objects.create_user("loose", password="x", role="leader")
    assert not Unit.objects.restrict(loose).exists()


def test_is_under_is_the_subtree_test(town):
    village, other = town.tongliang, town.yangqiu
    assert village.grid.is_under(village.unit) and village.unit.is_under(village.unit)
    assert village.unit.is_under(town.unit) and village.unit.is_under(town.county)
    assert not village.grid.is_under(other.unit) and not town.unit.is_under(village.unit)
    assert not village.unit.is_under(None)
    assert {u.name for u in Unit.objects.all() if u.is_under(village.unit)} == names(Unit.objects.under(village.unit))


class NumberOneQuerySet(ScopedQuerySet):
    """A model's own rule for CHANGE, declared on its queryset: house number 1 of every village the user reads."""

    scope_rules = {CHANGE: "number_one"}

    def number_one(self, user):
        return self.unit_rule(user, VIEW) & Q(house_number="1")


def test_restrict_asks_the_rule_a_queryset_declares_for_an_action(town, users):
    households = NumberOneQuerySet(model=Household)
    first = {town.tongliang.households[0], town.yangqiu.households[0]}
    assert set(households.restrict(users.cadre, CHANGE)) == first  # beyond his 包村, by the declared rule
    assert set(households.restrict(users.tongliang, CHANGE)) == {town.tongliang.households[0]}
    assert households.restrict(users.cadre, VIEW).count() == 6  # the actions it declares nothing for keep the unit rule
    assert set(Household.objects.restrict(users.cadre, CHANGE)) == set(town.tongliang.households)


def test_any_of_keeps_everything_everything():
    assert any_of(Q(), Q(pk=1)) == Q()
    assert any_of(Q(pk=1), Q(pk=2)) == Q(pk=1) | Q(pk=2)
