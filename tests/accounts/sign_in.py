"""Signing in as the accounts factories' people: the code a patient is emailed, and what a
staff member's authenticator app shows."""

from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User


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
