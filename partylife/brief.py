"""What 支部建设 says in the 工作简报: the branches' organisation life (三会一课) of the period — meetings held per
kind, members attending and the attendance rate — and the branches behind the statutory rhythm at the period's end.
Each part of the branch's life adds its paragraph to `PARAGRAPHS`."""

from django.db.models import Count, Window
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from branches.models import PartyOrganisation
from reports.plugins import BriefSection, clauses, listing, marks, paragraphs, period_phrase, period_range, scope_word

from . import selectors
from .indicators import MEETING_CODES
from .models import MeetingKind

HELD = {
    MeetingKind.ASSEMBLY: gettext_lazy("召开支部党员大会{0}次"), MeetingKind.COMMITTEE: gettext_lazy("支部委员会{0}次"),
    MeetingKind.GROUP: gettext_lazy("党小组会{0}次"), MeetingKind.LECTURE: gettext_lazy("讲党课{0}次"),
    MeetingKind.THEME_DAY: gettext_lazy("开展主题党日{0}次"), MeetingKind.LIFE_MEETING: gettext_lazy("组织生活会{0}次"),
    MeetingKind.TALK: gettext_lazy("谈心谈话{0}次"),
}  # fmt: skip
NAMED = 5  # branches behind named at most


def meetings_paragraph(unit, period, values):
    held = [values.say(str(HELD[kind]), MEETING_CODES[kind]) for kind in MeetingKind]
    held = marks().list.join(part for part in held if part)
    if not held:
        return ""
    said = clauses(
        _("%(when)s，%(where)s各党组织%(held)s") % {"when": period_phrase(period), "where": scope_word(unit),
                                                  "held": held},
        values.say(_("党员参会{0}人次"), "party.attended"),
        values.say(_("出席率{0}%"), "party.attendance_rate"),
    )  # fmt: skip
    span = period_range(period)
    if span is None:
        return said
    # One query whatever is found: the first names of those behind, each row carrying how many are behind in all.
    behind = (PartyOrganisation.objects.filter(unit__path__startswith=unit.path)
              .filter(selectors.missed_q(span[1])).order_by("unit__path", "name")
              .annotate(behind=Window(Count("pk"))).values_list("name", "behind"))  # fmt: skip
    rows = list(behind[: NAMED + 1])
    if not rows:
        return said + _("各党组织均按规定落实“三会一课”制度。")
    names, count = [name for name, _total in rows], rows[0][1]
    if len(names) > NAMED:
        behind_said = ngettext(
            "%(names)s等%(count)s个党组织未按规定召开组织生活，须督促整改。",
            "%(names)s等%(count)s个党组织未按规定召开组织生活，须督促整改。",
            count,
        )
    else:
        behind_said = ngettext(
            "%(names)s%(count)s个党组织未按规定召开组织生活，须督促整改。",
            "%(names)s%(count)s个党组织未按规定召开组织生活，须督促整改。",
            count,
        )
    return said + behind_said % {"names": listing(names[:NAMED]), "count": count}


PARAGRAPHS = (meetings_paragraph,)


def build(unit, period, values):
    return paragraphs(*(paragraph(unit, period, values) for paragraph in PARAGRAPHS))


BRIEF = BriefSection(build, subtitle=gettext_lazy("夯实战斗堡垒"))
