"""Timestamps read from PostgreSQL (core/postgres/base.py): psycopg's own loader, the C one with
psycopg[binary], gives the same aware UTC datetimes Django's slower loader gives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from psycopg import adapters
from psycopg.pq import Format

from core.postgres.base import _UtcTimestamptz
from tests.resources import need_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

TIMESTAMPTZ = adapters.types["timestamptz"].oid


@pytest.fixture(autouse=True)
def _postgres() -> None:
    need_postgres()


def test_timestamps_are_read_by_psycopgs_own_loader() -> None:
    connection.ensure_connection()
    assert connection.connection.adapters.get_loader(TIMESTAMPTZ, Format.TEXT) is _UtcTimestamptz
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        loader = cursor.cursor._tx.get_loader(TIMESTAMPTZ, Format.TEXT)
    # psycopg's, not a Python subclass: with psycopg[binary] installed it is the C loader.
    assert type(loader) is adapters.get_loader(TIMESTAMPTZ, Format.TEXT)


@pytest.mark.parametrize(
    "written",
    [
        datetime(2026, 3, 29, 0, 59, 59, 999_999, tzinfo=UTC),  # the last instant before London's spring DST change
        datetime(2026, 10, 25, 1, 30, tzinfo=timezone(timedelta(hours=1))),  # an offset that is not UTC
        datetime(1999, 12, 31, 23, 0, 0, 5, tzinfo=UTC),  # a fraction of one microsecond's digits
    ],
)
def test_a_timestamp_comes_back_as_the_same_instant_in_utc(written: datetime) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::timestamptz, %s::timestamptz + interval '1 day'", [written, written])
        same, next_day = cursor.fetchone()
    assert same == written
    assert same.tzinfo is UTC, "Django gives datetime.UTC, and so must the faster loader"
    assert next_day - same == timedelta(days=1)
    assert next_day.tzinfo is UTC


def test_the_orm_reads_aware_utc_datetimes_through_it() -> None:
    written = datetime(2026, 10, 25, 1, 30, 15, 250_000, tzinfo=timezone(timedelta(hours=1)))
    Session.objects.create(session_key="t" * 32, session_data="", expire_date=written)
    read = Session.objects.get(session_key="t" * 32).expire_date
    assert read == written
    assert read.tzinfo is UTC
