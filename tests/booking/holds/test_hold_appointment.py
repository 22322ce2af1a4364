"""booking.services.hold_appointment: what a hold records, who "any practitioner" turns out
to be, and the wall-clock time a hold keeps across daylight saving time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Patient
from booking import errors
from booking.models import AppointmentEvent, AppointmentType, Clinic, Practitioner
from tests.booking.factories import (
    add_hours,
    insert_appointment,
    local,
    make_clinic,
    make_practitioner,
    make_type,
    minutes,
)
from tests.booking.holds.shortcuts import NOW, TUESDAY, Status, hold

# --- The happy path -------------------------------------------------------------------


def test_it_holds_a_free_slot(patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner) -> None:
    start = local(clinic, TUESDAY, "10:00")
    appointment = hold(patient, visit, start, physio)

    appointment.refresh_from_db()
    assert appointment.status == Status.HELD
    assert appointment.start == datetime(2026, 6, 2, 9, 0, tzinfo=UTC)
    assert appointment.end == appointment.start + minutes(60)
    assert appointment.hold_expires_at == NOW + minutes(15)
    assert appointment.blocked_start == appointment.start - minutes(10)
    assert appointment.blocked_end == appointment.end + minutes(15)
    assert appointment.time_zone == "Europe/London"
    assert (appointment.practitioner, appointment.clinic, appointment.version) == (physio, clinic, 1)
    event = AppointmentEvent.objects.get(appointment=appointment)
    assert (event.action, event.actor) == (AppointmentEvent.Action.HELD, patient.user)


@pytest.mark.django_db(transaction=True)  # the hold's own transaction is then the outermost, as in a request
def test_a_hold_takes_no_savepoints_and_knows_its_practitioner(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    """Two statements a savepoint, one to read the practitioner back for the answer: a hold
    needs none of them (bench/README, "Issue 22, eighth pass")."""
    with CaptureQueriesContext(connection) as queries:
        appointment = hold(patient, visit, local(clinic, TUESDAY, "10:00"), physio)
        assert appointment.practitioner.display_name == physio.display_name

    statements = [q["sql"] for q in queries.captured_queries]
    assert not [sql for sql in statements if "SAVEPOINT" in sql.upper()], statements
    assert not [sql for sql in statements if sql.startswith('SELECT "booking_practitioner"."id", ')], statements


def test_any_practitioner_gets_one_who_is_free(
    patient: Patient, other_patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    colleague = make_practitioner(clinic)
    start = local(clinic, TUESDAY, "10:00")
    insert_appointment(other_patient, physio, visit, start)

    appointment = hold(patient, visit, start, None)

    assert appointment.practitioner_id == colleague.pk


def test_any_practitioner_spreads_the_work(
    patient: Patient, other_patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    colleague = make_practitioner(clinic)
    insert_appointment(other_patient, physio, visit, local(clinic, TUESDAY, "15:00"))

    appointment = hold(patient, visit, local(clinic, TUESDAY, "10:00"), None)

    assert appointment.practitioner_id == colleague.pk


def test_any_practitioner_says_taken_when_everyone_is_busy(
    patient: Patient, other_patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    start = local(clinic, TUESDAY, "10:00")
    insert_appointment(other_patient, physio, visit, start)

    with pytest.raises(errors.SlotUnavailable):
        hold(patient, visit, start, None)


def test_any_practitioner_says_taken_not_uncredentialled(
    patient: Patient, other_patient: Patient, clinic: Clinic, needling: AppointmentType
) -> None:
    # The first practitioner by id cannot needle; the only one who can is busy.
    # Blaming the first one's credential would send the patient the wrong way.
    newcomer = make_practitioner(clinic, credentialled=False)
    physio = make_practitioner(clinic)
    assert newcomer.pk < physio.pk
    start = local(clinic, TUESDAY, "10:00")
    insert_appointment(other_patient, physio, needling, start)

    with pytest.raises(errors.SlotUnavailable):
        hold(patient, needling, start, None)


# --- Daylight saving time -------------------------------------------------------------

NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def new_york(db: None) -> tuple[AppointmentType, Practitioner]:
    clinic = make_clinic(time_zone="America/New_York", jurisdiction="US-NY")
    kind = make_type(clinic, minutes=60, needling=True)
    return kind, make_practitioner(clinic, weekdays=range(7))


@pytest.mark.parametrize(
    ("now", "day", "stored"),
    [
        pytest.param(
            datetime(2026, 3, 1, tzinfo=UTC), date(2026, 3, 9), datetime(2026, 3, 9, 13, tzinfo=UTC), id="spring"
        ),
        pytest.param(
            datetime(2026, 10, 20, tzinfo=UTC), date(2026, 11, 1), datetime(2026, 11, 1, 14, tzinfo=UTC), id="fall"
        ),
    ],
)
def test_nine_in_the_morning_is_stored_in_utc_across_dst(
    now: datetime,
    day: date,
    stored: datetime,
    patient: Patient,
    new_york: tuple[AppointmentType, Practitioner],
) -> None:
    kind, physio = new_york

    appointment = hold(patient, kind, local(kind.clinic, day, "09:00"), physio, now=now)

    appointment.refresh_from_db()
    assert appointment.start == stored
    assert appointment.end == stored + minutes(60)
    assert appointment.local_start.hour == 9
    assert appointment.time_zone == "America/New_York"


def test_a_visit_across_the_repeated_hour_lasts_its_real_duration(
    patient: Patient, new_york: tuple[AppointmentType, Practitioner]
) -> None:
    # 01:00 EDT on the fall-back night; wall-clock arithmetic would end it at
    # 02:00 EST, two real hours later.
    kind, physio = new_york
    night = date(2026, 11, 1)
    add_hours(physio, kind.clinic, weekday=night.weekday(), start=time(0), end=time(4))
    start = datetime(2026, 11, 1, 1, 0, tzinfo=NEW_YORK)

    appointment = hold(patient, kind, start, physio, now=datetime(2026, 10, 20, tzinfo=UTC))

    appointment.refresh_from_db()
    assert appointment.start == datetime(2026, 11, 1, 5, 0, tzinfo=UTC)
    assert appointment.end - appointment.start == minutes(60)
    assert appointment.blocked_end == datetime(2026, 11, 1, 6, 0, tzinfo=UTC)
