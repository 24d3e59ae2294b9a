from rest_framework import serializers

# --- meetings (三会一课, 主题党日, 组织生活会) ------------------------------------------------------------------------
# (end of meetings)

# --- dues, 民主评议, 发展党员, 换届 ----------------------------------------------------------------------------------
# (end of dues, 民主评议, 发展党员, 换届)

# --- 党员先锋积分 ---------------------------------------------------------------------------------------------------


def _points():
    return serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=False)


class PointRecordSerializer(serializers.Serializer):
    """One record behind a member's points (PointRecord), with the page showing it."""

    on = serializers.DateField()
    quantity = _points()
    text = serializers.CharField()
    url = serializers.CharField()


class SourcePointsSerializer(serializers.Serializer):
    code = serializers.CharField(source="source.code")
    label = serializers.CharField(source="source.label")
    measure = serializers.CharField(source="source.measure")
    per_unit = serializers.DecimalField(source="rule.points", max_digits=6, decimal_places=2, coerce_to_string=False,
                                        allow_null=True, default=None, help_text="每项积分；未设规则为 null")
    monthly_cap = serializers.DecimalField(source="rule.monthly_cap", max_digits=7, decimal_places=2, allow_null=True,
                                           coerce_to_string=False, default=None, help_text="每月上限；null 不设上限")
    quantity = _points()
    uncapped = _points()
    points = _points()
    capped = serializers.BooleanField()
    records = PointRecordSerializer(many=True)


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MemberPointsSerializer(serializers.Serializer):
    """A member's 党员先锋积分 for the month: total, per source (the rule applied) and every record behind it."""

    member = serializers.IntegerField(source="member.pk")
    name = serializers.CharField(source="member.name")
    unit = UnitRefSerializer(source="member.unit")
    rank = serializers.IntegerField()
    total = _points()
    sources = SourcePointsSerializer(many=True)


# (end of points)
