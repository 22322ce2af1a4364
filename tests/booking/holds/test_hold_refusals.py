"""booking.services.hold_appointment: who may hold which time: never a time that
is not offered, never one that overlaps (buffers included), and needling only with a
valid credential."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest

from accounts.models import Patient
from booking import errors
from booking.models import Appointment, AppointmentType, Clinic, Credential, Practitioner
from tests.booking.factories import (
    book,
    insert_appointment,
    local,
    make_credential,
    make_practitioner,
    make_time_off,
    minutes,
)
from tests.booking.holds.shortcuts import NOW, TUESDAY, Status, hold

# --- Times that were never bookable ---------------------------------------------------


@pytest.mark.parametrize(
    "when",
    [
        pytest.param(lambda c: NOW - timedelta(days=1), id="past"),
        pytest.param(lambda c: local(c, date(2026, 6, 1), "10:00"), id="inside-min-notice"),
        pytest.param(lambda c: local(c, date(2026, 8, 4), "10:00"), id="beyond-max-advance"),
        pytest.param(lambda c: local(c, TUESDAY, "10:05"), id="off-the-step-grid"),
        pytest.param(lambda c: local(c, TUESDAY, "16:30"), id="runs-past-closing"),
        pytest.param(lambda c: local(c, TUESDAY, "07:00"), id="before-opening"),
        pytest.param(lambda c: local(c, date(2026, 6, 6), "10:00"), id="on-a-day-off"),
    ],
)
def test_it_refuses_a_time_that_is_not_offered(
    when: Callable[[Clinic], datetime], patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    with pytest.raises(errors.InvalidStart) as caught:
        hold(patient, visit, when(clinic), physio)

    assert (caught.value.code, caught.value.status) == ("invalid_start", 400)
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    "when",
    [
        pytest.param(lambda c: local(c, date(2026, 6, 1), "11:00"), id="exactly-the-min-notice"),
        pytest.param(lambda c: local(c, date(2026, 7, 31), "09:00"), id="exactly-the-max-advance"),
        pytest.param(lambda c: local(c, TUESDAY, "16:00"), id="ends-at-closing"),
    ],
)
def test_it_accepts_the_edges_of_the_window(
    when: Callable[[Clinic], datetime], patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    assert hold(patient, visit, when(clinic), physio).status == Status.HELD


def test_it_refuses_a_time_during_time_off(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    make_time_off(physio, local(clinic, TUESDAY, "09:00"), local(clinic, TUESDAY, "11:00"))

    with pytest.raises(errors.InvalidStart):
        hold(patient, visit, local(clinic, TUESDAY, "10:30"), physio)
    assert hold(patient, visit, local(clinic, TUESDAY, "11:15"), physio)


def test_it_refuses_a_naive_time(patient: Patient, visit: AppointmentType, physio: Practitioner) -> None:
    with pytest.raises(errors.InvalidStart):
        hold(patient, visit, datetime(2026, 6, 2, 10, 0), physio)


def test_it_refuses_an_inactive_treatment(patient: Patient, visit: AppointmentType, physio: Practitioner) -> None:
    visit.active = False
    visit.save()

    with pytest.raises(errors.InvalidStart) as caught:
        hold(patient, visit, local(visit.clinic, TUESDAY, "10:00"), physio)
    assert caught.value.code == "appointment_type_inactive"


def test_it_refuses_a_practitioner_who_does_not_offer_the_treatment(
    patient: Patient, clinic: Clinic, visit: AppointmentType, needling: AppointmentType
) -> None:
    specialist = make_practitioner(clinic, types=[needling])

    with pytest.raises(errors.InvalidStart) as caught:
        hold(patient, visit, local(clinic, TUESDAY, "10:00"), specialist)
    assert caught.value.code == "practitioner_unavailable"


# The neighbour at 12:00 blocks 11:50-13:15 (10 min before, 15 after); a new
# visit blocks 10 minutes before and 15 after itself too.


@pytest.mark.parametrize(
    ("hh_mm", "free"),
    [
        ("10:30", True),  # blocks 10:20-11:45, clear of 11:50
        ("10:45", False),  # its buffer after runs into the neighbour's buffer before
        ("11:15", False),  # the visits themselves overlap
        ("12:00", False),  # the same time
        ("13:15", False),  # its buffer before runs into the neighbour's buffer after
        ("13:30", True),  # blocks from 13:20, clear of 13:15
    ],
)
def test_it_refuses_an_overlapping_slot_buffers_included(
    hh_mm: str,
    free: bool,
    patient: Patient,
    other_patient: Patient,
    clinic: Clinic,
    visit: AppointmentType,
    physio: Practitioner,
) -> None:
    insert_appointment(other_patient, physio, visit, local(clinic, TUESDAY, "12:00"))
    start = local(clinic, TUESDAY, hh_mm)

    if free:
        assert hold(patient, visit, start, physio).status == Status.HELD
    else:
        with pytest.raises(errors.SlotUnavailable) as caught:
            hold(patient, visit, start, physio)
        assert (caught.value.code, caught.value.status) == ("slot_unavailable", 409)


@pytest.mark.parametrize("status", [Status.HELD, Status.PENDING_REVIEW, Status.CONFIRMED])
def test_every_live_status_blocks_the_slot(
    status: str, patient: Patient, other_patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    start = local(clinic, TUESDAY, "10:00")
    insert_appointment(other_patient, physio, visit, start, status=status)

    with pytest.raises(errors.SlotUnavailable):
        hold(patient, visit, start, physio)


@pytest.mark.parametrize("status", [Status.CANCELLED, Status.DECLINED, Status.COMPLETED, Status.NO_SHOW])
def test_a_finished_appointment_does_not_block_the_slot(
    status: str, patient: Patient, other_patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    start = local(clinic, TUESDAY, "10:00")
    insert_appointment(other_patient, physio, visit, start, status=status)

    assert hold(patient, visit, start, physio).status == Status.HELD


def test_it_refuses_a_patient_who_is_busy_with_another_practitioner(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    colleague = make_practitioner(clinic)
    book(patient, visit, local(clinic, TUESDAY, "10:00"), practitioner=colleague, now=NOW)

    with pytest.raises(errors.PatientBusy) as caught:
        hold(patient, visit, local(clinic, TUESDAY, "10:45"), physio)
    assert caught.value.code == "patient_busy"


def test_the_patients_own_hold_counts_until_it_expires_by_the_given_clock(
    patient: Patient, clinic: Clinic, visit: AppointmentType, physio: Practitioner
) -> None:
    # The services take `now`; deciding "is the patient busy" by the wall clock
    # instead would let this 2026 hold look long expired.
    colleague = make_practitioner(clinic)
    hold(patient, visit, local(clinic, TUESDAY, "10:00"), colleague)

    with pytest.raises(errors.PatientBusy):
        hold(patient, visit, local(clinic, TUESDAY, "10:30"), physio, now=NOW + minutes(5))
    assert Appointment.objects.count() == 1


# --- Needling needs a credential ------------------------------------------------------


@pytest.mark.parametrize(
    "credential",
    [
        pytest.param({}, id="verified-open-ended"),
        pytest.param({"valid_until": TUESDAY}, id="valid-until-that-day"),
        pytest.param({"valid_from": TUESDAY}, id="valid-from-that-day"),
    ],
)
def test_a_credentialled_practitioner_may_needle(
    credential: dict[str, object], patient: Patient, clinic: Clinic, needling: AppointmentType
) -> None:
    physio = make_practitioner(clinic, credentialled=False)
    make_credential(physio, jurisdiction="GB", **credential)  # type: ignore[arg-type]

    assert hold(patient, needling, local(clinic, TUESDAY, "10:00"), physio).status == Status.HELD


@pytest.mark.parametrize(
    "credential",
    [
        pytest.param(None, id="none-at-all"),
        pytest.param({"verified": False}, id="unverified"),
        pytest.param({"valid_until": date(2026, 6, 1)}, id="expired-the-day-before"),
        pytest.param({"valid_from": date(2026, 6, 3)}, id="not-yet-valid"),
        pytest.param({"jurisdiction": "IE"}, id="other-jurisdiction"),
        pytest.param({"kind": Credential.Kind.LICENCE}, id="a-licence-is-not-a-needling-credential"),
    ],
)
def test_it_refuses_needling_without_a_valid_credential(
    credential: dict[str, object] | None, patient: Patient, clinic: Clinic, needling: AppointmentType
) -> None:
    physio = make_practitioner(clinic, credentialled=False)
    if credential is not None:
        make_credential(physio, **credential)  # type: ignore[arg-type]

    with pytest.raises(errors.NotCredentialled) as caught:
        hold(patient, needling, local(clinic, TUESDAY, "10:00"), physio)
    assert (caught.value.code, caught.value.status) == ("practitioner_not_credentialled", 409)


def test_a_treatment_without_needling_needs_no_credential(
    patient: Patient, clinic: Clinic, visit: AppointmentType
) -> None:
    physio = make_practitioner(clinic, credentialled=False)

    assert hold(patient, visit, local(clinic, TUESDAY, "10:00"), physio).status == Status.HELD
