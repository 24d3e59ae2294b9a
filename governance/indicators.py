"""Indicators of 支部+基层治理 (DESIGN §5, governance rows), and the work line's pages.

The entered ones are typed monthly; grids, 五个到户 members, micro-grids and household coverage are counted from the
shared model, so they need no ledger of their own. Cases, patrols and hazards arrive with the governance ledgers.
"""

from datetime import timedelta
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from branches.models import Household, HouseholdLink, MicroGrid, Unit
from reports.plugins import (
    DERIVED,
    ENTERED,
    FLOW,
    RATIO,
    STOCK,
    TOWN,
    VILLAGE,
    Balance,
    IndicatorSpec,
    add_months,
    count,
    count_distinct,
    in_month,
    month_rows,
    own,
    total,
)

from .models import (
    Checkpoint,
    CheckpointStaff,
    DisputeCase,
    Hazard,
    MediationCommittee,
    PatrolMember,
    PatrolTeam,
    PetitionCase,
    SafetyAction,
)
from .selectors import SETTLED_RESULTS, disputes_open_before, hazards_open_before, petitions_open_before


def month_end(month):
    return add_months(month, 1)


def count_grids(unit, month):
    return count(Unit.objects.filter(path__startswith=unit.path, kind=Unit.Kind.GRID))


def units_under(unit):
    """Ids of the units under `unit` as a subquery: cheaper to join on than a path prefix per row."""
    return Unit.objects.filter(path__startswith=unit.path).values("pk")


def count_covering_members(unit, month):
    links = HouseholdLink.objects.filter(unit__in=units_under(unit), member__is_active=True)
    links = links.exclude(since__gte=month_end(month))
    return count_distinct(links, "member")


def count_micro_grids(unit, month):
    return count(MicroGrid.objects.filter(unit__path__startswith=unit.path))


def count_households(unit, month):
    return count(Household.objects.filter(unit__path__startswith=unit.path))


def count_covered_households(unit, month):
    links = HouseholdLink.objects.filter(household=OuterRef("pk")).exclude(since__gte=month_end(month))
    return count(Household.objects.filter(unit__in=units_under(unit)).filter(Exists(links)))


def open_rows(url_name):
    """`rows_url(unit, month)` of a backlog: the ledger's rows still open at the month's last day."""

    def rows_url(unit, month):
        last_day = month_end(month) - timedelta(days=1)
        return f"{reverse(url_name)}?under={unit.pk}&open_on={last_day.isoformat()}"

    return rows_url


def listing(url_name, **query):
    def rows_url(unit, month):
        params = "&".join(f"{key}={value}" for key, value in {**query, "under": unit.pk}.items())
        return f"{reverse(url_name)}?{params}"

    return rows_url


def counted(code, name, unit, derive, rows_url, order, **extra):
    """A village-month stock counted from the shared model (the town's figure is its villages' roll-up)."""
    return IndicatorSpec(
        code=code, name=name, unit=unit, work_line="governance", kind=STOCK, source=DERIVED,
        reported_by=(VILLAGE,), derive=derive, rows_url=rows_url, order=order, **extra,
    )  # fmt: skip


def entered(code, name, unit, max_value, order):
    return IndicatorSpec(
        code=code, name=name, unit=unit, work_line="governance", kind=FLOW, source=ENTERED,
        max_value=Decimal(max_value), order=order,
    )  # fmt: skip


INDICATORS = (
    counted("org.grids", "网格", "个", count_grids, listing("branches:unit_list", kind="grid"), 5),
    counted("gov.covering_members", "“五个到户”党员", "人", count_covering_members,
            listing("branches:partymember_list"), 10),
    counted("gov.micro_grids", "党员服务微网格", "个", count_micro_grids, listing("branches:microgrid_list"), 20),
    counted("gov.households", "农户", "户", count_households, listing("branches:household_list"), 21,
            judged_by_last_year=False),
    counted("gov.households_covered", "党员联系农户", "户", count_covered_households,
            listing("branches:household_list", covered="true"), 22, ceiling="gov.households"),
    IndicatorSpec(
        code="gov.household_coverage_rate",
        name="农户联系覆盖率",
        unit="%",
        work_line="governance",
        kind=RATIO,
        source=DERIVED,
        numerator="gov.households_covered",
        denominator="gov.households",
        decimals=1,
        order=23,
    ),
    entered("gov.leaflets", "疫情防控倡议书", "份", 1_000_000, 30),
    entered("gov.booster_doses", "新冠疫苗加强针", "剂次", 100_000, 40),
)  # fmt: skip


