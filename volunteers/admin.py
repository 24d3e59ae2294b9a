from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Activity, ActivityType, Participation, Station, Volunteer, VolunteerTeam


class LedgerAdmin(SimpleHistoryAdmin):
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)
    list_per_page = 50


@admin.register(ActivityType)
class ActivityTypeAdmin(admin.ModelAdmin):
    """The admin adds activity types beyond the article's eight."""

    list_display = ("name", "order", "is_active")
    list_editable = ("order", "is_active")
    search_fields = ("name",)


@admin.register(Station)
class StationAdmin(LedgerAdmin):
    list_display = ("name", "unit", "person_in_charge", "manager", "established_on", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "address", "person_in_charge")
    autocomplete_fields = ("unit", "manager")


@admin.register(VolunteerTeam)
class VolunteerTeamAdmin(LedgerAdmin):
    list_display = ("name", "station", "is_professional", "leader_name", "is_active")
    list_filter = ("is_professional", "is_active")
    search_fields = ("name", "leader_name")
    autocomplete_fields = ("unit", "station")


@admin.register(Volunteer)
class VolunteerAdmin(LedgerAdmin):
    list_display = ("name", "unit", "joined_on", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "skills")
    autocomplete_fields = ("unit", "party_member", "teams")


@admin.register(Activity)
class ActivityAdmin(LedgerAdmin):
    list_display = ("starts_at", "title", "type", "station", "status", "people_served")
    list_filter = ("status", "type")
    search_fields = ("title", "place")
    autocomplete_fields = ("unit", "station", "teams")
    date_hierarchy = "starts_at"


@admin.register(Participation)
class ParticipationAdmin(LedgerAdmin):
    list_display = ("activity", "volunteer", "hours", "status", "reviewed_by")
    list_filter = ("status",)
    search_fields = ("volunteer__name", "activity__title")
    autocomplete_fields = ("unit", "activity", "volunteer")
    list_select_related = ("activity", "volunteer", "reviewed_by")
