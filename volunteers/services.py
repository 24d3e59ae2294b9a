"""Writes of the 文明实践 ledgers. A station (所 at the town, 站 at a village) owns its teams and activities; volunteers
belong to a village or the town. An activity is planned, then held (with the people served and who gave how many
hours) or cancelled; the hours count only once the station's manager (or a reviewer above) approves them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.closing import REASON_MAX_LENGTH, set_reason
from branches.models import Unit
from branches.scoping import REVIEW, ensure_can_act_on_unit
from branches.services import check_not_future, check_unit_kind, record_save, workflow_save

from .models import Activity, Participation, Station

TOWN_OR_VILLAGE = (Unit.Kind.TOWN, *Unit.VILLAGE_KINDS)


def _under(unit, other, field, message):
    if other is not None and not other.path.startswith(unit.path):
        raise ValidationError({field: message})


def station_save(*, user, instance):
    check_unit_kind(instance, TOWN_OR_VILLAGE)
    check_not_future(instance, "established_on")
    if instance.manager is not None:
        _under(instance.unit, instance.manager.unit, "manager", _("审核账号必须是本单位的账号。"))
    return record_save(user=user, instance=instance)


def volunteer_team_save(*, user, instance):
    instance.unit = instance.station.unit
    check_not_future(instance, "founded_on")
    return record_save(user=user, instance=instance)


def _save_with_teams(user, instance, teams):
    """Save a volunteer or an activity, then its teams (None leaves them as they are)."""
    if teams is not None:
        _teams_reachable(instance.unit, teams, "teams")
    record_save(user=user, instance=instance)
    if teams is not None:
        instance.teams.set(teams)
    return instance


def _teams_reachable(unit, teams, field):
    """A volunteer (or an activity) may join the teams of its own unit or of the units above it (the town's teams)."""
    outside = [team for team in teams if not unit.path.startswith(team.unit.path)]
    if outside:
        names = "、".join(team.name for team in outside[:5])
        raise ValidationError({field: _("以下团队不属于本村（社区）或本镇：%(names)s") % {"names": names}})


@transaction.atomic
def volunteer_save(*, user, instance, teams=None):
    check_unit_kind(instance, TOWN_OR_VILLAGE)
    check_not_future(instance, "joined_on", "left_on")
    if instance.party_member is not None:
        _under(instance.unit, instance.party_member.unit, "party_member", _("所选党员不在该村（社区）。"))
    if instance.is_active:
        instance.left_on = None
    else:
        instance.left_on = instance.left_on or timezone.localdate()
        if instance.left_on < instance.joined_on:
            raise ValidationError({"left_on": _("注销日期不能早于注册日期。")})
    return _save_with_teams(user, instance, teams)


@transaction.atomic
def activity_save(*, user, instance, teams=None):
    """Plan or edit an activity. A held activity lies in the past; marking it held is `activity_mark_held`."""
    instance.unit = instance.station.unit
    if instance.pk and instance.participations.exclude(unit=instance.unit).exists():
        raise ValidationError({"station": _("已登记志愿者时长的活动不能改到其他所（站）。")})
    if instance.ends_at and instance.ends_at < instance.starts_at:
        raise ValidationError({"ends_at": _("结束时间不能早于开始时间。")})
    if instance.status == Activity.Status.HELD and instance.starts_at > timezone.now():
        raise ValidationError({"starts_at": _("已开展的活动，开始时间不能晚于现在。")})
    return _save_with_teams(user, instance, teams)


@transaction.atomic
def activity_mark_held(*, user, activity, people_served, hours_by_volunteer, reason=""):
    """The activity took place: how many people it served, and the hours each volunteer gave (to be approved).

    `hours_by_volunteer` is {volunteer: hours}. Hours already approved stay as they are; a volunteer taken off the
    list loses his pending hours, never approved ones. An activity of an approved month (or a closed year) is marked
    only with a `reason`, and its month's report is flagged at once (branches.closing, through record_save)."""
    activity = Activity.objects.select_for_update().select_related("unit").get(pk=activity.pk)
    ensure_can_act_on_unit(user, activity.unit)
    if activity.status == Activity.Status.CANCELLED:
        raise ValidationError(_("已取消的活动不能登记为已开展。"))
    if activity.starts_at > timezone.now():
        raise ValidationError({"starts_at": _("活动尚未开始，不能登记为已开展。")})
    if not hours_by_volunteer:
        raise ValidationError({"participants": _("请至少登记一名参加的志愿者。")})
    activity.people_served = people_served
    activity.status = Activity.Status.HELD
    record_save(user=user, instance=set_reason(activity, reason))
    _record_participations(user, activity, hours_by_volunteer, reason)
    return activity


def _record_participations(user, activity, hours_by_volunteer, reason=""):
    existing = {p.volunteer_id: p for p in activity.participations.select_for_update()}
    for volunteer, hours in hours_by_volunteer.items():
        _check_volunteer_may_take_part(activity, volunteer)
        participation = existing.pop(volunteer.pk, None)
        if participation is None:
            participation = Participation(activity=activity, volunteer=volunteer, unit=activity.unit)
        elif participation.status == Participation.Status.APPROVED or participation.hours == hours:
            continue
        participation.hours = hours
        participation.status = Participation.Status.PENDING
        participation.reviewed_by, participation.reviewed_at, participation.review_note = None, None, ""
        record_save(user=user, instance=set_reason(participation, reason))
    for participation in existing.values():
        if participation.status != Participation.Status.APPROVED:
            participation._history_user = user
            participation.delete()


def _check_volunteer_may_take_part(activity, volunteer):
    if not volunteer.unit.path.startswith(activity.unit.path):
        raise ValidationError({"participants": _("%(name)s 不是本所（站）辖区的志愿者。") % {"name": volunteer.name}})
    day = timezone.localtime(activity.starts_at).date()
    if volunteer.joined_on > day or (volunteer.left_on and volunteer.left_on < day):
        raise ValidationError({"participants": _("%(name)s 在活动当天不是注册志愿者。") % {"name": volunteer.name}})


def activity_cancel(*, user, activity, reason=""):
    if activity.status != Activity.Status.PLANNED:
        raise ValidationError(_("只有计划中的活动可以取消。"))
    activity.status = Activity.Status.CANCELLED
    if reason.strip():
        activity.description = f"{activity.description}\n{_('取消原因')}：{reason.strip()}".strip()
    return record_save(user=user, instance=set_reason(activity, reason[:REASON_MAX_LENGTH]))


def may_review_hours(user, station):
    """The station's manager approves its volunteers' hours; leaders and cadres above it may as well (the model's
    REVIEW rule)."""
    return Station.objects.restrict(user, REVIEW).filter(pk=station.pk).exists()


@transaction.atomic
def hours_review(*, user, participations, approve, note="", reason=""):
    """Approve (or turn down, saying why) pending hours; returns how many were reviewed. An approval changes the
    hours its activity's month counts: hours of an approved month (or a closed year) are reviewed only with a
    `reason`, and that month's report is flagged at once, through the one guarded save (branches.services)."""
    if not approve and not note.strip():
        raise ValidationError({"note": _("不通过时请填写原因。")})
    reviewed = 0
    now = timezone.now()
    rows = Participation.objects.select_for_update().select_related("activity__station", "activity__unit")
    reviewed_stations = set(Station.objects.restrict(user, REVIEW).values_list("pk", flat=True))
    for participation in rows.filter(pk__in=[p.pk for p in participations]):
        if participation.activity.station_id not in reviewed_stations:
            raise PermissionDenied(_("您不是“%(station)s”的审核人。") % {"station": participation.activity.station})
        if participation.status != Participation.Status.PENDING:
            continue
        participation.status = Participation.Status.APPROVED if approve else Participation.Status.REJECTED
        participation.reviewed_by, participation.reviewed_at = user, now
        participation.review_note = note.strip()
        workflow_save(user=user, instance=participation, reason=reason, moved_only=False)
        reviewed += 1
    return reviewed
