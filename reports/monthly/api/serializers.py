from rest_framework import serializers

from ... import worklines
from ...models import Indicator, MonthlyReport


def as_number(value):
    """A stored Decimal as a JSON number: an integer when it is whole."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["code", "name", "unit", "work_line", "kind", "source"]


class ReportSerializer(serializers.ModelSerializer):
    unit = serializers.IntegerField(source="unit_id", read_only=True)
    month = serializers.CharField(source="month_key", read_only=True)
    values = serializers.SerializerMethodField()

    class Meta:
        model = MonthlyReport
        fields = [
            "unit", "work_line", "month", "status", "version", "values", "return_reason", "changed_since_approval",
            "submitted_at", "approved_at",
        ]  # fmt: skip

    def get_values(self, report) -> dict[str, float | None]:
        rows = self.context.get("values")  # {code: value row} as selectors.report_as_shown counts them for a GET
        if rows is None:
            rows = {row.indicator.code: row for row in report.values.select_related("indicator")}
        return {code: as_number(row.value) for code, row in rows.items()}


class ReportValuesInput(serializers.Serializer):
    values = serializers.DictField(child=serializers.JSONField(), allow_empty=False)
    version = serializers.IntegerField(required=False, min_value=1)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class RollupSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    period = serializers.CharField()
    work_line = serializers.ChoiceField(choices=(), required=False, allow_null=True)
    values = serializers.DictField(child=serializers.FloatField(allow_null=True))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_line"].choices = worklines.choices()  # the declared lines, known once the apps are ready
