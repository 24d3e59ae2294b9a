"""The pages of 任务督办: thin, each asking the selectors and the services."""

import mimetypes
from pathlib import PurePath

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from branches.photos import photos_of

from . import selectors
from .models import Attachment


@login_required
def item_detail(request, pk):
    """One village's item: the task, what it must report, its card, its report and photos, and its history."""
    item = get_object_or_404(selectors.item_list(request.user), pk=pk)
    context = {
        "item": item,
        "task": item.task,
        "card": selectors.item_card(item),
        "figures": item.figures.select_related("measure"),
        "photos": photos_of(item),
        "steps": item.steps.select_related("user"),
    }
    return render(request, "dispatch/item_detail.html", context)


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
