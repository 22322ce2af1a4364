"""Slot lists read practitioners' schedules from memory (booking.schedule_cache) while their
schedule versions (bumped by database triggers on commit: per practitioner, and on
PostgreSQL per practitioner and day) stand. Each kind of change that moves free time must
show in the very next list; the cached list must equal the one read from the tables; on
PostgreSQL a change to one day leaves the practitioner's other days in memory.
Transactional tests: the cache is never used inside a transaction, and the ordinary test
wraps each test in one."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Patient
from booking import free_starts, schedule_cache, selectors, services, slot_cache
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
    assert len(queries) == 1  # the practitioners with their versions and the days' versions; no rows
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
    assert len(untouched) == 1  # versions only: the held day is a week away
    with CaptureQueriesContext(connection) as touched:
        same_day = slots(visit, physio)
    assert len(touched) > 1  # the held day's rows are read again
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


def hold_ten(visit: AppointmentType, physio: Practitioner, patient: Patient, now: datetime) -> datetime:
    """Hold 10:00 at `now`; the hold's expiry."""
    held = services.hold_appointment(
        patient, appointment_type=visit, start=at(visit, "10:00"), practitioner=physio, now=now
    )
    assert held.hold_expires_at is not None
    return held.hold_expires_at


def test_an_expired_hold_frees_its_time_without_any_write(
    visit: AppointmentType, physio: Practitioner, patient: Patient
) -> None:
    now = timezone.now()
    expires = hold_ten(visit, physio, patient, now)
    assert at(visit, "10:00") not in slots(visit, physio, now=now)
    later = expires + timedelta(seconds=1)
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


@pytest.mark.parametrize("count", [1, 2, 3])
def test_changes_to_several_practitioners_at_once_all_show(
    clinic: Clinic, visit: AppointmentType, physio: Practitioner, patient: Patient, count: int
) -> None:
    """Their days are read again together: up to two practitioners one by one, more in one
    query. Each one's time off and holds show in its own list."""
    team = [physio] + [make_practitioner(clinic, name=f"Colleague {n}") for n in range(1, count)]
    for person in team:
        assert at(visit, "14:00") in slots(visit, person)
    assert at(visit, "14:00") in slots(visit)  # "any": every practitioner's day in memory
    for person in team:
        make_time_off(person, at(visit, "13:00"), at(visit, "17:00"))
    services.hold_appointment(patient, appointment_type=visit, start=at(visit, "10:00"), practitioner=team[-1])
    assert at(visit, "14:00") not in slots(visit)
    for person in team:
        assert at(visit, "14:00") not in slots(visit, person)
    assert at(visit, "10:00") not in slots(visit, team[-1])
    assert slots(visit) == from_tables(visit)


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


