"""Demo people for `manage.py seed_demo`. Idempotent: a second run changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import Patient, User

DEMO_PASSWORD = "demo-needling-2026"  # noqa: S105 - public on purpose, DEBUG only
PATIENT_EMAIL = "patient@example.com"
STAFF = [
    ("admin@example.com", User.Role.CLINIC_ADMIN),
    ("alex.morgan@example.com", User.Role.PRACTITIONER),
    ("priya.shah@example.com", User.Role.PRACTITIONER),
    ("tom.becker@example.com", User.Role.PRACTITIONER),
]


@dataclass
class StaffSignIn:
    email: str
    role: str
    totp_secret: str
    backup_codes: list[str] = field(default_factory=list)


def seed_people() -> tuple[Patient, list[StaffSignIn]]:
    user, _ = User.objects.get_or_create(email=PATIENT_EMAIL, defaults={"role": User.Role.PATIENT})
    patient, _ = Patient.objects.get_or_create(
        user=user,
        defaults={
            "legal_name": "Jamie Rivera",
            "preferred_name": "Jamie",
            "date_of_birth": date(1988, 5, 14),
            "phone": "+447911123456",
        },
    )
    return patient, [_seed_staff(email, role) for email, role in STAFF]


def _seed_staff(email: str, role: User.Role) -> StaffSignIn:
    user = User.objects.filter(email=email).first()
    if user is None:
        is_admin = role == User.Role.CLINIC_ADMIN
        user = User.objects.create_user(email, DEMO_PASSWORD, role=role, is_staff=is_admin, is_superuser=is_admin)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
        services.replace_backup_codes(user)
    codes = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    return StaffSignIn(
        email=email,
        role=str(role.label),
        totp_secret=services.base32_secret(device).replace(" ", ""),
        backup_codes=codes,
    )
