"""Reads for accounts: which second factors a staff member has; whose phone format a patient types."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts.models import Patient, User


@dataclass(frozen=True)
class SecondFactors:
    totp: bool
    passkeys: list[WebAuthnCredential]
    backup_codes_left: int

    @property
    def count(self) -> int:
        """Factors that can verify a sign-in on their own; backup codes are a fallback, not one."""
        return int(self.totp) + len(self.passkeys)


def passkeys_of(user: User) -> QuerySet[WebAuthnCredential]:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at", "pk")


def second_factors(user: User) -> SecondFactors:
    return SecondFactors(
        totp=TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        passkeys=list(passkeys_of(user)),
        backup_codes_left=StaticToken.objects.filter(device__user=user, device__confirmed=True).count(),
    )


def has_second_factor(user: User) -> bool:
    """Whether the password step leads to verification (else to TOTP enrolment)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists() or passkeys_of(user).exists()


def _per_user_count(queryset: QuerySet[WebAuthnCredential] | QuerySet[StaticToken], user_field: str) -> Coalesce:
    counted = queryset.order_by().values(user_field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_second_factors(users: QuerySet[User]) -> QuerySet[User]:
    """Users annotated with `has_totp`, `passkey_count` and `backup_codes_left`, in one query
    (the admin's user list shows them)."""
    return users.annotate(
        has_totp=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        passkey_count=_per_user_count(WebAuthnCredential.objects.filter(user=OuterRef("pk"), confirmed=True), "user"),
        backup_codes_left=_per_user_count(
            StaticToken.objects.filter(device__user=OuterRef("pk"), device__confirmed=True), "device__user"
        ),
    )


def phone_region(patient: Patient | None) -> str | None:
    """Whose national format a phone number typed on the patient's own details is read in:
    the country of the clinic of their most recent appointment, else the first clinic's,
    else None (the number must then start with its country code).

    Clinics are booking's; accounts sits below it, so they are reached through the
    appointments relation and the app registry, not imported."""
    if patient is not None and patient.pk is not None:
        recent = patient.appointments.order_by("-created_at", "-pk")
        country = recent.values_list("clinic__country", flat=True).first()
        if country:
            return str(country)
    try:
        clinic_model = apps.get_model("booking", "Clinic")
    except LookupError:
        return None
    first = clinic_model.objects.order_by("pk").values_list("country", flat=True).first()
    return str(first) if first else None
