"""Signing in as the accounts factories' people: the code a patient is emailed, what a staff
member's authenticator app shows, and clients already signed in (a patient's API token, a
staff session that passed password and TOTP)."""

from __future__ import annotations

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import Patient, User


def code_from_mail() -> str:
    """The 6-digit sign-in code in the newest email."""
    import re

    from django.core import mail

    match = re.search(r"\b(\d{6})\b", str(mail.outbox[-1].body))
    assert match, mail.outbox[-1].body
    return match.group(1)


def totp_now(user: User) -> str:
    """What the staff member's authenticator app shows right now."""
    import time

    from django_otp.oath import TOTP

    device = TOTPDevice.objects.get(user=user, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def api_as(patient: Patient) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=patient.user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def verified_staff_client(user: User, client: Client | None = None) -> Client:
    """A browser session that passed password and TOTP."""
    client = client or Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user, confirmed=True).persistent_id
    session.save()
    return client
