"""What 支部+文明实践 says in the 工作简报, in the article's words: “完成23个新时代文明实践所（站）的建设……全镇登记
志愿服务团队22个，其中专业志愿服务队2个，共有志愿者980名……开展……等志愿活动100多场次，服务群众1万余人次”, with the
professional teams and the largest activities of the period named."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.plugins import BriefSection, clauses, listing, marks, paragraphs, period_phrase, period_range, scope_word

from .models import Activity, ActivityType, VolunteerTeam


def quoted(title):
    return title if title.startswith("“") else f"“{title}”"


def held(unit, period):
    span = period_range(period)
    if span is None:
        return Activity.objects.none()
    return Activity.objects.filter(
        unit__path__startswith=unit.path, status=Activity.Status.HELD,
        starts_at__date__gte=span[0], starts_at__date__lt=span[1],
    )  # fmt: skip


def stations_paragraph(unit, period, values):
    said = values.say(_("以村基层党组织为单位，完成{0}个新时代文明实践所（站）的建设"), "vol.stations")
    if not said:
        return ""
    return said + _("，通过基层党组织带头，以文明实践活动为载体，推动党的创新理论往深里走、往心里走、往实里走。")


def teams_paragraph(unit, period, values):
    said = clauses(
        values.say(_("目前，{where}登记志愿服务团队{0}个"), "vol.teams", where=scope_word(unit)),
        values.say(_("其中专业志愿服务队{0}个"), "vol.professional_teams"),
        values.say(_("共有志愿者{0}名"), "vol.volunteers"),
    )
    if not said:
        return ""
    professional = VolunteerTeam.objects.filter(unit__path__startswith=unit.path, is_professional=True, is_active=True)
    names = listing(professional.order_by("unit__path", "name").values_list("name", flat=True)[:3])
    return said + (_("%(names)s成为一道靓丽风景线。") % {"names": names} if names else "")


def activities_paragraph(unit, period, values):
    activities = held(unit, period)
    types = ActivityType.objects.filter(pk__in=activities.values("type")).order_by("order", "name")
    kinds = listing(types.values_list("name", flat=True))
    said = clauses(
        values.say(
            _("{when}，{where}开展{kinds}志愿活动{0}场次"),
            "vol.activities",
            when=period_phrase(period),
            where=scope_word(unit),
            kinds=_("%(kinds)s等") % {"kinds": kinds} if kinds else "",
        ),
        values.say(_("服务群众{0}人次"), "vol.people_served"),
        values.say(_("志愿服务时长{0}小时（已审核）"), "vol.volunteer_hours"),
    )  # fmt: skip
    if not said:
        return ""
    largest = activities.filter(people_served__gt=0).select_related("unit").order_by("-people_served", "starts_at")[:3]
    listed = marks().semicolon.join(
        _("%(unit)s%(title)s服务群众%(n)s人次") % {"unit": activity.unit.name, "title": quoted(activity.title),
                                                "n": activity.people_served}
        for activity in largest
    )  # fmt: skip
    closing = _("文明接力、服务奉献渐成风尚。")
    return said + (_("其中，%(listed)s。") % {"listed": listed} if listed else "") + closing


def build(unit, period, values):
    return paragraphs(
        stations_paragraph(unit, period, values),
        teams_paragraph(unit, period, values),
        activities_paragraph(unit, period, values),
    )


BRIEF = BriefSection(build, subtitle=gettext_lazy("弘扬文明新风"))
