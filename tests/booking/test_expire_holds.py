"""Holds that run out are cancelled (reason hold_expired), by the service and by the beat task."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from accounts.models import Patient
from booking import errors, services
from booking.models import Appointment, AppointmentEvent, AppointmentType, Clinic, Practitioner
from booking.tasks import expire_stale_holds
from tests.accounts.factories import make_patient
from tests.booking.factories import book, local, make_clinic, make_practitioner, make_type, minutes

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
TUESDAY = date(2026, 6, 2)
Status = Appointment.Status


@pytest.fixture
def clinic(db: None) -> Clinic:
    return make_clinic(hold_minutes=10)


@pytest.fixture
def visit(clinic: Clinic) -> AppointmentType:
    return make_type(clinic, minutes=30)


@pytest.fixture
def physio(clinic: Clinic, visit: AppointmentType) -> Practitioner:
    return make_practitioner(clinic)


def held_at(clinic: Clinic, visit: AppointmentType, hh_mm: str, *, now: datetime = NOW) -> Appointment:
    return book(make_patient(), visit, local(clinic, TUESDAY, hh_mm), now=now, confirm=False)


def statuses(*appointments: Appointment) -> list[str]:
    return [Appointment.objects.get(pk=a.pk).status for a in appointments]


def test_it_cancels_only_holds_that_ran_out(clinic: Clinic, visit: AppointmentType, physio: Practitioner) -> None:
    stale = held_at(clinic, visit, "10:00")
    fresh = held_at(clinic, visit, "11:00", now=NOW + minutes(5))
    confirmed = book(make_patient(), visit, local(clinic, TUESDAY, "12:00"), now=NOW)
    cancelled = held_at(clinic, visit, "13:00")
    services.cancel_appointment(cancelled, actor=cancelled.patient.user, now=NOW)

    released = services.release_expired_holds(now=NOW + minutes(12))

    assert released == 1
    assert statuses(stale, fresh, confirmed, cancelled) == [
        Status.CANCELLED,
        Status.HELD,
        Status.CONFIRMED,
        Status.CANCELLED,
    ]
    stale.refresh_from_db()
    assert (stale.cancel_reason, stale.cancelled_at, stale.hold_expires_at) == ("hold_expired", NOW + minutes(12), None)
    event = stale.events.get(action=AppointmentEvent.Action.HOLD_EXPIRED)
    assert (event.actor, event.at) == (None, NOW + minutes(12))
    assert not cancelled.events.filter(action=AppointmentEvent.Action.HOLD_EXPIRED).exists()


def test_a_hold_expires_at_its_expiry_instant(clinic: Clinic, visit: AppointmentType, physio: Practitioner) -> None:
    hold = held_at(clinic, visit, "10:00")

    assert services.release_expired_holds(now=NOW + minutes(10) - timedelta(microseconds=1)) == 0
    assert services.release_expired_holds(now=NOW + minutes(10)) == 1
    assert statuses(hold) == [Status.CANCELLED]


def test_releasing_twice_is_harmless(clinic: Clinic, visit: AppointmentType, physio: Practitioner) -> None:
    hold = held_at(clinic, visit, "10:00")

    assert services.release_expired_holds(now=NOW + minutes(20)) == 1
    assert services.release_expired_holds(now=NOW + minutes(30)) == 0
    assert hold.events.filter(action=AppointmentEvent.Action.HOLD_EXPIRED).count() == 1


def test_it_can_be_limited_to_one_practitioner_or_patient(
    clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    colleague = make_practitioner(clinic)
    mine = book(make_patient(), visit, local(clinic, TUESDAY, "10:00"), practitioner=physio, now=NOW, confirm=False)
    theirs = book(
        make_patient(), visit, local(clinic, TUESDAY, "10:00"), practitioner=colleague, now=NOW, confirm=False
    )
    later = NOW + minutes(15)

    assert services.release_expired_holds(practitioner_id=physio.pk, now=later) == 1
    assert statuses(mine, theirs) == [Status.CANCELLED, Status.HELD]
    assert services.release_expired_holds(patient_id=theirs.patient_id, now=later) == 1
    assert statuses(theirs) == [Status.CANCELLED]


def test_an_expired_hold_cannot_be_confirmed(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    hold = book(patient, visit, local(clinic, TUESDAY, "10:00"), now=NOW, confirm=False)

    with pytest.raises(errors.HoldExpired):
        services.confirm_appointment(hold, actor=patient.user, now=NOW + minutes(10))
    assert statuses(hold) == [Status.HELD]


def test_the_beat_task_cancels_only_expired_holds(clinic: Clinic, visit: AppointmentType, physio: Practitioner) -> None:
    stale = held_at(clinic, visit, "10:00")
    fresh = held_at(clinic, visit, "11:00", now=NOW + minutes(8))
    confirmed = book(make_patient(), visit, local(clinic, TUESDAY, "12:00"), now=NOW)

    with time_machine.travel(NOW + minutes(11), tick=False):
        assert expire_stale_holds() == 1
        assert expire_stale_holds() == 0  # safe to run twice

    assert statuses(stale, fresh, confirmed) == [Status.CANCELLED, Status.HELD, Status.CONFIRMED]
    assert Appointment.objects.get(pk=stale.pk).cancel_reason == "hold_expired"
