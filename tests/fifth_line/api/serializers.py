from rest_framework import serializers

from branches.api.base import ScopedPrimaryKeyField
from branches.models import Unit

from ..models import Returnee


class ReturneeSerializer(serializers.ModelSerializer):
    unit = ScopedPrimaryKeyField(queryset=Unit.objects.all())

    class Meta:
        model = Returnee
        fields = ["id", "unit", "name", "skill", "returned_on"]
