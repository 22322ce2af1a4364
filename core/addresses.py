"""The caller's address: the one place that decides it, for limits, lockouts and records.

X-Forwarded-For is written by whoever sends the request, so it is believed only as far
as it was written by proxies we run. When the direct peer (REMOTE_ADDR) is one of
settings.TRUSTED_PROXIES, the caller is the right-most X-Forwarded-For entry that is not
itself a trusted proxy: each proxy appends the address it saw, so entries to the right
of the first untrusted one were written by us and everything to its left could be
forged. The left-most entry is never believed. With no trusted proxies (the default) the
header is ignored and the caller is REMOTE_ADDR.

Sign-in throttles (API and pages), django-axes (AXES_CLIENT_IP_CALLABLE) and the IP
stored with a signed consent or a consent access row all ask this function."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    # Settings are checked at start-up (config/settings.py); cached per value so tests
    # that override the setting get their own list.
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def from_trusted_proxy(request: Any) -> bool:
    """Whether the direct peer is one of TRUSTED_PROXIES (so its headers were written by us)."""
    peer = _parse(request.META.get("REMOTE_ADDR") or "")
    return peer is not None and _trusted(peer, _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()))))


def within(address: str, entries: tuple[str, ...]) -> bool:
    """Whether `address` (text) lies in one of the networks `entries` (addresses or CIDR ranges).
    An IPv4 address seen through an IPv6 socket (::ffff:10.0.0.5) counts as the IPv4 one."""
    parsed = _parse(address)
    if parsed is None:
        return False
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        parsed = parsed.ipv4_mapped
    return _trusted(parsed, _networks(entries))


def client_ip(request: Any) -> str | None:
    """The caller's address as text, or None when the server was told none.

    Takes a Django HttpRequest or a DRF Request (both carry META)."""
    peer = request.META.get("REMOTE_ADDR") or None
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    peer_address = _parse(peer) if peer else None
    if peer_address is None or not _trusted(peer_address, networks):
        return peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for entry in reversed(forwarded.split(",")):
        address = _parse(entry)
        if address is None:
            # Garbage our own proxy would not have written: stop believing the chain here.
            break
        if not _trusted(address, networks):
            return str(address)
    # Only proxies in the chain (or nothing usable): the nearest proxy is the best we know.
    return peer
