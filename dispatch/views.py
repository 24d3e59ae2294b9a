"""The pages of 任务督办: thin, each asking the selectors and the services.

- /dispatch/ 我的任务: each role's tabs (issued by me, my village's, to verify, the whole town's), searchable and
  filterable, `?card=red|yellow` and `?under=<unit>` as the dashboard links them;
- /dispatch/new/ 下达任务 (leaders, cadres, admins);
- /dispatch/tasks/<pk>/ the issuer's board (villages × status, numbers and totals; 催办, 撤销) and its Excel export;
- /dispatch/items/<pk>/ one village's item, made for the secretary's phone: 签收, 上报, 申请延期, and for those who
  verify 核验办结, 退回 and the decision on an extension.
"""

import mimetypes
from pathlib import PurePath
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from branches.exports import rows_to_workbook, workbook_response
from branches.generic_views import add_errors
from branches.models import Photo, Unit, User
from branches.params import parse_id
from branches.photos import photos_of
from branches.scoping import REVIEW, VIEW, is_admin
from reports.plugins import (
    can_issue_document,
    declared_document,
    document_download,
    document_issue_declared,
    document_issued,
)

from . import forms, notices, selectors, services
from .filtersets import ItemFilterSet
from .models import Attachment, Extension, Item
from .tables import ItemTable, TaskTable, work_line_label

PER_PAGE = 20

# --- 我的任务 -------------------------------------------------------------------------------------------------------

TASK_TABS = ("issued", "all")  # tabs listing tasks; the others list villages' items
TAB_LABELS = {
    "issued": gettext_lazy("我下达的"),
    "village": gettext_lazy("本村任务"),
    "verify": gettext_lazy("待我核验"),
    "all": gettext_lazy("全部任务"),
}


def tabs_for(user):
    """The tabs of a user's 我的任务, in order: 我下达的 for those who issue, 本村任务 for a village's secretary,
    待我核验 for those who verify, 全部任务 for the town's leaders and admins."""
    tabs = []
    if selectors.can_issue(user):
        tabs.append("issued")
    if user.role == User.Role.SECRETARY:
        tabs.append("village")
    else:
        tabs.append("verify")
    if user.role == User.Role.LEADER or is_admin(user):
        tabs.append("all")
    return tabs


def _chosen_tab(request, tabs):
    chosen = request.GET.get("tab", "")
    if chosen in tabs:
        return chosen
    if (request.GET.get("card") or request.GET.get("under")) and "all" in tabs:
        return "all"  # the dashboard's red-task alert: the town's tasks, not only one's own
    return tabs[0]


def under_unit(request):
    """`?under=` a unit the user may see (None: all he may see); an id that is not a number is a 400."""
    under = (request.GET.get("under") or "").strip()
    if not under:
        return None
    return get_object_or_404(Unit.objects.restrict(request.user, VIEW), pk=parse_id(under))


def tab_rows(user, tab, filters):
    """The tab's tasks (or items), filtered by the items' one filterset: a task tab lists the tasks with an item that
    passes the filters."""
    if tab in TASK_TABS:
        tasks = selectors.issued_by(user) if tab == "issued" else selectors.task_list(user)
        return tasks.filter(pk__in=filters.qs.values("task_id"))
    items = selectors.for_village(user) if tab == "village" else selectors.to_verify(user)
    return items.filter(pk__in=filters.qs.values("pk"))


@login_required
def task_list(request):
    """我的任务: the user's tabs, each paginated, searchable and filterable; `?export=xlsx` downloads the tab."""
    user, today = request.user, timezone.localdate()
    tabs = tabs_for(user)
    tab = _chosen_tab(request, tabs)
    under = under_unit(request)
    filters = ItemFilterSet(request.GET, queryset=selectors.item_list(user), request=request)
    rows = tab_rows(user, tab, filters)
    if request.GET.get("export") == "xlsx":
        return _list_export(request.user, tab, rows, today)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    objects = list(page.object_list)
    if tab in TASK_TABS:
        table = TaskTable(objects, progress=selectors.task_progress(objects, user=request.user, on=today))
    else:
        table = ItemTable(objects)
    kept = {key: value for key, value in request.GET.items() if key not in ("page", "tab", "export")}
    context = {
        "tabs": [(name, TAB_LABELS[name], urlencode({**kept, "tab": name}), name == tab) for name in tabs],
        "tab": tab,
        "table": table,
        "page": page,
        "filters": filters.form,
        "under": under,
        "query": urlencode({**kept, "tab": tab}),
        "can_issue": selectors.can_issue(user),
    }
    return render(request, "dispatch/task_list.html", context)


