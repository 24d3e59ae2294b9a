"""The notification pages: mark one's notifications read (they are listed on the reports panel)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from ..pages import next_url
from . import services


@login_required
@require_POST
def notifications_read(request):
    services.notification_mark_read(user=request.user, notification_ids=request.POST.getlist("notification"))
    return redirect(next_url(request, reverse("home")))
