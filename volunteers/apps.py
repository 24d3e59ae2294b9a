from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "volunteers"
    verbose_name = _("支部+文明实践")

    def ready(self):
        from branches.panels import register_panel

        from .panels import volunteers_panel

        register_panel(volunteers_panel, order=50)
