from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Checkpoint,
    CheckpointStaff,
    DisputeCase,
    DoorKnock,
    Hazard,
    KeeperRole,
    KeyPerson,
    KeyPersonKeeper,
    MediationCommittee,
    PassRecord,
    PatrolMember,
    PatrolTeam,
    PeopleIssue,
    PetitionCase,
    SafetyAction,
    VisitLog,
)


@admin.register(KeeperRole)
class KeeperRoleAdmin(admin.ModelAdmin):
    """The roles of 五包一 are the admin's to name and order."""

    list_display = ("name", "order")
    list_editable = ("order",)


class LedgerAdmin(SimpleHistoryAdmin):
    list_select_related = ("unit",)
    raw_id_fields = ("unit",)
    list_per_page = 50


for model, columns in (
    (PatrolTeam, ("name", "unit", "leader_name", "is_active")),
    (PatrolMember, ("name", "team", "is_active")),
    (SafetyAction, ("date", "kind", "unit", "umbrellas_removed", "helmet_persuasions")),
    (Hazard, ("item", "unit", "status", "deadline")),
    (MediationCommittee, ("name", "unit", "room", "legal_adviser")),
    (DisputeCase, ("summary", "kind", "unit", "result", "closed_on")),
    (PetitionCase, ("title", "unit", "status", "resolved_on")),
    (VisitLog, ("date", "member", "grid_worker", "household", "aspect")),
    (PeopleIssue, ("content", "unit", "status", "closed_on")),
    (KeyPerson, ("category", "unit", "since", "released_on")),
    (DoorKnock, ("date", "unit", "by")),
    (Checkpoint, ("name", "kind", "unit", "opened_on", "closed_on")),
):
    admin.site.register(model, LedgerAdmin, list_display=columns)

admin.site.register(KeyPersonKeeper, list_display=("person", "role", "keeper_name"), raw_id_fields=("unit", "person"))
admin.site.register(CheckpointStaff, list_display=("name", "checkpoint", "is_active"), raw_id_fields=("unit",))
admin.site.register(PassRecord, list_display=("at", "checkpoint", "direction"), raw_id_fields=("unit", "checkpoint"))
