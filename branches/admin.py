from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import (
    Assignment,
    Cadre,
    GridWorker,
    Household,
    HouseholdLink,
    MicroGrid,
    PartyMember,
    PartyOrganisation,
    PersonalDataAccess,
    Unit,
    User,
)

admin.site.site_header = _("井字镇“一切工作到支部”平台 · 后台管理")
admin.site.site_title = _("井字镇平台后台")


@admin.register(User)
class PortalUserAdmin(UserAdmin, SimpleHistoryAdmin):
    fieldsets = (*UserAdmin.fieldsets, (_("角色与单位"), {"fields": ("role", "unit", "phone")}))
    add_fieldsets = (*UserAdmin.add_fieldsets, (_("角色与单位"), {"fields": ("role", "unit")}))
    list_display = ("username", "first_name", "role", "unit", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_staff")
    autocomplete_fields = ("unit",)


@admin.register(Unit)
class UnitAdmin(TreeAdmin, SimpleHistoryAdmin):
    form = movenodeform_factory(Unit, fields=["name", "kind", "code", "issuing_name", "doc_prefix", "note"])
    list_display = ("name", "kind", "code")
    list_filter = ("kind",)
    search_fields = ("name", "code")


class ScopedRecordAdmin(SimpleHistoryAdmin):
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)
    list_per_page = 50


@admin.register(Household)
class HouseholdAdmin(ScopedRecordAdmin):
    list_display = ("head_name", "house_number", "unit", "population", "phone")
    search_fields = ("head_name", "house_number", "phone")


@admin.register(PartyOrganisation)
class PartyOrganisationAdmin(ScopedRecordAdmin):
    list_display = ("name", "level", "unit", "secretary_name")
    list_filter = ("level",)
    search_fields = ("name", "secretary_name")
    autocomplete_fields = ("unit", "parent")


@admin.register(PartyMember)
class PartyMemberAdmin(ScopedRecordAdmin):
    list_display = ("name", "gender", "organisation", "unit", "is_group_leader", "is_active")
    list_filter = ("gender", "is_group_leader", "is_active")
    search_fields = ("name", "phone")
    autocomplete_fields = ("unit", "organisation", "household")


@admin.register(HouseholdLink)
class HouseholdLinkAdmin(ScopedRecordAdmin):
    list_display = ("member", "household", "unit", "since")
    search_fields = ("member__name", "household__head_name")
    autocomplete_fields = ("unit", "member", "household")


@admin.register(MicroGrid)
class MicroGridAdmin(ScopedRecordAdmin):
    list_display = ("name", "unit", "leader")
    search_fields = ("name", "leader__name")
    autocomplete_fields = ("unit", "leader", "households")


@admin.register(Cadre)
class CadreAdmin(ScopedRecordAdmin):
    list_display = ("name", "position", "is_leader", "in_centre", "unit", "user")
    list_filter = ("is_leader",)
    search_fields = ("name", "position")
    autocomplete_fields = ("unit", "user")


@admin.register(GridWorker)
class GridWorkerAdmin(ScopedRecordAdmin):
    list_display = ("name", "unit", "phone", "user")
    search_fields = ("name", "phone")
    autocomplete_fields = ("unit", "member", "user")


@admin.register(Assignment)
class AssignmentAdmin(ScopedRecordAdmin):
    list_display = ("kind", "cadre", "member", "unit", "household", "start_date", "end_date")
    list_filter = ("kind",)
    search_fields = ("cadre__name", "member__name", "unit__name")
    autocomplete_fields = ("unit", "cadre", "member", "household")


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    """The record of access to personal data: read only, for everyone, the superuser included."""

    list_display = ("at", "user", "record_type", "record_repr", "fields", "reason")
    list_filter = ("record_type",)
    search_fields = ("record_repr", "reason", "user__username")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
