"""The secret calendar feed's token: rotate (a new one, shown once; only its hash is kept) or revoke."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from booking.models import (
    Practitioner,
    PractitionerEvent,
)

# --- Calendar feed ----------------------------------------------------------------------------


def feed_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def rotate_feed_token(practitioner: Practitioner, *, actor: User) -> str:
    """A new secret feed address; the old one stops working at once. The token is
    returned to show once: only its hash is kept."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        had_one = Practitioner.objects.filter(pk=practitioner.pk, feed_token_hash__isnull=False).exists()
        Practitioner.objects.filter(pk=practitioner.pk).update(
            feed_token_hash=feed_token_hash(token), feed_token_created_at=timezone.now()
        )
        PractitionerEvent.objects.create(
            practitioner=practitioner,
            action=PractitionerEvent.Action.FEED_ROTATED,
            actor=actor,
            data={"replaced": had_one},
        )
    practitioner.refresh_from_db(fields=["feed_token_hash", "feed_token_created_at"])
    return token


def revoke_feed_token(practitioner: Practitioner, *, actor: User) -> None:
    with transaction.atomic():
        revoked = Practitioner.objects.filter(pk=practitioner.pk, feed_token_hash__isnull=False).update(
            feed_token_hash=None, feed_token_created_at=None
        )
        if revoked:
            PractitionerEvent.objects.create(
                practitioner=practitioner, action=PractitionerEvent.Action.FEED_REVOKED, actor=actor
            )
    practitioner.refresh_from_db(fields=["feed_token_hash", "feed_token_created_at"])
