"""A real PgBouncer in transaction pooling between the tests' threads and PostgreSQL.

`pgbouncer` runs one for the session (stopped before pytest-django drops the test database,
which refuses while PgBouncer still holds server connections to it). `pooled` points the
default database of every new thread's connection at it, with config/database.py's
transaction_pooled settings: the race harness (tests/races.py) then races through the pooler,
while the test's own thread keeps its direct connection to arrange and to check."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connections

from config.database import transaction_pooled
from tests.pooler.pgbouncer import PgBouncer
from tests.resources import need_pgbouncer, need_postgres


@pytest.fixture(scope="session")
def pgbouncer(django_db_setup: None) -> Iterator[PgBouncer]:
    need_postgres()
    server = PgBouncer(need_pgbouncer(), upstream=connections["default"].settings_dict)
    server.start()
    yield server
    server.stop()


@dataclass
class Pooled:
    server: PgBouncer
    settings: dict[str, Any]

    @property
    def database(self) -> str:
        return str(self.settings["NAME"])

    @contextmanager
    def in_this_thread(self) -> Iterator[None]:
        """The test's own thread through the pooler too: for a request made with the test Client."""
        direct = connections["default"]
        through = type(direct)(self.settings, "default")
        connections["default"] = through
        try:
            yield
        finally:
            through.close()
            connections["default"] = direct


@pytest.fixture
def pooled(pgbouncer: PgBouncer, transactional_db: None) -> Iterator[Pooled]:
    direct = connections.settings["default"]
    # The test settings' startup options (acus.allow_truncate, for the flush between tests) stay
    # on the direct connection: PgBouncer refuses unknown startup parameters.
    options = {k: v for k, v in direct["OPTIONS"].items() if k != "options"}
    through = transaction_pooled({**direct, "HOST": "127.0.0.1", "PORT": pgbouncer.port, "OPTIONS": options})
    connections.settings["default"] = through
    try:
        yield Pooled(pgbouncer, through)
    finally:
        connections.settings["default"] = direct
