"""Fetching from practitioners' calendars: the one way Acus opens a connection to an outside server.

Addresses come from practitioners, so a fetch must not become a way into the clinic's own
network (server-side request forgery). Every connection resolves the host itself, refuses it
when any of its addresses is loopback, private, link-local, multicast or otherwise not global,
and then connects to the address it checked, so a DNS answer that changes between the check and
the connection (rebinding) cannot slip through; redirects are followed by hand, each hop checked
the same way. TLS is verified (urllib3's default context and the system's CAs); plain http:// is
refused. CALENDAR_ALLOW_PRIVATE_HOSTS lifts both rules for the tests' loopback servers and must
never be set in production. Bodies are capped at CALENDAR_FETCH_MAX_BYTES (decoded size, so a
compressed bomb stops too) and a whole fetch, redirects included, at CALENDAR_FETCH_SECONDS.

Nothing here logs a URL, a header or a body: an ICS address's path is its secret, and the
Authorization header carries the app password (urllib3's own debug lines are silenced in
config/log_config.py)."""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NameResolutionError,
    NewConnectionError,
    ReadTimeoutError,
    SSLError,
)
from urllib3.util import connection as socket_helpers

from calendars.models import Connection

Failure = Connection.Failure

_REDIRECTS = {301, 302, 303, 307, 308}
_MAX_REDIRECTS = 3
_CHUNK = 64 * 1024
USER_AGENT = "Acus calendar sync"


class FetchError(Exception):
    """A fetch that did not give an answer. The message is a fixed phrase: never the URL."""

    def __init__(self, failure: str, status: int | None = None) -> None:
        super().__init__(f"calendar fetch failed: {failure}" + (f" (HTTP {status})" if status else ""))
        self.failure = failure
        self.status = status


@dataclass
class Response:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes


class _RefusedAddress(Exception):
    """Raised inside a connection attempt; not an OSError, so urllib3 lets it through untouched."""


