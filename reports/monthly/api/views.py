"""The reporting API of DESIGN §6: indicators, monthly reports (read, save, submit, approve, return, unlock) and
roll-ups."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from branches.models import Unit
from branches.scoping import CHANGE, VIEW, can_act_on_unit

from ... import periods, worklines
from ...models import Indicator, MonthlyReport
from ...rollup import selectors as rollup_selectors
from .. import selectors, services
from . import serializers


class Conflict(exceptions.APIException):
    """409: someone saved the report meanwhile. Besides `detail`, the report as it is now — `version`, `updated_by`
    and the `current` values of the codes the caller sent — so a client (an offline phone's queue) can show both
    values and resend with the current version."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"

    def __init__(self, message, report=None, codes=()):
        super().__init__(message)
        if report is not None:
            self.detail = {"detail": self.detail, "code": self.default_code, **_conflict_state(report, codes)}


def _conflict_state(report, codes):
    rows = selectors.values_by_code(report)
    return {
        "version": report.version,
        "updated_by": report.updated_by.display_name if report.updated_by else "",
        "updated_at": report.updated_at.isoformat() if report.updated_at else None,
        "current": {code: serializers.as_number(rows[code].value) for code in codes if code in rows},
    }


class IndicatorList(generics.ListAPIView):
    """Every indicator in use, with its stable code."""

    serializer_class = serializers.IndicatorSerializer
    pagination_class = None
    queryset = Indicator.objects.filter(is_active=True)
    filterset_fields = ["work_line", "kind", "source"]


def _report_target(request, unit_id, work_line, month):
    """The unit (visible to the caller, else 404), work line and month of a report URL, or a 400 in Chinese."""
    unit = get_object_or_404(Unit.objects.restrict(request.user, VIEW), pk=unit_id)
    if not worklines.is_work_line(work_line):
        raise exceptions.NotFound("没有这条工作线。")
    try:
        month_date = periods.parse_month(month)
    except periods.PeriodError as error:
        raise exceptions.ValidationError({"month": [str(error)]}) from error
    return unit, month_date


def _as_api_error(error, codes=()):
    if isinstance(error, services.ConflictError):
        return Conflict(" ".join(error.messages), report=error.report, codes=codes)
    if hasattr(error, "error_dict"):
        errors = dict(error.message_dict)
        note = errors.pop("balance_note", None)
        return exceptions.ValidationError({**({"values": errors} if errors else {}),
                                           **({"balance_note": note} if note else {})})  # fmt: skip
    return exceptions.ValidationError({"non_field_errors": error.messages})


class ReportDetail(APIView):
    """GET a unit's report of a work line and month; PUT `{"values": {code: number}, "version"?}` saves entered
    values of a draft or returned report (derived codes are refused)."""

    @extend_schema(responses=serializers.ReportSerializer)
    def get(self, request, unit_id, work_line, month):
        # Writes nothing: a report nobody has saved yet is answered as the draft its first PUT will create.
        unit, month_date = _report_target(request, unit_id, work_line, month)
        may_change = can_act_on_unit(request.user, unit, CHANGE)
        if may_change:
            try:
                selectors.check_reportable(unit, work_line, month_date)
            except DjangoValidationError as error:
                raise exceptions.ValidationError(error.message_dict) from error
        shown = selectors.report_as_shown(unit, work_line, month_date, unsaved_draft=may_change)
        if shown is None:
            raise Http404
        report, values = shown
        return Response(serializers.ReportSerializer(report, context={"values": values}).data)

    @extend_schema(request=serializers.ReportValuesInput, responses=serializers.ReportSerializer)
    def put(self, request, unit_id, work_line, month):
        unit, month_date = _report_target(request, unit_id, work_line, month)
        payload = serializers.ReportValuesInput(data=request.data)
        payload.is_valid(raise_exception=True)
        report = self._open(unit, work_line, month_date)
        try:
            report = services.report_save_values(
                report=report, user=request.user, values=payload.validated_data.get("values", {}),
                version=payload.validated_data.get("version"), balance_note=payload.validated_data.get("balance_note"),
            )  # fmt: skip
        except DjangoValidationError as error:
            raise _as_api_error(error, codes=payload.validated_data.get("values", {}).keys()) from error
        return Response(serializers.ReportSerializer(report).data)

    @staticmethod
    def _open(unit, work_line, month_date):
        try:
            return services.report_open(unit=unit, work_line=work_line, month=month_date)
        except DjangoValidationError as error:
            raise exceptions.ValidationError(error.message_dict) from error


class ReportAction(APIView):
    """POST …/submit/, …/approve/, …/return/ `{"reason"}`, …/unlock/ `{"reason"}`."""

    action_name = None

    @extend_schema(request=serializers.ReasonInput, responses=serializers.ReportSerializer)
    def post(self, request, unit_id, work_line, month):
        unit, month_date = _report_target(request, unit_id, work_line, month)
        report = get_object_or_404(MonthlyReport, unit=unit, work_line=work_line, month=month_date)
        reason = request.data.get("reason", "") if hasattr(request.data, "get") else ""
        if self.action_name == "submit":
            submitted = serializers.SubmitInput(data=request.data if hasattr(request.data, "get") else {})
            submitted.is_valid(raise_exception=True)
        run = {
            "submit": lambda: services.report_submit(report=report, user=request.user,
                                                     version=request.data.get("version"),
                                                     balance_note=submitted.validated_data.get("balance_note")),
            "approve": lambda: services.report_approve(report=report, user=request.user),
            "return": lambda: services.report_return(report=report, user=request.user, reason=reason),
            "unlock": lambda: services.report_unlock(report=report, user=request.user, reason=reason),
        }[self.action_name]  # fmt: skip
        try:
            report = run()
        except DjangoValidationError as error:
            raise _as_api_error(error) from error
        return Response(serializers.ReportSerializer(report).data)


class RollupDetail(APIView):
    """The approved figures of a unit for a period: `?unit=N&period=YYYY|YYYY-Qn|YYYY-MM|YYYY-YTD&work_line=…`."""

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", OpenApiTypes.INT, required=True),
            OpenApiParameter("period", OpenApiTypes.STR, required=True),
            OpenApiParameter("work_line", OpenApiTypes.STR, enum=worklines.codes()),
        ],
        responses=serializers.RollupSerializer,
    )
    def get(self, request):
        errors = {}
        unit_id, key = request.query_params.get("unit"), request.query_params.get("period")
        work_line = request.query_params.get("work_line") or None
        if not (unit_id or "").isdigit():
            errors["unit"] = ["请提供单位编号 unit。"]
        try:
            period = periods.parse_period(key)
        except periods.PeriodError as error:
            errors["period"] = [str(error)]
        if work_line and not worklines.is_work_line(work_line):
            errors["work_line"] = ["没有这条工作线。"]
        if errors:
            raise exceptions.ValidationError(errors)
        unit = get_object_or_404(Unit.objects.restrict(request.user, VIEW), pk=unit_id)
        values = rollup_selectors.rollup_values(unit, period.key, work_line)
        return Response(
            {"unit": unit.pk, "period": period.key, "work_line": work_line,
             "values": {code: serializers.as_number(value) for code, value in values.items()}}
        )  # fmt: skip
