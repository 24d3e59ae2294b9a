"""Getting deliveries sent outside the request that made them.

With a broker (REDIS_URL), each delivery is a `deliver_notification` task, enqueued after the commit; a failed send
is retried by the task itself after the delivery's back-off. With the embedded default's in-process Celery there is no
worker to wait for: the deliveries go to one background thread after the commit, so a page never waits on a mail
server, and a failure only records its next attempt for the every-five-minutes retry job (no retry loop in-process).
Under the tests (`NOTIFY_IN_BACKGROUND` off) they are sent synchronously on commit.

The task lives here, not in tasks.py, for the reason rollup/queue.py gives: services enqueue it, and tasks.py imports
the services. Its registered name stays `reports.tasks.deliver_notification`."""

import logging
from concurrent.futures import ThreadPoolExecutor

from celery import shared_task
from django.conf import settings
from django.db import connections

from ..models import Delivery
from .delivery import delivery_attempt

logger = logging.getLogger(__name__)

# One thread, started on the first submit (not at import, so a server that forks its workers after loading the app
# gives each its own); one at a time is enough for a few notifications and keeps the sends in order.
_background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="notify")


@shared_task(name="reports.tasks.deliver_notification", bind=True, max_retries=None, acks_late=True)
def deliver_notification(self, delivery_id):
    """Send one delivery; if it failed and attempts remain, retry when its back-off is over (the delivery's own
    attempt count decides when to give up, so the task sets no limit of its own)."""
    outcome = delivery_attempt(delivery_id)
    if outcome is not None and outcome.status == Delivery.Status.FAILED and not self.request.is_eager:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.status if outcome else None


def dispatch(delivery_ids):
    """Hand the deliveries on, out of the current request: to the broker, or to the background thread."""
    delivery_ids = list(delivery_ids)
    if not delivery_ids:
        return
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        for delivery_id in delivery_ids:
            try:
                deliver_notification.delay(delivery_id)
            except Exception:  # noqa: BLE001 — the broker is down: the delivery stays pending for the retry job
                logger.exception("could not enqueue notification delivery %s; the retry job will", delivery_id)
        return
    if settings.NOTIFY_IN_BACKGROUND:
        _background.submit(_send_in_background, delivery_ids)
    else:
        _send_here(delivery_ids)


def _send_here(delivery_ids):
    for delivery_id in delivery_ids:
        delivery_attempt(delivery_id)


def _send_in_background(delivery_ids):
    try:
        _send_here(delivery_ids)
    except Exception:  # noqa: BLE001 — a thread's exception would vanish silently; the retry job picks them up
        logger.exception("notification deliveries %s failed in the background", delivery_ids)
    finally:
        connections.close_all()  # this thread's own connections; the request's are not touched
