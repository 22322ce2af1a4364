"""Client keys: made, shown once, stored as a hash, checked in constant time, revoked."""

from __future__ import annotations

import hashlib
import hmac
import secrets as pysecrets

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from booking.models import Clinic
from interop.models import ClientKey, Scope

PREFIX = "acus_"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_key(*, clinic: Clinic, name: str, scopes: list[str], actor: User | None) -> tuple[ClientKey, str]:
    """A new key for `clinic`: the row, and the key itself, which is never stored or shown again."""
    unknown = set(scopes) - set(Scope.values)
    if not scopes or unknown:
        raise ValueError(f"unknown scopes: {sorted(unknown)}")
    prefix = pysecrets.token_hex(6)
    key = f"{PREFIX}{prefix}_{pysecrets.token_urlsafe(32)}"
    with transaction.atomic():
        row = ClientKey.objects.create(
            clinic=clinic, name=name, prefix=prefix, key_hash=_digest(key), scopes=sorted(set(scopes)), created_by=actor
        )
    return row, key


def revoke_key(*, key: ClientKey, actor: User | None) -> ClientKey:
    ClientKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now(), revoked_by=actor)
    key.refresh_from_db()
    return key


def key_for(presented: str) -> ClientKey | None:
    """The active key the caller presented, or None (unknown, malformed, revoked)."""
    if not presented.startswith(PREFIX):
        return None
    prefix, _, rest = presented[len(PREFIX) :].partition("_")
    if not prefix or not rest:
        return None
    row = ClientKey.objects.select_related("clinic").filter(prefix=prefix, revoked_at__isnull=True).first()
    if row is None or not hmac.compare_digest(row.key_hash, _digest(presented)):
        return None
    return row
