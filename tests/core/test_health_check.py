"""The per-request health check (core/postgres/base.py): a healthy idle connection passes
without a round trip, and one the server closed (a restart, PgBouncer going away) is still
found out before a request uses it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from tests.core.backends import backend_pid, terminate
from tests.resources import need_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fresh() -> Iterator[BaseDatabaseWrapper]:
    """A second connection to the test database, as a worker process holds one between requests."""
    need_postgres()
    wrapper = connections.create_connection("default")
    wrapper.ensure_connection()
    try:
        yield wrapper
    finally:
        wrapper.close()


def last_query(pid: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        return str(cursor.fetchone()[0])


def test_the_engine_is_django_s_postgresql_backend_with_the_cheaper_check() -> None:
    need_postgres()
    assert connection.settings_dict["ENGINE"] == "core.postgres"
    assert connection.vendor == "postgresql"


def test_a_healthy_idle_connection_passes_without_a_query(fresh: BaseDatabaseWrapper) -> None:
    pid = backend_pid(fresh)

    assert fresh.is_usable()
    assert last_query(pid) == "SELECT pg_backend_pid()", "no SELECT 1 reached the server"


def test_a_connection_the_server_closed_fails_and_the_next_query_gets_a_new_one(fresh: BaseDatabaseWrapper) -> None:
    pid = backend_pid(fresh)
    terminate(pid, via=connection)

    assert not fresh.is_usable()
    # What CONN_HEALTH_CHECKS does with that answer at the start of a request.
    wrapper: Any = fresh
    wrapper.health_check_enabled, wrapper.health_check_done = True, False
    wrapper.close_if_health_check_failed()
    assert backend_pid(fresh) != pid


def test_with_something_to_read_the_server_is_asked(fresh: BaseDatabaseWrapper) -> None:
    # A notification waiting on a healthy connection: SELECT 1 decides, and it is fine.
    with fresh.cursor() as cursor:
        cursor.execute("LISTEN acus_health_check_test")
    with connection.cursor() as cursor:
        cursor.execute("NOTIFY acus_health_check_test")
    pid = backend_pid(fresh)
    with connection.cursor() as cursor:
        cursor.execute("NOTIFY acus_health_check_test")
    time.sleep(0.2)

    assert fresh.is_usable()
    assert last_query(pid) == "SELECT 1"


def test_inside_a_transaction_the_server_is_asked(fresh: BaseDatabaseWrapper) -> None:
    fresh.set_autocommit(False)
    pid = backend_pid(fresh)

    assert fresh.is_usable()
    assert last_query(pid) == "SELECT 1"
    fresh.rollback()
    fresh.set_autocommit(True)
