"""booking.services.hold_appointment: a hold that ran out frees its time, and a
retry with the same Idempotency-Key returns the first hold."""

from __future__ import annotations

from datetime import UTC

import pytest

from accounts.models import Patient
from booking import errors
from booking.models import Appointment, AppointmentEvent, AppointmentType, Clinic, Practitioner
from tests.booking.factories import local, make_practitioner, minutes
from tests.booking.holds.shortcuts import NOW, TUESDAY, Status, hold

# --- Holds that ran out ---------------------------------------------------------------


def test_an_expired_hold_does_not_block_and_is_released(
    patient: Patient, other_patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    start = local(clinic, TUESDAY, "10:00")
    stale = hold(other_patient, visit, start, physio)
    later = NOW + minutes(16)

    fresh = hold(patient, visit, start, physio, now=later)

    stale.refresh_from_db()
    assert fresh.status == Status.HELD
    assert (stale.status, stale.cancel_reason, stale.hold_expires_at) == (Status.CANCELLED, "hold_expired", None)
    expired = stale.events.get(action=AppointmentEvent.Action.HOLD_EXPIRED)
    assert expired.at == later


def test_a_hold_that_has_not_expired_still_blocks(
    patient: Patient, other_patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    start = local(clinic, TUESDAY, "10:00")
    hold(other_patient, visit, start, physio)

    with pytest.raises(errors.SlotUnavailable):
        hold(patient, visit, start, physio, now=NOW + minutes(14))


def test_the_patients_own_expired_hold_is_released_to_make_room(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    colleague = make_practitioner(clinic)
    stale = hold(patient, visit, local(clinic, TUESDAY, "10:00"), colleague)

    fresh = hold(patient, visit, local(clinic, TUESDAY, "10:30"), physio, now=NOW + minutes(20))

    stale.refresh_from_db()
    assert (fresh.status, stale.status) == (Status.HELD, Status.CANCELLED)


# --- Idempotency-Key --------------------------------------------------------------------


def test_a_retry_with_the_same_key_returns_the_first_hold(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    start = local(clinic, TUESDAY, "10:00")
    first = hold(patient, visit, start, physio, idempotency_key="abc-123")

    again = hold(patient, visit, start.astimezone(UTC), physio, idempotency_key="abc-123", now=NOW + minutes(1))
    any_again = hold(patient, visit, start, None, idempotency_key="abc-123")

    assert again.pk == first.pk == any_again.pk
    assert Appointment.objects.count() == 1
    assert AppointmentEvent.objects.filter(action=AppointmentEvent.Action.HELD).count() == 1


@pytest.mark.parametrize("change", ["start", "treatment", "practitioner"])
def test_the_same_key_with_a_different_body_is_refused(
    change: str,
    patient: Patient,
    clinic: Clinic,
    visit: AppointmentType,
    needling: AppointmentType,
    physio: Practitioner,
) -> None:
    colleague = make_practitioner(clinic)
    start = local(clinic, TUESDAY, "10:00")
    hold(patient, visit, start, physio, idempotency_key="abc-123")
    kind, when, who = visit, start, physio
    if change == "start":
        when = start + minutes(15)
    elif change == "treatment":
        kind = needling
    else:
        who = colleague

    with pytest.raises(errors.IdempotencyConflict) as caught:
        hold(patient, kind, when, who, idempotency_key="abc-123")
    assert (caught.value.code, caught.value.status) == ("idempotency_key_reused", 422)
    assert Appointment.objects.count() == 1


def test_keys_belong_to_one_patient(
    patient: Patient, other_patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    mine = hold(patient, visit, local(clinic, TUESDAY, "10:00"), physio, idempotency_key="same")
    theirs = hold(other_patient, visit, local(clinic, TUESDAY, "14:00"), physio, idempotency_key="same")

    assert mine.pk != theirs.pk


def test_without_a_key_a_repeat_is_a_new_request(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    start = local(clinic, TUESDAY, "10:00")
    hold(patient, visit, start, physio, idempotency_key="")

    with pytest.raises(errors.SlotUnavailable):
        hold(patient, visit, start, physio, idempotency_key="")
    assert Appointment.objects.get().idempotency_key is None