# --- safety: patrols, joint actions and the hazard register --------------------------------------------------------


def counted_actions(kind):
    def derive(unit, month):
        return count(in_month(SafetyAction.objects.filter(kind=kind), unit, month))

    return derive


def action_sum(field):
    def derive(unit, month):
        return total(in_month(SafetyAction.objects, unit, month), field)

    return derive


def active_teams(unit, month):
    return count(own(PatrolTeam.objects.filter(is_active=True), unit))


def active_patrol_members(unit, month):
    return count(own(PatrolMember.objects.filter(is_active=True, team__is_active=True), unit))


def hazards_found(unit, month):
    return count(in_month(Hazard.objects, unit, month, "found_on"))


def hazards_rectified(unit, month):
    return count(in_month(Hazard.objects.exclude(rectified_on=None), unit, month, "rectified_on"))


def hazards_open(unit, month):
    return count(own(hazards_open_before(Hazard.objects, month_end(month)), unit))


def safety(code, name, unit, kind, derive, rows_url, order, **extra):
    return IndicatorSpec(
        code=code, name=name, unit=unit, work_line="governance", kind=kind, source=DERIVED, derive=derive,
        rows_url=rows_url, order=order, reported_by=(VILLAGE, TOWN), **extra,
    )  # fmt: skip


def actions_of(kind):
    return month_rows("governance:safetyaction_list", "date_after", "date_before", kind=kind)


ACTIONS = month_rows("governance:safetyaction_list", "date_after", "date_before")


def teams_url(unit, month):
    return f"{reverse('governance:patrolteam_list')}?under={unit.pk}"


INDICATORS += (
    safety("gov.patrol_teams", "巡查队伍", "支", STOCK, active_teams, teams_url, 50),
    safety("gov.patrol_cadres", "巡查队员", "人", STOCK, active_patrol_members, teams_url, 51),
    safety("gov.road_safety_actions", "道路安全整治", "次", FLOW, counted_actions("road_safety"),
           actions_of("road_safety"), 52),
    safety("gov.umbrellas_removed", "拆除摩托车遮阳伞", "把", FLOW, action_sum("umbrellas_removed"), ACTIONS, 53),
    safety("gov.helmet_persuasions", "劝导戴帽", "人次", FLOW, action_sum("helmet_persuasions"), ACTIONS, 54),
    safety("gov.illegal_crackdowns", "打非治违", "次", FLOW, counted_actions("crackdown"), actions_of("crackdown"), 55),
    safety("gov.hazard_inspections", "安全隐患排查", "次", FLOW, counted_actions("inspection"),
           actions_of("inspection"), 56),
    safety("gov.hazards_found", "发现安全隐患", "处", FLOW, hazards_found,
           month_rows("governance:hazard_list", "found_after", "found_before"), 57, judged_by_last_year=False),
    safety("gov.hazards_rectified", "整改安全隐患", "处", FLOW, hazards_rectified,
           month_rows("governance:hazard_list", "rectified_after", "rectified_before"), 58),
    IndicatorSpec(
        code="gov.hazard_rectification_rate", name="隐患整改率", unit="%", work_line="governance", kind=RATIO,
        source=DERIVED, numerator="gov.hazards_rectified", denominator="gov.hazards_found", decimals=1, order=59,
    ),
    # The backlog: open at month end = last month's approved open + found − rectified (reports.checks).
    safety("gov.hazards_open", "安全隐患在办数", "处", STOCK, hazards_open, open_rows("governance:hazard_list"), 59,
           judged_by_last_year=False,
           balance=Balance(plus=("gov.hazards_found",), minus=("gov.hazards_rectified",))),
)  # fmt: skip


# --- disputes and petitions -----------------------------------------------------------------------------------------


def rooms(unit, month):
    return count(own(MediationCommittee.objects.exclude(room=""), unit))


def disputes_closed(*results):
    def derive(unit, month):
        cases = DisputeCase.objects.filter(result__in=results)
        return count(in_month(cases, unit, month, "closed_on"))

    return derive


def disputes_received(unit, month):
    return count(in_month(DisputeCase.objects, unit, month, "received_on"))


def disputes_open(unit, month):
    return count(own(disputes_open_before(DisputeCase.objects, month_end(month)), unit))


def petitions_received(unit, month):
    return count(in_month(PetitionCase.objects, unit, month, "received_on"))


def petitions_open(unit, month):
    return count(own(petitions_open_before(PetitionCase.objects, month_end(month)), unit))


