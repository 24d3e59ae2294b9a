from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("月报与汇总")

    def ready(self):
        # Each work-line app declares itself once, in `<app>/workline.py` (reports/lines.py); reports never names it.
        autodiscover_modules("workline")
        post_migrate.connect(_after_migrate, sender=self)

        from branches.panels import register_panel

        from .close.services import register_guard
        from .dashboard.views import dashboard_panel
        from .monthly.panels import reports_panel
        from .today import today_panel

        register_panel(today_panel, order=0)  # what needs the user today, first on his home page
        register_panel(reports_panel, order=10)
        register_panel(dashboard_panel, order=15)  # the village's compact dashboard, below its reports
        register_guard()  # a ledger row of an approved month or a closed year: changed only with a reason


def _after_migrate(**kwargs):
    """Mirror the declared indicators, the case limits and the beat schedules into the database once the tables
    exist."""
    from .deadlines import sync_case_limits
    from .setup import ensure_schedules, sync_indicators

    sync_indicators(using=kwargs.get("using", "default"))
    sync_case_limits(using=kwargs.get("using", "default"))
    ensure_schedules()
