"""Writes of the in-app notifications: tell a unit's secretaries about their report; mark notifications read."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from branches.models import User

from ..models import Notification


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
