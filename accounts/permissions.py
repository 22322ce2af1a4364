from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request


def is_verified_staff(user: Any) -> bool:
    """A clinic staff member whose session passed the second factor.

    Token-authenticated users never have `is_verified` (only django-otp's
    middleware adds it to session users), so a patient token cannot pass."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_clinic_staff", False):
        return False
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


class IsVerifiedStaff(BasePermission):
    message = _("Staff endpoints need a staff session verified with a one-time code.")

    def has_permission(self, request: Request, view: Any) -> bool:
        from rest_framework.authentication import SessionAuthentication

        return isinstance(request.successful_authenticator, SessionAuthentication) and is_verified_staff(request.user)


class IsPatient(BasePermission):
    message = _("This endpoint is for patients.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and hasattr(user, "patient"))
