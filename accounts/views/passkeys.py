"""The passkey ceremonies: django-otp-webauthn's JSON endpoints, narrowed to staff.

A passkey is a second factor after the password, like a TOTP code: signing in with one
needs a staff session that passed the password, and adding one needs a session that is
already verified. Refusals come in Acus's error shape (the library's JavaScript reads
`detail`, which the shape has)."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp_webauthn import exceptions, views

from accounts import services
from accounts.models import AccountEvent, User
from accounts.permissions import is_verified_staff
from accounts.selectors import passkeys_of
from accounts.views.common import safe_next_url

SIGN_IN_FIRST = _("Sign in with your staff email and password first.")
VERIFY_FIRST = _("Confirm it is you with your authenticator app or a passkey first, then add a passkey.")


class _AcusErrors:
    def handle_exception(self, exc: Exception) -> HttpResponse:
        if isinstance(exc, exceptions.OTPWebAuthnApiError):
            return JsonResponse({"code": exc.code, "detail": str(exc), "fields": {}}, status=exc.status_code)
        raise exc


class _StaffRegistration:
    request: Any

    def check_can_register(self) -> None:
        if not is_verified_staff(self.request.user):
            raise exceptions.NotVerified(detail=str(VERIFY_FIRST))


class _StaffAuthentication:
    request: Any

    def check_can_authenticate(self) -> None:
        user = self.request.user
        if not (isinstance(user, User) and user.is_clinic_staff and user.is_active):
            raise exceptions.NotAuthenticated(detail=str(SIGN_IN_FIRST))


class BeginRegistration(_AcusErrors, _StaffRegistration, views.BeginCredentialRegistrationView):
    pass


class CompleteRegistration(_AcusErrors, _StaffRegistration, views.CompleteCredentialRegistrationView):
    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        # Failures are raised, and answered by handle_exception: this is a success.
        response: HttpResponse = super().post(*args, **kwargs)
        user = self.request.user
        passkey = passkeys_of(user).filter(pk=json.loads(response.content)["id"]).first()
        if passkey is not None:
            services.record_passkey_added(user, passkey)
        return response


class BeginAuthentication(_AcusErrors, _StaffAuthentication, views.BeginCredentialAuthenticationView):
    pass


class CompleteAuthentication(_AcusErrors, _StaffAuthentication, views.CompleteCredentialAuthenticationView):
    def complete_auth(self, device: Any) -> None:
        super().complete_auth(device)  # django-otp's login: this session is now verified
        services.record_staff_event(AccountEvent.Action.STAFF_OTP_VERIFIED, device.user, device=device.persistent_id)

    def get_success_url(self) -> str:
        return safe_next_url(self.request, reverse("accounts:staff-home"))
