from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndustryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "industry"
    verbose_name = _("支部+产业发展")
