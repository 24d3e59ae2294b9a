from rest_framework import serializers

from ... import worklines
from ...models import Indicator, MonthlyReport
from .. import selectors


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
    balance_breaks = serializers.SerializerMethodField(
        help_text="本月在办数与“上月已审核 + 本月新增 − 本月办结”不符的指标：code、message（中文等式）及等式两边"
    )

    class Meta:
        model = MonthlyReport
        fields = [
            "unit", "work_line", "month", "status", "version", "values", "return_reason", "changed_since_approval",
            "submitted_at", "approved_at", "balance_breaks", "balance_note",
        ]  # fmt: skip

    def get_values(self, report) -> dict[str, float | None]:
        rows = self.context.get("values")  # {code: value row} as selectors.report_as_shown counts them for a GET
        if rows is None:
            rows = {row.indicator.code: row for row in report.values.select_related("indicator")}
        return {code: as_number(row.value) for code, row in rows.items()}

    def get_balance_breaks(self, report) -> list[dict]:
        return [
            {"code": item.code, "message": item.equation, "previous_approved": as_number(item.previous),
             "plus": {name: as_number(value) for name, value in item.plus},
             "minus": {name: as_number(value) for name, value in item.minus},
             "expected": as_number(item.expected), "value": as_number(item.value)}
            for item in selectors.balance_breaks(report, self.context.get("values"))
        ]  # fmt: skip


class ReportValuesInput(serializers.Serializer):
    values = serializers.DictField(child=serializers.JSONField(), allow_empty=False, required=False)
    version = serializers.IntegerField(required=False, min_value=1)
    balance_note = serializers.CharField(required=False, allow_blank=True, max_length=2000,
                                         help_text="不平衡说明：本月在办数不平衡时必填，审核人可见")  # fmt: skip

    def validate(self, data):
        if "values" not in data and "balance_note" not in data:
            raise serializers.ValidationError({"values": ["请提供要保存的数值 values。"]})
        return data


class SubmitInput(serializers.Serializer):
    balance_note = serializers.CharField(required=False, allow_blank=True, max_length=2000,
                                         help_text="不平衡说明：本月在办数不平衡时必填，审核人可见")  # fmt: skip


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
