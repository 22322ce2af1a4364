"""Fixtures for calendar sync, for every test directory (tests/conftest.py loads them): a real Radicale
and an ICS server on loopback (tests/calendars/servers.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.calendars.servers import IcsServer, Radicale


@pytest.fixture(scope="session")
def radicale_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    server = Radicale(Path(tmp_path_factory.mktemp("radicale")))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def radicale(radicale_server: Radicale) -> Iterator[Radicale]:
    """The session's Radicale, running; a test that stops it gets it back running afterwards."""
    radicale_server.start()
    yield radicale_server
    radicale_server.start()


@pytest.fixture
def ics_server() -> Iterator[IcsServer]:
    server = IcsServer()
    server.start()
    yield server
    server.stop()
