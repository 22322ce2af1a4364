"""Cancelling and moving an appointment: the cancellation window, staff overrides, versions."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from accounts.models import Patient, User
from booking import errors, services
from booking.models import Appointment, AppointmentEvent, AppointmentType, Clinic, Practitioner
from tests.booking.factories import book, insert_appointment, local, make_clinic, make_practitioner, make_type, minutes

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)  # Monday 09:00 in London
TUESDAY = date(2026, 6, 2)
Status = Appointment.Status
Action = AppointmentEvent.Action
INSIDE_WINDOW = NOW + minutes(2 * 60)  # 23 hours before Tuesday 10:00 (09:00 UTC)


@pytest.fixture
def clinic(db: None) -> Clinic:
    return make_clinic(phone="+44 117 496 0999", cancellation_window_hours=24)


@pytest.fixture
def visit(clinic: Clinic) -> AppointmentType:
    return make_type(clinic, minutes=60, before=10, after=15)


@pytest.fixture
def physio(clinic: Clinic, visit: AppointmentType) -> Practitioner:
    return make_practitioner(clinic)


@pytest.fixture
def confirmed(patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner) -> Appointment:
    """Tuesday 10:00 London, booked on Monday morning: 25 hours ahead."""
    return book(patient, visit, local(clinic, TUESDAY, "10:00"), practitioner=physio, now=NOW)


def reload(appointment: Appointment) -> Appointment:
    return Appointment.objects.get(pk=appointment.pk)


# --- Cancelling -----------------------------------------------------------------------


def test_a_patient_cancels_outside_the_window(patient: Patient, confirmed: Appointment) -> None:
    services.cancel_appointment(confirmed, actor=patient.user, now=NOW)

    appointment = reload(confirmed)
    assert appointment.status == Status.CANCELLED
    assert (appointment.cancelled_by, appointment.cancelled_at) == (patient.user, NOW)
    assert appointment.cancel_reason == "cancelled by patient"
    event = appointment.events.get(action=Action.CANCELLED)
    assert (event.actor, event.data) == (patient.user, {"override": False})


def test_a_patient_cannot_cancel_inside_the_window(patient: Patient, clinic: Clinic, confirmed: Appointment) -> None:
    with pytest.raises(errors.TooLateToChange) as caught:
        services.cancel_appointment(confirmed, actor=patient.user, now=INSIDE_WINDOW)

    assert caught.value.code == "too_late_to_change"
    assert clinic.phone in caught.value.message
    assert "24 hours" in caught.value.message
    assert reload(confirmed).status == Status.CONFIRMED
    assert not confirmed.events.filter(action=Action.CANCELLED).exists()


def test_the_window_edge_is_still_outside(patient: Patient, confirmed: Appointment) -> None:
    exactly_24_hours_before = confirmed.start - minutes(24 * 60)

    services.cancel_appointment(confirmed, actor=patient.user, now=exactly_24_hours_before)

    assert reload(confirmed).status == Status.CANCELLED


def test_a_held_appointment_can_always_be_cancelled(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    soon = book(patient, visit, local(clinic, date(2026, 6, 1), "13:00"), practitioner=physio, now=NOW, confirm=False)

    services.cancel_appointment(soon, actor=patient.user, now=NOW + minutes(1))

    assert reload(soon).status == Status.CANCELLED


def test_staff_cannot_cancel_inside_the_window_without_overriding(practitioner: User, confirmed: Appointment) -> None:
    with pytest.raises(errors.TooLateToChange):
        services.cancel_appointment(confirmed, actor=practitioner, reason="Ill", now=INSIDE_WINDOW)


def test_a_staff_override_needs_a_reason(practitioner: User, confirmed: Appointment) -> None:
    with pytest.raises(errors.TooLateToChange) as caught:
        services.cancel_appointment(confirmed, actor=practitioner, override=True, reason="  ", now=INSIDE_WINDOW)

    assert caught.value.code == "reason_required"
    assert reload(confirmed).status == Status.CONFIRMED


def test_a_staff_override_with_a_reason_cancels_and_is_audited(practitioner: User, confirmed: Appointment) -> None:
    services.cancel_appointment(
        confirmed, actor=practitioner, override=True, reason="Practitioner is ill", now=INSIDE_WINDOW
    )

    appointment = reload(confirmed)
    assert (appointment.status, appointment.cancel_reason) == (Status.CANCELLED, "Practitioner is ill")
    assert appointment.cancelled_by == practitioner
    event = appointment.events.get(action=Action.CANCELLED)
    assert (event.actor, event.data) == (practitioner, {"override": True})


def test_an_override_that_was_not_needed_is_not_recorded_as_one(practitioner: User, confirmed: Appointment) -> None:
    services.cancel_appointment(confirmed, actor=practitioner, override=True, now=NOW)

    event = reload(confirmed).events.get(action=Action.CANCELLED)
    assert event.data == {"override": False}
    assert reload(confirmed).cancel_reason == "cancelled by staff"


def test_a_patient_cannot_override(patient: Patient, confirmed: Appointment) -> None:
    with pytest.raises(errors.TooLateToChange):
        services.cancel_appointment(confirmed, actor=patient.user, override=True, reason="Please", now=INSIDE_WINDOW)


@pytest.mark.parametrize("status", [Status.CANCELLED, Status.DECLINED, Status.COMPLETED, Status.NO_SHOW])
def test_a_finished_appointment_cannot_be_cancelled_or_moved(
    status: str, patient: Patient, clinic: Clinic, confirmed: Appointment
) -> None:
    Appointment.objects.filter(pk=confirmed.pk).update(status=status)

    with pytest.raises(errors.InvalidTransition) as caught:
        services.cancel_appointment(confirmed, actor=patient.user, now=NOW)
    assert caught.value.code == "invalid_status"
    with pytest.raises(errors.InvalidTransition):
        services.reschedule_appointment(confirmed, actor=patient.user, start=local(clinic, TUESDAY, "14:00"), now=NOW)
    assert reload(confirmed).status == status


def test_cancelling_twice_is_refused(patient: Patient, confirmed: Appointment) -> None:
    services.cancel_appointment(confirmed, actor=patient.user, now=NOW)

    with pytest.raises(errors.InvalidTransition):
        services.cancel_appointment(confirmed, actor=patient.user, now=NOW)
    assert confirmed.events.filter(action=Action.CANCELLED).count() == 1


def test_a_cancelled_slot_can_be_booked_again(
    patient: Patient, other_patient: Patient, visit: AppointmentType, physio: Practitioner, confirmed: Appointment
) -> None:
    services.cancel_appointment(confirmed, actor=patient.user, now=NOW)

    again = book(other_patient, visit, confirmed.start, practitioner=physio, now=NOW)

    assert again.status == Status.CONFIRMED


# --- Rescheduling ---------------------------------------------------------------------


def test_rescheduling_keeps_the_id_bumps_the_version_and_moves_the_blocked_span(
    patient: Patient, clinic: Clinic, confirmed: Appointment
) -> None:
    new_start = local(clinic, TUESDAY, "14:00")

    moved = services.reschedule_appointment(confirmed, actor=patient.user, start=new_start, now=NOW)

    appointment = reload(confirmed)
    assert moved.pk == appointment.pk
    assert (appointment.version, appointment.status) == (2, Status.CONFIRMED)
    assert appointment.start == datetime(2026, 6, 2, 13, 0, tzinfo=UTC)
    assert appointment.end == appointment.start + minutes(60)
    assert appointment.blocked_start == appointment.start - minutes(10)
    assert appointment.blocked_end == appointment.end + minutes(15)
    event = appointment.events.get(action=Action.RESCHEDULED)
    assert event.actor == patient.user
    assert event.data["before"] == {
        "start": "2026-06-02T09:00:00+00:00",
        "practitioner": confirmed.practitioner_id,
        "version": 1,
    }
    assert event.data["after"] == {
        "start": "2026-06-02T13:00:00+00:00",
        "practitioner": confirmed.practitioner_id,
        "version": 2,
    }
    assert event.data["override"] is False


def test_the_old_time_is_free_again_after_a_move(
    patient: Patient, other_patient: Patient, clinic: Clinic, visit: AppointmentType, confirmed: Appointment
) -> None:
    services.reschedule_appointment(confirmed, actor=patient.user, start=local(clinic, TUESDAY, "14:00"), now=NOW)

    assert book(other_patient, visit, local(clinic, TUESDAY, "10:00"), now=NOW).status == Status.CONFIRMED


def test_rescheduling_into_its_own_slot_shifted_by_one_step_works(
    patient: Patient, clinic: Clinic, confirmed: Appointment
) -> None:
    # 10:15 overlaps the appointment's own 09:50-11:15 span: it must not collide with itself.
    services.reschedule_appointment(confirmed, actor=patient.user, start=local(clinic, TUESDAY, "10:15"), now=NOW)

    appointment = reload(confirmed)
    assert (appointment.start, appointment.version) == (datetime(2026, 6, 2, 9, 15, tzinfo=UTC), 2)


def test_moving_to_its_own_time_changes_nothing(patient: Patient, clinic: Clinic, confirmed: Appointment) -> None:
    # The slot lists never offer it; a retry or a hand-made request must not bump the
    # version, write an audit row or tell the patient their appointment moved.
    services.reschedule_appointment(confirmed, actor=patient.user, start=local(clinic, TUESDAY, "10:00"), now=NOW)

    appointment = reload(confirmed)
    assert (appointment.start, appointment.version) == (confirmed.start, 1)
    assert not appointment.events.filter(action=Action.RESCHEDULED).exists()


def test_rescheduling_onto_a_taken_slot_changes_nothing(
    patient: Patient,
    other_patient: Patient,
    clinic: Clinic,
    visit: AppointmentType,
    physio: Practitioner,
    confirmed: Appointment,
) -> None:
    insert_appointment(other_patient, physio, visit, local(clinic, TUESDAY, "14:00"))

    with pytest.raises(errors.SlotUnavailable):
        services.reschedule_appointment(confirmed, actor=patient.user, start=local(clinic, TUESDAY, "13:15"), now=NOW)

    appointment = reload(confirmed)
    assert (appointment.start, appointment.blocked_start, appointment.version) == (
        confirmed.start,
        confirmed.blocked_start,
        1,
    )
    assert not appointment.events.filter(action=Action.RESCHEDULED).exists()


def test_rescheduling_to_a_time_that_is_not_offered_is_refused(
    patient: Patient, clinic: Clinic, confirmed: Appointment
) -> None:
    with pytest.raises(errors.InvalidStart):
        services.reschedule_appointment(confirmed, actor=patient.user, start=local(clinic, TUESDAY, "10:05"), now=NOW)
    with pytest.raises(errors.InvalidStart):
        services.reschedule_appointment(confirmed, actor=patient.user, start=datetime(2026, 6, 2, 14), now=NOW)
    assert reload(confirmed).version == 1


def test_a_patient_cannot_reschedule_inside_the_window(
    patient: Patient, clinic: Clinic, confirmed: Appointment
) -> None:
    with pytest.raises(errors.TooLateToChange) as caught:
        services.reschedule_appointment(
            confirmed, actor=patient.user, start=local(clinic, date(2026, 6, 3), "10:00"), now=INSIDE_WINDOW
        )
    assert clinic.phone in caught.value.message
    assert reload(confirmed).version == 1


def test_staff_can_reschedule_inside_the_window_with_a_reason(
    practitioner: User, clinic: Clinic, confirmed: Appointment
) -> None:
    services.reschedule_appointment(
        confirmed,
        actor=practitioner,
        start=local(clinic, date(2026, 6, 3), "10:00"),
        override=True,
        reason="Clinic closed on Tuesday",
        now=INSIDE_WINDOW,
    )

    appointment = reload(confirmed)
    assert appointment.version == 2
    assert appointment.events.get(action=Action.RESCHEDULED).data["override"] is True


def test_rescheduling_to_another_practitioner(
    patient: Patient, clinic: Clinic, visit: AppointmentType, confirmed: Appointment
) -> None:
    colleague = make_practitioner(clinic)

    services.reschedule_appointment(
        confirmed, actor=patient.user, start=local(clinic, TUESDAY, "10:00"), practitioner=colleague, now=NOW
    )

    appointment = reload(confirmed)
    assert (appointment.practitioner_id, appointment.version) == (colleague.pk, 2)
    assert appointment.events.get(action=Action.RESCHEDULED).data["after"]["practitioner"] == colleague.pk


def test_rescheduling_to_a_practitioner_who_does_not_offer_it_is_refused(
    patient: Patient, clinic: Clinic, confirmed: Appointment
) -> None:
    other_treatment = make_type(clinic, minutes=30)
    specialist = make_practitioner(clinic, types=[other_treatment])

    with pytest.raises(errors.InvalidStart) as caught:
        services.reschedule_appointment(
            confirmed, actor=patient.user, start=local(clinic, TUESDAY, "14:00"), practitioner=specialist, now=NOW
        )
    assert caught.value.code == "practitioner_unavailable"


def test_rescheduling_onto_the_patients_other_appointment_is_refused(
    patient: Patient, clinic: Clinic, visit: AppointmentType, confirmed: Appointment
) -> None:
    colleague = make_practitioner(clinic)
    book(patient, visit, local(clinic, TUESDAY, "14:00"), practitioner=colleague, now=NOW)

    with pytest.raises(errors.PatientBusy):
        services.reschedule_appointment(confirmed, actor=patient.user, start=local(clinic, TUESDAY, "14:30"), now=NOW)
    assert reload(confirmed).version == 1


def test_rescheduling_releases_the_patients_own_expired_hold_in_the_way(
    patient: Patient, clinic: Clinic, visit: AppointmentType, confirmed: Appointment
) -> None:
    # On PostgreSQL the patient constraint still counts a hold until it is
    # released, so the move must release it first, in the same transaction.
    colleague = make_practitioner(clinic)
    stale = book(patient, visit, local(clinic, TUESDAY, "14:00"), practitioner=colleague, now=NOW, confirm=False)

    services.reschedule_appointment(
        confirmed, actor=patient.user, start=local(clinic, TUESDAY, "14:00"), now=NOW + minutes(30)
    )

    assert reload(confirmed).version == 2
    assert (reload(stale).status, reload(stale).cancel_reason) == (Status.CANCELLED, "hold_expired")


def test_an_expired_hold_cannot_be_moved(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    held = book(patient, visit, local(clinic, TUESDAY, "10:00"), now=NOW, confirm=False)

    with pytest.raises(errors.HoldExpired):
        services.reschedule_appointment(
            held, actor=patient.user, start=local(clinic, TUESDAY, "11:00"), now=NOW + minutes(11)
        )


def test_a_live_hold_can_be_moved(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    held = book(patient, visit, local(clinic, TUESDAY, "10:00"), practitioner=physio, now=NOW, confirm=False)

    services.reschedule_appointment(held, actor=patient.user, start=local(clinic, TUESDAY, "11:00"), now=NOW)

    appointment = reload(held)
    assert (appointment.status, appointment.version, appointment.hold_expires_at) == (
        Status.HELD,
        2,
        held.hold_expires_at,
    )
