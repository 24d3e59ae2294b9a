"""Excel round trip pages: download a pre-filled template, upload it filled. The template is built in template.py,
an upload read, checked and saved in upload.py, the download choices read in selectors.py."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from branches.exports import workbook_response
from branches.models import Unit
from branches.scoping import VIEW

from ... import periods
from . import selectors, template, upload
from .layout import ExcelError

TEMPLATE = "reports/excel_upload.html"


class UploadForm(forms.Form):
    month = forms.CharField(
        label=gettext_lazy("月份"),
        widget=forms.TextInput(attrs={"type": "month", "class": "form-control", "placeholder": "YYYY-MM"}),
        help_text=gettext_lazy("须与文件中的月份一致。"),
    )
    file = forms.FileField(
        label=gettext_lazy("Excel 文件（.xlsx，不超过 5 MB）"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx"}),
        error_messages={
            "required": gettext_lazy("请选择要上传的 Excel 文件。"),
            "empty": gettext_lazy("上传的文件是空的。"),
        },
    )

    def clean_month(self):
        try:
            return periods.parse_month(self.cleaned_data["month"])
        except periods.PeriodError as error:
            raise forms.ValidationError(str(error)) from None


def _page(request, *, form=None, status=200, **context):
    default_month = periods.month_key(periods.last_complete_month())
    context = {
        "form": form or UploadForm(initial={"month": default_month}),
        "choices": selectors.template_choices(request.user),
        "default_month": default_month,
        "max_errors": upload.MAX_ERRORS,
        **context,
    }
    return render(request, TEMPLATE, context, status=status)


@login_required
@require_GET
def excel_template(request):
    """GET ?unit=<id>&month=YYYY-MM: the workbook for that unit (a town: every unit under it the user may change)."""
    user = request.user
    unit_id = request.GET.get("unit") or (user.unit_id and str(user.unit_id))
    if not unit_id:
        return _page(request, template_error=_("请选择要下载模板的单位。"), status=400)
    unit = (
        Unit.objects.restrict(user, VIEW).filter(pk=unit_id).first()
        if unit_id.isdigit() and len(unit_id) < 18
        else None
    )
    if unit is None:
        return _page(request, template_error=_("找不到该单位，或您无权查看。"), status=404)
    try:
        month = periods.parse_month(request.GET.get("month") or periods.month_key(periods.last_complete_month()))
    except periods.PeriodError as error:
        return _page(request, template_error=str(error), status=400)
    try:
        workbook, filename = template.build_template(user=user, unit=unit, month=month)
    except PermissionDenied as error:
        return _page(request, template_error=str(error), status=403)
    return workbook_response(workbook, filename)


@login_required
@require_http_methods(["GET", "POST"])
def excel_upload(request):
    if request.method != "POST":
        return _page(request)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form=form, status=400)
    try:
        result = upload.import_workbook(
            user=request.user, month=form.cleaned_data["month"], uploaded=form.cleaned_data["file"]
        )
    except ExcelError as error:
        return _page(request, form=form, file_error=str(error), status=400)
    return _page(request, form=form, result=result, status=200 if result.ok else 400)
