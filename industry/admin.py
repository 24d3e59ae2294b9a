from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Enterprise, FeaturedProject, IncomeEntry, Problem, SalesRecord, ServiceVisit


class LedgerAdmin(SimpleHistoryAdmin):
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)
    list_per_page = 50


@admin.register(Enterprise)
class EnterpriseAdmin(LedgerAdmin):
    list_display = ("name", "kind", "sector", "chain", "is_leading", "unit")
    list_filter = ("kind", "is_leading")
    search_fields = ("name", "sector", "chain")


@admin.register(ServiceVisit)
class ServiceVisitAdmin(LedgerAdmin):
    list_display = ("date", "enterprise", "cadre")
    search_fields = ("enterprise__name", "cadre__name")
    autocomplete_fields = ("unit", "enterprise", "cadre")


@admin.register(Problem)
class ProblemAdmin(LedgerAdmin):
    list_display = ("description", "enterprise", "status", "responsible", "deadline")
    list_filter = ("status",)
    search_fields = ("description", "enterprise__name")
    autocomplete_fields = ("unit", "enterprise", "visit")


@admin.register(IncomeEntry)
class IncomeEntryAdmin(LedgerAdmin):
    list_display = ("date", "unit", "source", "amount", "project")
    list_filter = ("source",)
    search_fields = ("unit__name", "note")
    autocomplete_fields = ("unit", "project")


@admin.register(FeaturedProject)
class FeaturedProjectAdmin(LedgerAdmin):
    list_display = ("name", "unit", "cooperative", "brand")
    search_fields = ("name", "cooperative", "brand")
    autocomplete_fields = ("unit", "households")


@admin.register(SalesRecord)
class SalesRecordAdmin(LedgerAdmin):
    list_display = ("date", "unit", "product", "channel", "kg", "amount")
    list_filter = ("channel",)
    search_fields = ("product", "platform")
    autocomplete_fields = ("unit", "project")
