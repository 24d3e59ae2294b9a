"""List tables (django-tables2): the same columns feed the page and its Excel export."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django_tables2.utils import call_with_appropriate

from .masking import mask_value, needs_personal_data, personal_fields_of
from .models import Assignment, Cadre, GridWorker, Household, MicroGrid, PartyMember, PartyOrganisation, Unit


class UnitTable(tables.Table):
    name = tables.Column(linkify=True)
    parent_name = tables.Column(verbose_name=_("上级单位"), accessor="parent_name", orderable=False, default="")

    class Meta:
        model = Unit
        fields = ("name", "kind", "code", "parent_name")
        order_by = ("path",)


class HouseholdTable(tables.Table):
    head_name = tables.Column(linkify=("branches:household_detail", [tables.A("pk")]))
    village = tables.Column(verbose_name=_("村（社区）"), accessor="village_name", orderable=False, default="")
    unit = tables.Column(verbose_name=_("网格"))
    covered_by = tables.Column(verbose_name=_("联系党员"), accessor="covering_members", orderable=False)

    class Meta:
        model = Household
        fields = ("head_name", "house_number", "village", "unit", "population", "phone", "covered_by")

    def render_covered_by(self, value):
        return "、".join(member.name for member in value.all()) or "—"

    def value_covered_by(self, value):
        return self.render_covered_by(value)


class PartyOrganisationTable(tables.Table):
    name = tables.Column(linkify=("branches:partyorganisation_detail", [tables.A("pk")]))
    member_count = tables.Column(verbose_name=_("党员数"), accessor="member_count", orderable=False, default=0)

    class Meta:
        model = PartyOrganisation
        fields = ("name", "level", "unit", "secretary_name", "member_count")


class PartyMemberTable(tables.Table):
    name = tables.Column(linkify=("branches:partymember_detail", [tables.A("pk")]))
    household_count = tables.Column(verbose_name=_("联系户数"), accessor="household_count", orderable=False, default=0)

    class Meta:
        model = PartyMember
        fields = ("name", "gender", "unit", "organisation", "joined_date", "is_group_leader", "household_count")


class MicroGridTable(tables.Table):
    name = tables.Column(linkify=("branches:microgrid_detail", [tables.A("pk")]))
    household_count = tables.Column(verbose_name=_("农户数"), accessor="household_count", orderable=False, default=0)

    class Meta:
        model = MicroGrid
        fields = ("name", "unit", "leader", "household_count")


class CadreTable(tables.Table):
    name = tables.Column(linkify=("branches:cadre_detail", [tables.A("pk")]))

    class Meta:
        model = Cadre
        fields = ("name", "position", "is_leader", "unit", "phone")


class GridWorkerTable(tables.Table):
    name = tables.Column(linkify=("branches:gridworker_detail", [tables.A("pk")]))

    class Meta:
        model = GridWorker
        fields = ("name", "unit", "phone", "member")


class AssignmentTable(tables.Table):
    kind = tables.Column(linkify=("branches:assignment_detail", [tables.A("pk")]))
    person = tables.Column(verbose_name=_("责任人"), accessor="person", orderable=False)
    subject = tables.Column(verbose_name=_("包联对象"), accessor="subject", orderable=False)

    class Meta:
        model = Assignment
        fields = ("kind", "person", "subject", "unit", "role_title", "start_date", "end_date")


def _shown(table, record, value, kind):
    """A personal value as the table's reader may see it: whole for one who may change the row, masked otherwise
    (and masked when the table has no reader at all)."""
    request = getattr(table, "request", None)
    user = getattr(request, "user", None)
    if user is None or not needs_personal_data(user, record.unit):
        return mask_value(kind, value)
    return value


class PersonalColumn(tables.Column):
    """A column of personal data, masked for users who may see the row but have no need for the person. Its kind is
    the one the model declares in `personal_fields` (any column named after a personal field is masked anyway, see
    `mask_personal_columns`)."""

    def __init__(self, *args, kind=None, **kwargs):
        self.kind = kind
        super().__init__(*args, **kwargs)

    def render(self, value, record, table=None, bound_column=None, **kwargs):
        kind = self.kind or personal_fields_of(record).get(bound_column.name if bound_column else "", "name")
        return _shown(table, record, value, kind)

    def value(self, **kwargs):
        return self.render(**kwargs)


def mask_personal_columns(table):
    """Mask, in this table instance, every column showing a personal field its model declares (page and Excel
    export alike): whoever wrote the table need not remember which of its columns hold people's data."""
    personal = personal_fields_of(table._meta.model)
    for bound in table.columns.iterall():
        kind = personal.get(bound.name) or personal.get(str(bound.accessor))
        if not kind or isinstance(bound.column, PersonalColumn):
            continue
        bound.render = _masking(bound.render, kind, table)
        bound.value = _masking(bound.value, kind, table)
    return table


def _masking(call, kind, table):
    def masked_call(value, record, **kwargs):
        shown = call_with_appropriate(call, {"value": value, "record": record, **kwargs})
        return _shown(table, record, shown, kind)

    return masked_call
