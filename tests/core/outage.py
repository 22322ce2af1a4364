"""A database outage without stopping PostgreSQL, for the tests of what a request answers then
(tests/faults/ stops a real one)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from django.db import DatabaseError, OperationalError, connections


@contextmanager
def database_down(error: type[DatabaseError] = OperationalError) -> Iterator[None]:
    """Every query fails as it does while PostgreSQL refuses connections.

    Every query reaches the connection through `ensure_connection`, whether it takes a new
    cursor from Django or the one core.precompiled keeps, and that is where a refused
    connection raises: the request's health check has closed the connection the server
    dropped, and opening a new one fails."""
    failure = error("connection to server at 127.0.0.1, port 5432 failed: Connection refused")
    with mock.patch.object(connections["default"], "ensure_connection", side_effect=failure):
        yield
