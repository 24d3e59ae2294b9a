"""Writes of 任务督办: issuing a task to villages, and each step of a village's item — receive, report, verify,
return, ask for more time and decide on it, press (催办). Each step is checked here (who may take it, from which
status), kept as a `Step`, and tells the people it concerns through the portal's notifications (the events
dispatch/hooks.py declares)."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.closing import set_reason
from branches.models import Unit
from branches.photos import photos_attach, photos_of
from branches.scoping import CHANGE, REVIEW, VIEW, is_admin
from reports.plugins import add_months, notify_event, work_line_choices

from . import selectors
from .models import (
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_TYPES,
    Attachment,
    Every,
    Extension,
    Figure,
    Item,
    Measure,
    Step,
    Task,
)  # fmt: skip

MEASURES_MAX = 10
REPORT_PHOTOS_MAX = 9

# --- issuing --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureSpec:
    name: str
    unit_label: str = ""


def _check_task(task, villages, measures):
    errors = {}
    if not task.title or not task.title.strip():
        errors["title"] = _("请填写任务名称。")
    if task.deadline and task.issued_on and task.deadline < task.issued_on:
        errors["deadline"] = _("办结时限不能早于下达日期。")
    if task.work_line and task.work_line not in dict(work_line_choices()):
        errors["work_line"] = _("没有这个工作条线。")
    if not villages:
        errors["targets"] = _("请选择至少一个下达的村（社区）。")
    names = [spec.name.strip() for spec in measures]
    if any(not name for name in names) or len(names) != len(set(names)):
        errors["measures"] = _("上报数字项的名称不能为空，也不能重复。")
    if len(names) > MEASURES_MAX:
        errors["measures"] = _("上报数字项最多%(n)s项。") % {"n": MEASURES_MAX}
    if errors:
        raise ValidationError(errors)
    task.full_clean(exclude=["unit", "issued_by"])


def _check_targets(user, units):
    visible = set(Unit.objects.restrict(user, VIEW).filter(pk__in=[unit.pk for unit in units])
                  .values_list("pk", flat=True))  # fmt: skip
    outside = [str(unit) for unit in units if unit.pk not in visible]
    if outside:
        raise ValidationError({"targets": _("不能向辖区外的单位下达任务：%(names)s") % {"names": "、".join(outside)}})


def attachments_check(uploads):
    """The files that come with a task are PDF, pictures, Word or Excel (by their names' endings), each ≤ 20 MB: the
    one rule the page, the API and `task_issue` ask."""
    refused = [upload.name for upload in uploads if upload.name.rpartition(".")[2].lower() not in ATTACHMENT_TYPES]
    if refused:
        raise ValidationError({"attachments": _("附件“%(names)s”的类型不支持：只能上传PDF、图片、Word、Excel文件。")
                               % {"names": "、".join(refused)}})  # fmt: skip
    too_big = [upload.name for upload in uploads if upload.size > ATTACHMENT_MAX_BYTES]
    if too_big:
        raise ValidationError({"attachments": _("附件“%(names)s”超过20MB。") % {"names": "、".join(too_big)}})


@transaction.atomic
def task_issue(*, user, task, targets, measures=(), attachments=()):
    """Issue `task` (unsaved, with its title, deadline, …) from the user's town to the villages of `targets` (towns,
    areas or villages): one item per village, each told at once."""
    if not selectors.can_issue(user):
        raise PermissionDenied(_("只有镇领导、镇干部可以下达任务。"))
    task.unit = task.unit if task.unit_id else selectors.issuing_unit(user)
    task.issued_by = user
    task.issued_on = task.issued_on or timezone.localdate()
    _check_targets(user, targets)
    villages = list(selectors.target_villages(targets))
    _check_task(task, villages, measures)
    attachments_check(attachments)
    task._history_user = user
    task.save()
    Measure.objects.bulk_create(
        Measure(task=task, name=spec.name.strip(), unit_label=spec.unit_label.strip(), order=index)
        for index, spec in enumerate(measures)
    )
    for upload in attachments:
        Attachment.objects.create(task=task, file=upload, name=upload.name[:200], size=upload.size)
    items = _items_create(task, villages, user)
    for item in items:
        transaction.on_commit(lambda item=item: notify_event("dispatch.issued", item))
    return task


def _items_create(task, villages, user):
    yellow_on = selectors.yellow_from(task.deadline, task.near_days)
    items = Item.objects.bulk_create(
        Item(task=task, unit=village, deadline=task.deadline, yellow_on=yellow_on) for village in villages
    )
    items = list(Item.objects.filter(task=task).select_related("task", "unit"))
    Step.objects.bulk_create(Step(item=item, action=Step.Action.ISSUED, user=user) for item in items)
    return items


@transaction.atomic
def task_cancel(*, user, task, reason):
    if task.issued_by_id != user.pk and not is_admin(user):
        raise PermissionDenied(_("只有任务下达人可以撤销任务。"))
    if not reason or not reason.strip():
        raise ValidationError({"reason": _("撤销任务必须填写原因。")})
    task.is_cancelled = True
    set_reason(task, reason)  # kept in the task's history as the change's reason, with who cancelled it
    task._history_user = user
    task.save(update_fields=["is_cancelled"])
    return task


# --- a village's item -----------------------------------------------------------------------------------------------


def _step(item, action, user, note=""):
    return Step.objects.create(item=item, action=action, user=user, note=(note or "")[:300])


def _locked(user, item, action):
    """The item, re-read and locked, if the user may take `action` on it (else a 403 in Chinese)."""
    found = selectors.item_list(user, action).select_for_update(of=("self",)).filter(pk=item.pk).first()
    if found is None:
        raise PermissionDenied(_("您无权办理该村的这项任务。"))
    if found.task.is_cancelled:
        raise ValidationError(_("该任务已撤销。"))
    return found


def _status_check(item, allowed, message):
    if item.status not in allowed:
        raise ValidationError({"status": message % {"status": item.get_status_display()}})


def _saved(item, *fields):
    item.version = F("version") + 1
    item.save(update_fields=[*fields, "version"])
    item.refresh_from_db()
    return item


@transaction.atomic
def item_receive(*, user, item):
    """签收: the branch says it has the task."""
    item = _locked(user, item, CHANGE)
    if item.status != Item.Status.PENDING:
        return item
    item.status, item.received_at = Item.Status.RECEIVED, timezone.now()
    _step(item, Step.Action.RECEIVED, user)
    return _saved(item, "status", "received_at")


def _figures_parse(item, figures):
    """{measure id: Decimal} from what was typed, every measure of the task answered with a number ≥ 0."""
    measures = {measure.pk: measure for measure in item.task.measures.all()}
    parsed, errors = {}, []
    for measure in measures.values():
        raw = figures.get(measure.pk, figures.get(str(measure.pk)))
        if raw in (None, ""):
            errors.append(_("请填写“%(name)s”。") % {"name": measure.name})
            continue
        try:
            value = Decimal(str(raw).strip().replace(",", ""))
        except InvalidOperation:
            errors.append(_("“%(name)s”须填数字。") % {"name": measure.name})
            continue
        if not value.is_finite() or value < 0 or value >= 10**11:
            errors.append(_("“%(name)s”须是0到1000亿之间的数。") % {"name": measure.name})
            continue
        parsed[measure.pk] = value.quantize(Decimal("0.01"))
    unknown = {str(key) for key in figures} - {str(pk) for pk in measures}
    if unknown:
        errors.append(_("该任务没有这些上报数字项：%(ids)s") % {"ids": "、".join(sorted(unknown))})
    if errors:
        raise ValidationError({"figures": errors})
    return parsed


def _report_check(item, text, photos, members):
    errors = {}
    if item.task.needs_text and not (text or "").strip():
        errors["report_text"] = _("请填写办理情况。")
    if len(text or "") > 5000:
        errors["report_text"] = _("办理情况不能超过5000字。")
    if item.task.needs_photo and not photos and not photos_of(item).exists():
        errors["photos"] = _("该任务须上传现场照片。")
    if len(photos) > REPORT_PHOTOS_MAX:
        errors["photos"] = _("一次最多上传%(n)s张照片。") % {"n": REPORT_PHOTOS_MAX}
    outside = [member for member in members if not member.unit.is_under(item.unit)]
    if outside:
        errors["members"] = _("参与党员须是本村（社区）的党员。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def item_report(*, user, item, text="", figures=None, photos=(), members=()):
    """上报: the branch reports what it did (text, photos, the task's numbers, the members who took part). A task
    that needs no verification is done by it; else it waits for the issuer or the village's cadre."""
    item = _locked(user, item, CHANGE)
    _status_check(item, (*Item.OPEN,), _("该任务当前为“%(status)s”，不能上报。"))
    members = list(members)
    _report_check(item, text, photos, members)
    parsed = _figures_parse(item, figures or {})
    Figure.objects.filter(item=item).delete()
    Figure.objects.bulk_create(Figure(item=item, measure_id=pk, value=value) for pk, value in parsed.items())
    if photos:
        photos_attach(user=user, record=item, uploads=photos)
    item.members.set(members)
    today = timezone.localdate()
    if item.status == Item.Status.PENDING:
        item.received_at = timezone.now()
    item.report_text, item.reported_on = (text or "").strip(), today
    item.status = Item.Status.REPORTED if item.task.needs_verify else Item.Status.DONE
    item.done_on = None if item.task.needs_verify else today
    _step(item, Step.Action.REPORTED, user, item.report_text[:300])
    item = _saved(item, "status", "received_at", "report_text", "reported_on", "done_on")
    key = f"{item.pk}-{item.version}"
    transaction.on_commit(lambda: notify_event("dispatch.reported", item, key=key))
    return item


@transaction.atomic
def item_verify(*, user, item, note=""):
    """核验办结: the issuer or the village's cadre accepts the report."""
    item = _locked(user, item, REVIEW)
    _status_check(item, (Item.Status.REPORTED,), _("该任务当前为“%(status)s”，只有已上报的才能核验。"))
    item.status, item.done_on = Item.Status.DONE, timezone.localdate()
    _step(item, Step.Action.VERIFIED, user, note)
    item = _saved(item, "status", "done_on")
    transaction.on_commit(lambda: notify_event("dispatch.verified", item))
    return item


@transaction.atomic
def item_return(*, user, item, reason):
    """退回: the report falls short; the branch reports again (its time limit runs on)."""
    item = _locked(user, item, REVIEW)
    _status_check(item, (Item.Status.REPORTED, Item.Status.DONE), _("该任务当前为“%(status)s”，不能退回。"))
    if not reason or not reason.strip():
        raise ValidationError({"reason": _("退回必须填写原因。")})
    item.status, item.reported_on, item.done_on = Item.Status.RETURNED, None, None
    _step(item, Step.Action.RETURNED, user, reason.strip())
    item = _saved(item, "status", "reported_on", "done_on")
    key = f"{item.pk}-{item.version}"
    transaction.on_commit(lambda: notify_event("dispatch.returned", item, key=key))
    return item


# --- more time ------------------------------------------------------------------------------------------------------


@transaction.atomic
def extension_ask(*, user, item, until, reason):
    """申请延期: the branch asks for a later deadline, with a reason; one request waits at a time."""
    item = _locked(user, item, CHANGE)
    _status_check(item, (*Item.OPEN,), _("该任务当前为“%(status)s”，无需延期。"))
    errors = {}
    if not reason or not reason.strip():
        errors["reason"] = _("申请延期必须填写理由。")
    if until is None or until <= item.deadline:
        errors["until"] = _("延期日期须晚于当前时限%(deadline)s。") % {"deadline": f"{item.deadline:%Y-%m-%d}"}
    if item.extensions.filter(state=Extension.State.ASKED).exists():
        errors["until"] = _("已有一条延期申请待审批。")
    if errors:
        raise ValidationError(errors)
    extension = Extension.objects.create(item=item, until=until, reason=reason.strip()[:300], asked_by=user)
    _step(item, Step.Action.EXTENSION_ASKED, user, f"{until:%Y-%m-%d}：{reason.strip()}")
    transaction.on_commit(lambda: notify_event("dispatch.extension_asked", extension))
    return extension


@transaction.atomic
def extension_decide(*, user, extension, grant, note=""):
    """The issuer (or the village's cadre) grants the request — the item's deadline moves — or refuses it."""
    item = _locked(user, extension.item, REVIEW)
    extension = Extension.objects.select_for_update().get(pk=extension.pk)
    if extension.state != Extension.State.ASKED:
        raise ValidationError({"state": _("该延期申请已审批。")})
    if not grant and not (note or "").strip():
        raise ValidationError({"note": _("不同意延期须说明理由。")})
    extension.state = Extension.State.GRANTED if grant else Extension.State.REFUSED
    extension.decided_by, extension.decided_at, extension.note = user, timezone.now(), (note or "").strip()[:300]
    extension.save(update_fields=["state", "decided_by", "decided_at", "note"])
    action = Step.Action.EXTENSION_GRANTED if grant else Step.Action.EXTENSION_REFUSED
    _step(item, action, user, extension.note or f"{extension.until:%Y-%m-%d}")
    if grant:
        item.deadline = extension.until
        item.yellow_on = selectors.yellow_from(item.deadline, item.task.near_days)
        _saved(item, "deadline", "yellow_on")
    transaction.on_commit(lambda: notify_event("dispatch.extension_decided", extension))
    return extension


# --- pressing and the cards -----------------------------------------------------------------------------------------


@transaction.atomic
def task_press(*, user, task):
    """催办: one click tells every branch that has not reported on the task; returns how many were pressed."""
    items = list(selectors.item_list(user, REVIEW).filter(task=task, status__in=Item.OPEN))
    if not items:
        return 0
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    Step.objects.bulk_create(Step(item=item, action=Step.Action.PRESSED, user=user) for item in items)
    for item in items:
        key = f"{item.pk}-{stamp}"
        transaction.on_commit(lambda item=item, key=key: notify_event("dispatch.pressed", item, key=key))
    return len(items)


def cards_notify(on=None):
    """Beat, daily: tell each branch (and its task's issuer) once when its item turns yellow and once when red;
    an extension gives a new deadline and so new cards."""
    on = on or timezone.localdate()
    sent = 0
    for code, condition in (("dispatch.yellow", selectors.yellow_q(on)), ("dispatch.red", selectors.red_q(on))):
        for item in Item.objects.filter(condition).select_related("task", "unit"):
            notify_event(code, item, key=f"{item.pk}-{item.deadline:%Y%m%d}")
            sent += 1
    return sent


# --- recurring tasks ------------------------------------------------------------------------------------------------

STEP_MONTHS = {Every.MONTH: 1, Every.QUARTER: 3}


def next_dates(task):
    """(issued on, deadline) of the occurrence after `task`: a week, a month or a quarter on."""
    if task.every == Every.WEEK:
        return task.issued_on + timedelta(weeks=1), task.deadline + timedelta(weeks=1)
    months = STEP_MONTHS[task.every]
    return _months_on(task.issued_on, months), _months_on(task.deadline, months)


def _months_on(day, months):
    month = add_months(day.replace(day=1), months)
    last = (add_months(month, 1) - month).days
    return month.replace(day=min(day.day, last))


@transaction.atomic
def tasks_repeat(on=None):
    """Beat, daily: each recurring task whose next occurrence is due by `on` is issued again to the same villages,
    with the same requirements; returns the occurrences issued."""
    on = on or timezone.localdate()
    issued = []
    for task in Task.objects.filter(is_cancelled=False).exclude(every=Every.NONE).filter(repeats__isnull=True):
        latest = task.occurrences.order_by("-issued_on").first() or task
        while True:
            issued_on, deadline = next_dates(latest)
            if issued_on > on:
                break
            latest = _occurrence(task, latest, issued_on, deadline)
            issued.append(latest)
    return issued


def _occurrence(root, latest, issued_on, deadline):
    copy = Task.objects.get(pk=latest.pk)
    copy.pk = copy.id = None
    copy.issued_on, copy.deadline, copy.repeats, copy._state.adding = issued_on, deadline, root, True
    copy.save()
    Measure.objects.bulk_create(Measure(task=copy, name=m.name, unit_label=m.unit_label, order=m.order)
                                for m in root.measures.all())  # fmt: skip
    villages = [item.unit for item in root.items.select_related("unit")]
    for item in _items_create(copy, villages, root.issued_by):
        transaction.on_commit(lambda item=item: notify_event("dispatch.issued", item))
    return copy
