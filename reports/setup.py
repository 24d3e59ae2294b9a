"""What the app sets up after `migrate`: the declared indicators and the beat schedules mirrored into the database."""

from django.conf import settings

from . import worklines
from .models import Indicator
from .registry import registry


def sync_indicators(using="default"):
    """Mirror the declared indicators into the database (the admin and the API list them; values refer to them)."""
    declared = registry.all()
    existing = {indicator.code: indicator for indicator in Indicator.objects.using(using).all()}
    for position, spec in enumerate(declared):
        fields = {
            "name": spec.name, "unit": spec.unit, "work_line": spec.work_line, "kind": spec.kind,
            "source": spec.source, "min_value": spec.min_value, "max_value": spec.max_value, "target": spec.target,
            "sort_order": position, "is_active": True,
        }  # fmt: skip
        indicator = existing.get(spec.code)
        if indicator is None:
            Indicator.objects.using(using).create(code=spec.code, **fields)
        elif any(getattr(indicator, name) != value for name, value in fields.items()):
            Indicator.objects.using(using).filter(pk=indicator.pk).update(**fields)
    Indicator.objects.using(using).exclude(code__in=[spec.code for spec in declared]).update(is_active=False)


SCHEDULES = (
    # (name, task, crontab fields) — admins may change the times in the admin; names stay.
    ("汇总：每晚全量重算", "reports.tasks.rollup_full", {"minute": "30", "hour": "1"}),
    ("月报：每月 1 日生成上月草稿", "reports.tasks.open_month", {"minute": "0", "hour": "2", "day_of_month": "1"}),
    ("月报：每晚按台账重算自动生成的数值", "reports.tasks.refresh_derived", {"minute": "0", "hour": "1"}),
    ("月结：每晚核查本年已审核月份的台账变动", "reports.tasks.check_closed_months", {"minute": "45", "hour": "0"}),
    ("月报：每日催报", "reports.tasks.send_reminders", {"minute": "0", "hour": "8"}),
    ("汇总：补做未能入队的汇总", "reports.tasks.rollup_pending", {"minute": "*/10"}),
    ("通知：重发发送失败的提醒", "reports.tasks.retry_deliveries", {"minute": "*/5"}),
    ("通报：截止日次日生成上月月度通报", "reports.tasks.build_bulletins",
     {"minute": "0", "hour": "6", "day_of_month": str(min(settings.REPORT_DEADLINE_DAY + 1, 28))}),
)


def declared_schedules():
    """(name, task, crontab fields) of the core's schedules, then those the work lines and plug-ins declare
    (`schedules` on their WorkLine: reports never names their apps)."""
    declared = [(schedule.name, schedule.task, schedule.crontab) for schedule in worklines.hooks("schedules")]
    return [*SCHEDULES, *declared]


def ensure_schedules():
    """Create the beat schedules once (django-celery-beat keeps them in the database, editable in the admin)."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    for name, task, fields in declared_schedules():
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        crontab, _created = CrontabSchedule.objects.get_or_create(timezone=settings.TIME_ZONE, **fields)
        PeriodicTask.objects.create(name=name, task=task, crontab=crontab)
