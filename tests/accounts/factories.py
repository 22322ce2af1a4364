"""Accounts factories: a patient and a staff member, each with sensible defaults.

Signing them in (an emailed code, a TOTP, a client with a token or a verified session) is in
tests/accounts/sign_in.py."""

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
