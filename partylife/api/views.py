"""The API's own behaviour beyond the derived viewsets (partylife/ledgers.py)."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, viewsets

from branches.models import PartyMember, Unit
from branches.params import ID_MAX, BadQuery
from branches.scoping import VIEW

from .. import forms, selectors
from . import serializers

# --- meetings (三会一课, 主题党日, 组织生活会) ------------------------------------------------------------------------


class AttendanceThroughService:
    """meetings/: a create or update passes its `attendance` rows to meeting_save, which records them with the
    meeting in one transaction (nothing saved if any row is refused)."""

    def service_arguments(self, data):
        return {"attendance": data.pop("attendance", None)}


# --- dues, 民主评议, 发展党员, 换届 ----------------------------------------------------------------------------------


class ApplicantWrites:
    """An applicant's introducers go to services.applicant_save with the row: they are part of its checks."""

    def service_arguments(self, data):
        return {"introducers": data.pop("introducers", None)}


# --- 党员先锋积分 ---------------------------------------------------------------------------------------------------


class PointViewSet(viewsets.GenericViewSet):
    """党员先锋积分 (read-only): each member the caller may see, for `?month=YYYY-MM` (this month by default),
    highest first — his total, each source's points with its rule and cap, and the records behind them.
    `?under=` a unit (a village), `?q=` a name."""

    serializer_class = serializers.MemberPointsSerializer
    queryset = PartyMember.objects.none()  # the rows are the ranking's (selectors.point_ranking), not a queryset's
    filter_backends = ()  # its own parameters below, not the ledgers' filters

    @extend_schema(parameters=[
        OpenApiParameter("month", OpenApiTypes.STR, description="YYYY-MM"),
        OpenApiParameter("under", OpenApiTypes.INT), OpenApiParameter("q", OpenApiTypes.STR),
    ])  # fmt: skip
    def list(self, request):
        errors, month, under = {}, None, None
        params = request.query_params
        try:
            month = forms.point_month((params.get("month") or "").strip())
        except BadQuery as error:
            errors["month"] = [str(error)]
        if params.get("under"):
            text = params["under"]
            if not (text.isascii() and text.isdigit() and int(text) <= ID_MAX):
                errors["under"] = [_("单位编号“%(value)s”不正确。") % {"value": text[:20]}]
            else:
                under = Unit.objects.restrict(request.user, VIEW).filter(pk=int(text)).first()
                if under is None:
                    errors["under"] = [_("没有这个单位，或您无权查看。")]
        if errors:
            raise exceptions.ValidationError(errors)
        search = (params.get("q") or "").strip()[:50]
        ranking = selectors.point_ranking(request.user, month, under, search)
        page = self.paginate_queryset(ranking.rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
