from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notifications import services, wording
from notifications.models import ClinicNotificationSettings, MessageTemplate, Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = [
        "id",
        "kind",
        "channel",
        "status",
        "language",
        "appointment",
        "appointment_version",
        "plan",
        "for_day",
        "due_at",
        "attempts",
    ]
    list_filter = ["status", "kind", "channel", "language"]
    # A course message names its plan (and book next also the last visit it follows).
    search_fields = ["=appointment__id", "appointment__patient__user__email", "=plan__id", "plan__patient__user__email"]
    date_hierarchy = "due_at"
    ordering = ["-due_at", "-id"]
    list_select_related = ["appointment__appointment_type", "plan"]
    actions = ["retry"]
    readonly_fields = [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # rows come from booking changes only

    def has_delete_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False  # the outbox is the record of what was sent

    @admin.action(description=_("Retry the selected failed messages"))
    def retry(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        count = services.retry_failed(ids)
        skipped = len(ids) - count
        queued = ngettext("%(count)d message queued again.", "%(count)d messages queued again.", count)
        self.message_user(request, queued % {"count": count}, messages.SUCCESS)
        if skipped:
            left = ngettext(
                "%(count)d was not failed and was left alone.",
                "%(count)d were not failed and were left alone.",
                skipped,
            )
            self.message_user(request, left % {"count": skipped}, messages.WARNING)


@admin.register(ClinicNotificationSettings)
class ClinicNotificationSettingsAdmin(admin.ModelAdmin[ClinicNotificationSettings]):
    list_display = ["clinic", "pre_visit_hours", "reminder_email_hours", "reminder_sms_hours", "max_attempts"]
    fieldsets = (
        (None, {"fields": ("clinic",)}),
        (
            _("When messages go"),
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
        (_("Text messages"), {"fields": ("quiet_start", "quiet_end")}),
        (_("Delivery"), {"fields": ("max_attempts",)}),
        (_("Aftercare wording"), {"fields": ("heat_or_ice_advice",)}),
    )


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin[MessageTemplate]):
    """A clinic's wording and its translations: who translated, who reviewed it and when, and
    whether its source changed since. Saving goes through notifications.wording."""

    list_display = [
        "kind",
        "channel",
        "clinic",
        "language",
        "source",
        "subject",
        "translator",
        "reviewer",
        "reviewed_at",
        "out_of_date",
        "updated_at",
    ]
    list_filter = ["kind", "channel", "language", "out_of_date", "clinic"]
    list_select_related = ["clinic", "reviewer", "source__clinic"]
    raw_id_fields = ["source", "reviewer"]
    readonly_fields = ["out_of_date", "updated_at"]
    fieldsets = (
        (None, {"fields": ("clinic", "kind", "channel", "language", "source")}),
        (_("Wording"), {"fields": ("subject", "text", "html")}),
        (_("Translation"), {"fields": ("translator", "reviewer", "reviewed_at", "out_of_date", "updated_at")}),
    )
    actions = ["mark_reviewed"]

    def save_model(
        self, request: HttpRequest, obj: MessageTemplate, form: ModelForm[MessageTemplate], change: bool
    ) -> None:
        wording.save_template(obj)

    @admin.action(description=_("Mark the selected translations as reviewed by me"))
    def mark_reviewed(self, request: HttpRequest, queryset: QuerySet[MessageTemplate]) -> None:
        translations = list(queryset.filter(source__isnull=False))
        for translation in translations:
            wording.review_translation(translation, reviewer=request.user)  # type: ignore[arg-type]
        done = ngettext(
            "%(count)d translation marked reviewed.", "%(count)d translations marked reviewed.", len(translations)
        )
        self.message_user(request, done % {"count": len(translations)}, messages.SUCCESS)
