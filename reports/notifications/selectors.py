"""Reads of the in-app notifications."""

from ..models import Notification


def unread_notifications(user):
    return Notification.objects.filter(user=user, read_at__isnull=True)[:20]
