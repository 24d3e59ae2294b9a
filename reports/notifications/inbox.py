"""The in-app half of a notification: one row per (user, key), whatever the channels. Both `services.notify` and the
delivery's give-up notice to the admins write through here (the latter without channels, so a broken channel cannot
set off a loop of notices about notices)."""

from ..models import Notification


def notifications_create(users, *, message, url="", key):
    """Create each user's notification once per key; return the ones created now (an existing one is not repeated)."""
    created = []
    for user in users:
        notification, is_new = Notification.objects.get_or_create(
            user=user, key=key[:120], defaults={"message": message[:300], "url": url[:300]}
        )
        if is_new:
            created.append(notification)
    return created
