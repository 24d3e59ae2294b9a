"""Writes of the in-app notifications: tell a unit's secretaries about their report; mark notifications read."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from branches.models import User

from ..models import Notification


def notify(users, *, message, url="", key):
    """Tell each of `users` once per `key` (in the portal)."""
    for user in users:
        Notification.objects.get_or_create(user=user, key=key[:120], defaults={"message": message[:300], "url": url})


def notify_event(code, obj, key=None):
    """Tell the people a work line's (or plug-in's) notification event names about `obj`, once per its key."""
    from .. import worklines

    event = worklines.notification_event(code)
    url = event.url(obj) if event.url else ""
    notify(event.recipients(obj), message=str(event.message(obj)), url=url, key=key or f"{code}-{obj.pk}")


def notify_unit_secretaries(report, message, key):
    url = reverse("reports:entry", args=[report.unit_id, report.work_line, report.month_key])
    for user in User.objects.filter(role=User.Role.SECRETARY, unit=report.unit, is_active=True):
        Notification.objects.get_or_create(user=user, key=key, defaults={"message": message[:300], "url": url})


def notify_admins(message, key, url=""):
    """Tell every active admin (the nightly check's findings); each notification once per key."""
    admins = User.objects.filter(is_active=True).filter(Q(role=User.Role.ADMIN) | Q(is_superuser=True))
    for user in admins:
        Notification.objects.get_or_create(user=user, key=key, defaults={"message": message[:300], "url": url})


def notification_mark_read(*, user, notification_ids):
    Notification.objects.filter(user=user, pk__in=notification_ids, read_at__isnull=True).update(read_at=timezone.now())
