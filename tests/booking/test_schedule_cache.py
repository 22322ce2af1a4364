"""Slot lists read practitioners' schedules from memory (booking.schedule_cache) while their
schedule versions (bumped by database triggers on commit: per practitioner, and on
PostgreSQL per practitioner and day) stand. Each kind of change that moves free time must
show in the very next list; the cached list must equal the one read from the tables; on
PostgreSQL a change to one day leaves the practitioner's other days in memory.
Transactional tests: the cache is never used inside a transaction, and the ordinary test
wraps each test in one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Patient
from booking import schedule_cache, selectors, services, slot_cache
from booking.models import (
    Appointment,
    AppointmentType,
    Clinic,
    Credential,
    Practitioner,
    ScheduleDayVersion,
    ScheduleVersion,
)
from calendars.models import BusyRange, Connection
from tests.booking.factories import add_hours, local, make_clinic, make_practitioner, make_time_off, make_type
from tests.resources import need_postgres

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    schedule_cache.clear()
    slot_cache.clear()
    yield
    schedule_cache.clear()
    slot_cache.clear()


@pytest.fixture
def clinic() -> Clinic:
    return make_clinic()


@pytest.fixture
def visit(clinic: Clinic) -> AppointmentType:
    return make_type(clinic, minutes=60, needling=True)


@pytest.fixture
def physio(clinic: Clinic, visit: AppointmentType) -> Practitioner:
    return make_practitioner(clinic, name="Robin Physio")


def next_tuesday() -> date:
    today = timezone.localdate()
    return today + timedelta(days=7 + (1 - today.weekday()) % 7)


def slots(
    visit: AppointmentType, who: Practitioner | None = None, *, now: datetime | None = None, day: date | None = None
) -> list[datetime]:
    day = day or next_tuesday()
    found = selectors.available_slots(
        appointment_type=visit,
        practitioner=who,
        start=local(visit.clinic, day, "00:00"),
        end=local(visit.clinic, day + timedelta(days=1), "00:00"),
        now=now or timezone.now(),
    )
    return [s.start for s in found]


def from_tables(
    visit: AppointmentType, who: Practitioner | None = None, *, now: datetime | None = None
) -> list[datetime]:
    with transaction.atomic():  # inside a transaction the cache stands aside
        return slots(visit, who, now=now)


def at(visit: AppointmentType, hh_mm: str) -> datetime:
    return local(visit.clinic, next_tuesday(), hh_mm)


def test_a_second_list_reads_no_schedule_rows_and_equals_the_tables(
    visit: AppointmentType, physio: Practitioner
) -> None:
    first = slots(visit)
    with CaptureQueriesContext(connection) as queries:
        again = slots(visit)
    assert again == first == from_tables(visit)
    assert len(queries) == 2  # the practitioners with their versions, the days' versions; no rows
    assert at(visit, "09:00") in again


def test_a_hold_on_one_day_leaves_the_other_days_in_memory(
    visit: AppointmentType, physio: Practitioner, patient: Patient
) -> None:
    need_postgres()  # SQLite's triggers move the practitioner's version: every day is read again
    week_later = next_tuesday() + timedelta(days=7)
    slots(visit, physio)
    slots(visit, physio, day=week_later)
    services.hold_appointment(patient, appointment_type=visit, start=at(visit, "10:00"), practitioner=physio)
    with CaptureQueriesContext(connection) as untouched:
        later = slots(visit, physio, day=week_later)
    assert len(untouched) == 2  # versions only: the held day is a week away
    with CaptureQueriesContext(connection) as touched:
        same_day = slots(visit, physio)
    assert len(touched) > 2  # the held day's rows are read again
    assert at(visit, "10:00") not in same_day
    assert same_day == from_tables(visit, physio)
    with transaction.atomic():
        assert later == slots(visit, physio, day=week_later)


def test_a_hold_takes_its_time_away_and_a_cancellation_gives_it_back(
    visit: AppointmentType, physio: Practitioner, patient: Patient
) -> None:
    assert at(visit, "10:00") in slots(visit, physio)
    held = services.hold_appointment(patient, appointment_type=visit, start=at(visit, "10:00"), practitioner=physio)
    assert at(visit, "10:00") not in slots(visit, physio)
    assert slots(visit, physio) == from_tables(visit, physio)
    services.cancel_appointment(held, actor=patient.user)
    assert at(visit, "10:00") in slots(visit, physio)


def test_an_expired_hold_frees_its_time_without_any_write(
    visit: AppointmentType, physio: Practitioner, patient: Patient
) -> None:
    now = timezone.now()
    held = services.hold_appointment(
        patient, appointment_type=visit, start=at(visit, "10:00"), practitioner=physio, now=now
    )
    assert held.hold_expires_at is not None
    assert at(visit, "10:00") not in slots(visit, physio, now=now)
    later = held.hold_expires_at + timedelta(seconds=1)
    assert at(visit, "10:00") in slots(visit, physio, now=later)
    assert slots(visit, physio, now=later) == from_tables(visit, physio, now=later)


def test_a_bulk_update_counts_too(visit: AppointmentType, physio: Practitioner, patient: Patient) -> None:
    services.hold_appointment(patient, appointment_type=visit, start=at(visit, "10:00"), practitioner=physio)
    assert at(visit, "10:00") not in slots(visit, physio)
    Appointment.objects.filter(practitioner=physio).update(status=Appointment.Status.CANCELLED)
    assert at(visit, "10:00") in slots(visit, physio)


def test_time_off_and_its_removal_show_at_once(visit: AppointmentType, physio: Practitioner) -> None:
    assert at(visit, "14:00") in slots(visit)
    off = make_time_off(physio, at(visit, "13:00"), at(visit, "17:00"))
    assert at(visit, "14:00") not in slots(visit)
    off.delete()
    assert at(visit, "14:00") in slots(visit)


def test_working_hours_changes_show_at_once(visit: AppointmentType, physio: Practitioner) -> None:
    assert at(visit, "18:00") not in slots(visit)
    add_hours(physio, visit.clinic, weekday=next_tuesday().weekday(), start=time(18), end=time(20))
    assert at(visit, "18:00") in slots(visit)
    physio.working_hours.filter(start=time(18)).delete()
    assert at(visit, "18:00") not in slots(visit)


def test_a_revoked_credential_stops_needling_slots_at_once(visit: AppointmentType, physio: Practitioner) -> None:
    assert slots(visit)
    Credential.objects.filter(practitioner=physio).update(verified_at=None)
    assert slots(visit) == [] == from_tables(visit)


def test_busy_time_from_a_calendar_and_its_pause_show_at_once(visit: AppointmentType, physio: Practitioner) -> None:
    calendar = Connection.objects.create(
        practitioner=physio, kind=Connection.Kind.ICS, name="Personal", host="calendar.example.com", secret="sealed"
    )
    assert at(visit, "11:00") in slots(visit)
    BusyRange.objects.create(connection=calendar, practitioner=physio, start=at(visit, "11:00"), end=at(visit, "12:00"))
    assert at(visit, "11:00") not in slots(visit)
    Connection.objects.filter(pk=calendar.pk).update(paused=True)
    assert at(visit, "11:00") in slots(visit)


def test_any_practitioner_equals_the_tables_after_a_change(
    clinic: Clinic, visit: AppointmentType, physio: Practitioner, patient: Patient
) -> None:
    other = make_practitioner(clinic, name="Sam Other")
    slots(visit)
    services.hold_appointment(patient, appointment_type=visit, start=at(visit, "10:00"), practitioner=other)
    now = timezone.now()
    assert selectors.available_slots(
        appointment_type=visit,
        practitioner=None,
        start=at(visit, "00:00"),
        end=at(visit, "23:00"),
        now=now,
    ) == _any_from_tables(visit, now)


def _any_from_tables(visit: AppointmentType, now: datetime) -> list[selectors.OfferedSlot]:
    with transaction.atomic():
        return selectors.available_slots(
            appointment_type=visit, practitioner=None, start=at(visit, "00:00"), end=at(visit, "23:00"), now=now
        )


def test_every_write_to_a_schedule_table_moves_the_version(visit: AppointmentType, physio: Practitioner) -> None:
    day = at(visit, "13:00").astimezone(UTC).date()

    def stamp() -> tuple[int, int]:
        """The practitioner's version and the day's, as the cache keys a stored day."""
        own = ScheduleVersion.objects.filter(practitioner_id=physio.pk).values_list("version", flat=True).first()
        days = ScheduleDayVersion.objects.filter(practitioner_id=physio.pk, day=day)
        return own or 0, days.values_list("version", flat=True).first() or 0

    before = stamp()
    off = make_time_off(physio, at(visit, "13:00"), at(visit, "14:00"))
    after_insert = stamp()
    assert after_insert != before
    off.delete()
    assert stamp() not in (before, after_insert)
    add_hours(physio, visit.clinic, weekday=(next_tuesday().weekday() + 1) % 7, start=time(7), end=time(8))
    assert stamp()[0] > after_insert[0]  # working hours shape every day: the practitioner's own


def test_time_off_moves_only_the_versions_of_the_days_it_touches(visit: AppointmentType, physio: Practitioner) -> None:
    need_postgres()

    def own_version() -> int:
        return ScheduleVersion.objects.filter(practitioner_id=physio.pk).values_list("version", flat=True).first() or 0

    before = own_version()
    start = datetime.combine(next_tuesday(), time(22), tzinfo=UTC)
    make_time_off(physio, start, start + timedelta(hours=27))  # 22:00 to 01:00 two days later, UTC
    touched = set(ScheduleDayVersion.objects.filter(practitioner_id=physio.pk).values_list("day", flat=True))
    assert touched == {next_tuesday() + timedelta(days=n) for n in range(3)}
    assert own_version() == before


def test_a_list_inside_a_transaction_leaves_the_memory_alone(visit: AppointmentType, physio: Practitioner) -> None:
    from_tables(visit)
    assert schedule_cache._days == {} and schedule_cache._bases == {}
