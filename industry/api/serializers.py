from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from branches.api.base import ScopedPrimaryKeyField
from branches.models import Unit

from ..models import ANSWER, Enterprise, FeaturedProject, IncomeEntry, Problem, SalesRecord, ServiceVisit


class EnterpriseSerializer(serializers.ModelSerializer):
    unit = ScopedPrimaryKeyField(queryset=Unit.objects.all(), label=_("所在单位"))
    open_problems = serializers.IntegerField(read_only=True)

    class Meta:
        model = Enterprise
        fields = [
            "id", "unit", "name", "kind", "sector", "chain", "is_leading", "contact_name", "contact_phone", "address",
            "yearly_tax", "jobs", "note", "open_problems",
        ]  # fmt: skip


def own_enterprise_field():
    """An enterprise the caller answers for (包企, the model's ANSWER rule); any other id is 'does not exist'."""
    return ScopedPrimaryKeyField(queryset=Enterprise.objects.all(), action=ANSWER, label=_("企业"))


class ServiceVisitSerializer(serializers.ModelSerializer):
    enterprise = own_enterprise_field()

    class Meta:
        model = ServiceVisit
        fields = ["id", "enterprise", "cadre", "date", "policies", "note", "unit"]
        read_only_fields = ["cadre", "unit"]


class ProblemSerializer(serializers.ModelSerializer):
    enterprise = own_enterprise_field()
    # a visit whose records he may change (the model's CHANGE rule): another enterprise's visit is 'does not exist'
    visit = ScopedPrimaryKeyField(queryset=ServiceVisit.objects.all(), required=False, allow_null=True, label=_("走访"))

    class Meta:
        model = Problem
        fields = ["id", "enterprise", "visit", "description", "raised_on", "status", "responsible", "deadline",
                  "resolved_on", "resolution"]  # fmt: skip
        read_only_fields = ["raised_on", "status", "resolved_on", "resolution"]


class ProblemStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Problem.Status.choices)
    resolution = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class IncomeEntrySerializer(serializers.ModelSerializer):
    unit = ScopedPrimaryKeyField(queryset=Unit.objects.filter(kind__in=Unit.VILLAGE_KINDS), label=_("村（社区）"))
    project = ScopedPrimaryKeyField(queryset=FeaturedProject.objects.all(), required=False, allow_null=True)

    class Meta:
        model = IncomeEntry
        fields = ["id", "unit", "date", "source", "amount", "project", "note"]


class FeaturedProjectSerializer(serializers.ModelSerializer):
    unit = ScopedPrimaryKeyField(queryset=Unit.objects.filter(kind__in=Unit.VILLAGE_KINDS), label=_("村（社区）"))
    household_count = serializers.IntegerField(read_only=True)
    # null while the project has no income entry (the schema said it never was)
    income_total = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True, allow_null=True)

    class Meta:
        model = FeaturedProject
        fields = ["id", "unit", "name", "cooperative", "products", "brand", "started", "note", "household_count",
                  "income_total"]  # fmt: skip


class SalesRecordSerializer(serializers.ModelSerializer):
    unit = ScopedPrimaryKeyField(queryset=Unit.objects.filter(kind__in=Unit.VILLAGE_KINDS), label=_("村（社区）"))
    project = ScopedPrimaryKeyField(queryset=FeaturedProject.objects.all(), required=False, allow_null=True)

    class Meta:
        model = SalesRecord
        fields = ["id", "unit", "date", "project", "product", "channel", "platform", "kg", "amount"]
