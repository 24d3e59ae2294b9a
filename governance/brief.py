"""What 支部+基层治理 says in the town's written reports: its section of the 工作简报, in the article's words
(“深入推进1158名党员实现“五个到户”全覆盖……调处纠纷467起”), and the overdue hazards counted in the monthly 通报."""

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.plugins import BriefSection, TimedCase, clauses, listing, paragraphs, period_range, scope_word

from .alerts import overdue_disputes_url, overdue_hazards_url, overdue_petitions_url
from .models import DisputeCase, Hazard, PetitionCase
from .selectors import disputes_overdue_on, hazards_overdue_on, petitions_overdue_on


def members_paragraph(unit, period, values):
    said = clauses(
        values.say(_("深入推进{0}名党员实现“五个到户”"), "gov.covering_members"),
        values.say(_("{where}共有农户{0}户"), "gov.households", where=scope_word(unit)),
        values.say(_("党员联系覆盖{0}户"), "gov.households_covered"),
        values.say(_("覆盖率{0}%"), "gov.household_coverage_rate"),
        values.say(_("共建有{0}个党员服务群众微网格"), "gov.micro_grids"),
        end="",
    )
    if not said:
        return ""
    lead = _("坚持“党建引领、党员赋能；民有所呼、我有所应”的治理理念，")
    return lead + said + _("，推动为民服务向广度拓展、向深度延伸。")


def epidemic_paragraph(unit, period, values):
    said = clauses(
        values.say(_("累计发放张贴倡议书{0}份"), "gov.leaflets"),
        values.say(_("累计接种新冠疫苗加强针{0}剂次"), "gov.booster_doses"),
        values.say(_("在村道路口及边界处设立卡点{0}个"), "gov.checkpoints"),
        values.say(_("动员{0}名党员干部设卡管控"), "gov.checkpoint_cadres"),
    )
    if not said:
        return ""
    return _("做好常态化疫情防控工作，建立重点人员“五包一”责任体系，切实开展“敲门行动”，") + said


def safety_paragraph(unit, period, values):
    patrols = clauses(
        values.say(_("集合党员干部{0}人"), "gov.patrol_cadres"),
        values.say(_("组建{0}支巡查队伍"), "gov.patrol_teams"),
        values.say(_("开展道路安全整治活动{0}次"), "gov.road_safety_actions"),
        values.say(_("拆除摩托车遮阳伞{0}把"), "gov.umbrellas_removed"),
        values.say(_("劝导戴帽{0}人次"), "gov.helmet_persuasions"),
    )
    hazards = clauses(
        values.say(_("开展打非治违活动{0}次"), "gov.illegal_crackdowns"),
        values.say(_("集中排查安全隐患活动{0}次"), "gov.hazard_inspections"),
        values.say(_("检查发现安全隐患{0}处"), "gov.hazards_found"),
        values.say(_("整改到位{0}处"), "gov.hazards_rectified"),
        values.say(_("整改率{0}%"), "gov.hazard_rectification_rate"),
    )
    if not (patrols or hazards):
        return ""
    return _("维护安全生产不动摇。") + patrols + hazards


def dispute_kinds(unit, period):
    """“其中邻里纠纷120起、土地宅基地纠纷80起”: the commonest kinds received in the period (notable records)."""
    span = period_range(period)
    if span is None:
        return ""
    cases = DisputeCase.objects.filter(unit__path__startswith=unit.path, received_on__gte=span[0],
                                       received_on__lt=span[1])  # fmt: skip
    counts = cases.values("kind").annotate(n=Count("id")).order_by("-n", "kind")[:3]
    labels = dict(DisputeCase.Kind.choices)
    listed = listing(_("%(kind)s%(n)s起") % {"kind": labels.get(row["kind"], row["kind"]), "n": row["n"]}
                     for row in counts)  # fmt: skip
    return _("受理的纠纷中，%(listed)s居多。") % {"listed": listed} if listed else ""


def disputes_paragraph(unit, period, values):
    said = clauses(
        values.say(_("建成调解委员会、调解室{0}个"), "gov.mediation_rooms"),
        values.say(_("调处纠纷{0}起"), "gov.disputes_mediated"),
        values.say(_("其中调解成功{0}起"), "gov.disputes_resolved"),
        values.say(_("调解成功率{0}%"), "gov.dispute_success_rate"),
        values.say(_("扎实推进{0}件信访积案化解"), "gov.petitions_resolved"),
    )
    if not said:
        return ""
    return _("解决矛盾不缺位。探索新时代“枫桥经验”，抓早、抓小、抓萌芽，") + said + dispute_kinds(unit, period)


def build(unit, period, values):
    return paragraphs(
        members_paragraph(unit, period, values),
        epidemic_paragraph(unit, period, values),
        safety_paragraph(unit, period, values),
        disputes_paragraph(unit, period, values),
    )


BRIEF = BriefSection(build, subtitle=gettext_lazy("贴心服务群众"))


def overdue_hazards_under(unit, on):
    return hazards_overdue_on(Hazard.objects.filter(unit__path__startswith=unit.path), on)


def overdue_disputes_under(unit, on):
    return disputes_overdue_on(DisputeCase.objects.filter(unit__path__startswith=unit.path), on)


def overdue_petitions_under(unit, on):
    return petitions_overdue_on(PetitionCase.objects.filter(unit__path__startswith=unit.path), on)


# The kinds of case with a default time limit (the admin edits the days: reports.models.CaseLimit):
# - a hazard: 30 days from when it is found to rectify it, unless its 六定 定时限 says otherwise;
# - a dispute: 《人民调解工作若干规定》 — a mediation committee settles a dispute “一般在一个月内调结”: 30 days from
#   its acceptance;
# - a petition backlog case (信访积案): 60 days from when it is taken on for resolution (列为积案), not from the
#   first petition (《信访工作条例》 gives 60 days to 办结 a matter accepted).
TIMED_CASES = (
    TimedCase(gettext_lazy("安全隐患逾期未整改"), overdue_hazards_under, measure=gettext_lazy("处"),
              url=overdue_hazards_url, kind="hazard", kind_label=gettext_lazy("安全隐患（自发现之日起整改）"),
              default_days=30),
    TimedCase(gettext_lazy("矛盾纠纷调解超期未结"), overdue_disputes_under, measure=gettext_lazy("起"),
              url=overdue_disputes_url, kind="dispute", kind_label=gettext_lazy("矛盾纠纷（自受理之日起调结）"),
              default_days=30),
    TimedCase(gettext_lazy("信访积案超期未化解"), overdue_petitions_under, measure=gettext_lazy("件"),
              url=overdue_petitions_url, kind="petition",
              kind_label=gettext_lazy("信访积案（自列为积案之日起办结）"), default_days=60),
)  # fmt: skip
