"""Calendar credentials, encrypted at rest with Fernet (the cryptography library).

CALENDAR_KEYS lists url-safe base64 Fernet keys, newest first: the first encrypts, every one
decrypts (MultiFernet). To rotate: put a new key first (`python -c "from cryptography.fernet
import Fernet; print(Fernet.generate_key().decode())"`), restart, run
`manage.py rotate_calendar_keys` (re-encrypts every connection with the first key), then drop the
old key. With DEBUG on and no keys set, a key derived from SECRET_KEY lets `make run` and the
tests work; without DEBUG there is no fallback, and connecting a calendar is refused until keys
are set (calendars.secrets.configured)."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import TypedDict

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class Credentials(TypedDict, total=False):
    url: str  # CalDAV: the chosen calendar; ICS: the secret address
    username: str
    password: str
    account: str  # CalDAV: the address the practitioner typed (server, principal or calendar)


class NotConfigured(Exception):
    """CALENDAR_KEYS is empty outside DEBUG."""


def _keys() -> list[bytes]:
    keys = [k.strip().encode() for k in settings.CALENDAR_KEYS if k.strip()]
    if not keys and settings.DEBUG:
        digest = hashlib.sha256(b"acus-calendar-dev-key:" + settings.SECRET_KEY.encode()).digest()
        keys = [base64.urlsafe_b64encode(digest)]
    return keys


def configured() -> bool:
    return bool(_keys())


def _fernet() -> MultiFernet:
    keys = _keys()
    if not keys:
        raise NotConfigured("CALENDAR_KEYS is not set")
    return MultiFernet([Fernet(k) for k in keys])


def seal(credentials: Credentials) -> str:
    return _fernet().encrypt(json.dumps(dict(credentials)).encode()).decode("ascii")


def unseal(token: str) -> Credentials:
    try:
        data = json.loads(_fernet().decrypt(token.encode("ascii")))
    except InvalidToken as exc:
        # Never the token itself in the message.
        raise NotConfigured("the stored calendar credentials do not open with CALENDAR_KEYS") from exc
    return Credentials(
        url=data["url"],
        username=data.get("username", ""),
        password=data.get("password", ""),
        account=data.get("account") or data["url"],
    )


def rotate(token: str) -> str:
    """The same credentials, encrypted with the first key."""
    return _fernet().rotate(token.encode("ascii")).decode("ascii")
