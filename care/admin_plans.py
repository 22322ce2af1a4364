"""Read-only admin for plans of care and their status history. Plans change only through
care.services.plans (the status history is append-only in PostgreSQL too), so nobody adds,
changes or deletes here. Imported by care/admin.py."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from booking.models import Clinic
from care.models import CarePlan, CarePlanStatusChange


class CarePlanStatusChangeInline(admin.TabularInline[CarePlanStatusChange, CarePlan]):
    model = CarePlanStatusChange
    extra = 0
    can_delete = False
    fields = ("at", "from_status", "to_status", "by", "note")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CarePlan)
class CarePlanAdmin(admin.ModelAdmin[CarePlan]):
    list_display = ["patient", "practitioner", "clinic", "body_region", "sessions_planned", "review_on", "status"]
    list_filter = ["status", "clinic", "body_region"]
    list_select_related = ["patient", "practitioner", "clinic"]
    date_hierarchy = "created_at"
    search_fields = ["patient__legal_name", "patient__user__email", "problem"]
    inlines = [CarePlanStatusChangeInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[CarePlan]:
        # A clinic admin sees the plans of the clinics they run, as in the workspace.
        found = super().get_queryset(request)
        if getattr(request.user, "is_superuser", False):
            return found
        return found.filter(clinic__in=Clinic.objects.filter(admins=request.user.pk).values("pk"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
