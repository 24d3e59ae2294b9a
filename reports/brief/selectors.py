"""The 工作简报: a draft report for a unit and a period, in the style of the seed article, from the stored roll-ups.

A title, an opening paragraph, one section per work line (“支部+产业发展”，激发经济活力 …) and a closing paragraph.
What a section says is the work line's to declare: each work line's `WorkLine` names a `BriefSection`
(reports/lines.py) with a
`build(unit, period, values)` that returns the section's paragraphs. `values` holds the unit's roll-up of the period
for every indicator ({code: Decimal}); the build writes them into sentences with `values.say(...)`, which remembers
what it wrote, so any figure of the work line a build left out is still named in a closing sentence of its section (a
work line with no brief section at all gets that sentence alone). The draft is edited on the page and downloaded as a
Word file."""

import re
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.db.models import Count, Value
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from branches.models import Unit

from .. import cache, periods, worklines
from ..models import Rollup
from ..registry import registry

# --- figures in sentences ------------------------------------------------------------------------------------------


def figure(value, decimals=0):
    """A figure as the brief writes it: at most `decimals` places, no trailing zeros, no thousands separators
    (427, 3.88, 2136.45, 7779)."""
    if value is None:
        return ""
    quantum = Decimal(1).scaleb(-max(decimals, 0))
    text = format(Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP).normalize(), "f")
    return "0" if text in ("-0", "") else text


def figure_of(code, value):
    spec = registry.get(code) if code in registry else None
    return figure(value, spec.decimals if spec else 2)


def wan(value):
    """A reading aid beside an exact figure of yuan: 1103456.78 → “110.35万”, in English “1.1 million”."""
    if chinese():
        return figure(Decimal(value) / 10000, 2) + "万"
    return figure(Decimal(value) / 1_000_000, 2) + " million"


class Marks(NamedTuple):
    comma: str
    stop: str
    list: str
    semicolon: str


CHINESE_MARKS = Marks(comma="，", stop="。", list="、", semicolon="；")
ENGLISH_MARKS = Marks(comma=", ", stop=". ", list=", ", semicolon="; ")


def chinese():
    return (get_language() or "zh-hans").startswith("zh")


def marks():
    """The punctuation that joins the brief's clauses, in the language the brief is written in."""
    return CHINESE_MARKS if chinese() else ENGLISH_MARKS


def listing(names):
    """Names in a list: “甲、乙、丙” (“A, B, C”)."""
    return marks().list.join(names)


class BriefValues(dict):
    """{code: value} of the unit's roll-up for the period, remembering which figures a sentence used."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.used = set()

    def fig(self, code):
        """The figure of `code` as text (and mark it used), or None when the roll-up has none."""
        value = self.get(code)
        if value is None:
            return None
        self.used.add(code)
        return figure_of(code, value)

    def has(self, *codes):
        return all(self.get(code) is not None for code in codes)

    def say(self, template, *codes, **extra):
        """`template` with {0}, {1} … the figures of `codes`; None if any is missing or zero (the clause is left out:
        nobody reports “0 公里”)."""
        if not self.has(*codes):
            return None
        if any(self[code] == 0 for code in codes):
            self.used.update(codes)
            return None
        return template.format(*[self.fig(code) for code in codes], **extra)


def clauses(*parts, sep=None, end=None):
    """Join the clauses that are there (by a comma, ending with a full stop, unless told otherwise); '' if none is."""
    found = [part for part in parts if part]
    if not found:
        return ""
    return (marks().comma if sep is None else sep).join(found) + (marks().stop if end is None else end)


def paragraphs(*items):
    return [item.strip() for item in items if item and item.strip()]


# --- periods and units in words --------------------------------------------------------------------------------------


def period_range(period):
    """(first day, day after the last) of the period's months, or None for a period with no month yet."""
    months = period.months()
    if not months:
        return None
    return months[0], periods.add_months(months[-1], 1)


def period_phrase(period):
    """How a sentence opens on the period: “今年以来” for this year's year-to-date, else its label."""
    if period.type == periods.YTD and period.year == periods.current_month().year:
        return _("今年以来")
    return period.label


SCOPE_WORDS = {
    Unit.Kind.COUNTY: gettext_lazy("全县"), Unit.Kind.TOWN: gettext_lazy("全镇"), Unit.Kind.AREA: gettext_lazy("全片"),
    Unit.Kind.VILLAGE: gettext_lazy("全村"), Unit.Kind.COMMUNITY: gettext_lazy("全社区"),
}  # fmt: skip


def scope_word(unit):
    return str(SCOPE_WORDS.get(unit.kind, unit.name))


def child_values(unit, period, code):
    """{village: value} of one indicator for the villages and communities under `unit` (one query)."""
    rows = (
        Rollup.objects.filter(period=period.key, indicator__code=code, unit__path__startswith=unit.path,
                              unit__kind__in=Unit.VILLAGE_KINDS)
        .exclude(unit=unit)
        .select_related("unit")
        .order_by("unit__path")
    )  # fmt: skip
    return {row.unit: row.value for row in rows}


