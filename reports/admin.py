from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Bulletin,
    BulletinRow,
    CaseLimit,
    ClosedYear,
    Delivery,
    Indicator,
    MonthlyReport,
    Notification,
    NotificationChannel,
    ReportEvent,
    ReportValue,
    Rollup,
)
from .notifications.services import deliveries_retry


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by code (the registry, the workflow, Celery): listed for reference, edited through the portal."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "unit", "work_line", "kind", "source", "min_value", "max_value", "target",
                    "is_active")  # fmt: skip
    list_filter = ("work_line", "kind", "source", "is_active")
    search_fields = ("code", "name")


class ReportValueInline(admin.TabularInline):
    model = ReportValue
    fields = ("indicator", "value", "approved_value", "flag")
    readonly_fields = fields
    extra = 0
    can_delete = False


class ReportEventInline(admin.TabularInline):
    model = ReportEvent
    fields = ("at", "action", "user", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(MonthlyReport)
class MonthlyReportAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ("unit", "work_line", "month", "status", "changed_since_approval", "submitted_at", "approved_at")
    list_filter = ("status", "work_line", "month", "changed_since_approval")
    search_fields = ("unit__name", "unit__code")
    list_select_related = ("unit",)
    inlines = [ReportValueInline, ReportEventInline]


@admin.register(Rollup)
class RollupAdmin(ReadOnlyAdmin):
    list_display = ("period", "unit", "indicator", "value")
    list_filter = ("period_type", "indicator__work_line")
    search_fields = ("period", "unit__name", "indicator__code")
    list_select_related = ("unit", "indicator")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("user", "message", "created_at", "read_at")
    list_filter = ("read_at",)
    search_fields = ("user__username", "message")


@admin.register(NotificationChannel)
class NotificationChannelAdmin(admin.ModelAdmin):
    """Users keep their own channels on their 通知渠道 page; the list masks a robot's webhook URL (it is its token)."""

    list_display = ("user", "kind", "masked_address", "is_active", "created_at")
    list_filter = ("kind", "is_active")
    search_fields = ("user__username", "user__first_name")
    list_select_related = ("user",)
    raw_id_fields = ("user",)

    @admin.display(description=_("地址"))
    def masked_address(self, obj):
        return obj.masked_address


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    """Each notification sent through each channel; failed or abandoned ones can be sent again (立即重试)."""

    list_display = ("created_at", "user", "kind", "status", "attempts", "last_error", "next_attempt_at", "sent_at")
    list_filter = ("status", "channel__kind")
    search_fields = ("channel__user__username", "notification__message")
    list_select_related = ("channel__user", "notification")
    actions = ("retry_now",)

    @admin.display(description=_("用户"), ordering="channel__user__username")
    def user(self, obj):
        return obj.channel.user

    @admin.display(description=_("渠道"), ordering="channel__kind")
    def kind(self, obj):
        return obj.channel.get_kind_display()

    @admin.action(description=_("立即重试"), permissions=["view"])
    def retry_now(self, request, queryset):
        count = deliveries_retry(queryset)
        message = _("已重新提交 %(n)s 条发送（只重试发送失败或已放弃的）。") % {"n": count}
        self.message_user(request, message, messages.INFO)


class BulletinRowInline(admin.TabularInline):
    model = BulletinRow
    fields = ("rank", "unit", "score", "colour", "reasons")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Bulletin)
class BulletinAdmin(ReadOnlyAdmin):
    """Built by Celery or the 月度通报 page (rebuild, publish there); listed here for reference."""

    list_display = ("unit", "month", "status", "as_of", "built_at", "built_by", "published_at")
    list_filter = ("status", "month")
    list_select_related = ("unit", "built_by")
    inlines = [BulletinRowInline]


@admin.register(ClosedYear)
class ClosedYearAdmin(admin.ModelAdmin):
    """Closing is done on the portal's page (reports/close/); deleting a row here reopens the year."""

    list_display = ("unit", "year", "closed_by", "closed_at", "reason")
    readonly_fields = ("unit", "year", "closed_by", "closed_at", "reason")

    def has_add_permission(self, request):
        return False


@admin.register(CaseLimit)
class CaseLimitAdmin(SimpleHistoryAdmin):
    """The default time limits: declared by the work lines, the days edited here (cases accepted from then on)."""

    list_display = ("label", "kind", "work_line", "days", "default_days", "is_active")
    list_editable = ("days",)
    list_filter = ("work_line", "is_active")
    fields = ("label", "kind", "work_line", "days", "default_days", "is_active")
    readonly_fields = ("label", "kind", "work_line", "default_days", "is_active")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
