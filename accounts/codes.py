"""Patient sign-in codes: issued, checked and purged, kept only as keyed hashes.

One `SignInChallenge` row per address at most, whether or not the address has an
account: the row is all that starting a sign-in writes, so a stranger's address leaves
no User behind, and a known and an unknown address take the same path. The address is
kept as an HMAC under SECRET_KEY (so a leaked table cannot be matched against a list of
addresses without the key), and the code as an HMAC of the address hash and the code
(six digits would fall to a plain hash at once).

Tries: a growing delay after each wrong code (1 s, 2 s, 4 s ... as django-otp does, told
as 429 with Retry-After), and after PATIENT_CODE_MAX_FAILURES wrong codes the code is
cleared for good. A new code brings a fresh set of tries."""

from __future__ import annotations

import secrets
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from accounts.models import SignInChallenge, normalise_email

PURGE_AT_ONCE = 500


def email_hash(email: str) -> str:
    return salted_hmac("acus.accounts.sign-in-email", normalise_email(email), algorithm="sha256").hexdigest()


def _code_hash(hashed_email: str, code: str) -> str:
    return salted_hmac("acus.accounts.sign-in-code", f"{hashed_email}:{code}", algorithm="sha256").hexdigest()


def _validity() -> timedelta:
    return timedelta(seconds=settings.OTP_EMAIL_TOKEN_VALIDITY)


def _cooldown() -> timedelta:
    return timedelta(seconds=settings.OTP_EMAIL_COOLDOWN_DURATION)


def purge_expired(*, now: datetime) -> int:
    """Delete codes past their expiry (run on each new request, so the table stays small).

    Rows another request holds right now are skipped, not waited for."""
    stale = SignInChallenge.objects.select_for_update(skip_locked=True).filter(expires_at__lte=now)
    ids = list(stale.values_list("pk", flat=True)[:PURGE_AT_ONCE])
    if not ids:
        return 0
    return SignInChallenge.objects.filter(pk__in=ids).delete()[0]


def issue(hashed_email: str, *, now: datetime) -> str | None:
    """A new code for the address, with fresh tries; None while the last one is in its
    cooldown (or another request is sending one right now). Call inside a transaction,
    and send the code before it commits: a code that was not sent must not be kept."""
    challenge = SignInChallenge.objects.select_for_update().filter(email_hash=hashed_email).first()
    if challenge is not None and now < challenge.created_at + _cooldown():
        return None  # the last code is still fresh; another one invites confusion
    code = f"{secrets.randbelow(10**6):06d}"
    fields = {
        "code_hash": _code_hash(hashed_email, code),
        "created_at": now,
        "expires_at": now + _validity(),
        "failures": 0,
        "last_failure_at": None,
    }
    if challenge is None:
        try:
            with transaction.atomic():
                SignInChallenge.objects.create(email_hash=hashed_email, **fields)
        except IntegrityError:
            return None  # another request for this address got there first and is sending its code
    else:
        SignInChallenge.objects.filter(pk=challenge.pk).update(**fields)
    return code


@dataclass(frozen=True)
class Checked:
    """The outcome of a code check: `ok`, or refused (after `failures` wrong tries),
    or `wait` seconds still to wait after the last wrong one."""

    ok: bool = False
    failures: int | None = None
    wait: int | None = None


def check(hashed_email: str, code: str, *, now: datetime) -> Checked:
    """Check a code; a right one is used up at once. Call inside a transaction and let it
    commit even when the code is wrong, so that a wrong try always counts."""
    challenge = SignInChallenge.objects.select_for_update().filter(email_hash=hashed_email).first()
    if challenge is None or not challenge.code_hash or now >= challenge.expires_at:
        return Checked()
    if challenge.failures and challenge.last_failure_at is not None:
        delay = timedelta(seconds=settings.OTP_EMAIL_THROTTLE_FACTOR * 2 ** (challenge.failures - 1))
        locked_until = challenge.last_failure_at + delay
        if now < locked_until:
            return Checked(wait=max(1, int((locked_until - now).total_seconds()) + 1))
    if constant_time_compare(_code_hash(hashed_email, code), challenge.code_hash):
        challenge.delete()
        return Checked(ok=True)
    challenge.failures += 1
    challenge.last_failure_at = now
    if challenge.failures >= settings.PATIENT_CODE_MAX_FAILURES:
        challenge.code_hash = ""  # five wrong guesses: this code is dead, whatever its expiry
    challenge.save(update_fields=["failures", "last_failure_at", "code_hash"])
    return Checked(failures=challenge.failures)


# --- The email ---------------------------------------------------------------------------


class MailServerDown(Exception):
    """The mail server could not be reached or did not take the message; try again later."""


class AddressRefused(Exception):
    """The mail server refused the address itself: trying again will not help."""


def send_code(*, email: str, code: str, language: str | None = None) -> None:
    """Email the code, written in `language` (default: the active one, the asker's)."""
    with translation.override(language or translation.get_language()):
        context = {"token": code, "minutes": settings.OTP_EMAIL_TOKEN_VALIDITY // 60}
        message = EmailMultiAlternatives(
            subject=_("Your Acus sign-in code: %(code)s") % {"code": code},
            body=render_to_string(settings.OTP_EMAIL_BODY_TEMPLATE_PATH, context),
            from_email=settings.OTP_EMAIL_SENDER,
            to=[email],
        )
        html = render_to_string(settings.OTP_EMAIL_BODY_HTML_TEMPLATE_PATH, context)
    message.attach_alternative(html, "text/html")
    try:
        message.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        raise AddressRefused(_smtp_codes(exc)) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise MailServerDown(type(exc).__name__) from exc


def check_mail_server() -> None:
    """Connect to the mail server and leave, sending nothing: the work an address that
    gets no code does instead, so that an outage answers alike for every address."""
    try:
        with get_connection(fail_silently=False):
            pass
    except (smtplib.SMTPException, OSError) as exc:
        raise MailServerDown(type(exc).__name__) from exc


def _smtp_codes(exc: smtplib.SMTPRecipientsRefused) -> str:
    # The error names the address; logs get the server's codes only.
    return ", ".join(sorted({str(code) for code, _ in exc.recipients.values()}))
