"""Credential expiry: who is warned, and the clinic admins' email, sent once.

A practitioner sees a warning from EXPIRY_WARNING_DAYS before a dry-needling
credential ends (unless a verified renewal takes over the next day). The admins'
email is planned as a row per credential and expiry date, committed, then claimed
and sent at most once (workspace/tasks.py runs this daily)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from booking.models import Clinic, Credential, CredentialExpiryNotice, Practitioner, PractitionerEvent
from core import formats
from core.language import supported

log = logging.getLogger(__name__)

EXPIRY_WARNING_DAYS = 30
# A worker that claimed a notice and died lets another try after this.
NOTICE_LEASE = timedelta(minutes=10)


def is_renewed(credential: Credential, others: Iterable[Credential]) -> bool:
    """A verified credential of the same kind and place takes over the day after this one ends."""
    if credential.valid_until is None:
        return True
    next_day = credential.valid_until + timedelta(days=1)
    return any(other.pk != credential.pk and other.covers(next_day, credential.jurisdiction) for other in others)


def expiring_credentials(*, today: date, practitioner: Practitioner | None = None) -> list[Credential]:
    """Dry-needling credentials that end within EXPIRY_WARNING_DAYS (or have ended
    in that time) with no renewal on record."""
    window = Q(valid_until__gte=today - timedelta(days=EXPIRY_WARNING_DAYS)) & Q(
        valid_until__lte=today + timedelta(days=EXPIRY_WARNING_DAYS)
    )
    candidates = Credential.objects.filter(window, kind=Credential.Kind.DRY_NEEDLING).select_related("practitioner")
    if practitioner is not None:
        candidates = candidates.filter(practitioner=practitioner)
    found = list(candidates)
    siblings = Credential.objects.filter(
        practitioner_id__in={c.practitioner_id for c in found}, kind=Credential.Kind.DRY_NEEDLING
    )
    by_practitioner: dict[int, list[Credential]] = {}
    for sibling in siblings:
        by_practitioner.setdefault(sibling.practitioner_id, []).append(sibling)
    return [c for c in found if not is_renewed(c, by_practitioner.get(c.practitioner_id, []))]


def _notice_recipients(credential: Credential) -> list[str]:
    clinics = Clinic.objects.filter(practitioners=credential.practitioner_id, jurisdiction=credential.jurisdiction)
    admins = User.objects.filter(administered_clinics__in=clinics, is_active=True).distinct()
    emails = sorted({u.email for u in admins})
    return emails or sorted({c.email for c in clinics if c.email})


def plan_expiry_notices(*, today: date) -> list[int]:
    """Write a notice row for each credential that expires within the warning time
    and has none for that date; return every notice not sent yet. Sending happens
    after this transaction commits (send_expiry_notice)."""
    for credential in expiring_credentials(today=today):
        if credential.valid_until is None or credential.valid_until < today:
            continue  # already ended: the notice was due before, not now
        try:
            with transaction.atomic():
                notice = CredentialExpiryNotice.objects.create(
                    credential=credential,
                    valid_until=credential.valid_until,
                    recipients=_notice_recipients(credential),
                )
                PractitionerEvent.objects.create(
                    practitioner=credential.practitioner,
                    action=PractitionerEvent.Action.CREDENTIAL_EXPIRY_NOTICE,
                    data={"credential": credential.pk, "valid_until": credential.valid_until.isoformat()},
                )
        except IntegrityError:
            continue  # planned before, or by a run on another worker just now
        log.info("credential expiry notice %s planned", notice.pk)
    unsent = CredentialExpiryNotice.objects.filter(sent_at__isnull=True, valid_until__gte=today)
    return list(unsent.order_by("pk").values_list("pk", flat=True))


def send_expiry_notice(notice_id: int, *, now: datetime | None = None) -> bool:
    """Send one notice, at most once: claim it (compare-and-set with a lease), send,
    mark it sent. Returns False when there was nothing to do."""
    now = now or timezone.now()
    claimable = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - NOTICE_LEASE)
    claimed = CredentialExpiryNotice.objects.filter(claimable, pk=notice_id, sent_at__isnull=True).update(
        claimed_at=now
    )
    if not claimed:
        return False
    notice = CredentialExpiryNotice.objects.select_related("credential__practitioner").get(pk=notice_id)
    if notice.recipients:
        try:
            # Each admin reads it in their own language: one message per language.
            for language, recipients in _by_language(notice.recipients).items():
                with translation.override(language):
                    send_mail(*_notice_message(notice, today=now.date()), recipient_list=recipients)
        except Exception:
            # Let the next run try again at once, rather than after the lease.
            CredentialExpiryNotice.objects.filter(pk=notice_id, claimed_at=now).update(claimed_at=None)
            raise
    else:
        log.warning("credential expiry notice %s has nobody to send to", notice_id)
    CredentialExpiryNotice.objects.filter(pk=notice_id).update(sent_at=timezone.now())
    return True


def _by_language(emails: list[str]) -> dict[str | None, list[str]]:
    """The recipients grouped by their stored language (None: not chosen, or a clinic's address)."""
    chosen = dict(User.objects.filter(email__in=emails).values_list("email", "language"))
    groups: dict[str | None, list[str]] = {}
    for email in emails:
        groups.setdefault(supported(chosen.get(email)), []).append(email)
    return groups


def _notice_message(notice: CredentialExpiryNotice, *, today: date) -> tuple[str, str, str]:
    credential = notice.credential
    name = credential.practitioner.display_name
    days = (notice.valid_until - today).days
    until = formats.long_date(notice.valid_until)
    subject = _("%(name)s's dry-needling credential expires on %(until)s") % {"name": name, "until": until}
    details = {
        "name": name,
        "kind": credential.get_kind_display().lower(),
        "number": credential.number,
        "issuer": credential.issuer,
        "where": credential.jurisdiction,
        "until": until,
        "days": days,
    }
    body = "\n".join(
        [
            ngettext(
                "%(name)s's %(kind)s (number %(number)s, issued by %(issuer)s, %(where)s) expires on %(until)s, "
                "in %(days)s day.",
                "%(name)s's %(kind)s (number %(number)s, issued by %(issuer)s, %(where)s) expires on %(until)s, "
                "in %(days)s days.",
                days,
            )
            % details,
            "",
            _(
                "After that date %(name)s cannot be booked for dry needling until a renewed credential "
                "is recorded and verified."
            )
            % {"name": name},
            "",
            _("Record the renewal here: %(link)s")
            % {"link": f"{settings.SITE_URL}/admin/booking/credential/{credential.pk}/change/"},
        ]
    )
    return subject, body, settings.DEFAULT_FROM_EMAIL