# booking.slot_cache: the free starts of a practitioner's local day, kept while the day stands.


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[date]:
    """The local days the slot engine walked (booking.slot_cache had no usable entry for them)."""
    days: list[date] = []
    real = free_starts.open_starts

    def counting(**kwargs: object) -> dict[date, tuple[datetime, ...]]:
        days.extend(kwargs["days"])  # type: ignore[arg-type]
        return real(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(free_starts, "open_starts", counting)
    return days


def test_a_second_list_walks_no_day_again(visit: AppointmentType, physio: Practitioner, made: list[date]) -> None:
    first = slots(visit, physio)
    assert made == [next_tuesday()]
    made.clear()
    assert slots(visit, physio) == first == from_tables(visit, physio)
    assert made == []


def test_a_hold_the_next_day_leaves_the_stored_day_as_it_is(
    visit: AppointmentType, physio: Practitioner, patient: Patient, made: list[date]
) -> None:
    """A day depends on the UTC days its working hours touch (09:00 to 17:00 in London: its
    own), not on the whole padding the rows are read with."""
    need_postgres()  # SQLite's triggers move the practitioner's version: every day is made again
    slots(visit, physio)
    services.hold_appointment(
        patient, appointment_type=visit, start=at(visit, "09:00") + timedelta(days=1), practitioner=physio
    )
    made.clear()
    assert slots(visit, physio) == from_tables(visit, physio)
    assert made == []
    services.hold_appointment(patient, appointment_type=visit, start=at(visit, "12:00"), practitioner=physio)
    assert at(visit, "12:00") not in slots(visit, physio)
    assert made == [next_tuesday()]


def test_a_day_stored_once_a_hold_expired_counts_it_again_for_an_earlier_now(
    visit: AppointmentType, physio: Practitioner, patient: Patient
) -> None:
    expires = hold_ten(visit, physio, patient, timezone.now())
    after = expires + timedelta(seconds=1)
    assert at(visit, "10:00") in slots(visit, physio, now=after)  # stored while the hold counts for nothing
    before = expires - timedelta(seconds=1)
    assert at(visit, "10:00") not in slots(visit, physio, now=before)
    assert slots(visit, physio, now=before) == from_tables(visit, physio, now=before)


def test_a_stored_day_gives_up_the_starts_inside_the_notice_as_time_passes(
    visit: AppointmentType, physio: Practitioner, made: list[date]
) -> None:
    notice = visit.clinic.policy.min_notice
    early = at(visit, "06:00") - notice
    assert at(visit, "09:00") in slots(visit, physio, now=early)
    made.clear()
    later = at(visit, "09:30") - notice  # 09:00 now needs less notice than the clinic asks
    found = slots(visit, physio, now=later)
    assert made == []  # the same stored day, filtered
    assert at(visit, "09:00") not in found and at(visit, "09:30") in found
    assert found == from_tables(visit, physio, now=later)


def test_a_longer_treatment_is_a_new_entry(visit: AppointmentType, physio: Practitioner) -> None:
    assert at(visit, "16:00") in slots(visit, physio)  # 60 minutes end at 17:00, closing time
    AppointmentType.objects.filter(pk=visit.pk).update(duration_minutes=90)
    visit.refresh_from_db()
    found = slots(visit, physio)
    assert at(visit, "16:00") not in found and at(visit, "15:30") in found
    assert found == from_tables(visit, physio)


@pytest.mark.parametrize("zone", ["Europe/London", "Australia/Sydney", "America/Los_Angeles"])
def test_lists_over_changing_calendars_always_equal_the_tables(
    clinic: Clinic, visit: AppointmentType, physio: Practitioner, patient: Patient, other_patient: Patient, zone: str
) -> None:
    """Ranges that start and end at any minute, each practitioner and "any", nows on either
    side of hold expiries and of the notice edge, and writes in between: the list from memory
    is always the list from the tables. In Sydney a working day spans two UTC days."""
    clinic.time_zone = zone
    clinic.save()
    other = make_practitioner(clinic, name="Sam Other")
    third = make_practitioner(clinic, name="Kim Third")  # "any" then reads 3 at once: the general query
    rng = random.Random(22)
    base = timezone.now()
    tuesday = next_tuesday()
    holds: list[Appointment] = []
    for step in range(40):
        now = base + timedelta(minutes=rng.choice([0, 1, 5, 11, 16, 60, 24 * 60]))
        start = local(clinic, tuesday + timedelta(days=rng.randint(-7, 3)), "00:00") + timedelta(
            minutes=rng.randint(0, 24 * 60)
        )
        end = start + timedelta(minutes=rng.randint(1, 4 * 24 * 60))
        who = rng.choice([None, physio, other, third])

        ask = {"appointment_type": visit, "practitioner": who, "start": start, "end": end, "now": now}
        from_memory = selectors.available_slots(**ask)  # type: ignore[arg-type]
        with transaction.atomic():
            assert from_memory == selectors.available_slots(**ask), f"step {step}"  # type: ignore[arg-type]
        if step % 4 == 0 and from_memory:  # hold a listed start: a later list must not offer it
            slot = rng.choice(from_memory)
            taker = rng.choice([patient, other_patient])
            holds.append(
                services.hold_appointment(
                    taker,
                    appointment_type=visit,
                    start=slot.start,
                    practitioner=Practitioner.objects.get(pk=slot.practitioner_id),
                    now=base,
                )
            )
        elif step % 4 == 2 and holds:
            held = holds.pop(0)
            services.cancel_appointment(held, actor=held.patient.user)
        elif step % 4 == 3:
            make_time_off(rng.choice([physio, other, third]), start, start + timedelta(minutes=rng.randint(15, 300)))
