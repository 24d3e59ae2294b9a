"""The environment API's own actions; its viewsets are derived from the ledgers (environment/ledgers.py), scoped like
the pages. Photos are uploaded to a record and checked by content."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from branches import photos
from branches.scoping import CHANGE

from . import serializers


class PhotoActionsMixin:
    """A record's photos at …/{id}/photos/ (a ledger's `api_mixins`)."""

    @extend_schema(request=serializers.PhotoUploadSerializer, responses=serializers.PhotoSerializer(many=True))
    # A record's photos come as one plain list (pagination_class=None: the schema said "paginated" and the answer was
    # not).
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser, FormParser], pagination_class=None)
    def photos(self, request, pk=None):
        """GET lists a record's photos; POST uploads images (multipart, field `photos`, repeatable)."""
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


class ClosesThroughService:
    """cleanups/: the problems a create or update `closes` go to cleanup_save with the row, which closes them in
    the same transaction (nothing saved if one is refused)."""

    def service_arguments(self, data):
        return {"closes": data.pop("closes", None) or ()}