def address_allowed(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is loopback too
    if settings.CALENDAR_ALLOW_PRIVATE_HOSTS:
        return True
    return ip.is_global and not (ip.is_multicast or ip.is_reserved)


class _CheckedConnectionMixin:
    """Resolve, check every address, connect to a checked one (urllib3's own _new_conn, checked)."""

    _dns_host: str
    port: int
    timeout: Any
    source_address: Any
    socket_options: Any
    host: str

    def _new_conn(self) -> socket.socket:
        try:
            infos = socket.getaddrinfo(self._dns_host, self.port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise NameResolutionError(self.host, self, exc) from exc  # type: ignore[arg-type]
        addresses = [info[4][0] for info in infos]
        if not addresses or not all(address_allowed(str(a)) for a in addresses):
            raise _RefusedAddress
        last: OSError | None = None
        for address in dict.fromkeys(addresses):
            try:
                return socket_helpers.create_connection(
                    (str(address), self.port),
                    self.timeout,
                    source_address=self.source_address,
                    socket_options=self.socket_options,
                )
            except TimeoutError as exc:
                raise ConnectTimeoutError(self, "connect timeout") from exc
            except OSError as exc:
                last = exc
        assert last is not None
        raise last


class _CheckedHTTPConnection(_CheckedConnectionMixin, HTTPConnection):
    pass


class _CheckedHTTPSConnection(_CheckedConnectionMixin, HTTPSConnection):
    pass


class _CheckedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection


class _CheckedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection


def _pool_manager() -> urllib3.PoolManager:
    manager = urllib3.PoolManager(num_pools=20, maxsize=2, cert_reqs="CERT_REQUIRED", retries=False)
    manager.pool_classes_by_scheme = {"http": _CheckedHTTPPool, "https": _CheckedHTTPSPool}
    return manager


_manager = _pool_manager()


def check_url(url: str) -> str:
    """The URL to fetch, or FetchError(REFUSED_ADDRESS) for a scheme or form Acus does not fetch.
    webcal:// (what calendar apps hand out for subscriptions) is read as https://."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme == "webcal":
        parts, scheme = parts._replace(scheme="https"), "https"
    allowed = {"https", "http"} if settings.CALENDAR_ALLOW_PRIVATE_HOSTS else {"https"}
    if scheme not in allowed or not parts.hostname or parts.username or parts.password:
        raise FetchError(Failure.REFUSED_ADDRESS)
    return parts.geturl()


def request(
    method: str,
    url: str,
    *,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    username: str = "",
    password: str = "",
    max_bytes: int | None = None,
    seconds: float | None = None,
) -> Response:
    """One request, redirects followed (each hop checked). HTTP error statuses are answers, not
    exceptions: the caller knows what a 404 means for it."""
    limit = max_bytes or settings.CALENDAR_FETCH_MAX_BYTES
    deadline = time.monotonic() + (seconds or settings.CALENDAR_FETCH_SECONDS)
    current = check_url(url)
    origin = urlsplit(current).hostname
    for _hop in range(_MAX_REDIRECTS + 1):
        sent = {"User-Agent": USER_AGENT, **(headers or {})}
        # Credentials go only to the host the practitioner named, never to a redirect elsewhere.
        if username and urlsplit(current).hostname == origin:
            sent.update(urllib3.make_headers(basic_auth=f"{username}:{password}"))
        answer = _once(method, current, sent, body, limit, deadline)
        location = answer.headers.get("location")
        if answer.status not in _REDIRECTS or not location:
            return answer
        current = check_url(urljoin(current, location))
        if answer.status == 303:
            method, body = "GET", None
    raise FetchError(Failure.SERVER)


def _once(method: str, url: str, headers: dict[str, str], body: bytes | None, limit: int, deadline: float) -> Response:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError(Failure.TIMEOUT)
    timeout = urllib3.Timeout(connect=min(left, 10.0), read=left)
    try:
        raw = _manager.request(
            method, url, headers=headers, body=body, timeout=timeout, redirect=False, preload_content=False
        )
    except _RefusedAddress:
        raise FetchError(Failure.REFUSED_ADDRESS) from None
    except SSLError:
        raise FetchError(Failure.TLS) from None
    except NewConnectionError:
        # Before the timeouts: urllib3 makes NewConnectionError (a name that does not resolve
        # among them) a subclass of ConnectTimeoutError, for backwards compatibility.
        raise FetchError(Failure.UNREACHABLE) from None
    except (ConnectTimeoutError, ReadTimeoutError, TimeoutError):
        raise FetchError(Failure.TIMEOUT) from None
    except (HTTPError, OSError):
        raise FetchError(Failure.UNREACHABLE) from None
    try:
        declared = raw.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise FetchError(Failure.TOO_LARGE, raw.status)
        chunks: list[bytes] = []
        size = 0
        for chunk in raw.stream(_CHUNK, decode_content=True):
            size += len(chunk)
            if size > limit:
                raise FetchError(Failure.TOO_LARGE, raw.status)
            if time.monotonic() > deadline:
                raise FetchError(Failure.TIMEOUT, raw.status)
            chunks.append(chunk)
    except (ReadTimeoutError, TimeoutError):
        raw.close()  # half-read: the connection cannot serve another request
        raise FetchError(Failure.TIMEOUT, raw.status) from None
    except (HTTPError, OSError):
        raw.close()
        raise FetchError(Failure.UNREACHABLE, raw.status) from None
    except FetchError:
        raw.close()
        raise
    raw.release_conn()
    return Response(raw.status, {k.lower(): v for k, v in raw.headers.items()}, b"".join(chunks))


def failure_for_status(status: int) -> str | None:
    """The failure an HTTP status means for a calendar request, or None for success."""
    if status < 400:
        return None
    if status in (401, 403):
        return Failure.AUTH
    if status in (404, 410):
        return Failure.NOT_FOUND
    return Failure.SERVER
