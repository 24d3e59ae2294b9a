from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import MeetingRule, PointRule


@admin.register(MeetingRule)
class MeetingRuleAdmin(SimpleHistoryAdmin):
    """The admin sets how often each kind of meeting is due (三会一课)."""

    list_display = ("kind", "every")
    list_editable = ("every",)


@admin.register(PointRule)
class PointRuleAdmin(SimpleHistoryAdmin):
    """The admin sets what each point source earns and its monthly cap (党员先锋积分)."""

    list_display = ("source", "points", "monthly_cap")
    list_editable = ("points", "monthly_cap")
