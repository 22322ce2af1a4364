"""Precompiled queries share one cursor per database connection (core/precompiled.py,
`_held_cursor`): every run still gets its own rows, passes through the execute wrappers and
Django's broken-transaction check, is seen while queries are captured, and gets a new cursor
when the connection is a new one: closed and opened again, or replaced by the health check
after the server closed it. From an event loop it is refused, as Django's cursor() refuses."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import SynchronousOnlyOperation
from django.core.signals import request_started
from django.db import DataError, IntegrityError, InternalError, connection, connections, transaction
from django.db.models import QuerySet
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from booking.models import Clinic
from core.precompiled import Precompiled
from tests.booking.factories import make_clinic
from tests.core.backends import backend_pid, terminate
from tests.resources import need_postgres


def named(pk: int) -> QuerySet[Any]:
    return Clinic.objects.filter(pk=pk).values_list("id", "name")


def slugged(slug: str) -> QuerySet[Any]:
    return Clinic.objects.filter(slug=slug).values_list("id", "slug")


def count_cursors(monkeypatch: pytest.MonkeyPatch) -> list[None]:
    """One item per driver cursor the default connection creates from now on."""
    made: list[None] = []
    create: Callable[..., Any] = connection.create_cursor

    def counted(*args: Any, **kwargs: Any) -> Any:
        made.append(None)
        return create(*args, **kwargs)

    monkeypatch.setattr(connection, "create_cursor", counted)
    return made


@pytest.mark.django_db
def test_runs_of_different_queries_share_one_cursor_and_each_gets_its_own_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    harbour, hill = make_clinic(name="Harbour"), make_clinic(name="Hill")
    by_pk, by_slug = Precompiled(named, int), Precompiled(slugged, str)
    by_pk(harbour.pk)  # the connection's cursor made
    made = count_cursors(monkeypatch)

    for _ in range(3):
        assert by_pk(harbour.pk) == [(harbour.pk, "Harbour")]
        assert by_slug(hill.slug) == [(hill.pk, hill.slug)]
        assert by_pk(hill.pk) == [(hill.pk, "Hill")]
        assert by_pk(0) == []

    assert made == []


@pytest.mark.django_db
def test_every_run_passes_through_the_execute_wrappers() -> None:
    harbour = make_clinic(name="Harbour")
    by_pk = Precompiled(named, int)
    by_pk(harbour.pk)
    seen: list[str] = []

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        by_pk(harbour.pk)
        by_pk(harbour.pk)

    assert len(seen) == 2 and all("booking_clinic" in sql for sql in seen)


@pytest.mark.django_db
def test_captured_runs_are_counted_and_the_shared_cursor_serves_again_after(monkeypatch: pytest.MonkeyPatch) -> None:
    harbour = make_clinic(name="Harbour")
    by_pk = Precompiled(named, int)
    by_pk(harbour.pk)
    made = count_cursors(monkeypatch)

    with CaptureQueriesContext(connection) as captured:
        assert by_pk(harbour.pk) == [(harbour.pk, "Harbour")]
        assert by_pk(harbour.pk) == [(harbour.pk, "Harbour")]
    assert len(captured) == 2
    assert len(made) >= 2  # Django's debug cursor for each captured run (and on PostgreSQL its log's)

    made.clear()
    assert by_pk(harbour.pk) == [(harbour.pk, "Harbour")]
    assert made == []  # the shared one again


@pytest.mark.django_db(transaction=True)
def test_a_broken_transaction_still_refuses_the_next_run() -> None:
    harbour = make_clinic(name="Harbour")
    by_pk = Precompiled(named, int)

    with transaction.atomic():
        assert by_pk(harbour.pk) == [(harbour.pk, "Harbour")]
        with pytest.raises(IntegrityError), transaction.atomic(savepoint=False):
            Clinic.objects.create(name="Twin", slug=harbour.slug)
        with pytest.raises(TransactionManagementError):
            by_pk(harbour.pk)

    assert by_pk(harbour.pk) == [(harbour.pk, "Harbour")]  # the same cursor, after the rollback


@pytest.mark.django_db(transaction=True)
def test_after_an_error_on_the_server_the_cursor_serves_once_rolled_back() -> None:
    need_postgres()
    harbour = make_clinic(name="Harbour")
    by_pk = Precompiled(named, int)

    with transaction.atomic():
        assert by_pk(harbour.pk) == [(harbour.pk, "Harbour")]
        with pytest.raises(DataError), connection.cursor() as cursor:
            cursor.execute("SELECT 1 / 0")
        with pytest.raises(InternalError):  # PostgreSQL: the transaction is aborted
            by_pk(harbour.pk)
        transaction.set_rollback(True)

    assert by_pk(harbour.pk) == [(harbour.pk, "Harbour")]


@pytest.mark.django_db(transaction=True)
def test_a_closed_connection_is_opened_again_with_a_new_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    need_postgres()  # Django keeps SQLite's in-memory test database open through close()
    harbour = make_clinic(name="Harbour")
    by_pk = Precompiled(named, int)
    by_pk(harbour.pk)
    made = count_cursors(monkeypatch)

    connection.close()
    assert by_pk(harbour.pk) == [(harbour.pk, "Harbour")]
    assert by_pk(harbour.pk) == [(harbour.pk, "Harbour")]

    assert len(made) == 1


@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_closed_is_replaced_at_the_next_request() -> None:
    need_postgres()
    harbour = make_clinic(name="Harbour")
    by_pk = Precompiled(named, int)
    by_pk(harbour.pk)
    pid = backend_pid(connection)
    other = connections.create_connection("default")
    try:
        terminate(pid, via=other)
    finally:
        other.close()

    request_started.send(sender=None)  # as a worker's next request begins: the health check is due
    assert by_pk(harbour.pk) == [(harbour.pk, "Harbour")]
    assert backend_pid(connection) != pid


@pytest.mark.django_db
def test_from_an_event_loop_it_is_refused_as_django_refuses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)  # the browser tests' kit allows it
    harbour = make_clinic(name="Harbour")
    by_pk = Precompiled(named, int)
    by_pk(harbour.pk)

    async def from_the_loop() -> None:
        by_pk(harbour.pk)

    with pytest.raises(SynchronousOnlyOperation):
        asyncio.run(from_the_loop())
