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
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg.pq import TransactionStatus


def _quiet(fd: int) -> bool:
    """Nothing to read and no error or hang-up on `fd`, without waiting."""
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLPRI)
    return not poller.poll(0)


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        conn = self.connection
        healthy_so_far = conn is not None and not conn.closed and not conn.broken
        if healthy_so_far and conn.info.transaction_status == TransactionStatus.IDLE and _quiet(conn.fileno()):
            return True
        return bool(super().is_usable())
