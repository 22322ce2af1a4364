"""The UID of an Acus visit's copy in a practitioner's calendar: stable for the appointment's
life (a move updates the same event), and recognisable, so reading busy time skips Acus's own
copies (they are already busy in Acus, and would otherwise block the time a visit moves away from)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

_PREFIX = "acus-visit-"


def _domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "acus.invalid"


def visit_uid(appointment_id: int) -> str:
    return f"{_PREFIX}{appointment_id}@{_domain()}"


def is_own_uid(uid: str) -> bool:
    return uid.startswith(_PREFIX) and uid.endswith(f"@{_domain()}")
