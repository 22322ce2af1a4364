"""Reads for accounts: which second factors a staff member has."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts.models import User


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
