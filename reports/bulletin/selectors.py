"""The monthly 通报: the villages and communities of a town ranked by one score over the work lines.

The score (out of 100) has three parts:

- 报表 (40): each work line the village reports in counts equally. A report submitted (or approved) by the deadline
  earns its full share; each day late costs a tenth of it; a report returned and not yet resubmitted keeps half, one
  resubmitted after a return four fifths; a report not submitted once the deadline has passed earns nothing.
- 目标 (30): each indicator with a target the village reports (消薄: collective income ≥ 50,000 元 a year) against its
  pace as of the bulletin's month, by the one rule of reports/targets.py: the approved January-to-month roll-up
  against target × month / 12 (a report submitted but not yet approved counts nothing). A target on pace earns its
  full share, one behind earns the fraction reached; red below half the pace, yellow below the pace.
- 逾期事项 (30): the cases past their deadline and still open that work lines count for the village (each work line
  declares its kinds of case with a time limit as `timed_cases` on its `WorkLine`); each costs 3 points.
- and any part a work line adds to the score (`score_parts` on its `WorkLine`, reports/lines.py), out of its weight.

A part the village has nothing to be judged on (no indicator with a target, say) drops out and the others are
scaled to 100. Every shortfall is a reason listed beside the village. The colour: red for a report not filed after
the deadline, a target red by the pace rule, five or more overdue cases, or a score under 60; yellow for any other
reason; green when there is nothing to remark. Timeliness and overdue cases are judged on the bulletin's `as_of` day,
the day it is built.

The scoring rules and the reads (`towns_for`, `bulletins_for`, `bulletin_rows`)
live here; the writes (`bulletin_build`, `bulletin_publish`) in services.py, the Excel export in excel.py; the views
and the Celery task call them.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.models import Unit
from branches.scoping import REVIEW, VIEW, can_act_on_unit, is_admin

from .. import periods, targets, worklines
from ..models import Bulletin, BulletinRow, IssuedDocument, MonthlyReport, ReportEvent
from ..monthly import selectors

Status = MonthlyReport.Status
Colour = BulletinRow.Colour

WEIGHTS = {"reports": 40, "targets": 30, "cases": 30}
PART_LABELS = {
    "reports": gettext_lazy("报表及时完整"),
    "targets": gettext_lazy("目标序时进度"),
    "cases": gettext_lazy("逾期事项"),
}
LATE_COST_PER_DAY = Decimal("0.1")  # of a report's share
RETURNED_OPEN = Decimal("0.5")  # returned and not yet resubmitted
RETURNED_BEFORE = Decimal("0.8")  # resubmitted after a return
CASE_COST = Decimal(3)  # points per overdue case
RED_CASES = 5
RED_SCORE = Decimal(60)
YELLOW, RED = Colour.YELLOW.value, Colour.RED.value


def overdue_counters():
    """The work lines' kinds of case with a time limit (the plug-ins' without reports too: 任务督办), in work-line
    order."""
    order = {line.code: index for index, line in enumerate(worklines.plugins())}
    return sorted(worklines.hooks("timed_cases"), key=lambda kind: (order[kind.work_line], kind.label))


# --- scoring -------------------------------------------------------------------------------------------------------


def line_name(work_line):
    """支部+产业发展 → 产业发展 (how a reason names a work line's report)."""
    return str(worklines.label_of(work_line)).removeprefix("支部+")


@dataclass
class Facts:
    """What the bulletin knows of one village: its reports of the month, its targets, its overdue cases."""

    unit: Unit
    lines: list  # the work lines it reports in
    reports: dict  # work line → MonthlyReport
    returned: set  # ids of its reports that were ever returned
    targets: list  # [targets.Standing] as of the bulletin's month
    cases: list  # (TimedCase, count)
    extra: dict = None  # score part code → (earned, [reason text]) from the work lines' score parts


@dataclass
class Verdict:
    unit: Unit
    score: Decimal
    colour: str
    parts: dict
    reasons: list

    @property
    def reds(self):
        return sum(reason["level"] == RED for reason in self.reasons)


def reason(part, level, text, **extra):
    return {"part": part, "level": level, "text": text, **extra}


def judge_reports(facts, month, as_of):
    """(points earned, reasons) of the report part, or None if the village reports in no work line."""
    if not facts.lines:
        return None
    deadline = periods.deadline_for(month)
    share = Decimal(WEIGHTS["reports"]) / len(facts.lines)
    earned, reasons = Decimal(0), []
    for line in facts.lines:
        report, name = facts.reports.get(line), line_name(line)
        if report is None or report.status == Status.DRAFT:
            if as_of > deadline:
                days = (as_of - deadline).days
                reasons.append(reason("reports", RED, _("%(line)s月报逾期未报（已逾期 %(days)s 天）")
                                      % {"line": name, "days": days}))  # fmt: skip
            else:
                earned += share  # not due yet
            continue
        factor = Decimal(1)
        submitted = timezone.localtime(report.submitted_at).date() if report.submitted_at else deadline
        late = (submitted - deadline).days
        if late > 0:
            factor -= min(Decimal(1), LATE_COST_PER_DAY * late)
            text = _("%(line)s月报逾期 %(days)s 天提交") % {"line": name, "days": late}
            reasons.append(reason("reports", YELLOW, text))
        if report.status == Status.RETURNED:
            factor *= RETURNED_OPEN
            why = report.return_reason.strip()
            why = why if len(why) <= 40 else why[:40] + "…"
            reasons.append(reason("reports", YELLOW, _("%(line)s月报被退回，尚未重报（%(why)s）")
                                  % {"line": name, "why": why}))  # fmt: skip
        elif report.pk in facts.returned:
            factor *= RETURNED_BEFORE
            reasons.append(reason("reports", YELLOW, _("%(line)s月报曾被退回后重报") % {"line": name}))
        earned += share * factor
    return earned, reasons


def judge_targets(facts, month):
    if not facts.targets:
        return None
    share = Decimal(WEIGHTS["targets"]) / len(facts.targets)
    earned, reasons = Decimal(0), []
    for standing in facts.targets:
        if not standing.behind:
            earned += share
            continue
        earned += share * standing.figure / standing.pace
        spec = standing.spec
        text = _("%(name)s未达序时进度（1—%(m)s月累计 %(actual)s %(unit)s，序时应达 %(pace)s %(unit)s）") % {
            "name": spec.name, "m": month.month, "actual": targets.plain(standing.figure),
            "pace": targets.plain(standing.pace), "unit": spec.unit,
        }  # fmt: skip
        # The code lets a reader find the colour of one target (the dashboard and the 消薄 board show the same).
        reasons.append(reason("targets", standing.colour, text, code=spec.code))
    return earned, reasons


def judge_cases(facts):
    if not overdue_counters():
        return None
    total = sum(count for _counter, count in facts.cases)
    level = RED if total >= RED_CASES else YELLOW
    reasons = [
        reason("cases", level, f"{counter.label} {count} {counter.measure}")
        for counter, count in facts.cases
        if count
    ]
    return max(Decimal(0), WEIGHTS["cases"] - CASE_COST * total), reasons


def judge(facts, month, as_of):
    """One village's score, colour, parts and reasons."""
    parts, reasons = {}, []
    for name, result in (
        ("reports", judge_reports(facts, month, as_of)),
        ("targets", judge_targets(facts, month)),
        ("cases", judge_cases(facts)),
    ):
        if result is None:
            continue
        earned, found = result
        parts[name] = {"label": str(PART_LABELS[name]), "score": float(round(earned, 1)), "max": WEIGHTS[name]}
        reasons += found
    for part in worklines.hooks("score_parts"):
        if part.code in (facts.extra or {}):
            earned, texts = facts.extra[part.code]
            parts[part.code] = {"label": str(part.label), "score": float(round(Decimal(earned), 1)), "max": part.weight}
            reasons += [reason(part.code, YELLOW, text) for text in texts]
    available = sum(part["max"] for part in parts.values())
    earned = sum(Decimal(str(part["score"])) for part in parts.values())
    score = (earned * 100 / available).quantize(Decimal("0.1"), ROUND_HALF_UP) if available else Decimal(100)
    if score < RED_SCORE or any(item["level"] == RED for item in reasons):
        colour = RED
    elif reasons:
        colour = YELLOW
    else:
        colour = Colour.GREEN.value
    return Verdict(unit=facts.unit, score=score, colour=colour, parts=parts, reasons=reasons)


def rank(verdicts):
    """Highest score first (ties: fewer red, then fewer reasons, then the tree order); equal scores share a rank."""
    ordered = sorted(verdicts, key=lambda v: (-v.score, v.reds, len(v.reasons), v.unit.path))
    ranked, previous = [], None
    for position, verdict in enumerate(ordered, start=1):
        if previous is None or verdict.score != previous[1].score:
            previous = (position, verdict)
        ranked.append((previous[0], verdict))
    return ranked


# --- gathering the facts -------------------------------------------------------------------------------------------


def gather(town, month, as_of):
    villages = list(Unit.objects.under(town).villages().order_by("path"))
    reports = defaultdict(dict)
    for report in MonthlyReport.objects.filter(unit__in=villages, month=month):
        reports[report.unit_id][report.work_line] = report
    report_ids = [report.pk for by_line in reports.values() for report in by_line.values()]
    returned = set(
        ReportEvent.objects.filter(report_id__in=report_ids, action=ReportEvent.Action.RETURN)
        .values_list("report_id", flat=True)
    )  # fmt: skip
    lines = {village.pk: [code for code in worklines.codes() if selectors.specs_for(village, code)]
             for village in villages}  # fmt: skip
    target_specs = {
        village.pk: [spec for line in lines[village.pk] for spec in selectors.specs_for(village, line)
                     if spec.target is not None]
        for village in villages
    }  # fmt: skip
    wanted = {spec.code: spec for specs in target_specs.values() for spec in specs}
    standings = targets.standings(villages, wanted.values(), month)
    cases = _overdue_cases(town, villages, as_of)
    extra = _score_parts(villages, month, as_of)
    facts = []
    for village in villages:
        judged = [standings[(village.pk, spec.code)] for spec in target_specs[village.pk]]
        by_line = reports.get(village.pk, {})
        facts.append(Facts(village, lines[village.pk], by_line, returned, judged, cases[village.pk],
                           extra[village.pk]))  # fmt: skip
    return facts


def _score_parts(villages, month, as_of):
    """{village id: {part code: (earned, [reason text])}} from every work line's score parts."""
    found = {village.pk: {} for village in villages}
    for part in worklines.hooks("score_parts"):
        for village_id, result in part.judge(villages, month, as_of).items():
            if village_id in found:
                found[village_id][part.code] = result
    return found


def _overdue_cases(town, villages, as_of):
    """{village id: [(counter, count)]}: one query per counter for the whole town, each case counted for the village
    its unit (the village, or a group or grid in it) lies under."""
    by_path = {village.path: village.pk for village in villages}
    prefix_lengths = sorted({len(path) for path in by_path}, reverse=True)
    counted = {village.pk: Counter() for village in villages}
    counters = overdue_counters()
    for counter in counters:
        for path in counter.rows(town, as_of).values_list("unit__path", flat=True):
            village_id = next((by_path[path[:n]] for n in prefix_lengths if path[:n] in by_path), None)
            if village_id is not None:
                counted[village_id][counter] += 1
    return {village.pk: [(counter, counted[village.pk][counter]) for counter in counters] for village in villages}


# --- reads ---------------------------------------------------------------------------------------------------------
#
# Who sees what: leaders, cadres and admins see every bulletin of the towns they may view, drafts included, with
# every village's reasons. A village secretary sees his town's published bulletins: the whole ranking (a 通报 is
# circulated to every village so they can compare), but the parts and reasons of his own village only — the reasons
# are another village's report history and cases.


def can_publish(user, town):
    return can_act_on_unit(user, town, REVIEW)


def can_rebuild(user):
    return is_admin(user)


def ensure_can_build(user):
    if not can_rebuild(user):
        raise PermissionDenied(_("只有系统管理员可以生成月度通报。"))


def sees_drafts(user, town):
    return can_act_on_unit(user, town, VIEW)


def towns_for(user):
    """The towns whose bulletins the user may open: those he may view, and the town of his own village."""
    towns = list(Unit.objects.restrict(user, VIEW).filter(kind=Unit.Kind.TOWN).order_by("path"))
    own = user.unit.town if getattr(user, "unit", None) is not None else None
    if own is not None and own not in towns:
        towns.append(own)
    return towns


def bulletins_for(user):
    towns = list(towns_for(user))
    by_town = {town.pk: [] for town in towns}
    # One query for every town's bulletins (not one per town).
    for bulletin in Bulletin.objects.filter(unit__in=towns).select_related("unit").order_by("-month"):
        by_town[bulletin.unit_id].append(bulletin)
    visible = []
    for town in towns:
        bulletins = by_town[town.pk]
        if not sees_drafts(user, town):
            bulletins = [bulletin for bulletin in bulletins if bulletin.status == Bulletin.Status.PUBLISHED]
        visible.append((town, bulletins))
    return visible


def bulletin_for(user, town_id, month):
    """The bulletin if the user may open it, else None."""
    town = next((town for town in towns_for(user) if town.pk == int(town_id)), None)
    if town is None:
        return None
    bulletin = Bulletin.objects.filter(unit=town, month=month).select_related("unit", "built_by", "published_by")
    bulletin = bulletin.first()
    if bulletin is None or (bulletin.status != Bulletin.Status.PUBLISHED and not sees_drafts(user, town)):
        return None
    return bulletin


@dataclass
class RowView:
    row: BulletinRow
    detailed: bool  # the user may see this village's parts and reasons

    @property
    def reasons(self):
        return self.row.reasons if self.detailed else []

    @property
    def parts(self):
        return self.row.parts if self.detailed else {}


def bulletin_rows(bulletin, user):
    rows = bulletin.rows.select_related("unit").order_by("rank", "unit__path")
    return [RowView(row, can_act_on_unit(user, row.unit, VIEW)) for row in rows]


def source_of(bulletin):
    """How the register knows the document a bulletin went out as (IssuedDocument.source)."""
    return f"bulletin:{bulletin.pk}"


def issued_document(bulletin):
    """The 通报 document the bulletin was issued as (its 文号 and date, not its file), or None."""
    rows = IssuedDocument.objects.filter(source=source_of(bulletin)).defer("content")
    return rows.order_by("pk").first()


def colour_counts(rows):
    counts = {colour: 0 for colour in Colour.values}
    for view in rows:
        counts[view.row.colour] += 1
    return counts
