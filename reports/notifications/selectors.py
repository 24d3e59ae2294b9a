"""Reads of the notifications: the unread ones, a user's channels, the admins, and the deliveries due or in trouble."""

from django.db.models import OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from branches.models import User

from ..models import Delivery, Notification, NotificationChannel


def unread_notifications(user):
    return Notification.objects.filter(user=user, read_at__isnull=True)[:20]


def admin_users():
    return User.objects.filter(is_active=True).filter(Q(role=User.Role.ADMIN) | Q(is_superuser=True))


def user_channels(user):
    """The user's channels, each with its latest delivery's status, error and time (one query)."""
    latest = Delivery.objects.filter(channel=OuterRef("pk")).order_by("-created_at", "-pk")
    return (
        NotificationChannel.objects.filter(user=user)
        .annotate(
            last_status=Subquery(latest.values("status")[:1]),
            last_error=Subquery(latest.values("last_error")[:1]),
            last_at=Subquery(latest.values("created_at")[:1]),
        )
        .order_by("created_at", "pk")
    )


def user_channel(user, pk):
    """One of the user's own channels; anyone else's is a 404, as if it did not exist."""
    return get_object_or_404(NotificationChannel, user=user, pk=pk)


def deliveries_due(*, pending_grace, failed_grace, limit=500):
    """Ids of the deliveries the retry job should send again: failed ones whose next attempt is `failed_grace` past,
    and pending ones never sent `pending_grace` after they were made (their enqueue was lost)."""
    now = timezone.now()
    due = Q(status=Delivery.Status.FAILED, next_attempt_at__lte=now - failed_grace) | Q(
        status=Delivery.Status.PENDING, created_at__lte=now - pending_grace
    )
    return list(Delivery.objects.filter(due).order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])


def troubled_delivery_count():
    """Deliveries failed (to be retried) or abandoned: the admin's count on the notifications panel."""
    return Delivery.objects.filter(status__in=[Delivery.Status.FAILED, Delivery.Status.ABANDONED]).count()
