from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from branches.api.base import ScopedPrimaryKeyField
from branches.models import Household, Photo, Unit

from ..models import (
    Campaign,
    CleanupRecord,
    EnvironmentProblem,
    HollowHouse,
    InfrastructureProject,
    Pledge,
    ProjectProgress,
    ToiletRenovation,
    VillageRules,
    WorkMethod,
)


def unit_field(**kwargs):
    return ScopedPrimaryKeyField(queryset=Unit.objects.all(), label=_("所属单位"), **kwargs)


def household_field(**kwargs):
    return ScopedPrimaryKeyField(queryset=Household.objects.all(), label=_("农户"), **kwargs)


class VillageRulesSerializer(serializers.ModelSerializer):
    unit = unit_field()

    class Meta:
        model = VillageRules
        fields = ["id", "unit", "version", "title", "text", "adopted_on"]
        read_only_fields = ["version"]


class WorkMethodSerializer(serializers.ModelSerializer):
    unit = unit_field()

    class Meta:
        model = WorkMethod
        fields = ["id", "unit", "is_pilot", "started_on", "mechanism", "volunteers"]


class CampaignSerializer(serializers.ModelSerializer):
    unit = unit_field()

    class Meta:
        model = Campaign
        fields = ["id", "unit", "name", "start", "end", "description"]


class PhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = Photo
        fields = ["id", "stage", "caption", "width", "height", "uploaded_at", "url", "thumbnail_url"]

    def get_url(self, photo) -> str:
        return self.context["request"].build_absolute_uri(f"/photos/{photo.pk}/")

    def get_thumbnail_url(self, photo) -> str:
        return self.context["request"].build_absolute_uri(f"/photos/{photo.pk}/thumb/")


class CleanupRecordSerializer(serializers.ModelSerializer):
    unit = unit_field()
    closes = ScopedPrimaryKeyField(
        queryset=EnvironmentProblem.objects.filter(status=EnvironmentProblem.Status.OPEN), many=True, required=False,
        write_only=True, label=_("销号的环境问题"), help_text=_("本次清理解决的待清理环境问题的 id，保存后即为已清理"),
    )  # fmt: skip
    problems = serializers.PrimaryKeyRelatedField(many=True, read_only=True, label=_("已销号的环境问题"))

    class Meta:
        model = CleanupRecord
        fields = ["id", "unit", "campaign", "date", "side", "place", "garbage_tons", "billboards", "road_km",
                  "river_km", "participants", "note", "closes", "problems"]  # fmt: skip


class EnvironmentProblemSerializer(serializers.ModelSerializer):
    unit = unit_field()

    class Meta:
        model = EnvironmentProblem
        fields = ["id", "unit", "found_on", "place", "description", "deadline", "status", "cleaned_on", "cleanup",
                  "note"]  # fmt: skip
        read_only_fields = ["cleanup"]


class PledgeSerializer(serializers.ModelSerializer):
    household = household_field()

    class Meta:
        model = Pledge
        fields = ["id", "household", "unit", "signed_on", "status", "hygiene", "greening", "order"]
        read_only_fields = ["unit"]


class HollowHouseSerializer(serializers.ModelSerializer):
    unit = unit_field()
    owner = household_field(required=False, allow_null=True)

    class Meta:
        model = HollowHouse
        fields = ["id", "unit", "owner", "location", "area_m2", "status", "demolished_on"]


class ToiletRenovationSerializer(serializers.ModelSerializer):
    household = household_field()

    class Meta:
        model = ToiletRenovation
        fields = ["id", "household", "unit", "kind", "completed_on", "accepted", "accepted_on"]
        read_only_fields = ["unit"]


class InfrastructureProjectSerializer(serializers.ModelSerializer):
    unit = unit_field()

    class Meta:
        model = InfrastructureProject
        fields = ["id", "unit", "name", "planned_investment", "planned_pipe_km", "yearly_capacity", "start",
                  "planned_end", "description"]  # fmt: skip


class ProjectProgressSerializer(serializers.ModelSerializer):
    project = ScopedPrimaryKeyField(queryset=InfrastructureProject.objects.all(), label=_("项目"))

    class Meta:
        model = ProjectProgress
        fields = ["id", "project", "unit", "date", "investment", "pipe_km", "percent_done", "milestone"]
        read_only_fields = ["unit"]


class PhotoUploadSerializer(serializers.Serializer):
    photos = serializers.ListField(child=serializers.FileField(), allow_empty=False, label=_("照片"))
    stage = serializers.ChoiceField(choices=Photo.Stage.choices, default=Photo.Stage.OTHER)
    caption = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
