"""PostgreSQL backends for the tests of what a connection does when the server drops it."""

from __future__ import annotations

import time

from django.db.backends.base.base import BaseDatabaseWrapper


def backend_pid(wrapper: BaseDatabaseWrapper) -> int:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def terminate(pid: int, *, via: BaseDatabaseWrapper) -> None:
    """End backend `pid` from connection `via` (another one), and wait until the server has."""
    with via.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        for _ in range(100):
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.05)
    raise AssertionError(f"backend {pid} still there")
