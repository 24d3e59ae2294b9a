from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "governance"
    verbose_name = _("支部+基层治理")

    def ready(self):
        from branches.panels import register_panel

        from .panels import governance_panel

        register_panel(governance_panel, order=40)
