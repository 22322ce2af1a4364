"""Small factories: each makes one thing with sensible defaults."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Patient, User

_seq = itertools.count(1)
STAFF_PASSWORD = "correct horse battery staple"


def make_patient(email: str | None = None, **fields: Any) -> Patient:
    n = next(_seq)
    user = User.objects.create_user(email or f"patient{n}@example.com", role=User.Role.PATIENT)
    defaults: dict[str, Any] = {"legal_name": f"Patient Number{n}", "date_of_birth": date(1990, 1, 1)}
    return Patient.objects.create(user=user, **{**defaults, **fields})


def make_staff(role: User.Role = User.Role.PRACTITIONER, email: str | None = None, *, totp: bool = True) -> User:
    n = next(_seq)
    is_admin = role == User.Role.CLINIC_ADMIN
    user = User.objects.create_user(
        email or f"staff{n}@example.com", STAFF_PASSWORD, role=role, is_staff=is_admin, is_superuser=is_admin
    )
    if totp:
        TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return user


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
