"""The UIDs of the events Acus writes into practitioners' calendars.

A visit's copy keeps one UID for its whole life (moves and retries put the same event), and the
busy time read back from the same calendar must leave those copies out: the visit already blocks
its own time in Acus, and counting its copy as well would block the visit from being moved by
a few minutes, and keep a cancelled visit's time blocked until the next sync."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.conf import settings

PREFIX = "acus-visit-"


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or ""


def visit_uid(appointment_id: int) -> str:
    return f"{PREFIX}{appointment_id}@{_host()}"


def is_own_uid(uid: str) -> bool:
    """A copy this Acus wrote (another Acus, say a staging site on the same calendar, has
    another host: its copies are someone's busy time here)."""
    return re.fullmatch(rf"{re.escape(PREFIX)}\d+@{re.escape(_host())}", uid) is not None
