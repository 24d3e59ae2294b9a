"""The ledgers of 支部+文明实践, each declared once: its pages, API and routes are derived (branches.ledgers)."""

from django.utils import timezone

from branches.closing import declare_dated
from branches.ledgers import Ledger

from . import filtersets, forms, selectors, services, tables
from .api import serializers
from .api.views import ActivitySteps, TeamsThroughService
from .models import Activity, Participation, Station, Volunteer, VolunteerTeam


class StationLedger(Ledger):
    """A village's 站 or the town's 所, whose manager approves its volunteers' hours."""

    model = Station
    prefix = "volunteers/stations"
    selector = selectors.station_list
    table = tables.StationTable
    filterset = filtersets.StationFilterSet
    form = forms.StationForm
    save = services.station_save
    fields = ("name", "unit", "address", "opening_hours", "person_in_charge", "phone", "manager", "established_on",
              "is_active")  # fmt: skip
    detail_template = "volunteers/station_detail.html"
    serializer = serializers.StationSerializer
    api_name = "stations"

    @classmethod
    def detail_context(cls, request, obj, context):
        return selectors.station_page(request.user, obj, timezone.localdate())


class VolunteerTeamLedger(Ledger):
    model = VolunteerTeam
    prefix = "volunteers/teams"
    selector = selectors.team_list
    table = tables.VolunteerTeamTable
    filterset = filtersets.VolunteerTeamFilterSet
    form = forms.VolunteerTeamForm
    save = services.volunteer_team_save
    fields = ("name", "station", "unit", "is_professional", "leader_name", "founded_on", "is_active", "description")
    detail_template = "volunteers/team_detail.html"
    serializer = serializers.VolunteerTeamSerializer
    api_name, api_basename = "teams", "team"

    @classmethod
    def detail_context(cls, request, obj, context):
        return {"members": selectors.volunteer_list(request.user).filter(teams=obj)[:200]}


class WithTeamsLedger(Ledger):
    """A record that joins teams: its service takes the chosen teams, a many-to-many that cannot be saved before the
    record, so neither the form nor the serializer saves them."""

    api_mixins = (TeamsThroughService,)

    @classmethod
    def save_form(cls, request, form):
        teams = list(form.cleaned_data["teams"])
        return cls.save(user=request.user, instance=form.save(commit=False), teams=teams)


class VolunteerLedger(WithTeamsLedger):
    model = Volunteer
    prefix = "volunteers/volunteers"
    selector = selectors.volunteer_list
    table = tables.VolunteerTable
    filterset = filtersets.VolunteerFilterSet
    form = forms.VolunteerForm
    save = services.volunteer_save
    fields = ("name", "unit", "gender", "phone", "skills", "party_member", "joined_on", "is_active", "left_on")
    detail_template = "volunteers/volunteer_detail.html"
    serializer = serializers.VolunteerSerializer
    api_name = "volunteers"

    @classmethod
    def detail_context(cls, request, obj, context):
        return selectors.volunteer_page(obj)


class ActivityLedger(WithTeamsLedger):
    """Planned, then marked held (POST …/{id}/held/ with the people served and each volunteer's hours) or cancelled
    (POST …/{id}/cancel/)."""

    model = Activity
    dated_by = ("starts_at",)
    prefix = "volunteers/activities"
    selector = selectors.activity_list
    table = tables.ActivityTable
    filterset = filtersets.ActivityFilterSet
    tab_filter = "status"
    form = forms.ActivityForm
    save = services.activity_save
    fields = ("title", "type", "station", "status", "starts_at", "ends_at", "place", "people_served", "description")
    detail_template = "volunteers/activity_detail.html"
    serializer = serializers.ActivitySerializer
    api_name = "activities"
    api_mixins = (ActivitySteps, *WithTeamsLedger.api_mixins)

    @classmethod
    def detail_context(cls, request, obj, context):
        return selectors.activity_page(request.user, obj, timezone.now())


# Hours are no ledger of their own (they are entered by marking an activity held, approved on the review page), but
# they count in the month their activity was held: a write to them in an approved month needs a reason and flags it.
declare_dated(Participation, ("held_at",))

LEDGERS = (StationLedger, VolunteerTeamLedger, VolunteerLedger, ActivityLedger)
