"""Busy time from a practitioner's own calendars blocks slots like time off (booking.blockers):
on the list of slots, for "any" practitioner, and when holding a time through booking's service
and the API. Busy ranges are written straight to the table here, as the sync would."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.models import Patient
from booking import errors, selectors
from booking.models import Appointment, AppointmentType, Clinic, Practitioner
from calendars.models import BusyRange, Connection
from tests.booking.factories import local, make_clinic, make_practitioner, make_type
from tests.booking.holds.shortcuts import NOW, TUESDAY, hold

# The visit blocks 10 minutes before and 15 after its hour: a slot at s blocks [s - 10, s + 75).
BEFORE, LENGTH, AFTER = 10, 60, 15


@pytest.fixture
def clinic(db: None) -> Clinic:
    return make_clinic()


@pytest.fixture
def visit(clinic: Clinic) -> AppointmentType:
    return make_type(clinic, minutes=LENGTH, before=BEFORE, after=AFTER)


@pytest.fixture
def physio(clinic: Clinic, visit: AppointmentType) -> Practitioner:
    return make_practitioner(clinic, name="Robin Physio")


@pytest.fixture
def other(clinic: Clinic, visit: AppointmentType) -> Practitioner:
    return make_practitioner(clinic, name="Sam Other")


def connect(practitioner: Practitioner, *, paused: bool = False) -> Connection:
    return Connection.objects.create(
        practitioner=practitioner,
        kind=Connection.Kind.ICS,
        name="Personal",
        host="calendar.example.com",
        secret="sealed",
        paused=paused,
    )


def busy(connection: Connection, start: datetime, end: datetime) -> BusyRange:
    return BusyRange.objects.create(connection=connection, practitioner=connection.practitioner, start=start, end=end)


def tuesday_slots(visit: AppointmentType, who: Practitioner | None) -> list[selectors.OfferedSlot]:
    start = local(visit.clinic, TUESDAY, "00:00")
    return selectors.available_slots(
        appointment_type=visit, practitioner=who, start=start, end=start + timedelta(days=1), now=NOW
    )


def times(offered: list[selectors.OfferedSlot], clinic: Clinic) -> set[str]:
    return {s.start.astimezone(clinic.zone).strftime("%H:%M") for s in offered}


def noon_to_one(clinic: Clinic) -> tuple[datetime, datetime]:
    return local(clinic, TUESDAY, "12:00"), local(clinic, TUESDAY, "13:00")


def test_exactly_the_slots_whose_blocked_span_meets_busy_time_are_removed(
    clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    before = times(tuesday_slots(visit, physio), clinic)
    busy(connect(physio), *noon_to_one(clinic))

    after = times(tuesday_slots(visit, physio), clinic)

    # 11:00 blocks 10:50-12:15 and 13:00 blocks 12:50-14:15: both meet 12:00-13:00.
    assert before - after == {"11:00", "11:15", "11:30", "11:45", "12:00", "12:15", "12:30", "12:45", "13:00"}
    assert after <= before
    # 10:45 blocks until 12:00 exactly and 13:15 from 13:05: half-open spans, both stay.
    assert {"10:45", "13:15"} <= after


def test_a_paused_connection_s_busy_time_does_not_block(
    clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    before = times(tuesday_slots(visit, physio), clinic)
    busy(connect(physio, paused=True), *noon_to_one(clinic))

    assert times(tuesday_slots(visit, physio), clinic) == before


def test_another_practitioner_s_busy_time_does_not_block(
    clinic: Clinic, visit: AppointmentType, physio: Practitioner, other: Practitioner
) -> None:
    before = times(tuesday_slots(visit, physio), clinic)
    busy(connect(other), *noon_to_one(clinic))

    assert times(tuesday_slots(visit, physio), clinic) == before
    assert "12:00" not in times(tuesday_slots(visit, other), clinic)


def test_any_practitioner_gets_the_time_the_busy_one_cannot_take(
    clinic: Clinic, visit: AppointmentType, physio: Practitioner, other: Practitioner
) -> None:
    busy(connect(physio), *noon_to_one(clinic))
    busy(connect(physio), local(clinic, TUESDAY, "09:00"), local(clinic, TUESDAY, "17:00"))
    busy(connect(other), local(clinic, TUESDAY, "15:00"), local(clinic, TUESDAY, "17:00"))

    offered = tuesday_slots(visit, None)

    assert {s.practitioner_id for s in offered} == {other.pk}
    assert "14:00" not in times(offered, clinic)  # 14:00 blocks until 15:15: nobody is free
    assert "13:30" in times(offered, clinic)


def test_holding_a_time_that_became_busy_is_refused_like_a_time_not_offered(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    busy(connect(physio), *noon_to_one(clinic))

    for who in (physio, None):
        with pytest.raises(errors.InvalidStart) as caught:
            hold(patient, visit, local(clinic, TUESDAY, "11:30"), who)
        assert (caught.value.code, caught.value.status) == ("invalid_start", 400)
    assert not Appointment.objects.exists()
    assert hold(patient, visit, local(clinic, TUESDAY, "10:45"), physio).practitioner_id == physio.pk


def test_the_api_refuses_a_busy_time_with_its_not_offered_answer(
    patient_api: APIClient,
    clinic: Clinic,
    visit: AppointmentType,
    physio: Practitioner,
    time_machine: time_machine.TimeMachineFixture,
) -> None:
    time_machine.move_to(NOW, tick=False)
    busy(connect(physio), *noon_to_one(clinic))

    response = patient_api.post(
        "/api/v1/appointments",
        {"appointment_type": visit.pk, "start": local(clinic, TUESDAY, "12:00").isoformat()},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_start"
    assert not Appointment.objects.exists()
