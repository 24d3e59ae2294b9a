from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def stamp_last_login(sender, user, **kwargs):
    """Django's own update_last_login, without a change-history row for every login (users keep a history of their
    role, unit and is_active, not of each login)."""
    from django.contrib.auth.models import update_last_login

    user.skip_history_when_saving = True
    try:
        update_last_login(sender, user, **kwargs)
    finally:
        del user.skip_history_when_saving


class BranchesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "branches"
    verbose_name = _("组织架构")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        if user_logged_in.disconnect(dispatch_uid="update_last_login"):
            user_logged_in.connect(stamp_last_login, dispatch_uid="update_last_login")
