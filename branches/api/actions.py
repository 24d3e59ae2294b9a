"""API actions of the shared model's ledgers besides the derived create, read, update and delete."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from ..models import Household
from ..services import household_contact_update
from .base import masked_serializer


class HouseholdContactSerializer(serializers.ModelSerializer):
    """联系方式: the fields a grid worker may update (Household.contact_fields); any other field is refused, not
    silently dropped, so a client that sends a household's name learns it was not changed."""

    class Meta:
        model = Household
        fields = list(Household.contact_fields)

    def validate(self, attrs):
        others = sorted(set(self.initial_data) - set(Household.contact_fields))
        if others:
            raise serializers.ValidationError(
                {name: [_("只能更新联系方式（联系电话、门牌号、备注），不能修改该字段。")] for name in others}
            )
        return attrs


class HouseholdContactActions:
    """PATCH …/households/{id}/contact/ `{"phone", "house_number", "note"}`: 更新联系方式, what a grid worker may
    change of his grid's households (services.household_contact_update). Another field is a 400; a household the
    caller may not see a 404, one he may see but not change a 403."""

    @extend_schema(request=HouseholdContactSerializer, summary=gettext_lazy("更新农户联系方式"))
    @action(detail=True, methods=["patch"], filter_backends=[])
    def contact(self, request, pk=None):
        household = self.get_object()
        payload = HouseholdContactSerializer(household, data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        household_contact_update(user=request.user, household=household, **payload.validated_data)
        serializer = masked_serializer(self.serializer_class)(household, context=self.get_serializer_context())
        return Response(serializer.data)