def _list_export(user, tab, rows, today):
    if tab in TASK_TABS:
        tasks = list(rows)
        progress = selectors.task_progress(tasks, user=user, on=today)
        headers = [_("任务名称"), _("工作条线"), _("下达日期"), _("办结时限"), _("村数"), _("已办结"), _("已上报"),
                   _("待签收"), _("红牌"), _("黄牌")]  # fmt: skip
        table = []
        for task in tasks:
            counts = progress.get(task.pk, {})
            total = sum(counts.get(status, 0) for status in Item.Status.values)
            done, reported, pending = (counts.get(status, 0) for status in
                                       (Item.Status.DONE, Item.Status.REPORTED, Item.Status.PENDING))  # fmt: skip
            table.append([task.title, str(work_line_label(task.work_line)), task.issued_on, task.deadline, total,
                          done, reported, pending, counts.get("red", 0), counts.get("yellow", 0)])  # fmt: skip
    else:
        headers = [_("任务名称"), _("村（社区）"), _("状态"), _("办结时限"), _("牌"), _("上报日期")]
        table = [[item.task.title, item.unit.name, item.get_status_display(), item.deadline,
                  card_word(selectors.item_card(item, today)), item.reported_on or ""] for item in rows]  # fmt: skip
    return workbook_response(rows_to_workbook(_("我的任务"), headers, table), "dispatch-tasks")


def card_word(card):
    return _("红牌") if card.code == "over" else _("黄牌") if card.code == "near" else ""


# --- 下达任务 -------------------------------------------------------------------------------------------------------


@login_required
def task_new(request):
    """下达任务: the form; POST issues it through services.task_issue (its errors come back on the form)."""
    if not selectors.can_issue(request.user):
        raise PermissionDenied(_("只有镇领导、镇干部可以下达任务。"))
    form = forms.TaskForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            task = form.save(commit=False)
            task.targets = form.targets_text()
            try:
                task = services.task_issue(user=request.user, task=task, targets=form.targets(),
                                           measures=form.cleaned_data["measures"],
                                           attachments=request.FILES.getlist("attachments"))  # fmt: skip
            except ValidationError as error:
                add_errors(form, error)
            else:
                count = task.items.count()
                messages.success(request, _("任务已下达到%(n)s个村（社区）。") % {"n": count})
                return redirect("dispatch:task_detail", task.pk)
        status = 400
    return render(request, "dispatch/task_new.html", {"form": form}, status=status)


# --- the issuer's board ---------------------------------------------------------------------------------------------


def photo_counts(items):
    """{item id: photos} for the board's rows, in one query."""
    record_type = ContentType.objects.get_for_model(Item)
    found = (Photo.objects.filter(record_type=record_type, record_id__in=[item.pk for item in items])
             .values("record_id").annotate(n=Count("id")))  # fmt: skip
    return {row["record_id"]: row["n"] for row in found}


def _task_for(request, pk):
    return get_object_or_404(selectors.task_list(request.user), pk=pk)


@login_required
def task_detail(request, pk):
    """The board: the task, then villages × status with each one's numbers, the totals and the counts; POST
    `action=press` (一键催办) or `action=cancel` (撤销, with a reason)."""
    task = _task_for(request, pk)
    if request.method == "POST":
        return _task_action(request, task)
    board = selectors.task_board(request.user, task)
    counts = photo_counts([row.item for row in board.rows])
    rows = [(row, [row.figures.get(m.pk) for m in board.measures], counts.get(row.item.pk, 0)) for row in board.rows]
    context = {
        "task": task,
        "board": board,
        "rows": rows,
        "totals": [board.totals.get(m.pk) for m in board.measures],
        "counts": [(label, board.counts.get(value, 0)) for value, label in Item.Status.choices],
        "attachments": task.attachments.all(),
        "work_line": work_line_label(task.work_line),
        "can_press": not task.is_cancelled and selectors.item_list(request.user, REVIEW).filter(task=task).exists(),
        "can_cancel": not task.is_cancelled and (task.issued_by_id == request.user.pk or is_admin(request.user)),
        "notice": document_issued(notices.CODE, task),
        "can_issue_notice": not task.is_cancelled and can_issue_document(request.user, task.unit),
    }
    return render(request, "dispatch/task_detail.html", context)


def _task_action(request, task):
    action = request.POST.get("action")
    if action == "press":
        count = services.task_press(user=request.user, task=task)
        if count:
            messages.success(request, _("已向%(n)s个村催办。") % {"n": count})
        else:
            messages.info(request, _("没有需要催办的村（社区）。"))
    elif action == "cancel":
        try:
            services.task_cancel(user=request.user, task=task, reason=request.POST.get("reason", ""))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("任务已撤销。"))
    else:
        raise BadRequest(_("未知的操作。"))
    return redirect("dispatch:task_detail", task.pk)


