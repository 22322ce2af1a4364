"""Nothing Acus keeps on a server session is lost when PgBouncer, in transaction pooling, lends
each transaction whichever server connection is free (config/database.py, transaction_pooled)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from accounts.models import User
from tests.accounts.factories import make_patient
from tests.pooler.conftest import Pooled
from tests.pooler.pgbouncer import SERVER_TIME_ZONE
from tests.races import race

pytestmark = [pytest.mark.postgres]

CLIENTS = 12


def time_zone_in_each_transaction(times: int) -> set[str]:
    seen = set()
    for _ in range(times):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('TimeZone'), pg_sleep(0.01)")
            seen.add(cursor.fetchone()[0])
    return seen


def test_more_clients_than_server_connections_share_the_pool_in_django_s_time_zone(pooled: Pooled) -> None:
    outcomes = race([lambda: time_zone_in_each_transaction(10) for _ in range(CLIENTS)])

    # Each server connection started in another zone; PgBouncer replays the one Django set.
    assert outcomes == [{"UTC"}] * CLIENTS, outcomes
    assert SERVER_TIME_ZONE != "UTC"
    assert 0 < pooled.server.server_connections(pooled.database) <= pooled.server.pool_size


def test_no_statement_is_prepared_on_the_server_however_often_it_runs(pooled: Pooled) -> None:
    make_patient("pat@example.com")
    # The settings bind parameters on the server (config/database.py), with which psycopg
    # prepares a query after prepare_threshold runs, unless the pooled settings stop it.
    assert pooled.settings["OPTIONS"]["server_side_binding"] is True

    def count_prepared() -> int:
        with transaction.atomic(), connection.cursor() as cursor:
            for _ in range(10):  # psycopg prepares after 5 runs unless prepare_threshold is None
                list(User.objects.filter(email="pat@example.com"))
            cursor.execute("SELECT count(*) FROM pg_prepared_statements")
            return int(cursor.fetchone()[0])

    assert race([count_prepared]) == [0]


def test_an_iterator_outside_a_transaction_survives_its_server_connection_going_to_another_client(
    pooled: Pooled,
) -> None:
    for n in range(5):
        make_patient(f"p{n}@example.com")
    taken, release = threading.Event(), threading.Event()

    def take_a_server_connection() -> None:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT 1")  # PgBouncer lends the most recently freed server first
                taken.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    with pooled.in_this_thread():
        rows = User.objects.order_by("pk").values_list("email", flat=True).iterator(chunk_size=1)
        first = next(rows)  # a server-side cursor would now be declared WITH HOLD on one session
        other = threading.Thread(target=take_a_server_connection)
        other.start()
        try:
            assert taken.wait(timeout=10)
            rest = list(rows)  # ...and fetched from on another one: "cursor does not exist"
        finally:
            release.set()
            other.join(timeout=10)

    assert [first, *rest] == [f"p{n}@example.com" for n in range(5)]
