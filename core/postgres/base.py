"""Django's PostgreSQL backend, with a health check that needs no round trip while the
connection is plainly healthy (DATABASES ENGINE "core.postgres", set by config/database.py).

CONN_HEALTH_CHECKS asks `is_usable()` once per request before the first query, so that a
connection PostgreSQL (or PgBouncer) closed while it sat idle, in a restart say, is replaced
instead of failing the request. Django's check runs `SELECT 1`: a round trip on every request,
a sixth of the round trips of an average API call (bench/README, "Issue 22, third pass").

A connection the server closed has something to read: its last message and the end of the
stream, or an error. An idle, healthy one has nothing, since the server speaks only when
asked. So the socket is polled without waiting first, and only when there is something to
read, or the connection is not idle, does Django's `SELECT 1` decide. A peer that vanished
without closing (a cut network) is missed by both checks alike: `SELECT 1` would hang too.

It also reads timestamptz columns with psycopg's own loader (its C one, with psycopg[binary])
instead of Django's subclass of the pure-Python one, which parses each value with a regular
expression: 0.2 us a value against 3.5 us (`python -m bench.timestamps`). Where the slot
engine's rows are read again after a hold, that parsing was the largest single item of a
worker's CPU (bench/README, "Issue 22, fifth pass").
"""

from __future__ import annotations

import select
from datetime import UTC
from functools import cache
from typing import Any

from django.db.backends.postgresql import base
from psycopg import abc, adapt, adapters
from psycopg.pq import Format, TransactionStatus

_TIMESTAMPTZ = adapters.types["timestamptz"].oid


def _psycopg_timestamptz() -> type[abc.Loader]:
    """psycopg's own timestamptz text loader: its C one where psycopg[binary] or [c] is installed."""
    loader = adapters.get_loader(_TIMESTAMPTZ, Format.TEXT)
    if loader is None:  # psycopg registers it on import: only a broken install lacks it
        raise ImportError("psycopg has no timestamptz loader")
    return loader


_PSYCOPG_TIMESTAMPTZ = _psycopg_timestamptz()


def _quiet(fd: int) -> bool:
    """Nothing to read and no error or hang-up on `fd`, without waiting."""
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLPRI)
    return not poller.poll(0)


class _UtcTimestamptz:
    """psycopg's timestamptz loader under the name Django looks for. It gives each value the
    session's time zone, which Django sets to UTC on connecting (`ensure_timezone`), and psycopg
    maps "UTC" to datetime.UTC, the zone Django's own loader would put on it. psycopg's C loader
    cannot be subclassed, so this class only makes one (psycopg's adapters map wants a class)."""

    timezone = UTC  # Django's create_cursor compares this with the connection's zone
    format = Format.TEXT  # the adapters map files the loader under it

    def __new__(cls, oid: int, context: Any = None) -> Any:
        return _PSYCOPG_TIMESTAMPTZ(oid, context)


@cache
def _with_psycopg_timestamptz(template: adapt.AdaptersMap) -> adapt.AdaptersMap:
    adapters_map = adapt.AdaptersMap(template)
    adapters_map.register_loader("timestamptz", _UtcTimestamptz)  # type: ignore[arg-type]
    return adapters_map


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self) -> dict[str, Any]:
        params: dict[str, Any] = super().get_connection_params()
        # Only where Django's zone is UTC: it is exactly when USE_TZ is on and the database has
        # no TIME_ZONE of its own, and then Django sets the session's zone to "UTC" too.
        # Otherwise Django's loader puts its own zone on values.
        if self.timezone is UTC:
            params["context"] = _with_psycopg_timestamptz(params["context"])
        return params

    def is_usable(self) -> bool:
        conn = self.connection
        healthy_so_far = conn is not None and not conn.closed and not conn.broken
        if healthy_so_far and conn.info.transaction_status == TransactionStatus.IDLE and _quiet(conn.fileno()):
            return True
        return bool(super().is_usable())