@login_required
def task_export(request, pk):
    """The board as Excel: one row a village, each measure's number, and the totals."""
    task = _task_for(request, pk)
    board = selectors.task_board(request.user, task)
    headers = [_("村（社区）"), _("状态"), _("时限"), _("牌"), _("签收时间"), _("上报日期"),
               *(str(m) for m in board.measures), _("办理情况")]  # fmt: skip
    rows = []
    for row in board.rows:
        item = row.item
        received = timezone.localtime(item.received_at).strftime("%Y-%m-%d %H:%M") if item.received_at else ""
        rows.append([item.unit.name, item.get_status_display(), item.deadline, card_word(row.card), received,
                     item.reported_on or "", *(row.figures.get(m.pk, "") for m in board.measures),
                     item.report_text])  # fmt: skip
    rows.append([_("合计"), "", "", "", "", "", *(board.totals.get(m.pk) for m in board.measures), ""])
    # A typed title may hold what a sheet's name may not (/ ? * [ ]): the sheet is named by the page.
    return workbook_response(rows_to_workbook(_("任务办理情况"), headers, rows), f"dispatch-task-{task.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def task_notice(request, pk):
    """The task's 督办通知 as a 公文 (.docx): GET downloads it as the reader may see the task (a secretary's is
    addressed to his village), under its 文号 once issued; POST `issue` (签发) gives it the town's next 督 文号 and
    keeps it in the register (reports:issueddocument_list)."""
    task = _task_for(request, pk)
    filename = f"{task.unit}-督办通知-{task.pk}"
    if request.method == "GET" and request.GET.get("print"):  # the Word file's parts in its order, to print
        document = declared_document(notices.CODE, task, request.user)
        back = reverse("dispatch:task_detail", args=[task.pk])
        return document.print_response(request, title=notices.notice_title(task), back=back)
    if request.method == "GET":
        return document_download(notices.CODE, task, request.user, filename)
    if "issue" not in request.POST:
        raise BadRequest(_("未知的操作。"))
    try:
        issued = document_issue_declared(code=notices.CODE, record=task, user=request.user, filename=filename)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("督办通知已签发，文号 %(reference)s。") % {"reference": issued.reference})
    return redirect("dispatch:task_detail", task.pk)


# --- one village's item ---------------------------------------------------------------------------------------------


def _report_form(request, item, measures, data=None):
    figures = {f"m_{f.measure_id}": f.value for f in item.figures.all()}
    initial = {"report_text": item.report_text, "members": list(item.members.values_list("pk", flat=True)), **figures}
    return forms.ReportForm(data, files=None, item=item, measures=measures, user=request.user, initial=initial)


def _receive(request, item, measures):
    services.item_receive(user=request.user, item=item)
    messages.success(request, _("已签收。"))


def _report(request, item, measures):
    form = _report_form(request, item, measures, request.POST)
    if not form.is_valid():
        return form
    services.item_report(user=request.user, item=item, text=form.cleaned_data["report_text"], figures=form.figures(),
                         photos=request.FILES.getlist("photos"), members=form.cleaned_data["members"])  # fmt: skip
    messages.success(request, _("已上报。"))
    return None


def _extend(request, item, measures):
    form = forms.ExtensionForm(request.POST, prefix="extend")
    if not form.is_valid():
        return form
    data = form.cleaned_data
    services.extension_ask(user=request.user, item=item, until=data["until"], reason=data["reason"])
    messages.success(request, _("延期申请已提交，等待审批。"))
    return None


def _verify(request, item, measures):
    form = forms.ReasonForm(request.POST, prefix="verify")
    if not form.is_valid():
        return form
    services.item_verify(user=request.user, item=item, note=form.cleaned_data["reason"])
    messages.success(request, _("已核验办结。"))
    return None


def _return(request, item, measures):
    form = forms.ReasonForm(request.POST, prefix="return")
    if not form.is_valid():
        return form
    services.item_return(user=request.user, item=item, reason=form.cleaned_data["reason"])
    messages.success(request, _("已退回，等待重新上报。"))
    return None


def _decide(request, item, measures):
    form = forms.DecisionForm(request.POST, prefix="decide")
    if not form.is_valid():
        return form
    extension = get_object_or_404(item.extensions.all(), pk=form.cleaned_data["extension"])
    services.extension_decide(user=request.user, extension=extension, grant=form.cleaned_data["grant"],
                              note=form.cleaned_data["note"])  # fmt: skip
    messages.success(request, _("已同意延期。") if form.cleaned_data["grant"] else _("已不同意延期。"))
    return None


ITEM_ACTIONS = {"receive": _receive, "report": _report, "extend": _extend, "verify": _verify, "return": _return,
                "decide": _decide}  # fmt: skip
