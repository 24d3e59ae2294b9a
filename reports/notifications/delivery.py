"""One attempt at a delivery, and what follows from it: sent; failed, to be tried again after a growing pause; or,
after the last attempt, abandoned, and the admins told in the portal.

The send happens with the delivery's row locked (`select_for_update`) and only while it is pending, or failed and due:
a second worker, the retry job or an admin's 立即重试 reaching the same delivery waits, then finds it sent and leaves
it, so a notification is never sent twice through one channel."""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ..models import Delivery
from . import inbox, selectors, senders

logger = logging.getLogger(__name__)

RETRY_CAP_SECONDS = 3600
DUE_SLACK_SECONDS = 5


@dataclass(frozen=True)
class Outcome:
    status: str
    retry_in: float = 0  # seconds until the next attempt, when failed


def retry_delay(attempts):
    """Seconds to wait after the `attempts`-th failure: base, 2×base, 4×base, … at most an hour."""
    return min(settings.NOTIFY_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), RETRY_CAP_SECONDS)


def due_q():
    """Pending, or failed and its pause over. A copy of the task that comes early (Redis hands an ETA task out again
    after its visibility timeout; the retry job and the task's own retry may cross) finds nothing to do, so it cannot
    spend an attempt before its time; a few seconds' slack allows for the clocks of the worker hosts."""
    soon = timezone.now() + timedelta(seconds=DUE_SLACK_SECONDS)
    return Q(status=Delivery.Status.PENDING) | Q(status=Delivery.Status.FAILED, next_attempt_at__lte=soon)


def delivery_attempt(delivery_id):
    """Send the delivery once, if it is still to be sent and due; return its Outcome (None when there was nothing to
    do: sent already, abandoned, or not yet due)."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("notification", "channel")
            .filter(due_q(), pk=delivery_id)
            .first()
        )
        if delivery is None:
            return None
        if not delivery.channel.is_active:
            return _record(delivery, Delivery.Status.ABANDONED, error="渠道已停用")
        try:
            senders.send(delivery.channel, delivery.notification)
        except Exception as error:  # noqa: BLE001 — whatever the channel did, the delivery is failed, not stuck
            reason = str(error) if isinstance(error, senders.SendError) else f"发送出错：{type(error).__name__}"
            return _failed(delivery, reason)
        delivery.status, delivery.sent_at, delivery.last_error = Delivery.Status.SENT, timezone.now(), ""
        delivery.attempts += 1
        delivery.next_attempt_at = None
        delivery.save(update_fields=["status", "sent_at", "last_error", "attempts", "next_attempt_at"])
        return Outcome(Delivery.Status.SENT)


def _failed(delivery, reason):
    delivery.attempts += 1
    logger.warning("notification delivery %s (%s) failed, attempt %s: %s",
                   delivery.pk, delivery.channel.kind, delivery.attempts, reason)  # fmt: skip
    if delivery.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        outcome = _record(delivery, Delivery.Status.ABANDONED, error=reason)
        _tell_admins(delivery)
        return outcome
    delay = retry_delay(delivery.attempts)
    delivery.next_attempt_at = timezone.now() + timedelta(seconds=delay)
    _record(delivery, Delivery.Status.FAILED, error=reason)
    return Outcome(Delivery.Status.FAILED, retry_in=delay)


def _record(delivery, status, *, error):
    delivery.status, delivery.last_error = status, error[:200]
    if status == Delivery.Status.ABANDONED:
        delivery.next_attempt_at = None
    delivery.save(update_fields=["status", "last_error", "attempts", "next_attempt_at"])
    return Outcome(status)


def _tell_admins(delivery):
    """An in-app notice only: through the channels, a broken one could keep telling about itself."""
    channel = delivery.channel
    message = (
        f"通知发送已放弃（{delivery.attempts} 次均失败）：{channel.user} 的{channel.get_kind_display()}，"
        f"最近错误：{delivery.last_error}"
    )
    url = reverse("admin:reports_delivery_changelist") + "?status__exact=abandoned"
    key = f"delivery-abandoned-{delivery.pk}"
    inbox.notifications_create(selectors.admin_users(), message=message, url=url, key=key)
