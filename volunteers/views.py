"""Pages of 支部+文明实践 of their own: the hours list, a unit's way to its station, the activity calendar, marking an
activity held with who took part and for how long, the station's approval of hours, the roll of honour. The ledgers'
lists, details and edits (stations, teams, volunteers, activities) are derived from volunteers/ledgers.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.calendars import CalendarFilter, month_calendar
from branches.closing import closed_period
from branches.exports import rows_to_workbook, workbook_response
from branches.generic_views import ObjectListView, add_errors
from branches.models import Unit
from branches.params import query_month, query_year
from branches.scoping import CHANGE, VIEW
from reports.plugins import current_month

from . import filtersets, forms, selectors, services, tables
from .models import Participation, Station


class ParticipationList(ObjectListView):
    """Every volunteer's hours, activity by activity: the station's record and the Excel a cadre sends up."""

    model = Participation
    selector = staticmethod(selectors.participation_list)
    table_class = tables.ParticipationTable
    filterset_class = filtersets.ParticipationFilterSet
    tab_filter = "status"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = False  # hours are entered by marking an activity held (there is no add page)
        return context


@login_required
def station_home(request, unit_id):
    """The station of a unit (a village's 站, the town's 所): straight from the work line's page."""
    unit = get_object_or_404(Unit.objects.restrict(request.user, VIEW), pk=unit_id)
    station = Station.objects.filter(unit__path__in=[a.path for a in Unit.objects.get_ancestors(unit)] + [unit.path])
    station = station.order_by("-unit__depth").first()
    if station is None:
        return render(request, "volunteers/no_station.html", {"unit": unit}, status=404)
    return redirect("volunteers:station_detail", station.pk)


def _activity_to_change(request, pk):
    return get_object_or_404(selectors.activity_list(request.user, CHANGE), pk=pk)


@login_required
def activity_held(request, pk):
    """Mark an activity held: the people it served, and each volunteer who took part with his hours."""
    activity = _activity_to_change(request, pk)
    existing = {p.volunteer_id: p for p in activity.participations.all()}
    candidates = selectors.candidates_for(activity)
    form = forms.HeldForm(request.POST or None, candidates=candidates, existing=existing,
                          initial={"people_served": activity.people_served or None})  # fmt: skip
    closed = closed_period(activity)
    if closed or "reason" in request.POST:
        form.ask_reason(closed)  # an activity of an approved month (or a closed year): marked only with a reason
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.activity_mark_held(
                    user=request.user, activity=activity, people_served=form.cleaned_data["people_served"],
                    hours_by_volunteer=form.cleaned_data["hours_by_volunteer"], reason=form.reason_given,
                )  # fmt: skip
            except ValidationError as error:
                if "reason" in getattr(error, "error_dict", {}):
                    form.ask_reason()
                add_errors(form, error)
            else:
                count = len(form.cleaned_data["hours_by_volunteer"])
                done = _("已登记为已开展：%(count)d 名志愿者，时长待所（站）审核。") % {"count": count}
                messages.success(request, done)
                return redirect(activity.get_absolute_url())
        status = 400
    context = {"activity": activity, "form": form, "rows": form.bound_rows()}
    return render(request, "volunteers/activity_held.html", context, status=status)


@login_required
@require_POST
def activity_cancel(request, pk):
    activity = _activity_to_change(request, pk)
    try:
        services.activity_cancel(user=request.user, activity=activity, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("活动已取消。"))
    return redirect(activity.get_absolute_url())


@login_required
def hours_review(request):
    """Hours waiting for the station's approval; approve or turn down the ticked ones (with a reason)."""
    pending = selectors.pending_hours(request.user)
    if request.method == "POST":
        form = forms.ReviewForm(request.POST)
        chosen = pending.filter(pk__in=[value for value in request.POST.getlist("ids") if value.isdigit()])
        if not form.is_valid() or not chosen.exists():
            messages.error(request, _("请勾选要审核的时长记录。"))
        else:
            try:
                count = services.hours_review(user=request.user, participations=list(chosen),
                                              approve=form.cleaned_data["decision"] == "approve",
                                              note=form.cleaned_data["note"],
                                              reason=form.cleaned_data["reason"])  # fmt: skip
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            else:
                messages.success(request, _("已审核 %(count)d 条服务时长。") % {"count": count})
        return redirect(request.get_full_path())
    page = Paginator(pending, 100).get_page(request.GET.get("page"))
    return render(request, "volunteers/hours_review.html", {"page": page, "count": pending.count()})


def _requested_month(request):
    """`?month=` (this month when none; a planned month ahead is fine): out of range is a 400 in Chinese."""
    return query_month(request, current_month())


@login_required
def activity_calendar(request):
    """A month of activities, day by day (planned, held, cancelled), for the stations the user may see."""
    month = _requested_month(request)
    station = None
    if request.GET.get("station", "").isdigit():
        station = get_object_or_404(selectors.station_list(request.user), pk=request.GET["station"])
    stations = selectors.station_list(request.user).filter(is_active=True)
    choice = CalendarFilter("station", _("所（站）"), _("全部所（站）"), stations, station)
    context = month_calendar(month, selectors.calendar_weeks(request.user, month, station), choice)
    return render(request, "volunteers/calendar.html", context)


def _requested_year(request):
    """`?year=` (this year when none): a year outside 2000–this year is a 400 in Chinese (branches.params)."""
    this_year = timezone.localdate().year
    return query_year(request, this_year, low=2000, high=this_year)


@login_required
def honour_roll(request):
    """Each station's volunteers with the most approved hours in a year (光荣榜); Excel with `?export=xlsx`."""
    year = _requested_year(request)
    roll = selectors.honour_roll(request.user, year)
    if request.GET.get("export") == "xlsx":
        header = [_("所（站）"), _("名次"), _("姓名"), _("村（社区）"), _("服务时长（小时）"), _("参加活动（次）")]
        rows = [
            [station.name, rank, volunteer.name, volunteer.unit.name, volunteer.hours, volunteer.activities]
            for station, volunteers in roll
            for rank, volunteer in enumerate(volunteers, start=1)
        ]
        title = _("%(year)d年志愿服务光荣榜") % {"year": year}
        return workbook_response(rows_to_workbook(title, header, rows), title)
    years = range(timezone.localdate().year, timezone.localdate().year - 5, -1)
    return render(request, "volunteers/honour_roll.html", {"year": year, "roll": roll, "years": years})
