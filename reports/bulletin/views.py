"""Pages of the monthly 通报: the list of months per town, one month's ranking (Excel download, rebuild for admins,
publish for leaders). Who sees what is decided in selectors.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from branches.models import Unit

from .. import periods, targets
from ..documents.services import can_issue
from ..pages import month_choices
from . import excel as bulletin_excel
from . import selectors as bulletins
from . import services as bulletin_services
from . import word as bulletin_word


def detail_url(town_id, month):
    return reverse("reports:bulletin_detail", args=[town_id, periods.month_key(month)])


@login_required
@require_http_methods(["GET", "POST"])
def bulletin_list(request):
    """Every bulletin the user may open, by town; an admin builds one for any town and month."""
    user = request.user
    can_rebuild = bulletins.can_rebuild(user)
    if request.method == "POST":
        bulletins.ensure_can_build(user)  # refused before the form is read
        raw = request.POST.get("town") or ""
        valid = raw.isdigit() and len(raw) < 19
        town = Unit.objects.filter(kind=Unit.Kind.TOWN, pk=int(raw)).first() if valid else None
        try:
            month = periods.parse_month(request.POST.get("month"))
            if town is None:
                raise ValidationError(_("请选择要生成通报的镇。"))
            built = bulletin_services.bulletin_build(town=town, month=month, user=user)
        except (periods.PeriodError, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return redirect("reports:bulletin")
        messages.success(request, _("已生成 %(b)s。") % {"b": built})
        return redirect(detail_url(town.pk, month))
    context = {
        "groups": bulletins.bulletins_for(user),
        "can_rebuild": can_rebuild,
        "towns": Unit.objects.filter(kind=Unit.Kind.TOWN).order_by("path") if can_rebuild else [],
        "months": month_choices(13)[1:],
    }
    return render(request, "reports/bulletin_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def bulletin_detail(request, unit_id, month):
    """One month's ranking: colours, scores and the reasons (a secretary sees his own village's reasons only)."""
    user = request.user
    try:
        month_date = periods.parse_month(month)
    except periods.PeriodError as error:
        raise Http404(str(error)) from error
    bulletin = bulletins.bulletin_for(user, unit_id, month_date)
    if bulletin is None:
        raise Http404(_("没有这期通报，或您无权查看。"))
    if request.method == "POST":
        return _act(request, bulletin)
    rows = bulletins.bulletin_rows(bulletin, user)
    if request.GET.get("export") == "xlsx":
        return bulletin_excel.bulletin_workbook(bulletin, rows)
    issued = bulletins.issued_document(bulletin)
    if request.GET.get("export") == "docx" or request.GET.get("print"):
        # As the reader's page shows it (a secretary: other villages' reasons withheld), under its 文号 once issued;
        # the print view has the Word file's parts in its order.
        day, reference = (issued.issued_on, issued.reference) if issued else (timezone.localdate(), None)
        document = bulletin_word.bulletin_document(bulletin, rows, day=day, reference=reference)
        if request.GET.get("print"):
            back = detail_url(bulletin.unit_id, bulletin.month)
            return document.print_response(request, title=bulletin_word.bulletin_title(bulletin), back=back)
        return document.response(f"{bulletin.unit}-{bulletin.month_key}-月度通报")
    context = {
        "bulletin": bulletin,
        "rows": rows,
        "counts": bulletins.colour_counts(rows),
        "parts": bulletins.PART_LABELS,
        "weights": bulletins.WEIGHTS,
        "can_rebuild": bulletins.can_rebuild(user),
        "can_publish": bulletins.can_publish(user, bulletin.unit) and bulletin.status == bulletin.Status.DRAFT,
        "deadline": periods.deadline_for(bulletin.month),
        "pace_note": targets.note(bulletin.month),
        "issued": issued,
        "can_issue": issued is None and bulletin.status == bulletin.Status.PUBLISHED
        and can_issue(user, bulletin.unit),
    }
    return render(request, "reports/bulletin_detail.html", context)


def _act(request, bulletin):
    user, action = request.user, request.POST.get("action")
    try:
        if action == "rebuild":
            bulletin_services.bulletin_build(town=bulletin.unit, month=bulletin.month, user=user)
            messages.success(request, _("已重新生成，排名已更新。"))
        elif action == "publish":
            bulletin_services.bulletin_publish(bulletin=bulletin, user=user)
            messages.success(request, _("已发布，各村（社区）可以查看。"))
        elif action == "issue":
            issued = bulletin_services.bulletin_issue(bulletin=bulletin, user=user)
            done = _("已签发，文号 %(reference)s，已编入发文登记。")
            messages.success(request, done % {"reference": issued.reference})
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(detail_url(bulletin.unit_id, bulletin.month))
