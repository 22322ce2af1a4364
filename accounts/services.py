"""Writes for accounts: patient code sign-in, staff TOTP enrolment, profiles."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential
from django_stubs_ext import StrOrPromise
from rest_framework.authtoken.models import Token

from accounts import codes as sign_in_codes
from accounts import selectors
from accounts.models import AccountEvent, Patient, User, normalise_email
from core.language import supported

log = logging.getLogger(__name__)


class SignInError(Exception):
    """The code was refused; `code` is a stable machine-readable reason."""

    def __init__(self, code: str, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retry_after = retry_after


class CodeNotSent(Exception):
    """The sign-in code email could not be sent, and nothing was kept: the patient is
    told at once and asks again (see docs/ARCHITECTURE.md, Sign-in, for why not later)."""

    message = gettext_lazy("We could not send the email just now; try again in a minute.")
    retry_after = 60


class AddressRefused(Exception):
    """The mail server refused the address itself: asking again will not help."""

    message = gettext_lazy("We could not send an email to this address. Check it, or use another one.")


def _record(action: AccountEvent.Action, user: User | None, *, email_hash: str = "", **data: Any) -> None:
    AccountEvent.objects.create(action=action, user=user, email_hash=email_hash, data=data)


def start_patient_sign_in(*, email: str, language: str | None = None) -> None:
    """Email a 6-digit code. Known and unknown addresses take the same path (a hashed
    challenge, no User row until the code is verified), so neither the answer nor its
    timing tells a stranger who has an account. Raises CodeNotSent or AddressRefused when
    the email did not go: the patient must not wait for a code that will never come.

    The email is written in `language`, the one the person asked in (default: the active
    one); it is not stored anywhere, as nothing else is for an address without an account."""
    email = normalise_email(email)
    hashed = sign_in_codes.email_hash(email)
    now = timezone.now()
    try:
        with transaction.atomic():
            sign_in_codes.purge_expired(now=now)
            user = User.objects.filter(email=email).first()
            if user is not None and (user.is_clinic_staff or not user.is_active):
                # Staff sign in with password + TOTP; a code would bypass it.
                log.info("patient sign-in refused for a staff or inactive account")
                sign_in_codes.check_mail_server()
                return
            code = sign_in_codes.issue(hashed, now=now)
            if code is None:
                return  # a code is already on its way
            # Inside the transaction: if the email does not go, the challenge is not kept.
            sign_in_codes.send_code(email=email, code=code, language=language)
            _record(AccountEvent.Action.PATIENT_CODE_SENT, user, email_hash=hashed)
    except sign_in_codes.MailServerDown as exc:
        log.warning("sign-in code email could not be sent (%s)", exc)
        raise CodeNotSent from exc
    except sign_in_codes.AddressRefused as exc:
        log.info("sign-in code email refused by the mail server (SMTP %s)", exc)
        raise AddressRefused from exc


def verify_patient_code(*, email: str, code: str, language: str = "") -> tuple[User, str]:
    """Check the code; on success return the patient (created now, on first use) and an
    API token. `language` (the one they signed in with) becomes theirs if they have none.

    Failures are recorded and committed before the refusal is raised, so a
    rejected guess always counts towards the throttle."""
    email = normalise_email(email)
    hashed = sign_in_codes.email_hash(email)
    refused = SignInError("invalid_code", _("That code is not right, or it has expired. Ask for a new one."))
    with transaction.atomic():
        checked = sign_in_codes.check(hashed, code, now=timezone.now())
        user = User.objects.filter(email=email).first()
        if checked.wait is not None:
            refusal = SignInError(
                "too_many_attempts",
                _("Too many wrong codes. Wait a moment and try again."),
                retry_after=checked.wait,
            )
        elif not checked.ok:
            if checked.failures is not None:
                _record(AccountEvent.Action.PATIENT_CODE_REJECTED, user, email_hash=hashed, failures=checked.failures)
            refusal = refused
        elif user is not None and (user.is_clinic_staff or not user.is_active):
            refusal = refused  # became staff or was closed since the code was sent
        else:
            return _sign_in_patient(email, user, email_hash=hashed, language=language)
    raise refusal


def _sign_in_patient(email: str, user: User | None, *, email_hash: str, language: str) -> tuple[User, str]:
    language = supported(language) or ""
    if user is None:
        user = User.objects.create_user(email, role=User.Role.PATIENT, language=language)
    _, created = Patient.objects.get_or_create(user=user)
    if created:
        _record(AccountEvent.Action.PATIENT_CREATED, user, email_hash=email_hash)
    user.last_login = timezone.now()
    update = ["last_login"]
    if not user.language and language:
        # Signed in before languages were stored: the one they use now is the best guess.
        user.language = language
        update.append("language")
    user.save(update_fields=update)
    token, _ = Token.objects.get_or_create(user=user)
    _record(AccountEvent.Action.PATIENT_SIGNED_IN, user, email_hash=email_hash)
    return user, token.key


def set_language(user: User, *, language: str) -> bool:
    """Store the language of the person's pages and of everything Acus sends them.
    False (nothing stored) for a language Acus does not speak."""
    chosen = supported(language)
    if chosen is None:
        return False
    if user.language != chosen:
        user.language = chosen
        user.save(update_fields=["language"])
    return True


PROFILE_FIELDS = ("legal_name", "preferred_name", "date_of_birth", "phone", "time_zone", "notify_email", "notify_sms")


def update_patient_profile(patient: Patient, *, changes: dict[str, Any]) -> Patient:
    """Apply already-validated changes and keep a record of which fields changed."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    with transaction.atomic():
        patient = Patient.objects.select_for_update().get(pk=patient.pk)
        changed = [name for name, value in changes.items() if getattr(patient, name) != value]
        for name in changed:
            setattr(patient, name, changes[name])
        if changed:
            patient.full_clean()
            patient.save(update_fields=[*changed, "updated_at"])
            # Names of fields only: values are personal data and stay out of the audit.
            _record(AccountEvent.Action.PROFILE_UPDATED, patient.user, fields=changed)
    return patient


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


