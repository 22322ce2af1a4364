"""Typed readers for environment variables that fail loudly on bad values.

A typo in production configuration should stop the service at start-up with a
message naming the variable, never run with a silently different value.
"""

from __future__ import annotations

import ipaddress
import os
from ipaddress import ip_address
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class ConfigError(Exception):
    """Raised at start-up for a missing or malformed setting."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envstr(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ConfigError(f"{name} must be set")
        return default
    return value


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ConfigError(f"{name} must be one of 1/0/true/false/yes/no/on/off, not {raw!r}")


def envint(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, not {value}")
    return value


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def envchoice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = envstr(name, default)
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def envzone(name: str, default: str) -> str:
    value = envstr(name, default)
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{name} must be an IANA time zone, not {value!r}") from None
    return value


def check_secret_key(key: str) -> str:
    """Refuse the kinds of key Django's own deploy check calls insecure."""
    if len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure-"):
        raise ConfigError(
            "SECRET_KEY must be a random string of at least 50 characters "
            "(python -c 'import secrets; print(secrets.token_urlsafe(64))')"
        )
    return key


def check_networks(name: str, entries: list[str]) -> list[str]:
    """IP addresses or CIDR ranges, e.g. for TRUSTED_PROXIES; a typo would trust nobody, or everybody."""
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ConfigError(f"{name} must list IP addresses or CIDR ranges, not {entry!r}") from None
    return entries


_DEV_ANCHOR_KEY = "dev-only-anchor-key-not-secret-" + "Jq4vX8mN2rT6wZ0b" * 2


def anchor_keys(*, debug: bool) -> tuple[list[str], bool]:
    """The keys that sign the consent chains' checkpoints, and whether they are the dev key.
    ANCHOR_KEYS lists keys during a rotation (the first signs, every one verifies); ANCHOR_KEY
    is the one-key form. With DEBUG off a missing or weak key stops the service."""
    keys = envlist("ANCHOR_KEYS", []) or ([envstr("ANCHOR_KEY")] if envstr("ANCHOR_KEY", "") else [])
    if not keys and debug:
        return [_DEV_ANCHOR_KEY], True
    if not keys or any(len(key) < 32 for key in keys):
        raise ConfigError("ANCHOR_KEY must be set to a random string of at least 32 characters when DEBUG is off")
    return keys, False


def passkey_site(site_url: str) -> tuple[str, str]:
    """The relying party id and origin passkeys are bound to, from SITE_URL.

    Browsers refuse an IP address as a relying party id, and offer passkeys only in a
    secure context: https, or http on localhost. So the default 127.0.0.1 becomes
    localhost, and a plain-http public host means the https origin it is served on."""
    site = urlsplit(site_url)
    host = site.hostname or "localhost"
    try:
        ip_address(host)
        host = "localhost"
    except ValueError:
        pass
    scheme = "http" if host == "localhost" and site.scheme == "http" else "https"
    port = f":{site.port}" if site.port else ""
    return host, f"{scheme}://{host}{port}"
