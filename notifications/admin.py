from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from notifications import services
from notifications.models import ClinicNotificationSettings, MessageTemplate, Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ["id", "kind", "channel", "status", "appointment", "appointment_version", "due_at", "attempts"]
    list_filter = ["status", "kind", "channel"]
    search_fields = ["=appointment__id", "appointment__patient__user__email"]
    date_hierarchy = "due_at"
    ordering = ["-due_at", "-id"]
    list_select_related = ["appointment__appointment_type"]
    actions = ["retry"]
    readonly_fields = [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # rows come from booking changes only

    def has_delete_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False  # the outbox is the record of what was sent

    @admin.action(description="Retry the selected failed messages")
    def retry(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        count = services.retry_failed(ids)
        skipped = len(ids) - count
        self.message_user(request, f"{count} message(s) queued again.", messages.SUCCESS)
        if skipped:
            self.message_user(request, f"{skipped} were not failed and were left alone.", messages.WARNING)


@admin.register(ClinicNotificationSettings)
class ClinicNotificationSettingsAdmin(admin.ModelAdmin[ClinicNotificationSettings]):
    list_display = ["clinic", "pre_visit_hours", "reminder_email_hours", "reminder_sms_hours", "max_attempts"]
    fieldsets = (
        (None, {"fields": ("clinic",)}),
        (
            "When messages go",
            {
                "fields": (
                    "pre_visit_hours",
                    "reminder_email_hours",
                    "reminder_sms_hours",
                    "aftercare_minutes",
                    "checkin_hours",
                    "checkin_link_days",
                )
            },
        ),
        ("Text messages", {"fields": ("quiet_start", "quiet_end")}),
        ("Delivery", {"fields": ("max_attempts",)}),
        ("Aftercare wording", {"fields": ("heat_or_ice_advice",)}),
    )


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin[MessageTemplate]):
    list_display = ["kind", "channel", "clinic", "subject", "updated_at"]
    list_filter = ["kind", "channel", "clinic"]
