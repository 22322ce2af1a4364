"""Start-up checks for calendar sync's settings (`manage.py check --deploy` shows them too)."""

from __future__ import annotations

from typing import Any

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register


@register()
def calendar_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    found: list[CheckMessage] = []
    for index, key in enumerate(k for k in settings.CALENDAR_KEYS if k.strip()):
        try:
            Fernet(key.strip().encode())
        except ValueError:
            found.append(
                Error(
                    f"CALENDAR_KEYS entry {index + 1} is not a Fernet key (32 url-safe base64-encoded bytes)",
                    hint='Make one with: python -c "from cryptography.fernet import Fernet; '
                    'print(Fernet.generate_key().decode())"',
                    id="calendars.E001",
                )
            )
    if not settings.DEBUG and settings.CALENDAR_ALLOW_PRIVATE_HOSTS:
        found.append(
            Warning(
                "CALENDAR_ALLOW_PRIVATE_HOSTS is on: a practitioner's calendar address can reach this "
                "server's own network (loopback, private and link-local addresses)",
                hint="Leave it off in production unless the clinic's CalDAV server is on its private network.",
                id="calendars.W001",
            )
        )
    if not settings.DEBUG and not any(k.strip() for k in settings.CALENDAR_KEYS):
        found.append(
            Warning(
                "CALENDAR_KEYS is not set: practitioners cannot connect their calendars",
                hint="Set CALENDAR_KEYS to a Fernet key (docs/ARCHITECTURE.md, Calendar sync).",
                id="calendars.W002",
            )
        )
    return found
