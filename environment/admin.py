from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Campaign,
    CleanupRecord,
    EnvironmentProblem,
    HollowHouse,
    InfrastructureProject,
    Pledge,
    ProjectProgress,
    ToiletRenovation,
    VillageRules,
    WorkMethod,
)


class LedgerAdmin(SimpleHistoryAdmin):
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)
    list_per_page = 50


admin.site.register(VillageRules, LedgerAdmin, list_display=("unit", "title", "version", "adopted_on"))
admin.site.register(WorkMethod, LedgerAdmin, list_display=("unit", "is_pilot", "started_on", "volunteers"))
admin.site.register(Campaign, LedgerAdmin, list_display=("name", "unit", "start", "end"), search_fields=("name",))
admin.site.register(
    CleanupRecord, LedgerAdmin, list_display=("date", "unit", "side", "garbage_tons", "billboards"),
    list_filter=("side",),
)  # fmt: skip
admin.site.register(
    EnvironmentProblem, LedgerAdmin,
    list_display=("description", "unit", "found_on", "deadline", "status", "cleaned_on"),
    list_filter=("status",), raw_id_fields=("cleanup",),
)  # fmt: skip
admin.site.register(
    Pledge, LedgerAdmin, list_display=("household", "unit", "signed_on", "status"), raw_id_fields=("household",)
)
admin.site.register(
    HollowHouse, LedgerAdmin, list_display=("location", "unit", "status", "demolished_on"),
    list_filter=("status",), raw_id_fields=("owner",),
)  # fmt: skip
admin.site.register(
    ToiletRenovation, LedgerAdmin, list_display=("household", "unit", "kind", "accepted", "accepted_on"),
    raw_id_fields=("household",),
)  # fmt: skip
admin.site.register(InfrastructureProject, LedgerAdmin, list_display=("name", "unit", "planned_investment", "start"))
admin.site.register(ProjectProgress, LedgerAdmin, list_display=("project", "date", "investment", "pipe_km"))
