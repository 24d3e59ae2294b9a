from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from branches.forms import REASON_HELP, DateInput, ScopedModelForm
from branches.models import Cadre
from branches.scoping import is_grid_worker

from .models import (
    Checkpoint,
    CheckpointStaff,
    DisputeCase,
    DoorKnock,
    Hazard,
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
from .services import ANYWHERE_BELOW_TOWN, TOWN_OR_VILLAGE


class PatrolTeamForm(ScopedModelForm):
    unit_kinds = TOWN_OR_VILLAGE

    class Meta:
        model = PatrolTeam
        fields = ["unit", "name", "leader_name", "founded_on", "is_active"]
        widgets = {"founded_on": DateInput()}


class PatrolMemberForm(ScopedModelForm):
    class Meta:
        model = PatrolMember
        fields = ["team", "name", "phone", "party_member", "is_active"]


class SafetyActionForm(ScopedModelForm):
    unit_kinds = ANYWHERE_BELOW_TOWN

    class Meta:
        model = SafetyAction
        fields = [
            "unit",
            "kind",
            "date",
            "team",
            "partners",
            "place",
            "umbrellas_removed",
            "helmet_persuasions",
            "note",
        ]
        widgets = {"date": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}


class HazardForm(ScopedModelForm):
    reason_help = REASON_HELP  # a changed time limit needs a reason
    unit_kinds = ANYWHERE_BELOW_TOWN

    class Meta:
        model = Hazard
        fields = ["unit", "action", "found_on", "item", "location", "measures", "funds", "responsible", "deadline",
                  "reviewer", "note"]  # fmt: skip
        labels = {"unit": _("所在村（社区）或网格")}
        widgets = {"found_on": DateInput(), "deadline": DateInput(), "measures": forms.Textarea(attrs={"rows": 3}),
                   "note": forms.Textarea(attrs={"rows": 2})}  # fmt: skip


class MediationCommitteeForm(ScopedModelForm):
    unit_kinds = TOWN_OR_VILLAGE

    class Meta:
        model = MediationCommittee
        fields = ["unit", "name", "director", "members", "room", "legal_adviser", "auxiliary_police", "established_on"]
        widgets = {"established_on": DateInput(), "members": forms.Textarea(attrs={"rows": 3})}


class DisputeCaseForm(ScopedModelForm):
    reason_help = REASON_HELP  # a changed time limit needs a reason
    unit_kinds = ANYWHERE_BELOW_TOWN

    class Meta:
        model = DisputeCase
        fields = ["unit", "kind", "summary", "parties", "party_phones", "party_ids", "received_on", "deadline",
                  "mediator", "steps", "result", "closed_on"]  # fmt: skip
        widgets = {"received_on": DateInput(), "deadline": DateInput(), "closed_on": DateInput(),
                   "steps": forms.Textarea(attrs={"rows": 4})}  # fmt: skip


class PetitionCaseForm(ScopedModelForm):
    reason_help = REASON_HELP  # a changed time limit needs a reason
    unit_kinds = TOWN_OR_VILLAGE

    class Meta:
        model = PetitionCase
        fields = ["unit", "title", "petitioner", "petitioner_phone", "received_on", "taken_on", "deadline", "leader",
                  "status", "progress", "resolved_on"]  # fmt: skip
        widgets = {
            "received_on": DateInput(),
            "taken_on": DateInput(),
            "deadline": DateInput(),
            "resolved_on": DateInput(),
            "progress": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        town = (user.unit.town or user.unit) if user.unit else None
        leaders = Cadre.objects.filter(is_leader=True)
        self.fields["leader"].queryset = leaders.filter(unit__path__startswith=town.path) if town else leaders


def dated_form(model_class, field_names, date_fields=(), unit_kinds=None, text_fields=()):
    """A scoped model form for a simple ledger: date inputs and text areas where they belong."""
    widgets = {name: DateInput() for name in date_fields}
    widgets.update({name: forms.Textarea(attrs={"rows": 3}) for name in text_fields})
    meta = type("Meta", (), {"model": model_class, "fields": field_names, "widgets": widgets})
    return type(f"{model_class.__name__}Form", (ScopedModelForm,), {"Meta": meta, "unit_kinds": unit_kinds})


class SignedByGridWorkerForm:
    """A record a grid worker's login signs himself (services: his own GridWorker row, his grid): his form does not
    ask who went, nor where, only what and to whom."""

    signed_fields = ("member", "grid_worker", "by", "unit")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if is_grid_worker(user):
            for name in self.signed_fields:
                self.fields.pop(name, None)


def signed_form(form_class):
    return type(form_class.__name__, (SignedByGridWorkerForm, form_class), {})


VisitLogForm = signed_form(dated_form(
    VisitLog, ["household", "member", "grid_worker", "date", "aspect", "raised"], ["date"], text_fields=["raised"]
))
PeopleIssueForm = dated_form(
    PeopleIssue,
    ["unit", "household", "raised_on", "content", "handler", "status", "closed_on", "result"],
    ["raised_on", "closed_on"],
    ANYWHERE_BELOW_TOWN,
    ["content", "result"],
)
KeyPersonForm = dated_form(
    KeyPerson,
    ["unit", "name", "id_number", "phone", "category", "since", "released_on", "note"],
    ["since", "released_on"],
    ANYWHERE_BELOW_TOWN,
    ["note"],
)
KeyPersonKeeperForm = dated_form(KeyPersonKeeper, ["person", "role", "keeper_name", "phone"])
DoorKnockForm = signed_form(dated_form(
    DoorKnock, ["unit", "date", "household", "person", "by", "grid_worker", "result"], ["date"], ANYWHERE_BELOW_TOWN,
    ["result"],
))
CheckpointForm = dated_form(
    Checkpoint,
    ["unit", "name", "kind", "location", "opened_on", "closed_on"],
    ["opened_on", "closed_on"],
    TOWN_OR_VILLAGE,
)
CheckpointStaffForm = dated_form(CheckpointStaff, ["checkpoint", "name", "shifts", "is_active"])
PassRecordForm = dated_form(PassRecord, ["checkpoint", "at", "direction", "person_name", "phone", "id_number",
                                         "from_place", "plate"])  # fmt: skip


# --- what accepting a reported event asks (the event sinks, governance/workline.py) ---------------------------------


def accept_form(name, model_class, field_names, required=(), optional=(), help_texts=None):
    """The form accepting a reported event asks: the ledger's own fields (their labels, choices and limits) that the
    register requires and a report does not give. Not a model form: the line's receive service makes the row."""
    fields = fields_for_model(model_class, fields=field_names, help_texts=help_texts,
                              widgets={name: DateInput() for name in field_names if name == "deadline"})  # fmt: skip
    for field_name in required:
        fields[field_name].required = True
    for field_name in optional:
        fields[field_name].required = False
    return type(name, (forms.Form,), fields)


DEFAULT_LIMIT = _("不填则自上报之日按默认时限计算")

HazardAcceptForm = accept_form("HazardAcceptForm", Hazard, ["item", "responsible", "deadline", "measures"],
                               help_texts={"deadline": DEFAULT_LIMIT})  # fmt: skip
DisputeAcceptForm = accept_form(
    "DisputeAcceptForm", DisputeCase, ["kind", "summary", "parties", "mediator", "deadline"], optional=["summary"],
    help_texts={"summary": _("不填则取上报内容"), "deadline": DEFAULT_LIMIT},
)  # fmt: skip
PeopleIssueAcceptForm = accept_form("PeopleIssueAcceptForm", PeopleIssue, ["handler"], required=["handler"])
