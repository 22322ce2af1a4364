"""The sign-in code's own limit: per email address, whoever asks."""

from __future__ import annotations

import hashlib
from typing import Any

from rest_framework.throttling import SimpleRateThrottle

from accounts.models import normalise_email
from core.throttling import Throttle

EMAIL_SCOPE = "sign_in_email"


def email_bucket(email: str) -> str:
    # Hashed: the key lives in Redis, and an address is personal data.
    digest = hashlib.sha256(normalise_email(email).encode()).hexdigest()
    return SimpleRateThrottle.cache_format % {"scope": EMAIL_SCOPE, "ident": digest}


class SignInEmailThrottle(Throttle):
    """Codes per email address, whoever asks: one address cannot be flooded with mail
    from many machines. (The sign_in_start scope limits each machine.)"""

    scope = EMAIL_SCOPE

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        email = request.data.get("email") if isinstance(request.data, dict) else None
        if not isinstance(email, str) or not email.strip():
            return None  # the serializer will refuse it
        return email_bucket(email)