FORM_OF = {"report": "report_form", "extend": "extension_form", "verify": "verify_form", "return": "return_form",
           "decide": "decision_form"}  # fmt: skip


def _item_action(request, item, measures):
    """Run the POSTed step; None when done, else the bound form (with the service's errors on it) to show again."""
    action = request.POST.get("action")
    if action not in ITEM_ACTIONS:
        raise BadRequest(_("未知的操作。"))
    try:
        return action, ITEM_ACTIONS[action](request, item, measures)
    except ValidationError as error:
        form = _failed_form(request, item, measures, action)
        if form is None:
            messages.error(request, " ".join(error.messages))
            return action, None
        form.is_valid()
        add_errors(form, error)
        return action, form


def _failed_form(request, item, measures, action):
    if action == "report":
        return _report_form(request, item, measures, request.POST)
    if action == "extend":
        return forms.ExtensionForm(request.POST, prefix="extend")
    if action in ("verify", "return"):
        return forms.ReasonForm(request.POST, prefix=action)
    if action == "decide":
        return forms.DecisionForm(request.POST, prefix="decide")
    return None


@login_required
def item_detail(request, pk):
    """One village's item on a phone: the task's requirements and attachments, the card, the report, the history,
    and the forms the user may use (POST `action=` receive / report / extend / verify / return / decide)."""
    item = get_object_or_404(selectors.item_list(request.user).select_related("task__unit"), pk=pk)
    measures = list(item.task.measures.all())
    bound, status = {}, 200
    if request.method == "POST":
        action, form = _item_action(request, item, measures)
        if form is None:
            return redirect("dispatch:item_detail", item.pk)
        bound[FORM_OF[action]], status = form, 400
        item = get_object_or_404(selectors.item_list(request.user).select_related("task__unit"), pk=pk)
    return render(request, "dispatch/item_detail.html", _item_context(request, item, measures, bound), status=status)


def _item_context(request, item, measures, bound):
    user = request.user
    may_report = not item.task.is_cancelled and selectors.can_report(user, item)
    may_verify = not item.task.is_cancelled and selectors.can_verify(user, item)
    extensions = list(item.extensions.select_related("asked_by", "decided_by"))
    asked = next((e for e in extensions if e.state == Extension.State.ASKED), None)
    values = {f.measure_id: f.value for f in item.figures.all()}
    context = {
        "item": item,
        "task": item.task,
        "card": selectors.item_card(item),
        "measures": measures,
        "figures": [(m, values.get(m.pk)) for m in measures],
        "attachments": item.task.attachments.all(),
        "photos": list(photos_of(item)),
        "steps": item.steps.select_related("user"),
        "members": item.members.all(),
        "extensions": extensions,
        "asked": asked,
        "work_line": work_line_label(item.task.work_line),
        "may_receive": may_report and item.status == Item.Status.PENDING,
        "may_report": may_report and item.is_open,
        "may_extend": may_report and item.is_open and asked is None,
        "may_verify": may_verify and item.status == Item.Status.REPORTED,
        "may_return": may_verify and item.status in (Item.Status.REPORTED, Item.Status.DONE),
        "may_decide": may_verify and asked is not None,
    }
    if context["may_report"]:
        context["report_form"] = _report_form(request, item, measures)
    context["extension_form"] = forms.ExtensionForm(prefix="extend")
    context["verify_form"] = forms.ReasonForm(prefix="verify")
    context["return_form"] = forms.ReasonForm(prefix="return")
    context["decision_form"] = forms.DecisionForm(prefix="decide", initial={"extension": asked.pk if asked else None})
    context.update(bound)
    return context


# --- attachments ------------------------------------------------------------------------------------------------

# Opened in the browser (a notice read on the phone); the others (Word, Excel) are downloaded.
SHOWN_INLINE = {"pdf", "jpg", "jpeg", "png", "webp"}


@login_required
@require_safe
def attachment_file(request, pk):
    """A task's attachment, only for those who see its task (never a public media URL): PDF and images shown in the
    browser, Word and Excel downloaded."""
    tasks = selectors.task_list(request.user).values("pk")
    attachment = get_object_or_404(Attachment.objects.filter(task__in=tasks), pk=pk)
    extension = PurePath(attachment.file.name).suffix.lower().lstrip(".")
    try:
        opened = attachment.file.open("rb")
    except FileNotFoundError:  # the row outlived its file (a restored database, a lost media folder)
        raise Http404(_("附件文件已不存在。")) from None
    content_type = mimetypes.guess_type(f"x.{extension}")[0] or "application/octet-stream"
    response = FileResponse(opened, content_type=content_type, as_attachment=extension not in SHOWN_INLINE,
                            filename=attachment.name)  # fmt: skip
    response["Cache-Control"] = "private, max-age=3600"
    return response