def petitions_resolved(unit, month):
    resolved = PetitionCase.objects.filter(status=PetitionCase.Status.RESOLVED)
    return count(in_month(resolved, unit, month, "resolved_on"))


SETTLED = SETTLED_RESULTS

INDICATORS += (
    safety("gov.mediation_rooms", "调解委员会/调解室", "个", STOCK, rooms,
           lambda unit, month: f"{reverse('governance:mediationcommittee_list')}?under={unit.pk}", 60),
    safety("gov.disputes_mediated", "调处矛盾纠纷", "起", FLOW, disputes_closed(*SETTLED),
           month_rows("governance:disputecase_list", "closed_after", "closed_before"), 61, judged_by_last_year=False),
    safety("gov.disputes_resolved", "调解成功", "起", FLOW, disputes_closed("success"),
           month_rows("governance:disputecase_list", "closed_after", "closed_before", result="success"), 62),
    IndicatorSpec(
        code="gov.dispute_success_rate", name="纠纷调解成功率", unit="%", work_line="governance", kind=RATIO,
        source=DERIVED, numerator="gov.disputes_resolved", denominator="gov.disputes_mediated", decimals=1, order=63,
    ),
    safety("gov.petitions_resolved", "化解信访积案", "件", FLOW, petitions_resolved,
           month_rows("governance:petitioncase_list", "resolved_after", "resolved_before"), 64),
    # The backlogs: open at month end = last month's approved open + received − closed (reports.checks).
    safety("gov.disputes_received", "受理矛盾纠纷", "起", FLOW, disputes_received,
           month_rows("governance:disputecase_list", "received_after", "received_before"), 61,
           judged_by_last_year=False),
    safety("gov.disputes_open", "矛盾纠纷在办数", "起", STOCK, disputes_open, open_rows("governance:disputecase_list"),
           63, judged_by_last_year=False,
           balance=Balance(plus=("gov.disputes_received",), minus=("gov.disputes_mediated",))),
    safety("gov.petitions_received", "新增信访积案", "件", FLOW, petitions_received,
           month_rows("governance:petitioncase_list", "received_after", "received_before"), 64,
           judged_by_last_year=False),
    safety("gov.petitions_open", "信访积案在办数", "件", STOCK, petitions_open,
           open_rows("governance:petitioncase_list"), 65, judged_by_last_year=False,
           balance=Balance(plus=("gov.petitions_received",), minus=("gov.petitions_resolved",))),
)  # fmt: skip


def own_village_governance(user):
    unit = user.unit
    return reverse("governance:village", args=[unit.pk]) if unit is not None and unit.is_village else None


PAGES = (
    ("本村基层治理", own_village_governance),
    ("安全隐患", "governance:hazard_list"),
    ("巡查与整治行动", "governance:safetyaction_list"),
    ("巡查队伍", "governance:patrolteam_list"),
    ("巡查队员", "governance:patrolmember_list"),
    ("矛盾纠纷", "governance:disputecase_list"),
    ("矛盾纠纷月报表", "governance:dispute_table"),
    ("调解委员会", "governance:mediationcommittee_list"),
    ("信访积案", "governance:petitioncase_list"),
    ("民情走访", "governance:visitlog_list"),
    ("民情台账", "governance:peopleissue_list"),
    ("重点人员（五包一）", "governance:keyperson_list"),
    ("敲门行动", "governance:doorknock_list"),
    ("卡点", "governance:checkpoint_list"),
    ("进出登记", "governance:passrecord_list"),
)


# --- checkpoints ------------------------------------------------------------------------------------------------------


def open_checkpoints(unit, month):
    """Checkpoints standing at the month's end."""
    end = add_months(month, 1)
    standing = Checkpoint.objects.filter(opened_on__lt=end).filter(Q(closed_on__isnull=True) | Q(closed_on__gte=end))
    return own(standing, unit)


def count_checkpoints(unit, month):
    return count(open_checkpoints(unit, month))


def count_checkpoint_staff(unit, month):
    return count(CheckpointStaff.objects.filter(checkpoint__in=open_checkpoints(unit, month), is_active=True))


def checkpoints_url(unit, month):
    return f"{reverse('governance:checkpoint_list')}?under={unit.pk}"


INDICATORS += (
    safety("gov.checkpoints", "卡点", "个", STOCK, count_checkpoints, checkpoints_url, 70),
    safety("gov.checkpoint_cadres", "设卡党员干部", "人", STOCK, count_checkpoint_staff, checkpoints_url, 71),
)
