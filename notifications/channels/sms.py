"""Text messages behind a small interface: console, file, or an HTTP provider.

settings.SMS_BACKEND picks one ("console", "file", "http"). The HTTP adapter posts
JSON {"to", "from", "text"} to SMS_HTTP_URL with a bearer token and an
Idempotency-Key, so a provider that honours the key sends a retried message once."""

from __future__ import annotations

import json
import re
import sys
import threading
import urllib.error
import urllib.request
from datetime import UTC, datetime
from typing import Protocol

from django.conf import settings

from notifications.channels import TransportError

HTTP_TIMEOUT_SECONDS = 10
# Worth another try: the provider is busy, timed out, or failed on its side.
RETRYABLE_STATUS = frozenset({408, 425, 429})


class SmsBackend(Protocol):
    def send(self, *, to: str, text: str, idempotency_key: str) -> None:
        """Send or raise TransportError."""


class ConsoleSmsBackend:
    def send(self, *, to: str, text: str, idempotency_key: str) -> None:
        sys.stdout.write(f"--- SMS to {to} (key {idempotency_key}) ---\n{text}\n")
        sys.stdout.flush()


class FileSmsBackend:
    """One JSON line per message, appended to settings.SMS_FILE_PATH."""

    _lock = threading.Lock()

    def send(self, *, to: str, text: str, idempotency_key: str) -> None:
        line = json.dumps(
            {
                "at": datetime.now(UTC).isoformat(),
                "to": to,
                "from": settings.SMS_SENDER,
                "text": text,
                "key": idempotency_key,
            }
        )
        try:
            with self._lock, open(settings.SMS_FILE_PATH, "a", encoding="utf-8") as out:
                out.write(line + "\n")
        except OSError as exc:
            raise TransportError(f"cannot write {settings.SMS_FILE_PATH}: {exc}") from exc


class HttpSmsBackend:
    def __init__(self, url: str | None = None, token: str | None = None) -> None:
        self.url = url or settings.SMS_HTTP_URL
        self.token = settings.SMS_HTTP_TOKEN if token is None else token

    def send(self, *, to: str, text: str, idempotency_key: str) -> None:
        body = json.dumps({"to": to, "from": settings.SMS_SENDER, "text": text}).encode()
        headers = {"Content-Type": "application/json", "Idempotency-Key": idempotency_key}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")  # noqa: S310
        try:
            # SMS_HTTP_URL must be http(s): the settings refuse to start otherwise.
            with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_SECONDS) as response:  # noqa: S310  # nosec B310
                response.read()
        except urllib.error.HTTPError as exc:
            # Providers often echo the number back: mask anything that looks like one.
            detail = re.sub(r"\+?\d[\d\s().-]{5,}\d", "[number]", exc.read(500).decode(errors="replace"))
            permanent = 400 <= exc.code < 500 and exc.code not in RETRYABLE_STATUS
            raise TransportError(f"SMS provider answered {exc.code}: {detail}", permanent=permanent) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise TransportError(f"SMS provider unreachable: {exc}") from exc


BACKENDS: dict[str, type[ConsoleSmsBackend | FileSmsBackend | HttpSmsBackend]] = {
    "console": ConsoleSmsBackend,
    "file": FileSmsBackend,
    "http": HttpSmsBackend,
}


def get_backend() -> SmsBackend:
    return BACKENDS[settings.SMS_BACKEND]()


def send_sms(*, notification_id: int, to: str, text: str) -> None:
    if not to:
        raise TransportError("no phone number", permanent=True)
    get_backend().send(to=to, text=text, idempotency_key=str(notification_id))
