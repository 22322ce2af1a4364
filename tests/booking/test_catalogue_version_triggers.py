"""The catalogue version (booking_catalogueversion) is moved by database triggers that
migration 0013 puts on the five catalogue tables: every insert, update and delete of a
clinic, a treatment, a practitioner or a link between them moves it, on PostgreSQL at
commit (deferred constraint triggers) and on SQLite with each row. Migrating back to 0012
takes the triggers away again. (A rolled-back change moves nothing: test_catalogue_cache.py.)
Transactional tests: the triggers fire on commit."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from booking import catalogue_cache
from booking.models import AppointmentType, Clinic, Practitioner
from tests.accounts.factories import make_staff
from tests.booking.factories import make_clinic, make_type
from tests.resources import need_postgres

pytestmark = pytest.mark.django_db(transaction=True)

TABLES = [
    "booking_clinic",
    "booking_appointmenttype",
    "booking_practitioner",
    "booking_practitioner_clinics",
    "booking_practitioner_appointment_types",
]
BEFORE = ("booking", "0012_schedule_versions")


@pytest.fixture(autouse=True)
def empty_memory() -> Iterator[None]:
    catalogue_cache.clear()
    yield
    catalogue_cache.clear()


def triggers() -> set[tuple[Any, ...]]:
    """(table, trigger[, deferrable, initially deferred]) of the catalogue version's triggers."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname, t.tgname, t.tgdeferrable, t.tginitdeferred FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal AND t.tgname LIKE %s",
                ["%catalogue_version%"],
            )
        else:
            cursor.execute(
                "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                ["%catalogue_version%"],
            )
        return {tuple(row) for row in cursor.fetchall()}


def expected_triggers() -> set[tuple[Any, ...]]:
    if connection.vendor == "postgresql":
        return {(table, f"{table}_catalogue_version", True, True) for table in TABLES}
    return {(table, f"{table}_catalogue_version_{op}") for table in TABLES for op in ("insert", "update", "delete")}


def version_table_exists() -> bool:
    return "booking_catalogueversion" in connection.introspection.table_names()


def bump_function_exists() -> bool:
    """PostgreSQL's triggers call one function; SQLite's carry their statement themselves."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_proc WHERE proname = %s", ["booking_bump_catalogue_version"])
        return bool(cursor.fetchone()[0])


def test_every_catalogue_table_carries_its_trigger() -> None:
    assert triggers() == expected_triggers()


def moves(change: Callable[[], object]) -> bool:
    before = catalogue_cache.current_version()
    change()
    return catalogue_cache.current_version() > before


def test_every_kind_of_write_to_a_catalogue_table_moves_the_version() -> None:
    clinic, closing = make_clinic(), make_clinic()
    kind = make_type(clinic)
    person = Practitioner.objects.create(user=make_staff(totp=False), display_name="Robin Physio")
    changes: dict[str, Callable[[], object]] = {
        "clinic insert": lambda: make_clinic(),
        "clinic update": lambda: Clinic.objects.filter(pk=clinic.pk).update(phone="+44 117 496 0999"),
        "treatment insert": lambda: make_type(clinic),
        "treatment update": lambda: AppointmentType.objects.filter(pk=kind.pk).update(position=3),
        "practitioner insert": lambda: Practitioner.objects.create(user=make_staff(totp=False), display_name="B"),
        "practitioner update": lambda: Practitioner.objects.filter(pk=person.pk).update(bio="Hands."),
        "clinic link insert": lambda: person.clinics.add(clinic),
        "treatment link insert": lambda: person.appointment_types.add(kind),
        "treatment link delete": lambda: person.appointment_types.remove(kind),
        "clinic link delete": lambda: person.clinics.remove(clinic),
        "practitioner delete": lambda: Practitioner.objects.filter(pk=person.pk).delete(),
        "treatment delete": lambda: AppointmentType.objects.filter(pk=kind.pk).delete(),
        "clinic delete": lambda: Clinic.objects.filter(pk=closing.pk).delete(),
    }

    still = [name for name, change in changes.items() if not moves(change)]

    assert still == []


@pytest.mark.postgres
def test_on_postgresql_the_version_moves_when_the_change_commits_not_before() -> None:
    need_postgres()
    clinic = make_clinic()
    before = catalogue_cache.current_version()

    with transaction.atomic():
        make_type(clinic)
        AppointmentType.objects.filter(clinic=clinic).update(name="Renamed")
        assert catalogue_cache.current_version() == before  # deferred: nothing locked or moved yet

    assert catalogue_cache.current_version() > before


def migrate(executor: MigrationExecutor, targets: list[tuple[str, str]]) -> None:
    executor.loader.build_graph()  # what the last migrate did is read again from the database
    executor.migrate(targets)


def test_migrating_back_to_0012_takes_the_triggers_away_and_forward_brings_them_back() -> None:
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        migrate(executor, [BEFORE])
        assert triggers() == set()
        assert not version_table_exists() and not bump_function_exists()
        make_type(make_clinic())  # the catalogue tables take writes without the version table
    finally:
        migrate(executor, latest)

    assert triggers() == expected_triggers()
    assert version_table_exists()
    assert bump_function_exists() is (connection.vendor == "postgresql")
    assert moves(lambda: make_clinic())
