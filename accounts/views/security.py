"""Staff sign-in security: the second factors on one's account (authenticator app,
passkeys, backup codes left), adding a passkey, and removing a factor but never the last."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import selectors, services
from accounts.decorators import staff_verified_required
from accounts.models import User


def _staff(request: HttpRequest) -> User:
    return cast(User, request.user)  # staff_verified_required lets only staff in


@staff_verified_required
def staff_security(request: HttpRequest) -> HttpResponse:
    factors = selectors.second_factors(_staff(request))
    context = {"factors": factors, "staff_section": "security", "can_remove": factors.count > 1}
    return render(request, "accounts/staff_security.html", context)


@require_POST
@staff_verified_required
def remove_passkey(request: HttpRequest, passkey_id: int) -> HttpResponse:
    user = _staff(request)
    try:
        removed = services.remove_passkey(user, passkey_id=passkey_id)
    except services.FactorError as error:
        messages.error(request, error.message)
    else:
        _keep_verified(request, user, [removed])
        messages.success(request, _("Passkey removed. It can no longer be used to sign in."))
    return redirect("accounts:staff-security")


@require_POST
@staff_verified_required
def remove_totp(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    try:
        removed = services.remove_totp(user)
    except services.FactorError as error:
        messages.error(request, error.message)
    else:
        _keep_verified(request, user, removed)
        messages.success(request, _("Authenticator app removed. Sign in with a passkey from now on."))
    return redirect("accounts:staff-security")


def _keep_verified(request: HttpRequest, user: User, removed: list[str]) -> None:
    """Removing the factor this session was verified with would sign the person out of
    the staff pages mid-task, though they did pass a second factor. The session is moved
    to a factor that remains (the library does the same when a passkey is added)."""
    if request.session.get(DEVICE_ID_SESSION_KEY) not in removed:
        return
    remaining: Device | None = selectors.passkeys_of(user).first()
    remaining = remaining or TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if remaining is not None:
        otp_login(request, remaining)
