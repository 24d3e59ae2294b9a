"""The environment ledgers' API, scoped like the pages; photos are uploaded to a record and checked by content."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from branches import photos
from branches.api.base import ledger_viewset
from branches.scoping import CHANGE

from .. import filtersets, selectors, services
from . import serializers


class PhotoActionsMixin:
    """GET …/{id}/photos/ lists a record's photos; POST uploads images (multipart, field `photos`, repeatable)."""

    @extend_schema(request=serializers.PhotoUploadSerializer, responses=serializers.PhotoSerializer(many=True))
    # A record's photos come as one plain list (pagination_class=None: the schema said "paginated" and the answer was
    # not).
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser, FormParser], pagination_class=None)
    def photos(self, request, pk=None):
        record = self.get_object()
        if request.method == "POST":
            record = self.get_queryset().model.objects.restrict(request.user, CHANGE).filter(pk=record.pk).first()
            if record is None:
                raise exceptions.PermissionDenied("您无权为该记录上传照片。")
            payload = serializers.PhotoUploadSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            data = dict(payload.validated_data)
            uploads = data.pop("photos")
            try:
                saved = photos.photos_attach(user=request.user, record=record, uploads=uploads, **data)
            except DjangoValidationError as error:
                raise exceptions.ValidationError({"photos": error.messages}) from error
            data = serializers.PhotoSerializer(saved, many=True, context={"request": request}).data
            return Response(data, status=status.HTTP_201_CREATED)
        data = serializers.PhotoSerializer(photos.photos_of(record), many=True, context={"request": request}).data
        return Response(data)


RulesViewSet = ledger_viewset(
    "RulesViewSet",
    selectors.rules_list,
    serializers.VillageRulesSerializer,
    filtersets.VillageRulesFilterSet,
    services.village_rules_save,
)
WorkMethodViewSet = ledger_viewset(
    "WorkMethodViewSet",
    selectors.work_method_list,
    serializers.WorkMethodSerializer,
    filtersets.WorkMethodFilterSet,
    services.work_method_save,
)
CampaignViewSet = ledger_viewset(
    "CampaignViewSet",
    selectors.campaign_list,
    serializers.CampaignSerializer,
    filtersets.CampaignFilterSet,
    services.campaign_save,
)
CleanupViewSet = ledger_viewset(
    "CleanupViewSet",
    selectors.cleanup_list,
    serializers.CleanupRecordSerializer,
    filtersets.CleanupRecordFilterSet,
    services.cleanup_save,
    deletable=True,
    extra_bases=(PhotoActionsMixin,),
)
PledgeViewSet = ledger_viewset(
    "PledgeViewSet",
    selectors.pledge_list,
    serializers.PledgeSerializer,
    filtersets.PledgeFilterSet,
    services.pledge_save,
    deletable=True,
)
HollowHouseViewSet = ledger_viewset(
    "HollowHouseViewSet",
    selectors.hollow_house_list,
    serializers.HollowHouseSerializer,
    filtersets.HollowHouseFilterSet,
    services.hollow_house_save,
    extra_bases=(PhotoActionsMixin,),
)
ToiletViewSet = ledger_viewset(
    "ToiletViewSet",
    selectors.toilet_list,
    serializers.ToiletRenovationSerializer,
    filtersets.ToiletRenovationFilterSet,
    services.toilet_save,
)
ProjectViewSet = ledger_viewset(
    "ProjectViewSet",
    selectors.project_list,
    serializers.InfrastructureProjectSerializer,
    filtersets.InfrastructureProjectFilterSet,
    services.infrastructure_project_save,
    extra_bases=(PhotoActionsMixin,),
)
ProgressViewSet = ledger_viewset("ProgressViewSet", selectors.progress_list, serializers.ProjectProgressSerializer,
                         filtersets.ProjectProgressFilterSet, services.project_progress_save)  # fmt: skip
