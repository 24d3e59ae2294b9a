from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import Assignment, Household, MicroGrid, PartyMember, PartyOrganisation, Unit
from .base import ScopedPrimaryKeyField


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.IntegerField(source="parent_pk", read_only=True, allow_null=True, label=_("上级单位"))

    class Meta:
        model = Unit
        fields = ["id", "name", "kind", "parent", "code"]


class HouseholdSerializer(serializers.ModelSerializer):
    unit = ScopedPrimaryKeyField(queryset=Unit.objects.filter(kind=Unit.Kind.GRID), label=_("所属网格"))
    covered = serializers.SerializerMethodField(label=_("已有党员联系"))

    class Meta:
        model = Household
        fields = ["id", "unit", "head_name", "house_number", "population", "phone", "note", "covered"]

    def get_covered(self, household) -> bool:
        return bool(household.covering_members.all())


class PartyOrganisationSerializer(serializers.ModelSerializer):
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = PartyOrganisation
        fields = ["id", "unit", "name", "level", "parent", "secretary_name", "committee", "founded", "member_count"]


class PartyMemberSerializer(serializers.ModelSerializer):
    organisation = ScopedPrimaryKeyField(queryset=PartyOrganisation.objects.all(), label=_("所在党组织"))
    household = ScopedPrimaryKeyField(
        queryset=Household.objects.all(), required=False, allow_null=True, label=_("本人所在户")
    )
    covered_households = serializers.SerializerMethodField(label=_("联系农户"))

    class Meta:
        model = PartyMember
        fields = [
            "id",
            "name",
            "gender",
            "organisation",
            "unit",
            "birth_date",
            "joined_date",
            "phone",
            "household",
            "is_group_leader",
            "is_active",
            "covered_households",
        ]
        read_only_fields = ["unit"]

    def get_covered_households(self, member) -> list[int]:
        return [link.household_id for link in member.links.all()]


class MicroGridSerializer(serializers.ModelSerializer):
    class Meta:
        model = MicroGrid
        fields = ["id", "unit", "name", "leader", "households"]


class AssignmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Assignment
        fields = ["id", "kind", "unit", "household", "cadre", "member", "role_title", "start_date", "end_date"]


class PhotoLinkSerializer(serializers.Serializer):
    """A photo of a record as the API links it: its id and the addresses of the image and its thumbnail (served only
    to those who may see the record)."""

    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    def _absolute(self, path):
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_url(self, photo) -> str:
        return self._absolute(reverse("branches:photo", args=[photo.pk]))

    def get_thumbnail_url(self, photo) -> str:
        return self._absolute(reverse("branches:photo_thumb", args=[photo.pk]))
