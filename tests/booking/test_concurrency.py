"""Real concurrent bookings on PostgreSQL: the locks and constraints let exactly one win.

Each thread has its own database connection (Django's are per thread), waits at a
barrier so that all of them ask at once, and closes its connection at the end."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from accounts.models import Patient
from booking import errors, services
from booking.models import Appointment, AppointmentType, Clinic, Practitioner
from tests.accounts.factories import make_patient
from tests.booking.factories import book, local, make_clinic, make_practitioner, make_type
from tests.booking.overlaps import assert_no_overlaps
from tests.races import race
from tests.resources import need_postgres

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)  # Monday 09:00 in London
TUESDAY = date(2026, 6, 2)
THREADS = 20

Outcome = Appointment | BaseException


@pytest.fixture
def clinic() -> Clinic:
    return make_clinic()


@pytest.fixture
def visit(clinic: Clinic) -> AppointmentType:
    return make_type(clinic, minutes=60, before=10, after=15)


@pytest.fixture
def physio(clinic: Clinic, visit: AppointmentType) -> Practitioner:
    return make_practitioner(clinic)


def wins(outcomes: list[Outcome]) -> list[Appointment]:
    return [outcome for outcome in outcomes if isinstance(outcome, Appointment)]


def refusals(outcomes: list[Outcome]) -> list[BaseException]:
    others = [o for o in outcomes if not isinstance(o, Appointment | errors.SlotUnavailable)]
    assert not others, f"unexpected failures: {others!r}"
    return [o for o in outcomes if isinstance(o, errors.SlotUnavailable)]


def holder(
    patient: Patient, kind: AppointmentType, start: datetime, who: Practitioner | None, key: str | None = None
) -> Callable[[], Appointment]:
    def call() -> Appointment:
        return services.hold_appointment(
            patient, appointment_type=kind, start=start, practitioner=who, idempotency_key=key, now=NOW
        )

    return call


def mover(appointment: Appointment, start: datetime) -> Callable[[], Appointment]:
    def call() -> Appointment:
        return services.reschedule_appointment(appointment, actor=appointment.patient.user, start=start, now=NOW)

    return call


def test_twenty_patients_racing_for_one_slot_get_one_hold(
    clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    need_postgres()
    start = local(clinic, TUESDAY, "10:00")

    outcomes = race([holder(make_patient(), visit, start, physio) for _ in range(THREADS)])

    assert len(wins(outcomes)) == 1
    assert len(refusals(outcomes)) == THREADS - 1
    assert Appointment.objects.get().pk == wins(outcomes)[0].pk
    assert_no_overlaps()


def test_overlapping_starts_let_one_win_in_each_overlapping_set(
    clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    need_postgres()
    # With a 60-minute visit and its buffers, any two starts within the hour
    # overlap; the morning and afternoon sets do not touch each other.
    morning = [local(clinic, TUESDAY, t) for t in ("10:00", "10:15", "10:30", "10:45")]
    afternoon = [local(clinic, TUESDAY, t) for t in ("14:00", "14:15", "14:30", "14:45")]
    starts = [(morning, afternoon)[i % 2][(i // 2) % 4] for i in range(THREADS)]

    outcomes = race([holder(make_patient(), visit, start, physio) for start in starts])

    won = wins(outcomes)
    assert len(won) == 2
    assert len(refusals(outcomes)) == THREADS - 2
    assert sorted(w.start in morning for w in won) == [False, True]
    assert Appointment.objects.count() == 2
    assert_no_overlaps()


def test_any_practitioner_racing_fills_each_practitioner_once(clinic: Clinic, visit: AppointmentType) -> None:
    need_postgres()
    team = [make_practitioner(clinic) for _ in range(3)]
    start = local(clinic, TUESDAY, "10:00")

    outcomes = race([holder(make_patient(), visit, start, None) for _ in range(THREADS)])

    won = wins(outcomes)
    assert len(won) == 3
    assert len(refusals(outcomes)) == THREADS - 3
    assert {w.practitioner_id for w in won} == {p.pk for p in team}
    assert_no_overlaps()


def test_the_same_key_from_many_threads_makes_one_appointment(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    need_postgres()
    start = local(clinic, TUESDAY, "10:00")

    outcomes = race([holder(patient, visit, start, physio, key="retry-42") for _ in range(8)])

    won = wins(outcomes)
    assert len(won) == 8, outcomes
    assert {w.pk for w in won} == {Appointment.objects.get().pk}
    assert_no_overlaps()


def test_patients_racing_to_move_into_one_slot_get_one_move(
    clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    need_postgres()
    days = [date(2026, 6, 3), date(2026, 6, 4), date(2026, 6, 5)]
    times = ["09:00", "11:00", "13:00", "15:00"]
    booked = [
        book(make_patient(), visit, local(clinic, day, t), practitioner=physio, now=NOW) for day in days for t in times
    ]
    target = local(clinic, TUESDAY, "10:00")

    outcomes = race([mover(a, target) for a in booked])

    won = wins(outcomes)
    assert len(won) == 1
    assert len(refusals(outcomes)) == len(booked) - 1
    versions = sorted(Appointment.objects.values_list("version", flat=True))
    assert versions == [1] * (len(booked) - 1) + [2]
    assert_no_overlaps()


def test_holds_and_moves_racing_for_one_slot_let_one_win(
    clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    need_postgres()
    movers = [
        book(make_patient(), visit, local(clinic, date(2026, 6, 3), t), practitioner=physio, now=NOW)
        for t in ("09:00", "11:00", "13:00", "15:00")
    ]
    target = local(clinic, TUESDAY, "10:00")
    calls = [holder(make_patient(), visit, target, physio) for _ in range(THREADS - len(movers))]
    calls += [mover(a, target) for a in movers]

    outcomes = race(calls)

    assert len(wins(outcomes)) == 1
    assert len(refusals(outcomes)) == THREADS - 1
    assert Appointment.objects.filter(start=target).count() == 1
    assert_no_overlaps()
