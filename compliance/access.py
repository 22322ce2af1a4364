"""Who may use the audit pages: OTP-verified clinic admins, for their own clinics only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.decorators import staff_verified_required
from accounts.models import User
from booking.models import Clinic
from core.addresses import client_ip


@dataclass(frozen=True)
class AdminScope:
    """The signed-in admin and the clinics they audit; every query goes through it."""

    user: User
    clinics: tuple[Clinic, ...]
    ip_address: str | None

    @cached_property
    def slugs(self) -> list[str]:
        return [c.slug for c in self.clinics]

    @cached_property
    def by_slug(self) -> dict[str, Clinic]:
        return {c.slug: c for c in self.clinics}

    def clinic_of(self, scope: str) -> Clinic:
        return self.by_slug[scope]


AuditView = Callable[..., HttpResponse]


def clinic_admin_required(view: AuditView) -> AuditView:
    """Verified staff (or the sign-in), then the clinic-admin role (or 403); the view
    gets an AdminScope after the request."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        assert isinstance(user, User)  # staff_verified_required let only signed-in staff through
        if user.role != User.Role.CLINIC_ADMIN:
            return forbidden(request, _("The consent audit is for clinic admins."))
        clinics = tuple(Clinic.objects.filter(admins=user).order_by("name", "pk"))
        if not clinics:
            return forbidden(request, _("You are not an admin of any clinic yet. Ask another admin to add you."))
        return view(request, AdminScope(user, clinics, client_ip(request)), *args, **kwargs)

    return staff_verified_required(wrapper)


def forbidden(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "compliance/forbidden.html", {"reason": reason}, status=403)