# --- the draft -----------------------------------------------------------------------------------------------------


@dataclass
class Section:
    work_line: str
    heading: str
    paragraphs: list = field(default_factory=list)

    @property
    def text(self):
        return "\n\n".join(self.paragraphs)


@dataclass
class Brief:
    unit: Unit
    period: periods.Period
    title: str
    opening: str
    sections: list
    closing: str
    figures: dict = field(default_factory=dict)  # {code: value} of the roll-up the draft was written from
    named: set = field(default_factory=set)  # the codes the text accounts for (a zero is left unsaid)

    @property
    def text(self):
        body = [self.title, self.opening]
        for section in self.sections:
            body += [section.heading, section.text]
        return "\n\n".join([*body, self.closing])


def heading_for(work_line):
    label = str(worklines.label_of(work_line))
    section = worklines.work_line(work_line).brief
    return f"“{label}”{marks().comma}{section.subtitle}" if section and section.subtitle else f"“{label}”"


def leftover_sentence(work_line, values):
    """The work line's figures no sentence used, named one by one."""
    items = []
    for spec in registry.for_work_line(work_line):
        if spec.code not in values.used and values.get(spec.code):
            items.append(f"{spec.name}{values.fig(spec.code)}{spec.unit}")
    if not items:
        return ""
    return _("此外，%(items)s。") % {"items": marks().comma.join(items)}


def overdue_counts(unit, period):
    """(day, [(TimedCase, count)]) of the cases past their own deadline under `unit` on the period's last day
    (today, if earlier): the rows the 通报 counts (reports/deadlines.py), all kinds in one query."""
    span = period_range(period)
    kinds = worklines.hooks("timed_cases")
    if span is None or not kinds:
        return None, []
    on = min(span[1] - timedelta(days=1), timezone.localdate())
    parts = [kind.rows(unit, on).order_by().annotate(timed_kind=Value(index)).values("timed_kind")
             .annotate(n=Count("pk")) for index, kind in enumerate(kinds)]  # fmt: skip
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    found = {row["timed_kind"]: row["n"] for row in rows}
    return on, [(kind, found[index]) for index, kind in enumerate(kinds) if found.get(index)]


def overdue_sentence(work_line, on, counts):
    """“截至…，安全隐患逾期未整改3处，正督促限期办结。” for the line's kinds with overdue cases."""
    items = [f"{kind.label}{count}{kind.measure}" for kind, count in counts if kind.work_line == work_line]
    if not items:
        return ""
    day = _("%(year)s年%(month)s月%(day)s日") % {"year": on.year, "month": on.month, "day": on.day}
    said = marks().comma.join([_("截至%(day)s") % {"day": day}, *items, _("正督促限期办结")])
    return said + marks().stop


def brief_draft(unit, period):
    """The draft brief of `unit` for `period` from the stored roll-ups (approved figures only)."""
    values = BriefValues(cache.unit_rollups(unit, period.key))
    overdue_on, overdue = overdue_counts(unit, period)
    sections = []
    for code in worklines.codes():
        builder = worklines.work_line(code).brief
        found = list(builder.build(unit, period, values)) if builder else []
        leftover = leftover_sentence(code, values)
        if leftover:
            found.append(leftover)
        late = overdue_sentence(code, overdue_on, overdue)
        if late:
            found.append(late)
        if not found:
            found = [_("本期暂无已审核的数据。")]
        sections.append(Section(code, heading_for(code), [paragraph.strip() for paragraph in found if paragraph]))
    when = period_phrase(period)
    title = _("%(unit)s“一切工作到支部”工作简报（%(period)s）") % {"unit": unit.name, "period": period.label}
    opening = _(
        "党的力量来自组织，组织力量根在支部。%(when)s，%(unit)s树立“一切工作到支部”的鲜明导向，坚持党建引领、"
        "推动重心下移，把产业发展、环境整治、基层治理、文明实践各项工作落到支部，切实发挥支部在各项工作中的战斗堡垒作用，"
        "为人民群众的获得感、幸福感、安全感持续“加码”。"
    ) % {"when": when, "unit": unit.name}
    closing = _(
        "民生无小事，点滴见初心。%(unit)s将持续通过“一切工作到支部”，切实推动基层党组织和广大党员干部在关键时刻显担当、"
        "在危急关头勇作为，让党的旗帜高高飘扬在基层一线、飘扬在群众心中。"
    ) % {"unit": unit.name}
    return Brief(unit, period, title, opening, sections, closing, figures=dict(values), named=set(values.used))


def split_paragraphs(text):
    """A textarea's text as paragraphs: one per non-empty line (blank lines between them are optional)."""
    return [line.strip() for line in re.split(r"\r?\n", text or "") if line.strip()]
