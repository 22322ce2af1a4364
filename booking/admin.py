from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from booking.models import (
    Appointment,
    AppointmentEvent,
    AppointmentType,
    Clinic,
    Credential,
    Practitioner,
    TimeOff,
    WorkingHours,
)


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin[Clinic]):
    list_display = ["name", "time_zone", "jurisdiction", "phone"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["admins"]
    fieldsets = (
        (None, {"fields": ("name", "slug", "time_zone", "address", "phone", "email", "jurisdiction", "admins")}),
        (_("Language and country"), {"fields": ("language", "country")}),
        (_("Patients"), {"fields": ("age_of_majority",)}),
        (_("Records"), {"fields": ("retention_years", "retention_years_after_majority", "consent_validity_months")}),
        (
            _("Booking policy"),
            {
                "fields": (
                    "min_notice_minutes",
                    "max_advance_days",
                    "hold_minutes",
                    "cancellation_window_hours",
                    "slot_step_minutes",
                )
            },
        ),
    )


@admin.register(AppointmentType)
class AppointmentTypeAdmin(admin.ModelAdmin[AppointmentType]):
    list_display = ["name", "clinic", "duration_minutes", "involves_needling", "active"]
    list_filter = ["clinic", "involves_needling", "active"]


class WorkingHoursInline(admin.TabularInline[WorkingHours, Practitioner]):
    model = WorkingHours
    extra = 0


class CredentialInline(admin.StackedInline[Credential, Practitioner]):
    model = Credential
    extra = 0
    readonly_fields = ["verified_by", "verified_at"]


@admin.register(Practitioner)
class PractitionerAdmin(admin.ModelAdmin[Practitioner]):
    list_display = ["display_name", "user", "active"]
    list_filter = ["active", "clinics"]
    filter_horizontal = ["clinics", "appointment_types"]
    inlines = [WorkingHoursInline, CredentialInline]


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin[Credential]):
    list_display = ["practitioner", "kind", "jurisdiction", "number", "valid_until", "verified_at"]
    list_filter = ["kind", "jurisdiction"]
    readonly_fields = ["verified_by", "verified_at"]
    actions = ["mark_verified"]

    @admin.action(description=_("Mark as verified by me"))
    def mark_verified(self, request: HttpRequest, queryset: QuerySet[Credential]) -> None:
        queryset.update(verified_by=request.user, verified_at=timezone.now())


@admin.register(TimeOff)
class TimeOffAdmin(admin.ModelAdmin[TimeOff]):
    list_display = ["practitioner", "start", "end", "reason"]
    list_filter = ["practitioner"]


class AppointmentEventInline(admin.TabularInline[AppointmentEvent, Appointment]):
    model = AppointmentEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "action", "actor", "data"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin[Appointment]):
    """Read-only: appointments change only through booking.services, which audit."""

    list_display = ["start", "practitioner", "appointment_type", "status", "version"]
    list_filter = ["status", "clinic", "practitioner"]
    date_hierarchy = "start"
    search_fields = ["patient__legal_name", "patient__user__email"]
    inlines = [AppointmentEventInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
