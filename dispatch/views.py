"""The pages of 任务督办: thin, each asking the selectors and the services."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from branches.photos import photos_of

from . import selectors


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
