"""Who sees which clinic's consent records in the admin, and the read-only base admin."""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from accounts.models import User

_M = TypeVar("_M", bound=Model)


class ReadOnlyAdmin(admin.ModelAdmin[_M]):
    actions = None

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def scopes_of(request: HttpRequest) -> list[str] | None:
    """The clinic slugs a non-superuser administers (None: all). The relation is booking's,
    reached by name so that consent never imports booking."""
    user = request.user
    if getattr(user, "is_superuser", False):
        return None
    clinics = getattr(user, "administered_clinics", None)
    return list(clinics.values_list("slug", flat=True)) if clinics is not None else []


def runs_a_clinic(request: HttpRequest) -> bool:
    user = request.user
    return getattr(user, "role", None) == User.Role.CLINIC_ADMIN and bool(scopes_of(request))