# --- Staff: TOTP enrolment and backup codes -------------------------------------------


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    backup_codes: list[str]


def pending_totp_device(user: User) -> TOTPDevice:
    """The unconfirmed device a staff member is enrolling; made on first visit."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def confirm_totp_enrolment(user: User, *, code: str) -> Enrolment | None:
    """Confirm the pending device with a code from the app and issue backup codes."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-id").first()
        if device is None or not device.verify_token(code):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = replace_backup_codes(user)
        _record(AccountEvent.Action.STAFF_TOTP_ENROLLED, user)
    return Enrolment(device=device, backup_codes=codes)


def replace_backup_codes(user: User) -> list[str]:
    """Issue a fresh set of one-time backup codes; the old set stops working."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="Backup codes", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.STAFF_BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


# --- Staff: removing a second factor ----------------------------------------------------


class FactorError(Exception):
    """A factor cannot be removed; `code` is a stable machine-readable reason."""

    def __init__(self, code: str, message: StrOrPromise) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


LAST_FACTOR = FactorError(
    "last_factor",
    gettext_lazy(
        "This is the only way you have left to confirm it is you at sign-in. "
        "Add a passkey or an authenticator app first, then remove this one."
    ),
)


def remove_passkey(user: User, *, passkey_id: int) -> str:
    """Remove one of the user's passkeys, never the last factor; returns its device id."""
    with transaction.atomic():
        # One removal at a time per person: two tabs cannot each remove "the other" factor.
        User.objects.select_for_update().get(pk=user.pk)
        passkey = selectors.passkeys_of(user).filter(pk=passkey_id).first()
        if passkey is None:
            raise FactorError("not_found", _("That passkey is not on your account. It may already be removed."))
        if selectors.second_factors(user).count <= 1:
            raise LAST_FACTOR
        persistent_id = passkey.persistent_id
        passkey.delete()
        _record(AccountEvent.Action.STAFF_PASSKEY_REMOVED, user, device=persistent_id)
    return persistent_id


def remove_totp(user: User) -> list[str]:
    """Turn off the authenticator app, only while a passkey remains; returns the device ids."""
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        factors = selectors.second_factors(user)
        if not factors.totp:
            raise FactorError("not_found", _("There is no authenticator app on your account."))
        if factors.count <= 1:
            raise LAST_FACTOR
        devices = list(TOTPDevice.objects.filter(user=user))
        persistent_ids = [device.persistent_id for device in devices]  # gone with the pk on delete
        for device in devices:
            device.delete()
        _record(AccountEvent.Action.STAFF_TOTP_REMOVED, user)
    return persistent_ids


def record_passkey_added(user: User, passkey: WebAuthnCredential) -> None:
    _record(AccountEvent.Action.STAFF_PASSKEY_ADDED, user, device=passkey.persistent_id)


def has_confirmed_totp(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def record_staff_event(action: AccountEvent.Action, user: User, **data: Any) -> None:
    _record(action, user, **data)


def base32_secret(device: TOTPDevice) -> str:
    """The key as authenticator apps expect it typed in, in groups of four."""
    from base64 import b32encode

    raw = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))
