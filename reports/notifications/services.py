"""Writes of the notifications: `notify` (the one way to tell people something: in the portal, and through each
one's channels), its callers for reports and work-line events, the user's own channels, and the retries.

A notification is made once per (user, key); each one made now gets a Delivery per active channel of its user, sent
after the commit (queue.py), never inside the request."""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import User

from .. import worklines
from ..models import Delivery, Notification, NotificationChannel
from . import inbox, queue, selectors

# The retry job leaves a failed delivery to its own Celery retry for this long past its due time (a worker is on it),
# and a pending one this long after it was made (its enqueue may still be on its way).
WORKER_GRACE = timedelta(minutes=5)


def notify(users, *, message, url="", key):
    """Tell each user `message` (with a link to `url`), once per `key`: in the portal, and through his active
    channels after the commit. Returns the notifications made now."""
    created = inbox.notifications_create(users, message=message, url=url, key=key)
    if not created:
        return created
    channels = {}
    for channel in NotificationChannel.objects.filter(user_id__in={n.user_id for n in created}, is_active=True):
        channels.setdefault(channel.user_id, []).append(channel)
    now = timezone.now()
    deliveries = Delivery.objects.bulk_create(
        [Delivery(notification=n, channel=c, next_attempt_at=now) for n in created for c in channels.get(n.user_id, ())]
    )
    if deliveries:
        transaction.on_commit(partial(queue.dispatch, [delivery.pk for delivery in deliveries]))
    return created


def notify_event(code, obj, key=None):
    """Tell the people a work line's notification event names about `obj`, once per `key` (the object's id unless the
    caller gives another, e.g. a date for a repeated 催办)."""
    event = worklines.notification_event(code)
    suffix = obj.pk if key is None else key
    return notify(
        event.recipients(obj),
        message=str(event.message(obj)),
        url=event.url(obj) if event.url else "",
        key=f"{code}-{suffix}",
    )


def notify_unit_secretaries(report, message, key):
    url = reverse("reports:entry", args=[report.unit_id, report.work_line, report.month_key])
    secretaries = User.objects.filter(role=User.Role.SECRETARY, unit=report.unit, is_active=True)
    return notify(secretaries, message=message, url=url, key=key)


def notify_admins(message, key, url=""):
    """Tell every active admin (the nightly check's findings); each notification once per key."""
    return notify(selectors.admin_users(), message=message, url=url, key=key)


def notification_mark_read(*, user, notification_ids):
    Notification.objects.filter(user=user, pk__in=notification_ids, read_at__isnull=True).update(read_at=timezone.now())


# --- a user's own channels ---------------------------------------------------------------------------------------


def channel_save(*, user, kind, address, is_active=True, channel=None):
    """Add a channel for `user`, or change his `channel`; a bad address raises ValidationError (in Chinese)."""
    if channel is None:
        channel = NotificationChannel(user=user)
    elif channel.user_id != user.pk:
        raise NotificationChannel.DoesNotExist
    channel.kind, channel.address, channel.is_active = kind, address, is_active
    channel.full_clean(exclude=["user"])
    channel.save()
    return channel


def channel_switch(*, user, channel, is_active):
    """Switch his channel on or off. Off always works; on checks the address again (the allowed robot hosts may have
    narrowed since it was saved) and raises ValidationError if it no longer passes."""
    if channel.user_id != user.pk:
        raise NotificationChannel.DoesNotExist
    channel.is_active = is_active
    if is_active:
        channel.full_clean(exclude=["user"])
    channel.save(update_fields=["is_active"])
    return channel


def channel_delete(*, user, channel):
    if channel.user_id != user.pk:
        raise NotificationChannel.DoesNotExist
    channel.delete()


def channel_test(*, user):
    """A test message to the user himself, through every active channel (each test is a new notification)."""
    stamp = timezone.now()
    return notify(
        [user],
        message=_("这是一条测试消息（%(time)s）：您的通知渠道可以收到井字镇党建工作平台的提醒。")
        % {"time": timezone.localtime(stamp).strftime("%m-%d %H:%M:%S")},
        url=reverse("reports:notification_channels"),
        key=f"channel-test-{stamp:%Y%m%d%H%M%S%f}",
    )


# --- retries -----------------------------------------------------------------------------------------------------


def deliveries_retry_due():
    """The retry job: send again the failed deliveries whose next attempt is due, and the pending ones whose enqueue
    was lost. In-process (eager) Celery has no task retries, so there a failed one is due as soon as its time comes;
    with a worker, its own retry comes first. Returns how many were handed on."""
    eager = settings.CELERY_TASK_ALWAYS_EAGER
    due = selectors.deliveries_due(pending_grace=WORKER_GRACE, failed_grace=timedelta(0) if eager else WORKER_GRACE)
    queue.dispatch(due)
    return len(due)


def deliveries_retry(deliveries):
    """The admin's 立即重试: the chosen failed or abandoned deliveries are due now (an abandoned one gets one more
    attempt) and handed on after the commit. Returns how many."""
    retry = Delivery.Status.FAILED, Delivery.Status.ABANDONED
    ids = list(deliveries.filter(status__in=retry).values_list("pk", flat=True))
    Delivery.objects.filter(pk__in=ids, status__in=retry).update(status=Delivery.Status.FAILED,
                                                                  next_attempt_at=timezone.now())  # fmt: skip
    if ids:
        transaction.on_commit(partial(queue.dispatch, ids))
    return len(ids)
